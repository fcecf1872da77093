package telegram

import (
	"slices"
	"time"
)

// flood throttles chats that send too much: more than limit updates
// within window pauses the chat for window. It is not safe for concurrent
// use (the Bot's mutex guards it).
type flood struct {
	limit  int
	window time.Duration
	chats  map[int64]*chatRate
}

type chatRate struct {
	recent      []time.Time // accepted updates within the window, oldest first
	pausedUntil time.Time
}

func newFlood(limit int, window time.Duration) *flood {
	return &flood{limit: limit, window: window, chats: map[int64]*chatRate{}}
}

// check counts an update from chat at now. ok reports whether it may be
// handled; notice is true for the update that starts a pause, whose chat
// should be told.
func (f *flood) check(chat int64, now time.Time) (ok, notice bool) {
	c := f.chats[chat]
	if c == nil {
		if len(f.chats) >= 1024 {
			f.sweep(now)
		}
		c = &chatRate{}
		f.chats[chat] = c
	}
	if now.Before(c.pausedUntil) {
		return false, false
	}
	cutoff := now.Add(-f.window)
	i := 0
	for i < len(c.recent) && !c.recent[i].After(cutoff) {
		i++
	}
	c.recent = slices.Delete(c.recent, 0, i)
	if len(c.recent) >= f.limit {
		c.recent = c.recent[:0]
		c.pausedUntil = now.Add(f.window)
		return false, true
	}
	c.recent = append(c.recent, now)
	return true, false
}

// sweep forgets chats that have been quiet for a window.
func (f *flood) sweep(now time.Time) {
	cutoff := now.Add(-f.window)
	for id, c := range f.chats {
		if !now.Before(c.pausedUntil) && (len(c.recent) == 0 || !c.recent[len(c.recent)-1].After(cutoff)) {
			delete(f.chats, id)
		}
	}
}

// keyboards remembers, for messages the adapter edited after a button
// press, which buttons they show now. A press of a button that is no
// longer there (a double tap delivered twice, or an old copy of the
// message) is then not handed to the engine again. It holds the latest
// max messages and is not safe for concurrent use.
type keyboards struct {
	max   int
	order []msgKey
	now   map[msgKey][]string
}

type msgKey struct {
	chat int64
	id   int
}

func newKeyboards(max int) *keyboards {
	return &keyboards{max: max, now: map[msgKey][]string{}}
}

// set records the callback data message (chat, id) shows now.
func (k *keyboards) set(chat int64, id int, data []string) {
	key := msgKey{chat, id}
	if _, ok := k.now[key]; !ok {
		if len(k.order) >= k.max {
			delete(k.now, k.order[0])
			k.order = k.order[1:]
		}
		k.order = append(k.order, key)
	}
	k.now[key] = data
}

// gone reports whether message (chat, id) is known to no longer show a
// button with data.
func (k *keyboards) gone(chat int64, id int, data string) bool {
	shown, ok := k.now[msgKey{chat, id}]
	return ok && !slices.Contains(shown, data)
}

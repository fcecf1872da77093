package slack

import (
	"slices"
	"sync"
	"time"
)

// recent is a bounded set of keys seen lately: at most max keys, none
// older than ttl. It is not safe for concurrent use.
type recent struct {
	max   int
	ttl   time.Duration
	order []stamped
	seen  map[string]time.Time
}

type stamped struct {
	key string
	at  time.Time
}

func newRecent(max int, ttl time.Duration) *recent {
	return &recent{max: max, ttl: ttl, seen: map[string]time.Time{}}
}

// add records keys at now and reports whether any of them had been seen
// (within ttl) before.
func (r *recent) add(now time.Time, keys ...string) (dup bool) {
	r.expire(now)
	for _, k := range keys {
		if k == "" {
			continue
		}
		if _, ok := r.seen[k]; ok {
			dup = true
			continue
		}
		r.seen[k] = now
		r.order = append(r.order, stamped{k, now})
	}
	for len(r.order) > r.max {
		r.drop()
	}
	return dup
}

func (r *recent) expire(now time.Time) {
	for len(r.order) > 0 && now.Sub(r.order[0].at) > r.ttl {
		r.drop()
	}
}

func (r *recent) drop() {
	delete(r.seen, r.order[0].key)
	r.order[0] = stamped{}
	r.order = r.order[1:]
}

// keyboards remembers, for messages the adapter replaced after a button
// press, which actions their buttons carry now. A press of a button that
// is no longer there (a double click, or an old copy of the message) is
// then not handed to the engine again. It holds the latest max messages
// and is safe for concurrent use.
type keyboards struct {
	mu    sync.Mutex
	max   int
	order []msgKey
	now   map[msgKey][]string
}

type msgKey struct{ channel, ts string }

func newKeyboards(max int) *keyboards {
	return &keyboards{max: max, now: map[msgKey][]string{}}
}

// set records the actions message (channel, ts) shows now.
func (k *keyboards) set(channel, ts string, actions []string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	key := msgKey{channel, ts}
	if _, ok := k.now[key]; !ok {
		if len(k.order) >= k.max {
			delete(k.now, k.order[0])
			k.order = k.order[1:]
		}
		k.order = append(k.order, key)
	}
	k.now[key] = actions
}

// gone reports whether message (channel, ts) is known to no longer show a
// button with action.
func (k *keyboards) gone(channel, ts, action string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	shown, ok := k.now[msgKey{channel, ts}]
	return ok && !slices.Contains(shown, action)
}

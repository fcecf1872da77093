package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dangol/dangol/conversation"
)

// allowedUpdates lists the update kinds Dangol reads.
func allowedUpdates() []string { return []string{"message", "callback_query"} }

// runPolling long-polls getUpdates until ctx ends, handing each update
// to its chat's queue (see dispatcher). The offset asked for confirms the
// updates before it to Telegram, so it only moves past updates that were
// handled; the first call asks from the oldest unconfirmed update and
// relies on the cursors to skip handled ones. When ctx ends, the updates
// in hand are finished and the others left for the next start.
func (b *Bot) runPolling(ctx context.Context) error {
	// Telegram refuses getUpdates while a webhook is set (go-telegram/bot's
	// Start does not remove it). Pending updates are kept.
	if err := b.retry(ctx, func(ctx context.Context) error {
		_, err := b.tg.DeleteWebhook(ctx, &bot.DeleteWebhookParams{})
		return err
	}); err != nil && ctx.Err() == nil {
		b.log.Warn("telegram: could not remove a webhook before polling", "err", err)
	}
	b.log.Info("telegram: polling for updates", "bot", b.me.Username)
	d := newDispatcher(b, ctx)
	defer d.wait()
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		updates, err := b.getUpdates(ctx, d.offset())
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if errors.Is(err, bot.ErrorUnauthorized) {
				return fmt.Errorf("telegram: getUpdates: the bot token was revoked: %w", err)
			}
			class, wait := classify(err)
			if class != rateLimited {
				backoff = min(max(2*backoff, firstBackoff), maxBackoff)
				wait = backoff
			}
			if errors.Is(err, bot.ErrorConflict) {
				b.log.Warn("telegram: getUpdates conflicts with another poller or a webhook; is another Dangol running with this token?", "retry_in", wait)
			} else {
				b.log.Warn("telegram: getUpdates failed", "err", err, "retry_in", wait)
			}
			if b.sleep(ctx, wait) != nil {
				break
			}
			continue
		}
		backoff = 0
		if len(updates) > 0 && d.dispatch(updates) == 0 {
			// Everything Telegram sent is in hand or done: the oldest
			// update in hand holds the offset back. Ask again once one
			// finishes (or shortly, for other chats' new updates).
			d.waitProgress(ctx)
		}
	}
	return nil
}

// dispatcher runs the updates of each chat in order, one at a time, and
// different chats side by side (at most maxWorkers handling at once). It
// knows which updates are in hand and which are done, so the offset it
// gives only moves past updates that are done and an update Telegram sends
// again while in hand or done is not run twice.
type dispatcher struct {
	b        *Bot
	ctx      context.Context // when it ends, no new update is started
	work     context.Context // the updates in hand finish even then
	sem      chan struct{}
	wg       sync.WaitGroup
	progress chan struct{}

	mu       sync.Mutex
	inflight map[int64]bool // dispatched, not done
	finished map[int64]bool // done, not yet below the offset
	next     int64          // past the newest update seen
	lastSeen time.Time
	chats    map[int64]*chatQueue
}

type chatQueue struct {
	updates []*models.Update
	running bool
}

// idleReset: after this long without updates Telegram numbers them
// afresh, possibly below the offset, so the offset starts over.
const idleReset = 6 * 24 * time.Hour

func newDispatcher(b *Bot, ctx context.Context) *dispatcher {
	return &dispatcher{b: b, ctx: ctx, work: context.WithoutCancel(ctx), sem: make(chan struct{}, maxWorkers),
		progress: make(chan struct{}, 1), inflight: map[int64]bool{}, finished: map[int64]bool{},
		chats: map[int64]*chatQueue{}}
}

// offset is the offset to ask getUpdates for: the oldest update in hand,
// else past the newest seen (0, the oldest unconfirmed, at first).
func (d *dispatcher) offset() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.inflight) == 0 && !d.lastSeen.IsZero() && time.Since(d.lastSeen) > idleReset {
		d.next = 0
		clear(d.finished)
	}
	low := d.next
	for id := range d.inflight {
		low = min(low, id)
	}
	for id := range d.finished {
		if id < low {
			delete(d.finished, id)
		}
	}
	return low
}

// dispatch queues the updates not in hand or done, each on its chat's
// queue, and returns how many it queued.
func (d *dispatcher) dispatch(raws []rawUpdate) int {
	fresh := 0
	for _, raw := range raws {
		d.mu.Lock()
		if d.inflight[raw.id] || d.finished[raw.id] {
			d.mu.Unlock()
			continue
		}
		fresh++
		d.next = max(d.next, raw.id+1)
		d.lastSeen = time.Now()
		u, err := decodeUpdate(raw.data)
		if err != nil {
			// Move past an update that cannot be decoded, so it does not
			// block the ones after it.
			d.finished[raw.id] = true
			d.mu.Unlock()
			d.b.log.Error("telegram: skipping an update", "update", raw.id, "err", err)
			continue
		}
		u.ID = raw.id
		d.inflight[raw.id] = true
		chat := chatOf(u)
		q := d.chats[chat]
		if q == nil {
			q = &chatQueue{}
			d.chats[chat] = q
		}
		q.updates = append(q.updates, u)
		start := !q.running
		q.running = true
		d.mu.Unlock()
		if start {
			d.wg.Add(1)
			go d.runChat(chat, q)
		}
	}
	return fresh
}

// waitProgress waits until an update is done, for a second at most.
func (d *dispatcher) waitProgress(ctx context.Context) {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case <-d.progress:
	case <-ctx.Done():
	case <-t.C:
	}
}

// wait returns once every chat's update in hand is done.
func (d *dispatcher) wait() { d.wg.Wait() }

// finish marks an update done.
func (d *dispatcher) finish(id int64) {
	d.mu.Lock()
	delete(d.inflight, id)
	d.finished[id] = true
	d.mu.Unlock()
	select {
	case d.progress <- struct{}{}:
	default:
	}
}

// runChat handles a chat's queue until it is empty. While more of the
// chat's updates wait, plain replies are held and then shown together.
func (d *dispatcher) runChat(chat int64, q *chatQueue) {
	defer d.wg.Done()
	var held []*outgoing
	var heldSince time.Time
	member := map[int64]bool{} // who may have replies gathered, by user
	gather := func(o *outgoing) bool {
		if !o.plain() || o.from == nil {
			return false
		}
		m, ok := member[o.from.ID]
		if !ok {
			m = d.b.isMember(d.work, o.from)
			member[o.from.ID] = m
		}
		return m
	}
	flush := func() {
		if len(held) > 0 {
			d.b.showBatch(d.work, held)
			held = nil
		}
	}
	for {
		d.mu.Lock()
		if d.ctx.Err() != nil {
			// Stopping: what is queued stays unconfirmed, for the next start.
			q.updates = nil
		}
		if len(q.updates) == 0 {
			if len(held) == 0 {
				q.running = false
				delete(d.chats, chat)
				d.mu.Unlock()
				return
			}
			d.mu.Unlock()
			flush()
			continue
		}
		u := q.updates[0]
		q.updates = q.updates[1:]
		backlog := len(q.updates)
		d.mu.Unlock()

		r, ok := d.handle(u)
		if !ok {
			continue // stopping while it waited to be tried again
		}
		if o := r.out; o != nil {
			switch {
			case (backlog >= coalesceBacklog || len(held) > 0 && backlog > 0) && gather(o):
				if len(held) == 0 {
					heldSince = time.Now()
				}
				held = append(held, o)
				if len(held) >= coalesceMax || time.Since(heldSince) >= coalesceFor {
					flush()
				}
			case len(held) > 0 && gather(o):
				held = append(held, o)
				flush()
			default:
				flush()
				d.b.show(d.work, o)
			}
		}
		d.finish(u.ID)
	}
}

// handle handles one update, trying it again with a growing pause while it
// fails for a passing reason. ok is false when the dispatcher stopped
// meanwhile (the update is then left for the next start).
func (d *dispatcher) handle(u *models.Update) (result, bool) {
	backoff := firstBackoff
	for attempt := 1; ; attempt++ {
		d.sem <- struct{}{}
		hctx, cancel := context.WithTimeout(d.work, handleTimeout)
		r := d.b.handle(hctx, u)
		cancel()
		<-d.sem
		if !r.transient {
			return r, true
		}
		if attempt == slowNotice {
			d.b.slowNotice(d.work, u)
		}
		if d.b.sleep(d.ctx, backoff/2+rand.N(backoff/2+1)) != nil {
			return result{}, false
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// isMember reports whether from works for a shop: only their replies are
// gathered (strangers' floods are throttled instead).
func (b *Bot) isMember(ctx context.Context, from *models.User) bool {
	m, ok := b.cfg.Handler.(interface {
		IsMember(ctx context.Context, platform, userID string) bool
	})
	return ok && m.IsMember(ctx, Platform, strconv.FormatInt(from.ID, 10))
}

// slowNotice tells the person whose message keeps failing for a passing
// reason that it is not lost.
func (b *Bot) slowNotice(ctx context.Context, u *models.Update) {
	m := u.Message
	if m == nil || m.From == nil {
		return
	}
	t := target{chatID: m.Chat.ID}
	if m.Chat.Type != models.ChatTypePrivate {
		t.replyTo = m.ID
		if m.IsTopicMessage {
			t.threadID = m.MessageThreadID
		}
	}
	_, _, err := b.deliver(ctx, t, []conversation.Reply{{Text: b.cat.T(b.langFor(ctx, m.From), "telegram.retrying", nil)}})
	b.logDelivery(u.ID, t.chatID, err)
}

// showBatch shows several updates' plain replies as one message, without
// their buttons, and marks them sent.
func (b *Bot) showBatch(ctx context.Context, held []*outgoing) {
	if len(held) == 1 {
		b.show(ctx, held[0])
		return
	}
	lang := ""
	if from := held[len(held)-1].from; from != nil {
		lang = b.langFor(ctx, from)
	}
	lines := []string{b.cat.N(lang, "telegram.batch", len(held), nil)}
	for _, o := range held {
		lines = append(lines, o.replies[0].Text)
	}
	lines = append(lines, b.cat.T(lang, "telegram.batch_undo", nil))
	t := target{chatID: held[0].t.chatID, threadID: held[0].t.threadID}
	_, lost, err := b.deliver(ctx, t, []conversation.Reply{{Text: strings.Join(lines, "\n")}})
	b.logDelivery(held[0].update, t.chatID, err)
	if lost {
		b.log.Warn("telegram: stored replies could not be delivered for now; they are sent again at the next start", "count", len(held))
		return
	}
	for _, o := range held {
		if o.stream != "" {
			b.markSent(ctx, o.stream, o.update)
		}
	}
}

type rawUpdate struct {
	id   int64
	data []byte
}

// getUpdates asks for the updates from offset on (0: the oldest
// unconfirmed), waiting up to the poll timeout for one to come.
func (b *Bot) getUpdates(ctx context.Context, offset int64) ([]rawUpdate, error) {
	body, err := json.Marshal(struct {
		Offset         int64    `json:"offset,omitempty"`
		Timeout        int      `json:"timeout"`
		AllowedUpdates []string `json:"allowed_updates"`
	}{offset, int(b.cfg.PollTimeout / time.Second), allowedUpdates()})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.cfg.APIURL+"/bot"+b.cfg.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, b.redact(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.poller.Do(req)
	if err != nil {
		return nil, b.redact(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, b.redact(err)
	}
	var r struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("telegram: getUpdates: HTTP %d, unreadable answer: %w", resp.StatusCode, err)
	}
	if !r.OK {
		return nil, apiError(r.ErrorCode, r.Description, r.Parameters.RetryAfter)
	}
	out := make([]rawUpdate, 0, len(r.Result))
	for _, raw := range r.Result {
		var id struct {
			ID int64 `json:"update_id"`
		}
		if err := json.Unmarshal(raw, &id); err != nil {
			return nil, fmt.Errorf("telegram: getUpdates: update without an id: %w", err)
		}
		out = append(out, rawUpdate{id: id.ID, data: raw})
	}
	return out, nil
}

// apiError builds the error go-telegram/bot would for a refused call, so
// classify treats both alike.
func apiError(code int, desc string, retryAfter int) error {
	switch code {
	case http.StatusTooManyRequests:
		return &bot.TooManyRequestsError{Message: fmt.Sprintf("%s, %s", bot.ErrorTooManyRequests, desc), RetryAfter: retryAfter}
	case http.StatusUnauthorized:
		return fmt.Errorf("%w, %s", bot.ErrorUnauthorized, desc)
	case http.StatusConflict:
		return fmt.Errorf("%w, %s", bot.ErrorConflict, desc)
	case http.StatusNotFound:
		return fmt.Errorf("%w, %s", bot.ErrorNotFound, desc)
	case http.StatusForbidden:
		return fmt.Errorf("%w, %s", bot.ErrorForbidden, desc)
	case http.StatusBadRequest:
		return fmt.Errorf("%w, %s", bot.ErrorBadRequest, desc)
	}
	return fmt.Errorf("error response from telegram for method getUpdates, %d %s", code, desc)
}

// redact removes the token from a request error (it is part of the URL).
func (b *Bot) redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = strings.ReplaceAll(ue.URL, b.cfg.Token, "***")
	}
	return fmt.Errorf("telegram: getUpdates: %w", err)
}

package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/dangol/dangol/crm"
)

// IsTemporary reports whether an error from Handle means the message may
// well be handled if tried again later: the database was busy or locked,
// a file could not be read or written, time ran out. Nothing was saved;
// an adapter that can should try again rather than tell the person it is
// lost.
func IsTemporary(err error) bool {
	return errors.Is(err, crm.ErrTemporary) || errors.Is(err, context.DeadlineExceeded)
}

// EncodeReplies encodes replies as the engine stores them with a cursor
// (see Message.Route); DecodeReplies reads them back.
func EncodeReplies(replies []Reply) ([]byte, error) {
	b, err := json.Marshal(replies)
	if err != nil {
		return nil, fmt.Errorf("conversation: encode replies: %w", err)
	}
	return b, nil
}

// DecodeReplies reads replies stored by the engine.
func DecodeReplies(b []byte) ([]Reply, error) {
	var out []Reply
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("conversation: decode replies: %w", err)
	}
	return out, nil
}

// withReplies returns cursor set to store, in its transaction, the replies
// render gives for the note the transaction records (see crm.ReplyDraft).
// Without a cursor, or a route to store the replies under, it returns
// cursor as it is.
func (e *Engine) withReplies(s *session, cursor *crm.Cursor, render func(n crm.Note) []Reply) *crm.Cursor {
	if cursor == nil || s.msg.Route == "" {
		return cursor
	}
	c := *cursor
	c.Reply = &crm.ReplyDraft{Route: s.msg.Route, Render: func(n crm.Note) ([]byte, error) {
		r := render(n)
		if len(r) == 0 {
			return nil, nil
		}
		return EncodeReplies(r)
	}}
	return &c
}

// shopLock serialises the messages of one shop, so that two people
// writing at once about a new customer do not create two.
func (e *Engine) shopLock(shopID int64) func() {
	v, _ := e.shopLocks.LoadOrStore(shopID, &sync.Mutex{})
	mu := v.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// Knows reports whether a messenger user is someone the shop knows: a
// member of a shop, or a customer who joined one. Adapters may throttle
// the others when they flood; they never write records. An error counts
// as known, so nobody who matters is throttled by mistake.
func (e *Engine) Knows(ctx context.Context, platform, userID string) bool {
	ms, err := e.store.Memberships(ctx, platform, userID)
	if err != nil || len(ms) > 0 {
		return true
	}
	links, err := e.store.CustomerLinks(ctx, platform, userID)
	return err != nil || len(links) > 0
}

// IsMember reports whether a messenger user works for a shop (owner or
// staff). An error counts as no.
func (e *Engine) IsMember(ctx context.Context, platform, userID string) bool {
	ms, err := e.store.Memberships(ctx, platform, userID)
	return err == nil && len(ms) > 0
}

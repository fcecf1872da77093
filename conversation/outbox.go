package conversation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/dangol/dangol/crm"
)

// ErrUnreachable is wrapped by a Sender's error when the person can never
// receive messages there (they blocked the bot, or the chat is gone).
var ErrUnreachable = errors.New("recipient unreachable")

// Outbox tuning.
const (
	// outboxLease is how long a message may stay sending before another
	// sender loop takes it for lost and sends it again: longer than any
	// one delivery with its own retries takes.
	outboxLease = 10 * time.Minute
	// outboxAttempts is how many times a message is tried before it fails
	// for good.
	outboxAttempts = 5
	// outboxTick is how often the sender loop looks for messages that fell
	// due (after quiet hours, or a retry) without being woken.
	outboxTick = 15 * time.Second
	// outboxBatch bounds one DeliverDue pass.
	outboxBatch = 1000
)

// Outbox is the sender loop: the only code that hands messages for
// customers to a Sender. Messages are decided and written by the engine
// (storage's QueueMessage); the loop claims each due message (sending),
// delivers it and marks it sent, so a crash loses nothing. A crash after
// the messenger accepted a message but before it was marked sent leaves
// it sending; after outboxLease it is sent again, so delivery is at least
// once for that one window, and exactly once otherwise. Delivery passes
// are serialised within a process.
type Outbox struct {
	engine  *Engine
	senders map[string]Sender
	log     *slog.Logger
	mu      sync.Mutex
}

// NewOutbox returns the sender loop delivering through senders, keyed by
// platform. The map may be filled after NewOutbox returns, before the loop
// runs.
func NewOutbox(engine *Engine, senders map[string]Sender, log *slog.Logger) *Outbox {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Outbox{engine: engine, senders: senders, log: log}
}

// DeliverDue delivers every message due now and returns when none is
// left. Failures are retried later or reported to whoever asked; the
// returned error is for the log.
func (o *Outbox) DeliverDue(ctx context.Context) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	e := o.engine
	var errs []error
	for range outboxBatch {
		now := e.now()
		m, ok, cancelled, err := e.store.ClaimOutbox(ctx, now, now.Add(-outboxLease))
		if err != nil {
			return errors.Join(append(errs, fmt.Errorf("conversation: outbox: %w", err))...)
		}
		if cancelled != nil {
			o.report(ctx, *cancelled, "")
			continue
		}
		if !ok {
			break
		}
		if err := o.deliver(ctx, m); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// deliver sends one claimed message and records what happened.
func (o *Outbox) deliver(ctx context.Context, m crm.OutboxMessage) error {
	e := o.engine
	sender, ok := o.senders[m.Platform]
	if !ok {
		// No adapter for that platform runs here (a console member while
		// the bot runs on Telegram): nothing can deliver it.
		return e.store.MarkFailed(ctx, m.ID, false, e.now())
	}
	r := Reply{Text: m.Text}
	for _, b := range m.Buttons {
		r.Buttons = append(r.Buttons, Button{Label: b.Label, Action: b.Action})
	}
	err := sender.Send(ctx, m.UserID, r)
	// What happened is recorded even when ctx ends meanwhile.
	mctx := context.WithoutCancel(ctx)
	now := e.now()
	switch {
	case err == nil:
		if err := e.store.MarkSent(mctx, m.ID, now); err != nil {
			return fmt.Errorf("conversation: outbox: %w", err)
		}
		return nil
	case errors.Is(err, ErrUnreachable):
		if merr := e.store.MarkFailed(mctx, m.ID, true, now); merr != nil {
			return errors.Join(err, merr)
		}
		o.report(mctx, m, "outbox.unreachable")
		o.log.Info("outbox: recipient unreachable", "shop", m.ShopID, "message", m.ID)
		return nil
	case m.Attempts >= outboxAttempts:
		if merr := e.store.MarkFailed(mctx, m.ID, false, now); merr != nil {
			return errors.Join(err, merr)
		}
		o.report(mctx, m, "outbox.blocked.failed")
	default:
		wait := time.Duration(1<<(2*(m.Attempts-1))) * 30 * time.Second // 30 s, 2 min, 8 min, 32 min
		if merr := e.store.MarkRetry(mctx, m.ID, now.Add(wait)); merr != nil {
			return errors.Join(err, merr)
		}
	}
	return fmt.Errorf("conversation: outbox: deliver %d: %w", m.ID, err)
}

// report tells the member who asked for a message to a customer why it
// did not go (key, or by its cancel reason when key is "").
func (o *Outbox) report(ctx context.Context, m crm.OutboxMessage, key string) {
	e := o.engine
	if m.To != crm.ToCustomer || m.RequestedBy == "" {
		return
	}
	platform, user, _ := strings.Cut(m.RequestedBy, ":")
	shop, err := e.store.Shop(ctx, m.ShopID)
	if err != nil {
		o.log.Error("outbox report", "err", err)
		return
	}
	c, err := e.store.Customer(ctx, m.ShopID, m.CustomerID)
	if err != nil {
		return // erased meanwhile: nothing to say about them
	}
	if key == "" {
		key = "outbox.blocked." + string(m.Reason)
		if m.Reason == crm.BlockNoConsent {
			key = "outbox.cancelled.no_consent"
		}
	}
	data := map[string]any{"Name": c.Name, "Purpose": e.cat.T(shop.Lang, "purpose."+string(m.Purpose), nil)}
	if err := e.store.QueueNotices(ctx, crm.Notice{ShopID: shop.ID, CustomerID: c.ID, Platform: platform, UserID: user,
		Text: e.cat.T(shop.Lang, key, data), At: e.now()}); err != nil {
		o.log.Error("outbox report", "err", err)
	}
}

// Run delivers messages as they are queued or fall due, and runs the
// customer side's daily jobs, until ctx is cancelled.
func (o *Outbox) Run(ctx context.Context) error {
	tick := time.NewTicker(outboxTick)
	defer tick.Stop()
	for {
		if err := o.engine.Housekeeping(ctx); err != nil {
			o.log.Error("housekeeping", "err", err)
		}
		if err := o.engine.CustomerJobs(ctx, o.engine.now()); err != nil {
			o.log.Error("customer jobs", "err", err)
		}
		if err := o.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			o.log.Error("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-o.engine.wake:
		}
	}
}

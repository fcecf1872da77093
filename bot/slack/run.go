package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// job is the handling of one acknowledged envelope, run by the worker.
type job func(ctx context.Context)

// Run connects in Socket Mode and answers until ctx is cancelled; it then
// finishes the envelopes already acknowledged and returns nil. It returns
// an error when Slack refuses the connection for good, such as a rejected
// SLACK_APP_TOKEN. A lost connection is opened again.
func (b *Bot) Run(ctx context.Context) error {
	if !b.running.CompareAndSwap(false, true) {
		return errors.New("slack: the bot is already running")
	}
	defer b.running.Store(false)
	opts := []socketmode.Option{socketmode.OptionLog(debugLog{b})}
	if b.cfg.PingInterval > 0 {
		opts = append(opts, socketmode.OptionPingInterval(b.cfg.PingInterval))
	}
	client := socketmode.New(b.api, opts...)

	jobs := make(chan job, queueSize)
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	worked := make(chan struct{})
	go func() {
		defer close(worked)
		for j := range jobs {
			jctx, cancel := context.WithTimeout(workCtx, handleTimeout)
			j(jctx)
			cancel()
		}
	}()

	runCtx, stopSocket := context.WithCancel(ctx)
	defer stopSocket()
	ran := make(chan error, 1)
	go func() { ran <- client.RunContext(runCtx) }()

	ended, err := b.read(ctx, client, jobs, ran)
	stopSocket()
	if !ended {
		<-ran
	}
	close(jobs)
	t := time.NewTimer(drainTimeout)
	defer t.Stop()
	select {
	case <-worked:
	case <-t.C:
		b.log.Warn("slack: shutting down before every acknowledged message was handled", "waited", drainTimeout)
		stopWork()
		<-worked
	}
	return err
}

// read takes the Socket Mode client's events until ctx is cancelled or the
// client gives up; ended reports whether the client's Run returned.
func (b *Bot) read(ctx context.Context, client *socketmode.Client, jobs chan<- job, ran <-chan error) (ended bool, err error) {
	for {
		select {
		case <-ctx.Done():
			return false, nil
		case err := <-ran:
			if ctx.Err() != nil {
				return true, nil
			}
			return true, connectError(err)
		case ev := <-client.Events:
			if j := b.event(ctx, client, ev); j != nil {
				select {
				case jobs <- j:
				case <-ctx.Done():
					b.log.Warn("slack: shutting down; an acknowledged message was not handled")
					return false, nil
				}
			}
		}
	}
}

// connectError explains why Socket Mode gave up.
func connectError(err error) error {
	if err == nil {
		return errors.New("slack: the Socket Mode connection ended")
	}
	switch errCode(err) {
	case "invalid_auth", "not_authed", "token_revoked", "account_inactive", "not_allowed_token_type":
		return fmt.Errorf("slack: Slack rejected SLACK_APP_TOKEN (apps.connections.open: %w)", err)
	}
	var status slack.StatusCodeError
	if errors.As(err, &status) && status.Code == 404 {
		return fmt.Errorf("slack: Socket Mode is not available for this app; turn it on and check SLACK_APP_TOKEN: %w", err)
	}
	return fmt.Errorf("slack: socket mode: %w", err)
}

// errCode returns the error code of a Slack Web API refusal
// ("invalid_auth"), or "".
func errCode(err error) string {
	var e slack.SlackErrorResponse
	if errors.As(err, &e) {
		return e.Err
	}
	if err != nil {
		// Socket Mode's connect reports the code as a plain error.
		switch s := err.Error(); s {
		case "invalid_auth", "not_authed", "token_revoked", "account_inactive", "not_allowed_token_type":
			return s
		}
	}
	return ""
}

// event acknowledges an envelope, drops it when it was seen before, and
// returns the job that handles it (nil when there is nothing to do).
func (b *Bot) event(ctx context.Context, client *socketmode.Client, ev socketmode.Event) job {
	switch ev.Type {
	case socketmode.EventTypeEventsAPI, socketmode.EventTypeInteractive, socketmode.EventTypeSlashCommand:
	case socketmode.EventTypeConnecting:
		b.log.Debug("slack: connecting")
		return nil
	case socketmode.EventTypeConnected:
		b.log.Info("slack: connected in Socket Mode")
		return nil
	case socketmode.EventTypeConnectionError:
		if e, ok := ev.Data.(*slack.ConnectionErrorEvent); ok {
			b.log.Warn("slack: cannot connect; trying again", "attempt", e.Attempt, "in", e.Backoff, "err", e.ErrorObj)
		}
		return nil
	case socketmode.EventTypeErrorBadMessage:
		// An envelope slack-go cannot read (an event type it does not
		// know): acknowledge it, or Slack sends it again and again.
		if e, ok := ev.Data.(*socketmode.ErrorBadMessage); ok {
			var env struct {
				ID string `json:"envelope_id"`
			}
			if json.Unmarshal(e.Message, &env) == nil && env.ID != "" {
				b.ack(ctx, client, env.ID)
			}
			b.log.Debug("slack: unreadable envelope", "err", e.Cause)
		}
		return nil
	case socketmode.EventTypeErrorWriteFailed:
		if e, ok := ev.Data.(*socketmode.ErrorWriteFailed); ok {
			b.log.Warn("slack: could not acknowledge an envelope", "err", e.Cause)
		}
		return nil
	case socketmode.EventTypeIncomingError:
		if e, ok := ev.Data.(*slack.IncomingEventError); ok {
			b.log.Debug("slack: socket read", "err", e.ErrorObj)
		}
		return nil
	default:
		return nil
	}
	req := ev.Request
	if req == nil {
		return nil
	}
	b.ack(ctx, client, req.EnvelopeID)
	keys := []string{key("envelope", req.EnvelopeID)}
	var j job
	switch data := ev.Data.(type) {
	case slackevents.EventsAPIEvent:
		if cb, ok := data.Data.(*slackevents.EventsAPICallbackEvent); ok {
			keys = append(keys, key("event", cb.EventID))
		}
		j = b.eventsAPI(data)
	case slack.InteractionCallback:
		keys = append(keys, key("trigger", data.TriggerID))
		j = b.interaction(data)
	case slack.SlashCommand:
		keys = append(keys, key("trigger", data.TriggerID))
		j = b.slashCommand(data)
	}
	if b.recent.add(b.now(), keys...) {
		b.log.Debug("slack: envelope already handled", "envelope", req.EnvelopeID, "retry", req.RetryAttempt)
		return nil
	}
	return j
}

// key names an id for the set of recent ones; "" (no id) is never a
// duplicate.
func key(kind, id string) string {
	if id == "" {
		return ""
	}
	return kind + ":" + id
}

func (b *Bot) ack(ctx context.Context, client *socketmode.Client, envelopeID string) {
	if envelopeID == "" {
		return
	}
	if err := client.AckCtx(ctx, envelopeID, nil); err != nil {
		b.log.Warn("slack: acknowledging an envelope", "envelope", envelopeID, "err", err)
	}
}

// debugLog passes slack-go's debug lines to the adapter's logger.
type debugLog struct{ b *Bot }

func (d debugLog) Output(_ int, s string) error {
	d.b.log.Debug("slack: socket mode", "msg", s)
	return nil
}

package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-telegram/bot"
)

// allowedUpdates lists the update kinds Dangol reads.
func allowedUpdates() []string { return []string{"message", "callback_query"} }

// runPolling long-polls getUpdates until ctx ends. The offset asked for
// confirms the updates before it to Telegram, so it only moves past an
// update once that update was handled; the first call asks from the oldest
// unconfirmed update and relies on the cursor to skip handled ones.
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
	var offset int64
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		updates, err := b.getUpdates(ctx, offset)
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
		// Each update is finished even when ctx ends meanwhile; the rest
		// of the batch is left for the next start.
		work := context.WithoutCancel(ctx)
		for _, raw := range updates {
			if ctx.Err() != nil {
				break
			}
			hctx, cancel := context.WithTimeout(work, handleTimeout)
			if err := b.processRaw(hctx, raw.data); err != nil {
				b.log.Error("telegram: skipping an update", "update", raw.id, "err", err)
			}
			cancel()
			offset = raw.id + 1
		}
	}
	return nil
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

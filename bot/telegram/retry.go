package telegram

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot"
)

// errClass says what to do about a failed Bot API call.
type errClass int

const (
	// transient: a network error or a 5xx answer; try again after a
	// growing pause.
	transient errClass = iota
	// rateLimited: a 429 answer; try again after the time Telegram asked.
	rateLimited
	// unreachable: the chat cannot receive messages (blocked, deleted,
	// migrated); do not retry, log once per chat.
	unreachable
	// permanent: any other refusal (bad request, unauthorized, …); do not
	// retry.
	permanent
)

// classify sorts a go-telegram/bot error. wait is Telegram's retry_after
// for rateLimited.
func classify(err error) (c errClass, wait time.Duration) {
	var tooMany *bot.TooManyRequestsError
	var migrate *bot.MigrateError
	var netErr net.Error
	switch {
	case errors.As(err, &tooMany):
		return rateLimited, max(time.Duration(tooMany.RetryAfter)*time.Second, time.Second)
	case errors.As(err, &migrate), errors.Is(err, bot.ErrorForbidden):
		return unreachable, 0
	case errors.Is(err, bot.ErrorBadRequest):
		msg := strings.ToLower(err.Error())
		if strings.Contains(msg, "chat not found") || strings.Contains(msg, "user not found") ||
			strings.Contains(msg, "bot was blocked") || strings.Contains(msg, "user is deactivated") {
			return unreachable, 0
		}
		return permanent, 0
	case errors.Is(err, bot.ErrorUnauthorized), errors.Is(err, bot.ErrorNotFound), errors.Is(err, bot.ErrorConflict):
		return permanent, 0
	case errors.Is(err, context.Canceled):
		return permanent, 0
	case errors.As(err, &netErr):
		return transient, 0
	}
	// go-telegram/bot reports other error codes as
	// "error response from telegram for method M, CODE DESCRIPTION".
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, "error response from telegram for method "); ok {
		if _, rest, ok = strings.Cut(rest, ", "); ok {
			codeText, _, _ := strings.Cut(rest, " ")
			if code, cerr := strconv.Atoi(codeText); cerr == nil && code < 500 {
				return permanent, 0
			}
		}
	}
	// 5xx answers, proxies' HTML error pages, dropped connections.
	return transient, 0
}

// retry calls call until it succeeds, fails for good, or maxAttempts calls
// failed. It honours 429's retry_after (up to maxWait) and backs off
// exponentially, with jitter, on transient errors; it stops when ctx ends.
// The last error is returned.
func (b *Bot) retry(ctx context.Context, call func(context.Context) error) error {
	backoff := firstBackoff
	for attempt := 1; ; attempt++ {
		err := call(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || attempt >= maxAttempts {
			return err
		}
		class, wait := classify(err)
		switch class {
		case rateLimited:
			if wait > maxWait {
				return err
			}
		case transient:
			wait = backoff/2 + rand.N(backoff/2+1)
			backoff = min(backoff*2, maxBackoff)
		default:
			return err
		}
		if b.sleep(ctx, wait) != nil {
			return err
		}
	}
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

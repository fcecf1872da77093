package telegram

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/go-telegram/bot"
)

// maxUpdateBody bounds a webhook request body.
const maxUpdateBody = 1 << 20

// runWebhook serves Telegram's update posts on Config.Listen until ctx
// ends, after registering Config.Webhook with setWebhook. Telegram is
// asked for one connection at a time and gets its 200 only once the update
// was handled, so an update cut short by a crash is posted again; an
// update that failed for a passing reason, after a few quick tries, gets
// 503 and is posted again later.
func (b *Bot) runWebhook(ctx context.Context) error {
	u, err := url.Parse(b.cfg.Webhook)
	if err != nil {
		return fmt.Errorf("telegram: webhook URL: %w", err)
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	ln, err := net.Listen("tcp", b.cfg.Listen)
	if err != nil {
		return fmt.Errorf("telegram: webhook: %w", err)
	}
	addr := ln.Addr().String()
	b.addr.Store(&addr)
	var stopping atomic.Bool
	srv := &http.Server{
		Handler:           b.webhookHandler(path, &stopping),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      handleTimeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(b.log.Handler(), slog.LevelDebug),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	shutdown := func() error {
		stopping.Store(true)
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return fmt.Errorf("telegram: webhook shutdown: %w", err)
		}
		return nil
	}

	err = b.retry(ctx, func(ctx context.Context) error {
		_, err := b.tg.SetWebhook(ctx, &bot.SetWebhookParams{URL: b.cfg.Webhook, SecretToken: b.cfg.Secret,
			MaxConnections: 1, AllowedUpdates: allowedUpdates()})
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return shutdown()
		}
		return errors.Join(fmt.Errorf("telegram: setWebhook: %w", err), shutdown())
	}
	b.log.Info("telegram: webhook set", "bot", b.me.Username, "listen", addr)
	select {
	case <-ctx.Done():
		return shutdown()
	case err := <-served:
		return fmt.Errorf("telegram: webhook server: %w", err)
	}
}

// webhookHandler answers Telegram's posts to path: each must carry the
// secret token; its update is handled before the answer.
func (b *Bot) webhookHandler(path string, stopping *atomic.Bool) http.Handler {
	secret := []byte(b.cfg.Secret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.EscapedPath() != path {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if len(secret) == 0 || subtle.ConstantTimeCompare(got, secret) != 1 {
			b.log.Debug("telegram: webhook request without the secret token", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBody))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if stopping.Load() {
			// Telegram posts it again after the restart.
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		u, err := decodeUpdate(body)
		if err != nil {
			// Answered with 200 all the same: posting it again would not help.
			b.log.Error("telegram: skipping a webhook update", "err", err)
			w.WriteHeader(http.StatusOK)
			return
		}
		// Telegram posts one update at a time (max_connections 1); this
		// keeps a chat's updates in order even if it did not.
		b.webhookMu.Lock()
		defer b.webhookMu.Unlock()
		backoff := firstBackoff
		for attempt := 1; ; attempt++ {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), handleTimeout)
			transient := b.process(ctx, u)
			cancel()
			if !transient {
				w.WriteHeader(http.StatusOK)
				return
			}
			if attempt >= webhookTries || stopping.Load() || b.sleep(r.Context(), backoff) != nil {
				// Not handled, for a passing reason: Telegram posts it again later.
				b.log.Warn("telegram: a webhook update failed for now; Telegram will post it again", "update", u.ID)
				http.Error(w, "try again later", http.StatusServiceUnavailable)
				return
			}
			backoff = min(2*backoff, maxBackoff)
		}
	})
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/dangol/dangol/bot/slack"
	"github.com/dangol/dangol/bot/telegram"
	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/storage"
)

// runMessengers runs the configured messenger adapters and the digest
// schedule until ctx is cancelled (SIGINT/SIGTERM), then lets each finish
// what it has in hand.
func runMessengers(ctx context.Context, cfg Config, db *storage.DB, engine *conversation.Engine, shop crm.Shop, stdout io.Writer, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	senders := map[string]conversation.Sender{}
	var runs []func(context.Context) error
	var setup []func(code string) string

	if t := cfg.Telegram; t.Token != "" {
		tg, err := telegram.New(ctx, telegram.Config{Token: t.Token, APIURL: t.APIURL, Webhook: t.Webhook,
			Listen: t.Listen, Secret: t.Secret, Handler: engine, Cursors: db, Log: log})
		if err != nil {
			return err
		}
		if t.OwnerID != "" {
			if err := db.AddMember(ctx, crm.Member{ShopID: shop.ID, Platform: "telegram", UserID: t.OwnerID,
				Role: crm.RoleOwner}); err != nil {
				return fmt.Errorf("DANGOL_OWNER_TELEGRAM_ID: %w", err)
			}
		}
		senders["telegram"] = tg
		runs = append(runs, tg.Run)
		setup = append(setup, func(code string) string { return engine.SetupMessage(shop, code, "@"+tg.Username()) })
	}

	if s := cfg.Slack; s.AppToken != "" || s.BotToken != "" {
		sl, err := slack.New(ctx, slack.Config{AppToken: s.AppToken, BotToken: s.BotToken, APIURL: s.APIURL,
			Handler: engine, Settings: db, Log: log})
		if err != nil {
			return err
		}
		senders[slack.Platform] = sl
		runs = append(runs, sl.Run)
		setup = append(setup, func(code string) string { return sl.SetupMessage(shop, code) })
	}

	// The owner's setup code is printed at start, the same one until it is
	// used or expires; then a new one is printed.
	cat := engine.Catalog()
	announce := func(code string, until time.Time) {
		for _, say := range setup {
			msg := say(code) + "\n" + cat.T(shop.Lang, "setup.until", map[string]any{
				"Until": until.In(shop.Location()).Format("2006-01-02 15:04")})
			fmt.Fprintln(stdout, msg)
			log.Warn(msg)
		}
	}
	code, until, ok, err := engine.OwnerCode(ctx, shop)
	if err != nil {
		return err
	}
	if ok {
		announce(code, until)
		runs = append(runs, func(ctx context.Context) error {
			return renewSetupCode(ctx, engine, shop, code, until, announce, log)
		})
	}

	sched := conversation.NewScheduler(engine, senders, log)
	runs = append(runs, sched.Run)
	// The outbox is the only way messages reach customers.
	runs = append(runs, conversation.NewOutbox(engine, senders, log).Run)
	// Ledger files sent in the chat are imported in the background.
	runs = append(runs, conversation.NewImports(engine, log).Run)
	if cfg.BackupDir != "" {
		runs = append(runs, func(ctx context.Context) error {
			return runBackups(ctx, db, cfg.BackupDir, cfg.BackupKeep, shop.Location(), log)
		})
	}
	var wg sync.WaitGroup
	errs := make([]error, len(runs))
	for i, run := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[i] = run(ctx); errs[i] != nil {
				cancel() // one adapter failing stops the others: no half-running bot
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// setupCheck is how often a waiting setup code is looked at again.
const setupCheck = time.Hour

// renewSetupCode waits while the shop has no owner; whenever its setup
// code expires unused, a new one is made and announced. It returns when
// the shop has an owner or ctx ends.
func renewSetupCode(ctx context.Context, engine *conversation.Engine, shop crm.Shop, code string, until time.Time,
	announce func(string, time.Time), log *slog.Logger) error {
	for {
		wait := min(setupCheck, max(time.Until(until), time.Second))
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		next, nextUntil, ok, err := engine.OwnerCode(ctx, shop)
		switch {
		case err != nil:
			log.Error("setup code", "err", err)
			continue
		case !ok:
			return nil // claimed
		case next != code:
			announce(next, nextUntil)
		}
		code, until = next, nextUntil
	}
}

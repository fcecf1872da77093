package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"

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

	code, ok, err := engine.SetupCode(ctx, shop)
	if err != nil {
		return err
	}
	if ok {
		for _, say := range setup {
			msg := say(code)
			fmt.Fprintln(stdout, msg)
			log.Warn(msg)
		}
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

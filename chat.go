package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/bot/console"
	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
	"github.com/dangol/dangol/storage"
	"github.com/dangol/dangol/weather"
)

// Config is how one dangol process runs, read from flags and environment.
type Config struct {
	DB       string
	Now      time.Time // zero: the real clock
	Lang     string
	ShopName string
	TimeZone string
	LogLevel string
	Demo     bool
	// DemoDB is where a demo keeps its database when --db is given: a new
	// file, kept after exit. "": a temporary one.
	DemoDB string

	BotName string // the Telegram bot's username, for /qr on the console

	// Spool is where ledger files sent in the chat wait for their import
	// ("": a folder next to the database).
	Spool string
	// BackupDir, when set, gets a backup of the database every night while
	// a messenger runs; BackupKeep of them are kept.
	BackupDir  string
	BackupKeep int

	Telegram TelegramConfig
	Slack    SlackConfig
	Weather  WeatherConfig
}

// WeatherConfig is the forecast weather rules read; no provider means
// none.
type WeatherConfig struct {
	Provider string // "kma", "open-meteo" or ""
	Key      string
	URL      string // another endpoint (a test server)
}

// weatherFromEnv reads the forecast's configuration.
func weatherFromEnv(getenv func(string) string) WeatherConfig {
	return WeatherConfig{Provider: getenv("DANGOL_WEATHER"), Key: getenv("DANGOL_WEATHER_KEY"), URL: getenv("DANGOL_WEATHER_URL")}
}

// provider returns the configured forecast, nil when none.
func (w WeatherConfig) provider() (crm.WeatherProvider, error) {
	return weather.New(weather.Config{Provider: w.Provider, Key: w.Key, BaseURL: w.URL})
}

// SlackConfig is how to reach Slack; no tokens means no Slack.
type SlackConfig struct {
	AppToken string
	BotToken string
	APIURL   string
}

// TelegramConfig is how to reach Telegram; an empty Token means no
// Telegram.
type TelegramConfig struct {
	Token   string
	APIURL  string
	Webhook string
	Listen  string
	Secret  string
	OwnerID string // a Telegram user id made owner at start, for scripted setups
}

// messengers reports whether any messenger adapter is configured.
func (c *Config) messengers() bool {
	return c.Telegram.Token != "" || c.Slack.AppToken != "" || c.Slack.BotToken != ""
}

// Validate checks c and fills defaults.
func (c *Config) Validate() error {
	if c.DB == "" {
		c.DB = "dangol.db"
	}
	switch c.Lang {
	case "":
		c.Lang = crm.LangKorean
	case crm.LangKorean, crm.LangEnglish:
	default:
		return fmt.Errorf("--lang must be ko or en, not %q", c.Lang)
	}
	if c.TimeZone == "" {
		c.TimeZone = crm.DefaultTimeZone
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return fmt.Errorf("--tz %q: %w", c.TimeZone, err)
	}
	if c.Demo && c.messengers() {
		return errors.New("dangol demo runs on the console only: unset TELEGRAM_BOT_TOKEN and SLACK_*_TOKEN")
	}
	if c.Demo && c.DemoDB != "" {
		if _, err := os.Stat(c.DemoDB); err == nil {
			return fmt.Errorf("dangol demo --db %s: the file exists; the demo makes a new database (open an existing one with dangol --db %s)",
				c.DemoDB, c.DemoDB)
		}
	}
	if c.Telegram.Webhook != "" && c.Telegram.Secret == "" {
		return errors.New("--telegram-webhook needs a secret: set TELEGRAM_WEBHOOK_SECRET")
	}
	if _, err := c.Weather.provider(); err != nil {
		return fmt.Errorf("DANGOL_WEATHER: %w", err)
	}
	if c.Spool == "" {
		c.Spool = strings.TrimSuffix(c.DB, filepath.Ext(c.DB)) + "-imports"
	}
	if c.BackupKeep == 0 {
		c.BackupKeep = defaultBackupKeep
	}
	if c.BackupKeep < 1 {
		return fmt.Errorf("--backup-keep must be at least 1, not %d", c.BackupKeep)
	}
	return nil
}

// clock returns a Now function starting at start and running forward.
func clock(start time.Time) func() time.Time {
	if start.IsZero() {
		return time.Now
	}
	t0 := time.Now()
	return func() time.Time { return start.Add(time.Since(t0)) }
}

func parseChatFlags(args []string, getenv func(string) string, stderr io.Writer, demo bool) (Config, error) {
	cfg := Config{Demo: demo}
	name := "dangol"
	if demo {
		name = "dangol demo"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }
	dbDefault := getenv("DANGOL_DB")
	if demo {
		dbDefault = "" // a demo never opens the shop's own database unasked
	}
	fs.StringVar(&cfg.DB, "db", dbDefault, "")
	now := fs.String("now", "", "")
	fs.StringVar(&cfg.Lang, "lang", getenv("DANGOL_LANG"), "")
	fs.StringVar(&cfg.ShopName, "shop", getenv("DANGOL_SHOP"), "")
	fs.StringVar(&cfg.TimeZone, "tz", getenv("DANGOL_TZ"), "")
	fs.StringVar(&cfg.LogLevel, "log-level", getenv("DANGOL_LOG_LEVEL"), "")
	cfg.BotName = strings.TrimPrefix(getenv("DANGOL_BOT_NAME"), "@")
	cfg.Telegram.Token = getenv("TELEGRAM_BOT_TOKEN")
	cfg.Telegram.Secret = getenv("TELEGRAM_WEBHOOK_SECRET")
	cfg.Telegram.OwnerID = getenv("DANGOL_OWNER_TELEGRAM_ID")
	fs.StringVar(&cfg.Telegram.APIURL, "telegram-api", getenv("TELEGRAM_API_URL"), "")
	fs.StringVar(&cfg.Telegram.Webhook, "telegram-webhook", getenv("TELEGRAM_WEBHOOK_URL"), "")
	fs.StringVar(&cfg.Telegram.Listen, "telegram-listen", getenv("TELEGRAM_LISTEN"), "")
	cfg.Weather = weatherFromEnv(getenv)
	cfg.Slack.AppToken = getenv("SLACK_APP_TOKEN")
	cfg.Slack.BotToken = getenv("SLACK_BOT_TOKEN")
	fs.StringVar(&cfg.Slack.APIURL, "slack-api", getenv("SLACK_API_URL"), "")
	fs.StringVar(&cfg.Spool, "spool", getenv("DANGOL_SPOOL"), "")
	fs.StringVar(&cfg.BackupDir, "backup-dir", getenv("DANGOL_BACKUP_DIR"), "")
	keep := fs.String("backup-keep", getenv("DANGOL_BACKUP_KEEP"), "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, err
		}
		return cfg, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", name, fs.Arg(0))
		return cfg, errUsage
	}
	if demo {
		cfg.DemoDB, cfg.DB = cfg.DB, ""
	}
	if *keep != "" {
		n, err := strconv.Atoi(*keep)
		if err != nil {
			return cfg, fmt.Errorf("--backup-keep must be a whole number, not %q", *keep)
		}
		cfg.BackupKeep = n
	}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return cfg, fmt.Errorf("--now must be RFC3339 like 2026-11-26T10:00:00+09:00: %w", err)
		}
		cfg.Now = t
	}
	return cfg, cfg.Validate()
}

// runChat opens the chat on the configured database (or a demo one).
func runChat(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, demo bool) error {
	cfg, err := parseChatFlags(args, getenv, stderr, demo)
	if err != nil {
		return err
	}
	log, err := newLogger(stderr, cfg.LogLevel)
	if err != nil {
		return err
	}
	now := clock(cfg.Now)
	filesDir := filepath.Dir(cfg.DB)
	if demo {
		// The demo's database is temporary unless --db names one; the
		// files it makes (poster, "my data") stay where they can be
		// opened after it ends.
		cfg.DB = cfg.DemoDB
		if cfg.DB == "" {
			dir, err := os.MkdirTemp("", "dangol-demo-")
			if err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			defer os.RemoveAll(dir)
			cfg.DB = filepath.Join(dir, "demo.db")
			filesDir = filepath.Join(os.TempDir(), "dangol-demo")
		} else {
			filesDir = filepath.Dir(cfg.DB)
		}
		if filesDir, err = filepath.Abs(filesDir); err == nil {
			err = os.MkdirAll(filesDir, 0o700)
		}
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	db, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	cat, err := locales.New()
	if err != nil {
		return err
	}
	var shop crm.Shop
	switch {
	case demo:
		shop, err = seedDemo(ctx, db, cfg, now())
	case cfg.messengers():
		shop, err = ensureShop(ctx, db, cfg, now())
	default:
		shop, err = consoleShop(ctx, db, cfg, now())
	}
	if err != nil {
		return err
	}
	forecast, err := cfg.Weather.provider()
	if err != nil {
		return err
	}
	engine, err := conversation.New(conversation.Config{Store: db, Catalog: cat, Now: now, Log: log,
		BotName: cfg.BotName, Weather: forecast, SpoolDir: cfg.Spool})
	if err != nil {
		return err
	}
	if cfg.messengers() {
		return runMessengers(ctx, cfg, db, engine, shop, stdout, log)
	}
	// The console delivers the outbox's messages itself, after each line
	// and when the input ends, so a script's output is in order.
	senders := map[string]conversation.Sender{}
	outbox := conversation.NewOutbox(engine, senders, log)
	con, err := console.New(console.Config{Handler: engine, In: stdin, Out: stdout, UserID: consoleOwner,
		Lang: shop.Lang, Prompt: isTerminal(stdin), Log: log, Deliver: outbox.DeliverDue, Dir: filesDir})
	if err != nil {
		return err
	}
	senders[console.Platform] = con
	if !isTerminal(stdin) {
		// Scripts get answers only: no scheduled digest in between.
		return con.Run(ctx)
	}
	fmt.Fprintln(stdout, cat.T(shop.Lang, "console.welcome", map[string]any{"Shop": shop.Name}))
	if demo {
		fmt.Fprintln(stdout, cat.T(shop.Lang, "console.demo_files", map[string]any{"Dir": filesDir}))
	}
	// The morning digest is pushed only here, in an interactive console:
	// a piped script gets answers and nothing in between.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sched := conversation.NewScheduler(engine, map[string]conversation.Sender{console.Platform: con}, log)
	go func() {
		if err := sched.Run(ctx); err != nil {
			log.Error("digest schedule", "err", err)
		}
	}()
	go func() {
		if err := outbox.Run(ctx); err != nil {
			log.Error("outbox", "err", err)
		}
	}()
	return con.Run(ctx)
}

// consoleOwner is the console typist's member id.
const consoleOwner = "owner"

// ensureShop returns the database's first shop, creating it on a new
// database.
func ensureShop(ctx context.Context, db *storage.DB, cfg Config, now time.Time) (crm.Shop, error) {
	shops, err := db.Shops(ctx)
	if err != nil {
		return crm.Shop{}, err
	}
	if len(shops) > 0 {
		return shops[0], nil
	}
	name := cfg.ShopName
	if name == "" {
		name = "My shop"
		if cfg.Lang == crm.LangKorean {
			name = "우리 가게"
		}
	}
	return db.CreateShop(ctx, crm.Shop{Name: name, Lang: cfg.Lang, TimeZone: cfg.TimeZone, CreatedAt: now})
}

// consoleShop returns the shop the console works on, with the console
// typist as its owner.
func consoleShop(ctx context.Context, db *storage.DB, cfg Config, now time.Time) (crm.Shop, error) {
	shop, err := ensureShop(ctx, db, cfg, now)
	if err != nil {
		return crm.Shop{}, err
	}
	err = db.AddMember(ctx, crm.Member{ShopID: shop.ID, Platform: console.Platform, UserID: consoleOwner,
		Name: "owner", Role: crm.RoleOwner, CreatedAt: now})
	return shop, err
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	// /dev/null is a character device too, but nobody types there.
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(st, null)
}

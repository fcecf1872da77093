// Package slack is Dangol's Slack adapter, for shops whose owner and staff
// talk in a Slack workspace. It connects in Socket Mode (no public URL),
// turns direct messages, mentions and button presses into conversation
// messages, shows the engine's replies with Block Kit buttons (replacing
// the pressed message when a reply asks for it) and posts the morning
// digest to the channel the owner chose, or to each member directly.
// Customers never use the shop's Slack.
//
// The Slack app needs Socket Mode and Interactivity turned on, an
// app-level token with connections:write (SLACK_APP_TOKEN, xapp-…), and a
// bot token (SLACK_BOT_TOKEN, xoxb-…) with the scopes chat:write, im:history,
// im:write, app_mentions:read and users:read (names and languages;
// optional), channels:read and groups:read (to find a digest channel
// written as "#name"; optional) and channels:join (to join a public digest
// channel; optional). Bot events: message.im and app_mention. The App
// Home's Messages tab must accept messages. A slash command /dangol is
// optional: "/dangol undo" is "undo", "/dangol Kim, croissant" a note; its
// answers come as direct messages.
//
// Who is who. A Slack user is conversation.Message{Platform: "slack",
// UserID: their Slack user id}. Whoever sends the setup code ("claim
// 1234-5678", see SetupMessage) owns the shop; staff join with an
// invitation code ("join …"). Everyone else in the workspace gets the
// engine's short introduction and sees no customer data.
//
// Where answers go. A direct message is answered in the same direct
// message; a mention in a channel ("@Dangol Kim?") is answered in the
// message's thread, where everyone in the channel can read it. A reply to
// a pressed button replaces the pressed message when the engine says so
// (chat.update), and otherwise follows it: in direct messages below it, in
// channels in its thread.
//
// Commands. Slack keeps messages starting with "/" for its own slash
// commands, so a message whose first word is a command name is that
// command: "undo", "customer Kim", "claim 1234-5678", "settings
// digest-channel #counter" (see asCommand for the few exceptions that keep
// notes such as "오늘 김민지 크루아상" notes). In Dangol's own texts the
// slash before command names is left out for the same reason.
//
// Delivery. Every Socket Mode envelope is acknowledged as soon as it
// arrives, before it is handled; handling then happens one envelope at a
// time, in order of arrival, on a single worker. Slack delivers again what
// it believes was not acknowledged: the same envelope, or the same event
// in a new envelope (with retry_attempt set). The adapter keeps the ids of
// the last 1,000 envelopes, events and interactions of the last ten
// minutes in memory and handles each only once; that covers Slack's
// retries, which all come within minutes. Nothing is stored for this: Slack
// event ids are not ordered, so there is no cursor to keep, and after a
// restart Slack has no unacknowledged envelopes of the old connection left
// to send. A button pressed twice before its message changed (a double
// click) is handed to the engine once: the adapter remembers which buttons
// each message it replaced shows now. On shutdown the envelopes already
// acknowledged are still handled, for at most ten seconds.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
)

// Platform is the platform name Slack members are stored under.
const Platform = "slack"

// Handler answers messages; *conversation.Engine is one.
type Handler interface {
	Handle(ctx context.Context, m conversation.Message) ([]conversation.Reply, error)
	Catalog() *locales.Catalog
}

// Config is what the adapter needs.
type Config struct {
	AppToken string // SLACK_APP_TOKEN, an app-level token (xapp-…)
	BotToken string // SLACK_BOT_TOKEN, the bot user's token (xoxb-…)
	// APIURL is the Slack Web API base URL; empty means Slack's
	// (https://slack.com/api/). A missing trailing slash is added. The
	// Socket Mode websocket address comes from apps.connections.open.
	APIURL   string
	Handler  Handler
	Settings crm.SettingStore // where the engine keeps the digest channel
	Log      *slog.Logger
	// PingInterval is how long the Socket Mode connection may go without a
	// ping from Slack before it is opened again (default 30 s).
	PingInterval time.Duration
	// HTTPClient makes the Web API calls (default: a 30 s timeout).
	HTTPClient *http.Client
}

// Tuning.
const (
	recentMax      = 1000             // envelope, event and interaction ids kept
	recentTTL      = 10 * time.Minute // how long they are kept
	queueSize      = 256              // acknowledged envelopes waiting for the worker
	handleTimeout  = 2 * time.Minute  // for one envelope
	drainTimeout   = 10 * time.Second // to finish acknowledged envelopes on shutdown
	requestTimeout = 30 * time.Second
	maxAttempts    = 4
	maxWait        = 30 * time.Second // longest rate-limit pause honoured
	userTTL        = time.Hour        // how long a user's name and language are kept
	cacheMax       = 4096             // users, direct message channels, channel names
	// Block Kit limits.
	maxSectionText = 3000
	maxButtonText  = 75
	maxActionID    = 255
	maxValue       = 2000
	maxPerActions  = 25
	maxBlocks      = 50
	maxAltText     = 1000 // an uploaded image's alt text
)

// Bot is a Slack app answering with a Handler. Send and SendShop may be
// called at any time, also while Run runs.
type Bot struct {
	cfg     Config
	api     *slack.Client
	log     *slog.Logger
	cat     *locales.Catalog
	userID  string // the bot user
	botID   string
	name    string // the bot user's name
	running atomic.Bool
	now     func() time.Time

	// Owned by Run's reader loop.
	recent *recent
	// Owned by Run's worker.
	keyboards *keyboards

	mu       sync.Mutex
	users    map[string]userInfo // by user id
	dms      map[string]string   // user id → direct message channel id
	channels map[string]string   // lower-case channel name → id
}

type userInfo struct {
	name, lang string
	at         time.Time
}

// New checks cfg and the tokens' kinds, and asks Slack who the bot is
// (auth.test). Errors name the environment variable to fix.
func New(ctx context.Context, cfg Config) (*Bot, error) {
	if cfg.Handler == nil || cfg.Settings == nil {
		return nil, errors.New("slack: handler and settings store are required")
	}
	cfg.AppToken = strings.TrimSpace(cfg.AppToken)
	cfg.BotToken = strings.TrimSpace(cfg.BotToken)
	if err := checkTokens(cfg.AppToken, cfg.BotToken); err != nil {
		return nil, err
	}
	cfg.APIURL = strings.TrimSpace(cfg.APIURL)
	if cfg.APIURL == "" {
		cfg.APIURL = slack.APIURL
	}
	if u, err := url.Parse(cfg.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("slack: API URL %q is not an http(s) URL (--slack-api, SLACK_API_URL)", cfg.APIURL)
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		// slack-go appends the method name ("auth.test") to it.
		cfg.APIURL += "/"
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: requestTimeout}
	}
	api := slack.New(cfg.BotToken,
		slack.OptionAppLevelToken(cfg.AppToken),
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionHTTPClient(cfg.HTTPClient),
	)
	b := &Bot{
		cfg:       cfg,
		api:       api,
		log:       cfg.Log.With("adapter", Platform),
		cat:       cfg.Handler.Catalog(),
		now:       time.Now,
		recent:    newRecent(recentMax, recentTTL),
		keyboards: newKeyboards(cacheMax),
		users:     map[string]userInfo{},
		dms:       map[string]string{},
		channels:  map[string]string{},
	}
	var who *slack.AuthTestResponse
	err := b.call(ctx, func(ctx context.Context) error {
		var err error
		who, err = api.AuthTestContext(ctx)
		return err
	})
	var slackErr slack.SlackErrorResponse
	switch {
	case errors.As(err, &slackErr):
		return nil, fmt.Errorf("slack: Slack rejected SLACK_BOT_TOKEN (auth.test: %w)", err)
	case err != nil:
		return nil, fmt.Errorf("slack: checking SLACK_BOT_TOKEN with auth.test at %s: %w", cfg.APIURL, err)
	case who.UserID == "":
		return nil, errors.New("slack: auth.test did not say who the bot is; is SLACK_BOT_TOKEN a bot token (xoxb-…)?")
	}
	b.userID, b.botID, b.name = who.UserID, who.BotID, who.User
	return b, nil
}

// checkTokens checks that the tokens are of the kinds Socket Mode needs.
func checkTokens(app, bot string) error {
	var errs []error
	switch {
	case app == "":
		errs = append(errs, errors.New("SLACK_APP_TOKEN is empty: create an app-level token (xapp-…) with connections:write under Basic Information → App-Level Tokens"))
	case strings.HasPrefix(app, "xoxb-"):
		errs = append(errs, errors.New("SLACK_APP_TOKEN holds a bot token (xoxb-…); it must be the app-level token (xapp-…) — are the two swapped?"))
	case !strings.HasPrefix(app, "xapp-"):
		errs = append(errs, errors.New("SLACK_APP_TOKEN must be an app-level token starting with xapp-"))
	}
	switch {
	case bot == "":
		errs = append(errs, errors.New("SLACK_BOT_TOKEN is empty: install the app and copy the Bot User OAuth Token (xoxb-…)"))
	case strings.HasPrefix(bot, "xapp-"):
		errs = append(errs, errors.New("SLACK_BOT_TOKEN holds an app-level token (xapp-…); it must be the bot token (xoxb-…) — are the two swapped?"))
	case !strings.HasPrefix(bot, "xoxb-"):
		errs = append(errs, errors.New("SLACK_BOT_TOKEN must be a bot token starting with xoxb-"))
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("slack: %w", errors.Join(errs...))
}

// UserID returns the bot's Slack user id.
func (b *Bot) UserID() string { return b.userID }

// Name returns the bot user's name, as auth.test gave it.
func (b *Bot) Name() string { return b.name }

// SetupMessage is the line that tells the operator how to claim shop in
// Slack with the owner's setup code.
func (b *Bot) SetupMessage(shop crm.Shop, code string) string {
	bot := "@" + b.name
	if b.name == "" {
		bot = "Dangol"
	}
	return b.cat.T(shop.Lang, "slack.setup", map[string]any{"Code": code, "Bot": bot, "Shop": shop.Name})
}

// call runs a Web API call, again after a pause when Slack asks to slow
// down (for at most maxWait) or answers with a server error.
func (b *Bot) call(ctx context.Context, fn func(ctx context.Context) error) error {
	pause := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil || attempt == maxAttempts {
			return err
		}
		var wait time.Duration
		var limited *slack.RateLimitedError
		var status slack.StatusCodeError
		switch {
		case errors.As(err, &limited):
			wait = max(limited.RetryAfter, time.Second)
		case errors.As(err, &status) && status.Code >= 500:
			wait, pause = pause, pause*2
		default:
			return err
		}
		if wait > maxWait {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

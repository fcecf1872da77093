// Package telegram is Dangol's Telegram adapter. It turns Telegram updates
// into conversation messages, shows the engine's replies (buttons as inline
// keyboards, edits in place when a button asks for it) and keeps the
// engine's promise that a note is recorded exactly once, and confirmed.
//
// Delivery. Telegram delivers updates at least once. The adapter handles
// the updates of one chat strictly in order, one at a time, and those of
// different chats side by side (at most maxWorkers at once), so a long
// file in one chat does not hold up the others. Each update's id goes to
// the engine as a crm.Cursor named after the bot and the chat, which the
// engine stores in the same SQLite transaction as whatever the update
// did, together with the replies (Message.Route): a crash between the
// commit and the replies loses neither, since the adapter sends the unsent
// replies when it starts. An update at or below its chat's stored cursor
// was handled and is skipped, so a restart or a redelivery never records a
// note twice. In long polling mode the adapter runs its own getUpdates
// loop: the offset it asks for confirms every update before it to
// Telegram, and it only ever moves past updates that were durably handled
// (or deliberately ignored); the others come again after a restart. In
// webhook mode Telegram gets its 200 only after the update was handled
// (and is asked for one connection at a time), so an update whose handling
// was cut short is posted again.
//
// Failures. When the engine fails for a passing reason (the database was
// locked or busy, a disk error, time ran out: conversation.IsTemporary),
// the update is not skipped: its chat tries it again with a growing pause,
// telling the person once that saving is slow, while other chats go on; in
// webhook mode Telegram is answered 503 after a few quick tries and posts
// it again. The "nothing was saved" answer is for input that can never be
// saved.
//
// Telegram picks a random new update id after a week without updates; the
// new id may be below a stored cursor. Only ids at most duplicateWindow
// below a cursor are taken for duplicates, so such a reset does not
// silence the bot.
//
// Floods. A chat that sends many messages at once (a backlog after a
// restart, a burst of notes) has every note recorded; only its replies
// slow down: while more of its updates wait, plain confirmations are
// gathered into one message (coalesced, without their buttons). Someone the
// shop does not know (neither a member nor a customer) who sends more than
// floodLimit messages within floodWindow, counted by the messages' own
// dates, gets one notice and is then ignored until the window has passed;
// such people never write records.
//
// Groups. Private chats are the main use. In groups and supergroups the
// adapter answers only commands without a bot name or addressed to this bot
// ("/undo@DangolBot"), messages that mention the bot and replies to the
// bot's own messages, and answers in the same chat (and topic). Everyone in
// the group sees those answers.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
)

// Platform is the platform name Telegram members are stored under.
const Platform = "telegram"

// Handler answers messages; *conversation.Engine is one.
type Handler interface {
	Handle(ctx context.Context, m conversation.Message) ([]conversation.Reply, error)
	Commands(lang string) []conversation.Button
	Catalog() *locales.Catalog
}

// CursorStore reads the stored position of an update stream; *storage.DB
// is one. The engine writes it (conversation.Message.Cursor).
type CursorStore interface {
	Cursor(ctx context.Context, name string) (int64, error)
}

// ReplyStore keeps the replies the engine stored with an update until
// they are delivered; *storage.DB is one.
type ReplyStore interface {
	UnsentReplies(ctx context.Context, prefix string) ([]crm.UnsentReply, error)
	MarkReplySent(ctx context.Context, stream string, update int64) error
}

// Config is what the adapter needs.
type Config struct {
	Token string
	// APIURL is the Bot API server, without a trailing slash; empty means
	// Telegram's (https://api.telegram.org).
	APIURL string
	// Webhook, when set, is the public HTTPS URL Telegram posts updates to
	// (setWebhook); empty means long polling.
	Webhook string
	// Listen is the address the webhook server listens on (default
	// ":8443"). It serves the path of Webhook.
	Listen string
	// Secret is the webhook's secret token (1–256 of A–Z a–z 0–9 _ -),
	// required with Webhook; requests without it are refused.
	Secret  string
	Handler Handler
	Cursors CursorStore
	// Replies delivers the replies stored with updates; nil means Cursors
	// when it is a ReplyStore too, else replies are not stored.
	Replies ReplyStore
	Log     *slog.Logger
	// Now is the adapter's clock (default time.Now).
	Now func() time.Time
	// PollTimeout is how long one getUpdates call waits for updates
	// (default 50 s; at least 1 s).
	PollTimeout time.Duration
}

// Tuning. floodLimit messages per floodWindow from a stranger; retries
// of Bot API calls give up after maxAttempts or when Telegram asks to wait
// longer than maxWait; a failed update is tried again after a pause
// growing from firstBackoff to maxBackoff, and the person told after
// slowNotice tries; maxWorkers updates are handled at once; replies are
// coalesced while at least coalesceBacklog more updates of the chat wait,
// up to coalesceMax of them or coalesceFor.
const (
	floodLimit      = 20
	floodWindow     = 10 * time.Second
	slowNotice      = 3
	maxWorkers      = 8
	coalesceBacklog = 4
	coalesceMax     = 30
	coalesceFor     = 5 * time.Second
	webhookTries    = 4
	maxAttempts     = 5
	maxWait         = time.Minute
	firstBackoff    = 500 * time.Millisecond
	maxBackoff      = 30 * time.Second
	handleTimeout   = 2 * time.Minute
	requestTimeout  = 30 * time.Second
	duplicateWindow = 1000
	defaultListen   = ":8443"
	defaultPoll     = 50 * time.Second
	// maxCallbackData is Telegram's limit for callback_data, in bytes.
	maxCallbackData = 64
)

// api is the part of the Bot API the adapter calls per update;
// *bot.Bot is one. Tests and benchmarks put a fake in its place.
type api interface {
	SendMessage(ctx context.Context, p *bot.SendMessageParams) (*models.Message, error)
	EditMessageText(ctx context.Context, p *bot.EditMessageTextParams) (*models.Message, error)
	AnswerCallbackQuery(ctx context.Context, p *bot.AnswerCallbackQueryParams) (bool, error)
}

// Bot is a Telegram bot answering with a Handler.
type Bot struct {
	cfg        Config
	tg         *bot.Bot
	api        api
	log        *slog.Logger
	cat        *locales.Catalog
	me         models.User
	cursorName string
	poller     *http.Client
	sleep      func(ctx context.Context, d time.Duration) error
	running    atomic.Bool
	replies    ReplyStore // nil: replies are not stored

	// mu guards the fields below.
	mu        sync.Mutex
	legacy    int64           // the bot-wide cursor of older versions
	cursors   map[int64]int64 // chat → its latest handled update
	flood     *flood
	keyboards *keyboards
	// webhookMu serialises the updates Telegram posts.
	webhookMu sync.Mutex

	// unreachable holds the chats whose permanent delivery error was
	// logged, so it is logged once.
	unreachableMu sync.Mutex
	unreachable   map[int64]bool

	// addr is where the webhook server listens, once it does.
	addr atomic.Pointer[string]
}

// validToken reports whether token has Telegram's "<bot id>:<secret>"
// shape: a positive number, a colon, and at least 20 of A–Z a–z 0–9 _ -.
func validToken(token string) bool {
	id, secret, ok := strings.Cut(token, ":")
	if !ok || id == "" || len(id) > 20 || len(secret) < 20 || !only(secret, isTokenByte) {
		return false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return err == nil && n > 0 && only(id, func(c byte) bool { return c >= '0' && c <= '9' })
}

// validSecret reports whether s is a webhook secret Telegram accepts.
func validSecret(s string) bool { return len(s) >= 1 && len(s) <= 256 && only(s, isTokenByte) }

// validCommand reports whether s is a command name Telegram accepts.
func validCommand(s string) bool {
	return len(s) >= 1 && len(s) <= 32 && only(s, func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	})
}

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// only reports whether every byte of s satisfies ok.
func only(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

// New checks cfg, asks Telegram who the bot is (getMe; a rejected token
// fails here) and sets the bot's command menu in Korean and English.
func New(ctx context.Context, cfg Config) (*Bot, error) {
	cfg.Token = strings.TrimSpace(cfg.Token)
	if cfg.Handler == nil || cfg.Cursors == nil {
		return nil, errors.New("telegram: handler and cursor store are required")
	}
	if !validToken(cfg.Token) {
		return nil, errors.New("telegram: the bot token must look like 123456789:AAH… (as @BotFather gives it)")
	}
	cfg.APIURL = strings.TrimRight(strings.TrimSpace(cfg.APIURL), "/")
	if cfg.APIURL == "" {
		cfg.APIURL = "https://api.telegram.org"
	}
	if u, err := url.Parse(cfg.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("telegram: API URL %q is not an http(s) URL", cfg.APIURL)
	}
	if cfg.Webhook != "" {
		u, err := url.Parse(cfg.Webhook)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("telegram: webhook URL %q is not an http(s) URL", cfg.Webhook)
		}
		if !validSecret(cfg.Secret) {
			return nil, errors.New("telegram: a webhook needs a secret of 1–256 letters, digits, _ or -")
		}
		if cfg.Listen == "" {
			cfg.Listen = defaultListen
		}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = defaultPoll
	}
	cfg.PollTimeout = max(cfg.PollTimeout, time.Second)

	log := cfg.Log.With("adapter", Platform)
	tg, err := bot.New(cfg.Token,
		bot.WithSkipGetMe(),
		bot.WithServerURL(cfg.APIURL),
		bot.WithHTTPClient(cfg.PollTimeout, &http.Client{Timeout: requestTimeout}),
		bot.WithErrorsHandler(func(err error) { log.Debug("go-telegram/bot", "err", err) }),
		bot.WithDebugHandler(func(format string, args ...any) { log.Debug(fmt.Sprintf(format, args...)) }),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	b := &Bot{
		cfg:         cfg,
		tg:          tg,
		api:         tg,
		log:         log,
		cat:         cfg.Handler.Catalog(),
		cursorName:  "telegram:" + strconv.FormatInt(tg.ID(), 10),
		poller:      &http.Client{Timeout: cfg.PollTimeout + requestTimeout},
		sleep:       sleepCtx,
		flood:       newFlood(floodLimit, floodWindow),
		keyboards:   newKeyboards(4096),
		unreachable: map[int64]bool{},
		cursors:     map[int64]int64{},
		replies:     cfg.Replies,
	}
	if b.replies == nil {
		b.replies, _ = cfg.Cursors.(ReplyStore)
	}
	var me *models.User
	err = b.retry(ctx, func(ctx context.Context) error {
		var err error
		me, err = tg.GetMe(ctx)
		return err
	})
	switch {
	case errors.Is(err, bot.ErrorUnauthorized), errors.Is(err, bot.ErrorNotFound):
		return nil, fmt.Errorf("telegram: Telegram rejected the bot token (getMe): %w", err)
	case err != nil:
		return nil, fmt.Errorf("telegram: getMe: %w", err)
	}
	b.me = *me
	if err := b.setCommands(ctx); err != nil {
		// The menu is a convenience; the bot works without it.
		log.Warn("telegram: could not set the command menu", "err", err)
	}
	return b, nil
}

// Username returns the bot's Telegram username, without the "@".
func (b *Bot) Username() string { return b.me.Username }

// setCommands sets the command menu for Korean and English clients, and
// the Korean one for everyone else.
func (b *Bot) setCommands(ctx context.Context) error {
	var errs []error
	for _, lc := range []string{"ko", "en", ""} {
		lang := lc
		if lang == "" {
			lang = locales.Supported()[0]
		}
		var cmds []models.BotCommand
		for _, c := range b.cfg.Handler.Commands(lang) {
			desc := []rune(strings.TrimSpace(c.Label))
			if !validCommand(c.Action) || len(desc) == 0 {
				b.log.Warn("telegram: command left out of the menu", "command", c.Action)
				continue
			}
			if len(desc) > 256 {
				desc = desc[:256]
			}
			cmds = append(cmds, models.BotCommand{Command: c.Action, Description: string(desc)})
		}
		p := &bot.SetMyCommandsParams{Commands: cmds, Scope: &models.BotCommandScopeDefault{}, LanguageCode: lc}
		if err := b.retry(ctx, func(ctx context.Context) error {
			_, err := b.tg.SetMyCommands(ctx, p)
			return err
		}); err != nil {
			errs = append(errs, fmt.Errorf("telegram: setMyCommands %q: %w", lc, err))
		}
	}
	return errors.Join(errs...)
}

// Run receives and answers updates until ctx is cancelled: by long polling,
// or with a webhook server when Config.Webhook is set. On cancellation it
// finishes the update in hand and returns nil.
func (b *Bot) Run(ctx context.Context) error {
	if !b.running.CompareAndSwap(false, true) {
		return errors.New("telegram: the bot is already running")
	}
	defer b.running.Store(false)
	c, err := b.cfg.Cursors.Cursor(ctx, b.cursorName)
	if err != nil {
		return fmt.Errorf("telegram: read cursor: %w", err)
	}
	b.mu.Lock()
	b.legacy = c
	clear(b.cursors)
	b.mu.Unlock()
	b.sendUnsent(ctx)
	if b.cfg.Webhook != "" {
		return b.runWebhook(ctx)
	}
	return b.runPolling(ctx)
}

// Send delivers a message that is not an answer, such as the morning
// digest, to a Telegram user (their private chat). Reply.Edit is ignored.
// A chat that blocked the bot or no longer exists gives an error wrapping
// ErrUnreachable.
func (b *Bot) Send(ctx context.Context, userID string, r conversation.Reply) error {
	chatID, err := strconv.ParseInt(userID, 10, 64)
	if err != nil {
		return fmt.Errorf("telegram: send: user id %q is not a Telegram id", userID)
	}
	r.Edit = false
	if _, _, err := b.deliver(ctx, target{chatID: chatID}, []conversation.Reply{r}); err != nil {
		return fmt.Errorf("telegram: send to %d: %w", chatID, err)
	}
	return nil
}

// ErrUnreachable is wrapped by errors that mean a chat cannot receive
// messages: the user blocked the bot, or the chat does not exist. It wraps
// conversation.ErrUnreachable, which the outbox acts on.
var ErrUnreachable = fmt.Errorf("telegram: chat unreachable: %w", conversation.ErrUnreachable)

// Package conversation understands what owners, staff and (later)
// customers write, and answers them. It turns a message into at most one
// storage transaction and a few short replies in the shop's language.
// Messenger adapters hand it a Message and show the Replies it returns,
// with buttons where the platform has them; they never talk to storage
// about notes themselves.
package conversation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
)

// MaxText is the longest message Dangol reads, in bytes (Telegram's limit).
const MaxText = 4096

// Message is one thing a person did in a chat: a text or a button press.
type Message struct {
	Platform string // "console", "telegram", "slack"
	UserID   string
	UserName string // the platform's display name, if any
	Lang     string // the person's client language, if known
	Text     string
	// Action is the data of a pressed button; Text is ignored when set.
	Action string
	// File is a document sent in the chat, such as a CSV ledger.
	File *File
	// Cursor, when set, is saved in the same transaction as any note the
	// message produces (or on its own when it produces none).
	Cursor *crm.Cursor
	// Bot is the bot's username on the platform, for join links; "" when
	// the platform has none.
	Bot string
	// Route, when set with Cursor, tells the adapter where the replies go
	// (in its own terms). The replies are then stored with the cursor, in
	// the same transaction as what the message did, for the adapter to
	// send and mark sent (crm.ReplyStore), also after a crash.
	Route string
}

// Reply is one message to show. When Edit is set, it replaces the message
// whose button was pressed instead of being sent as a new one. Photo and
// Document, when set, are sent after the text.
type Reply struct {
	Text     string
	Buttons  []Button
	Edit     bool
	Photo    *File
	Document *File
}

// Button is a choice shown under a reply. Action comes back in
// Message.Action when it is pressed.
type Button struct {
	Label  string
	Action string
}

// Config is what an Engine needs.
type Config struct {
	Store   crm.Store
	Catalog *locales.Catalog
	Now     func() time.Time
	Log     *slog.Logger
	// BotName is the bot's username for join links when a message does
	// not carry one (the console).
	BotName string
	// Weather tells the day's chance of rain for weather rules; nil: off.
	Weather crm.WeatherProvider
	// SpoolDir is where ledger files sent in the chat wait for their
	// background import; it must survive a restart. "" means a folder in
	// the system's temporary directory.
	SpoolDir string
}

// Engine answers messages. It is safe for concurrent use.
type Engine struct {
	store   crm.Store
	cat     *locales.Catalog
	now     func() time.Time
	log     *slog.Logger
	botName string
	// wake tells the outbox's sender loop that a message was queued.
	wake chan struct{}
	// font is the chart font, parsed on first use.
	font chartFont
	// key signs buttons (sign.go), loaded once.
	keyMu sync.Mutex
	key   []byte
	// memos screens memos for details better not kept (memo.go).
	memos *crm.MemoScreen
	// weather is the forecast weather rules read; nil when off.
	weather crm.WeatherProvider
	// importWake tells the background importer that a job was queued.
	importWake chan struct{}
	spoolDir   string
	shopLocks  sync.Map // shop id → *sync.Mutex
	// knownBy holds each shop's names prepared for the parser, as of the
	// version of them it was prepared from (parseOptions).
	knownMu sync.Mutex
	knownBy map[int64]preparedNames
}

// New checks cfg and returns an Engine.
func New(cfg Config) (*Engine, error) {
	if cfg.Store == nil || cfg.Catalog == nil {
		return nil, errors.New("conversation: store and catalog are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.SpoolDir == "" {
		cfg.SpoolDir = filepath.Join(os.TempDir(), "dangol-imports")
	}
	return &Engine{store: cfg.Store, cat: cfg.Catalog, now: cfg.Now, log: cfg.Log, botName: cfg.BotName,
		wake: make(chan struct{}, 1), memos: crm.NewMemoScreen(), weather: cfg.Weather,
		importWake: make(chan struct{}, 1), spoolDir: cfg.SpoolDir}, nil
}

// Catalog returns the engine's message catalog, for adapters that label
// their own buttons or menus.
func (e *Engine) Catalog() *locales.Catalog { return e.cat }

// LangFor returns the language to address a messenger user in: their
// shop's when they are a member of one, else fallback (their client's).
func (e *Engine) LangFor(ctx context.Context, platform, userID, fallback string) string {
	if ms, err := e.store.Memberships(ctx, platform, userID); err == nil && len(ms) > 0 {
		if shop, err := e.store.Shop(ctx, ms[0].ShopID); err == nil {
			return locales.Lang(shop.Lang)
		}
	}
	return locales.Lang(fallback)
}

// session is one message in the context of the shop it is about.
type session struct {
	msg    Message
	shop   crm.Shop
	member crm.Member
	lang   string
	now    time.Time
	cursor *crm.Cursor // still to be saved
}

func (s *session) today() crm.Date { return s.shop.Today(s.now) }

// Handle answers one message. The replies are always meant to be shown,
// also when err is not nil: err is for the adapter's log, and the replies
// then already tell the person that nothing was saved.
func (e *Engine) Handle(ctx context.Context, m Message) ([]Reply, error) {
	now := e.now()
	s := &session{msg: m, lang: locales.Lang(m.Lang), now: now, cursor: m.Cursor}
	replies, err := e.handle(ctx, s)
	if err == nil && s.cursor != nil {
		c := e.withReplies(s, s.cursor, func(crm.Note) []Reply { return replies })
		if cerr := e.store.SetCursor(ctx, *c); cerr != nil {
			err = fmt.Errorf("conversation: save cursor: %w", cerr)
		}
	}
	return replies, err
}

func (e *Engine) handle(ctx context.Context, s *session) ([]Reply, error) {
	members, err := e.store.Memberships(ctx, s.msg.Platform, s.msg.UserID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: memberships: %w", err))
	}
	if len(members) == 0 {
		return e.stranger(ctx, s)
	}
	s.member = members[0]
	if s.shop, err = e.store.Shop(ctx, s.member.ShopID); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: shop: %w", err))
	}
	s.lang = locales.Lang(s.shop.Lang)
	defer e.shopLock(s.shop.ID)()
	switch {
	case s.msg.Action != "":
		return e.press(ctx, s, s.msg.Action)
	case s.msg.File != nil:
		return e.file(ctx, s, s.msg.File)
	}
	return e.text(ctx, s)
}

// takeCursor hands the message's cursor to a transaction that will store
// it, so it is not stored a second time.
func (s *session) takeCursor() *crm.Cursor {
	c := s.cursor
	s.cursor = nil
	return c
}

// fail is the answer when something broke inside: nothing was saved.
func (e *Engine) fail(lang string, err error) ([]Reply, error) {
	return []Reply{{Text: e.cat.T(lang, "error.not_saved", nil)}}, err
}

// stranger answers someone who is not a member of any shop: a customer,
// someone opening a shop's join link, or someone with an invitation.
func (e *Engine) stranger(ctx context.Context, s *session) ([]Reply, error) {
	if replies, ok, err := e.customerChat(ctx, s); ok {
		return replies, err
	}
	if text, _, ok := clean(s.msg.Text); ok && strings.HasPrefix(text, "/") {
		name, args, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
		name, _, _ = strings.Cut(name, "@")
		c := commandNames[strings.ToLower(name)]
		// A deep link t.me/<bot>?start=48217733 arrives as "/start 48217733".
		if _, isCode := normalizeCode(args); c == "claim" || (strings.EqualFold(name, "start") && isCode) {
			return e.redeem(ctx, s, args)
		}
	}
	return []Reply{{Text: e.cat.T(s.lang, "stranger.intro", nil)}}, nil
}

// clean checks a text message; ok is false when it cannot be read, and
// the reply key says why.
func clean(text string) (string, string, bool) {
	if len(text) > MaxText {
		return "", "input.too_long", false
	}
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "")
	}
	text = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return ' '
		case crm.Hidden(r):
			return -1
		}
		return r
	}, text)
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return "", "input.empty", false
	}
	return text, "", true
}

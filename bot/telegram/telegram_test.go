package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dangol/dangol/bot/telegram/internal/tgemu"
	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
	"github.com/dangol/dangol/storage"
)

// thursday is 2026-11-26 10:00 in Seoul, the engine's clock in these tests.
var thursday = time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("KST", 9*3600))

const wait = 10 * time.Second

var (
	owner    = tgemu.User{ID: 1001, FirstName: "Minji", Username: "minji", LanguageCode: "en"}
	staffer  = tgemu.User{ID: 1002, FirstName: "Jun", LanguageCode: "en"}
	stranger = tgemu.User{ID: 1003, FirstName: "Eve", LanguageCode: "ko"}
)

// stack is the real Dangol behind the Telegram emulator: SQLite, the
// engine and the adapter.
type stack struct {
	t      testing.TB
	ctx    context.Context
	e      *tgemu.Emulator
	db     *storage.DB
	path   string // the database file
	engine *conversation.Engine
	cat    *locales.Catalog
	shop   crm.Shop
	code   string // the owner's setup code
	lang   string

	// handler is what the adapter talks to (the engine unless a test
	// wraps it); clock is the adapter's clock.
	handler Handler
	clock   func() time.Time
	webhook Config // Webhook, Listen, Secret for webhook mode
	// background runs the outbox and the background importer with the
	// bot as their sender.
	background bool

	bot  *Bot
	stop func()
}

func newStack(t testing.TB, lang string) *stack {
	t.Helper()
	e := tgemu.Start(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dangol.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	shop, err := db.CreateShop(ctx, crm.Shop{Name: "Test bakery", Lang: lang, CreatedAt: thursday})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetShopSetting(ctx, shop.ID, crm.SettingHoldout, "0"); err != nil { // every digest entry shown
		t.Fatal(err)
	}
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	engine, err := conversation.New(conversation.Config{Store: db, Catalog: cat, Now: func() time.Time { return thursday },
		SpoolDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	code, ok, err := engine.SetupCode(ctx, shop)
	if err != nil || !ok {
		t.Fatalf("SetupCode = %q, %v, %v", code, ok, err)
	}
	return &stack{t: t, ctx: ctx, e: e, db: db, path: path, engine: engine, cat: cat, shop: shop, code: code, lang: lang,
		handler: engine, clock: time.Now}
}

// start makes a new Bot on the stack's database and runs it until stop
// (or the end of the test).
func (s *stack) start() *Bot {
	s.t.Helper()
	cfg := Config{Token: s.e.Token(), APIURL: s.e.URL(), Handler: s.handler, Cursors: s.db,
		Log: testLogger(s.t), Now: s.clock, PollTimeout: time.Second,
		Webhook: s.webhook.Webhook, Listen: s.webhook.Listen, Secret: s.webhook.Secret}
	b, err := New(s.ctx, cfg)
	if err != nil {
		s.t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithCancel(s.ctx)
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	if s.background {
		senders := map[string]conversation.Sender{Platform: b}
		go conversation.NewOutbox(s.engine, senders, nil).Run(ctx)
		go conversation.NewImports(s.engine, testLogger(s.t)).Run(ctx)
	}
	var once sync.Once
	s.bot = b
	s.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					s.t.Errorf("Run: %v", err)
				}
			case <-time.After(wait):
				s.t.Error("Run did not return after cancel")
			}
		})
	}
	s.t.Cleanup(s.stop)
	return b
}

// testLogger logs through t, so a failing test shows what the adapter
// said.
func testLogger(t testing.TB) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		w.done = true
		w.mu.Unlock()
	})
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSpace(string(p)))
	}
	return len(p), nil
}

// messages returns the bot's messages in chat.
func (s *stack) messages(chat int64) []tgemu.Message { return s.e.BotMessages(s.t, chat) }

// send makes u send text (a command when it starts with "/") and waits
// for the bot's next message in u's chat.
func (s *stack) send(u tgemu.User, text string) tgemu.Message {
	s.t.Helper()
	n := len(s.messages(u.ID))
	if strings.HasPrefix(text, "/") {
		s.e.SendCommand(s.t, u, u.ID, text)
	} else {
		s.e.SendMessage(s.t, u, u.ID, text)
	}
	msgs := s.e.WaitBotMessages(s.t, u.ID, n+1, wait)
	return msgs[n]
}

// claim makes u the shop's owner.
func (s *stack) claim(u tgemu.User) {
	s.t.Helper()
	got := s.send(u, "/claim "+s.code)
	if want := s.cat.T(s.lang, "claim.owner", map[string]any{"Shop": s.shop.Name}); got.Text != want {
		s.t.Fatalf("claim answer = %q, want %q", got.Text, want)
	}
}

// visits returns the visits of the one customer called name.
func (s *stack) visits(name string) []crm.Visit {
	s.t.Helper()
	cs, err := s.db.FindCustomers(s.ctx, s.shop.ID, name)
	if err != nil {
		s.t.Fatal(err)
	}
	var exact []crm.Customer
	for _, c := range cs {
		if c.Name == name {
			exact = append(exact, c)
		}
	}
	if len(exact) == 0 {
		return nil
	}
	if len(exact) > 1 {
		s.t.Fatalf("%d customers called %q", len(exact), name)
	}
	v, err := s.db.Visits(s.ctx, s.shop.ID, exact[0].ID)
	if err != nil {
		s.t.Fatal(err)
	}
	return v
}

// waitHandled waits until update id was handled and its replies shown:
// the bot confirmed it to Telegram.
func (s *stack) waitHandled(id int64) {
	s.t.Helper()
	deadline := time.Now().Add(wait)
	for {
		for _, u := range s.e.Updates(s.t) {
			if u.ID == id && u.Confirmed {
				return
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("update %d not handled within %v", id, wait)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sync sends /help as u and waits for its answer: updates are handled in
// order, so everything sent before has been handled then.
func (s *stack) sync(u tgemu.User) {
	s.t.Helper()
	if got := s.send(u, "/help"); got.Text != s.cat.T(s.lang, "help", nil) {
		s.t.Fatalf("/help answer = %q", got.Text)
	}
}

func buttonData(m tgemu.Message) []string {
	var out []string
	for _, row := range m.Buttons {
		for _, b := range row {
			out = append(out, b.Data)
		}
	}
	return out
}

// ---------------------------------------------------------------------------

func TestClaim(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	s.claim(owner)
	ms, err := s.db.Memberships(s.ctx, "telegram", "1001")
	if err != nil || len(ms) != 1 || ms[0].Role != crm.RoleOwner || ms[0].Name != "Minji" {
		t.Fatalf("memberships = %+v, %v", ms, err)
	}
	// The code works once.
	if got := s.send(staffer, "/claim "+s.code); got.Text != s.cat.T("en", "claim.bad_code", nil) {
		t.Fatalf("second claim = %q", got.Text)
	}
	if ms, _ := s.db.Memberships(s.ctx, "telegram", "1002"); len(ms) != 0 {
		t.Fatalf("second claimer became a member: %+v", ms)
	}
}

// gate holds the engine while a test arranges updates.
type gate struct {
	Handler
	mu sync.RWMutex
}

func (g *gate) Handle(ctx context.Context, m conversation.Message) ([]conversation.Reply, error) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.Handler.Handle(ctx, m)
}

func TestNoteUndoAndDoublePress(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	g := &gate{Handler: s.engine}
	s.handler = g
	s.start()
	s.claim(owner)

	note := s.send(owner, "Kim Minji, croissant")
	if !strings.HasPrefix(note.Text, "✓ ") {
		t.Fatalf("confirmation = %q", note.Text)
	}
	data := buttonData(note)
	if len(data) != 1 || !strings.HasPrefix(data[0], "undo:") || note.Buttons[0][0].Text != s.cat.T("en", "button.undo", nil) {
		t.Fatalf("buttons = %+v", note.Buttons)
	}
	if n := len(s.visits("Kim Minji")); n != 1 {
		t.Fatalf("%d visits after the note", n)
	}

	// A double tap: both presses arrive before the first is handled.
	g.mu.Lock()
	s.e.PressButton(t, owner, owner.ID, note.ID, data[0])
	s.e.PressButton(t, owner, owner.ID, note.ID, data[0])
	g.mu.Unlock()
	undone := s.cat.T("en", "undo.done", map[string]any{"Text": "Kim Minji, croissant"})
	msgs := s.e.WaitBotMessagesFunc(t, owner.ID, wait, func(ms []tgemu.Message) bool {
		return len(ms) > 0 && ms[len(ms)-1].Edited
	}, "the undo edit")
	s.sync(owner)
	msgs = s.messages(owner.ID)
	edited := msgs[len(msgs)-2]
	if edited.ID != note.ID || edited.Text != undone || edited.Buttons != nil || edited.EditCount != 1 {
		t.Fatalf("after the presses the confirmation is %+v, want %q without buttons, edited once", edited, undone)
	}
	// claim, confirmation, help: the second press sent nothing new.
	if len(msgs) != 3 {
		t.Fatalf("bot messages = %+v", msgs)
	}
	answers := s.e.Calls(t, "answerCallbackQuery")
	if len(answers) != 2 || answers[1].Params["text"] != s.cat.T("en", "telegram.already_done", nil) {
		t.Fatalf("answerCallbackQuery calls = %+v", answers)
	}
	if n := len(s.visits("Kim Minji")); n != 0 {
		t.Fatalf("%d visits after undo", n)
	}
}

func TestAmbiguousNamePick(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	s.claim(owner)
	s.send(owner, "Kim Minji, latte")
	s.send(owner, "Kim Jisoo, bagel")
	ask := s.send(owner, "Kim, scone")
	if len(ask.Buttons) != 3 {
		t.Fatalf("want one row per choice (2 customers + new), got %+v", ask.Buttons)
	}
	var jisoo string
	for _, row := range ask.Buttons {
		if len(row) != 1 {
			t.Fatalf("long labels share a row: %+v", ask.Buttons)
		}
		if strings.HasPrefix(row[0].Text, "Kim Jisoo") {
			jisoo = row[0].Data
		}
	}
	if jisoo == "" {
		t.Fatalf("no button for Kim Jisoo: %+v", ask.Buttons)
	}
	s.e.PressButton(t, owner, owner.ID, ask.ID, jisoo)
	msgs := s.e.WaitBotMessagesFunc(t, owner.ID, wait, func(ms []tgemu.Message) bool {
		return ms[len(ms)-1].Edited
	}, "the choice edit")
	got := msgs[len(msgs)-1]
	if got.ID != ask.ID || !strings.HasPrefix(got.Text, "✓ Kim Jisoo — scone ×1") ||
		len(buttonData(got)) != 1 || !strings.HasPrefix(buttonData(got)[0], "undo:") {
		t.Fatalf("after the choice: %+v", got)
	}
	if n := len(s.visits("Kim Jisoo")); n != 2 {
		t.Fatalf("Kim Jisoo has %d visits, want 2", n)
	}
	if n := len(s.visits("Kim Minji")); n != 1 {
		t.Fatalf("Kim Minji has %d visits, want 1", n)
	}
}

func TestStaff(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	s.claim(owner)
	inv := s.send(owner, "/invite")
	code := regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`).FindString(inv.Text)
	if code == "" {
		t.Fatalf("no code in %q", inv.Text)
	}
	if got := s.send(staffer, "/join "+code); got.Text != s.cat.T("en", "claim.staff", map[string]any{"Shop": s.shop.Name}) {
		t.Fatalf("join answer = %q", got.Text)
	}
	if got := s.send(staffer, "Lee Hana, latte"); !strings.HasPrefix(got.Text, "✓ Lee Hana") {
		t.Fatalf("staff note answer = %q", got.Text)
	}
	if n := len(s.visits("Lee Hana")); n != 1 {
		t.Fatalf("staff note recorded %d visits", n)
	}
	if got := s.send(staffer, "/invite"); got.Text != s.cat.T("en", "access.owner_only", nil) {
		t.Fatalf("staff /invite = %q", got.Text)
	}
}

func TestStrangerSeesNothing(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	s.claim(owner)
	s.send(owner, "Kim Minji, croissant")
	intro := s.cat.T("ko", "stranger.intro", nil)
	for _, text := range []string{"Lee Hana, croissant", "Kim Minji?", "Kim?", "/undo", "/customer Kim Minji"} {
		if got := s.send(stranger, text); got.Text != intro || got.Buttons != nil {
			t.Fatalf("stranger %q got %+v", text, got)
		}
	}
	if cs, _ := s.db.FindCustomers(s.ctx, s.shop.ID, "Lee Hana"); len(cs) != 0 {
		t.Fatalf("stranger created %+v", cs)
	}
	if n := len(s.visits("Kim Minji")); n != 1 {
		t.Fatalf("Kim Minji has %d visits", n)
	}
	if ms, _ := s.db.Memberships(s.ctx, "telegram", "1003"); len(ms) != 0 {
		t.Fatalf("stranger is a member: %+v", ms)
	}
}

func TestRedeliveredUpdateRecordedOnce(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	s.claim(owner)
	s.send(owner, "Kim Minji, croissant")
	id := s.e.LastUpdateID(t)
	s.e.Redeliver(t, id)
	s.sync(owner)
	for _, u := range s.e.Updates(t) {
		if u.ID == id && (u.Redelivered != 1 || !u.Delivered) {
			t.Fatalf("update %d was not redelivered: %+v", id, u)
		}
	}
	if n := len(s.visits("Kim Minji")); n != 1 {
		t.Fatalf("%d visits after a redelivery", n)
	}
	if msgs := s.messages(owner.ID); len(msgs) != 3 {
		t.Fatalf("bot messages (claim, note, help) = %+v", msgs)
	}
}

func TestRestartLosesNothing(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	s.claim(owner)
	s.send(owner, "Kim Minji, croissant")
	before := s.e.LastUpdateID(t)
	s.stop()

	names := []string{"Lee Hana", "Park Jisoo", "Choi Yuna"}
	for _, n := range names {
		s.e.SendMessage(t, owner, owner.ID, n+", latte")
	}
	s.start()
	msgs := s.e.WaitBotMessages(t, owner.ID, 2+len(names), wait)
	for i, n := range names {
		if got := msgs[2+i].Text; !strings.HasPrefix(got, "✓ "+n) {
			t.Errorf("answer %d = %q, want a confirmation for %s", i, got, n)
		}
	}
	// Old updates delivered again after the restart change nothing: one
	// from before the restart, one from after.
	s.e.Redeliver(t, before)
	s.e.Redeliver(t, s.e.LastUpdateID(t))
	s.sync(owner)
	for _, n := range append(names, "Kim Minji") {
		if v := len(s.visits(n)); v != 1 {
			t.Errorf("%s has %d visits, want 1", n, v)
		}
	}
	if msgs := s.messages(owner.ID); len(msgs) != 3+len(names) {
		t.Fatalf("%d bot messages, want %d: %+v", len(msgs), 3+len(names), msgs)
	}
}

func TestCommandMenu(t *testing.T) {
	t.Parallel()
	s := newStack(t, "ko")
	b := s.start()
	if b.Username() != "TestNameBot" {
		t.Errorf("Username = %q", b.Username())
	}
	sets := s.e.Commands(t)
	byLang := map[string]tgemu.CommandSet{}
	for _, cs := range sets {
		if cs.Scope.Type != "default" {
			t.Errorf("scope %+v", cs.Scope)
		}
		byLang[cs.LanguageCode] = cs
	}
	for lc, lang := range map[string]string{"ko": "ko", "en": "en", "": "ko"} {
		cs, ok := byLang[lc]
		if !ok {
			t.Errorf("no command set for language %q: %+v", lc, sets)
			continue
		}
		want := s.engine.Commands(lang)
		if len(cs.Commands) != len(want) {
			t.Errorf("%q: %d commands, want %d", lc, len(cs.Commands), len(want))
			continue
		}
		for i, c := range want {
			if cs.Commands[i] != (tgemu.Command{Command: c.Action, Description: c.Label}) {
				t.Errorf("%q: command %d = %+v, want %+v", lc, i, cs.Commands[i], c)
			}
		}
	}
}

// longHandler answers "long" with a reply over Telegram's limit.
type longHandler struct {
	Handler
	text string
}

func (h longHandler) Handle(ctx context.Context, m conversation.Message) ([]conversation.Reply, error) {
	if m.Text == "long" {
		return []conversation.Reply{{Text: h.text, Buttons: []conversation.Button{{Label: "Undo", Action: "undo:1"}}}}, nil
	}
	return h.Handler.Handle(ctx, m)
}

func TestLongReplyIsSplit(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	var lines []string
	for i := range 250 {
		lines = append(lines, fmt.Sprintf("%03d · 김민지 · croissant ×2 · allergic to walnuts", i))
	}
	text := strings.Join(lines, "\n")
	s.handler = longHandler{Handler: s.engine, text: text}
	s.start()
	s.e.SendMessage(t, owner, owner.ID, "long")
	// The buttons come with the last part.
	msgs := s.e.WaitBotMessagesFunc(t, owner.ID, wait, func(ms []tgemu.Message) bool {
		return len(ms) > 0 && ms[len(ms)-1].Buttons != nil
	}, "the last part")
	if n := utf16Len(text); len(msgs) != (n+maxMessage-1)/maxMessage {
		t.Fatalf("%d messages for %d code units", len(msgs), n)
	}
	var parts []string
	for i, m := range msgs {
		if utf16Len(m.Text) > maxMessage {
			t.Errorf("part %d has %d units", i, utf16Len(m.Text))
		}
		if (m.Buttons != nil) != (i == len(msgs)-1) {
			t.Errorf("part %d buttons = %+v", i, m.Buttons)
		}
		parts = append(parts, m.Text)
	}
	if strings.Join(parts, "\n") != text {
		t.Error("parts do not add up to the reply")
	}
}

// clock is a settable adapter clock.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) set(t time.Time)         { c.ns.Store(t.UnixNano()) }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

func TestWebhookMode(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.webhook = Config{Webhook: "https://dangol.example/tg/hook", Listen: "127.0.0.1:0", Secret: "s3cret-token"}
	b := s.start()
	var addr string
	deadline := time.Now().Add(wait)
	for {
		if p := b.addr.Load(); p != nil && len(s.e.Calls(t, "setWebhook")) > 0 {
			addr = *p
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("webhook server did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	set := s.e.Calls(t, "setWebhook")[0].Params
	if set["url"] != "https://dangol.example/tg/hook" || set["secret_token"] != "s3cret-token" || fmt.Sprint(set["max_connections"]) != "1" {
		t.Fatalf("setWebhook params = %v", set)
	}
	update := func(id int64, text string) []byte {
		data, _ := json.Marshal(map[string]any{"update_id": id, "message": map[string]any{
			"message_id": id, "date": 1, "text": text,
			"from": map[string]any{"id": owner.ID, "is_bot": false, "first_name": owner.FirstName, "language_code": "en"},
			"chat": map[string]any{"id": owner.ID, "type": "private"},
		}})
		return data
	}
	post := func(secret string, body []byte) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/tg/hook", bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := post("wrong", update(1, "/claim "+s.code)); c != http.StatusUnauthorized {
		t.Fatalf("wrong secret: %d", c)
	}
	if c := post("s3cret-token", update(1, "/claim "+s.code)); c != http.StatusOK {
		t.Fatalf("update: %d", c)
	}
	// The update was handled before the answer.
	if msgs := s.messages(owner.ID); len(msgs) != 1 || msgs[0].Text != s.cat.T("en", "claim.owner", map[string]any{"Shop": s.shop.Name}) {
		t.Fatalf("bot messages = %+v", msgs)
	}
	if c := post("s3cret-token", update(2, "Kim Minji, croissant")); c != http.StatusOK {
		t.Fatalf("note: %d", c)
	}
	if c := post("s3cret-token", update(2, "Kim Minji, croissant")); c != http.StatusOK {
		t.Fatalf("repeated note: %d", c)
	}
	if n := len(s.visits("Kim Minji")); n != 1 || len(s.messages(owner.ID)) != 2 {
		t.Fatalf("%d visits, %d messages after a repeated post", n, len(s.messages(owner.ID)))
	}
	s.stop()
	if n := len(s.e.Calls(t, "deleteWebhook")); n != 0 {
		t.Errorf("webhook mode called deleteWebhook %d times", n)
	}
}

// holdHandler stops in Handle on the message hold until release is closed.
type holdHandler struct {
	Handler
	hold     string
	entered  chan struct{}
	release  chan struct{}
	enterOne sync.Once
}

func (h *holdHandler) Handle(ctx context.Context, m conversation.Message) ([]conversation.Reply, error) {
	if m.Text == h.hold {
		h.enterOne.Do(func() { close(h.entered) })
		<-h.release
	}
	return h.Handler.Handle(ctx, m)
}

func TestShutdownFinishesUpdateInHand(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	h := &holdHandler{Handler: s.engine, hold: "Kim Minji, croissant", entered: make(chan struct{}), release: make(chan struct{})}
	s.handler = h
	s.start()
	s.claim(owner)
	s.e.SendMessage(t, owner, owner.ID, "Kim Minji, croissant")
	select {
	case <-h.entered:
	case <-time.After(wait):
		t.Fatal("the note never reached the engine")
	}
	stopped := make(chan struct{})
	go func() {
		s.stop()
		close(stopped)
	}()
	select {
	case <-stopped:
		t.Fatal("Run returned with an update in hand")
	case <-time.After(300 * time.Millisecond):
	}
	close(h.release)
	select {
	case <-stopped:
	case <-time.After(wait):
		t.Fatal("Run did not return")
	}
	msgs := s.messages(owner.ID)
	if len(msgs) != 2 || !strings.HasPrefix(msgs[1].Text, "✓ Kim Minji") {
		t.Fatalf("bot messages = %+v", msgs)
	}
	if n := len(s.visits("Kim Minji")); n != 1 {
		t.Fatalf("%d visits", n)
	}
}

func TestSend(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	b := s.start()
	digest := conversation.Reply{Text: "Whom to greet today", Edit: true,
		Buttons: []conversation.Button{{Label: "✓ Kim greeted", Action: "greeted:1"}}}
	if err := b.Send(s.ctx, "1001", digest); err != nil {
		t.Fatal(err)
	}
	msgs := s.messages(1001)
	if len(msgs) != 1 || msgs[0].Text != digest.Text || len(buttonData(msgs[0])) != 1 || buttonData(msgs[0])[0] != "greeted:1" {
		t.Fatalf("sent %+v", msgs)
	}
	if err := b.Send(s.ctx, "console:owner", digest); err == nil || !strings.HasPrefix(err.Error(), "telegram: ") {
		t.Fatalf("send to a non-Telegram id: %v", err)
	}
}

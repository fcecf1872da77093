package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/locales"
)

// ---------------------------------------------------------------------------
// Fakes

// fakeAPI records what the adapter asked Telegram to do.
type fakeAPI struct {
	mu      sync.Mutex
	sent    []*bot.SendMessageParams
	edits   []*bot.EditMessageTextParams
	answers []*bot.AnswerCallbackQueryParams
	nextID  int
	// sendErr, when set, is returned by SendMessage.
	sendErr error
}

func (f *fakeAPI) SendMessage(_ context.Context, p *bot.SendMessageParams) (*models.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sendErr != nil {
		return nil, f.sendErr
	}
	f.sent = append(f.sent, p)
	f.nextID++
	return &models.Message{ID: f.nextID}, nil
}

func (f *fakeAPI) EditMessageText(_ context.Context, p *bot.EditMessageTextParams) (*models.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.edits = append(f.edits, p)
	return &models.Message{ID: p.MessageID}, nil
}

func (f *fakeAPI) AnswerCallbackQuery(_ context.Context, p *bot.AnswerCallbackQueryParams) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers = append(f.answers, p)
	return true, nil
}

func (f *fakeAPI) texts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, p := range f.sent {
		out = append(out, p.Text)
	}
	return out
}

// echoHandler answers every message with its text or action, and records
// what it got.
type echoHandler struct {
	cat     *locales.Catalog
	mu      sync.Mutex
	got     []conversation.Message
	replies func(m conversation.Message) []conversation.Reply
	err     error
}

func (h *echoHandler) Handle(_ context.Context, m conversation.Message) ([]conversation.Reply, error) {
	h.mu.Lock()
	h.got = append(h.got, m)
	h.mu.Unlock()
	if h.replies != nil {
		return h.replies(m), h.err
	}
	text := m.Text
	if m.Action != "" {
		text = "pressed " + m.Action
	}
	return []conversation.Reply{{Text: text, Edit: m.Action != ""}}, h.err
}

func (h *echoHandler) Commands(string) []conversation.Button {
	return []conversation.Button{{Label: "Undo", Action: "undo"}}
}

func (h *echoHandler) Catalog() *locales.Catalog { return h.cat }

func (h *echoHandler) messages() []conversation.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]conversation.Message(nil), h.got...)
}

func newCatalog(t testing.TB) *locales.Catalog {
	t.Helper()
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// newUnitBot builds a Bot around fakes, without any network.
func newUnitBot(t testing.TB, h Handler, a api, now func() time.Time, log *slog.Logger) *Bot {
	t.Helper()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Bot{
		cfg: Config{Token: "42:" + strings.Repeat("a", 30), Handler: h, Now: now, Secret: "s3cret",
			Cursors: fakeCursors{}},
		cursors:     map[int64]int64{},
		api:         a,
		log:         log,
		cat:         h.Catalog(),
		me:          models.User{ID: 42, IsBot: true, Username: "DangolBot"},
		cursorName:  "telegram:42",
		sleep:       func(context.Context, time.Duration) error { return nil },
		flood:       newFlood(floodLimit, floodWindow),
		keyboards:   newKeyboards(16),
		unreachable: map[int64]bool{},
	}
}

func privateText(updateID, user int64, text string) *models.Update {
	return &models.Update{ID: updateID, Message: &models.Message{
		ID: int(updateID), From: &models.User{ID: user, FirstName: "Minji", LastName: "Kim", LanguageCode: "en"},
		Chat: models.Chat{ID: user, Type: models.ChatTypePrivate}, Text: text,
	}}
}

func pressUpdate(updateID, user int64, messageID int, data string) *models.Update {
	return &models.Update{ID: updateID, CallbackQuery: &models.CallbackQuery{
		ID: fmt.Sprint("q", updateID), From: models.User{ID: user, FirstName: "Minji", LanguageCode: "en"}, Data: data,
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: messageID, Date: 1, Chat: models.Chat{ID: user, Type: models.ChatTypePrivate}}},
	}}
}

// ---------------------------------------------------------------------------
// Splitting, layout, validation

func TestSplitTextShort(t *testing.T) {
	if got := splitText("✓ Kim — croissant ×1", maxMessage); len(got) != 1 || got[0] != "✓ Kim — croissant ×1" {
		t.Fatalf("short text split into %q", got)
	}
	if got := splitText(" \n ", maxMessage); got != nil {
		t.Fatalf("blank text split into %q", got)
	}
}

func TestSplitTextAtLineBreaks(t *testing.T) {
	var lines []string
	for i := range 300 {
		lines = append(lines, fmt.Sprintf("Note %03d: 김민지 크루아상 2개, 라떼 — a line of about forty", i))
	}
	text := strings.Join(lines, "\n")
	parts := splitText(text, maxMessage)
	if len(parts) < 4 {
		t.Fatalf("%d parts for %d code units", len(parts), utf16Len(text))
	}
	for i, p := range parts {
		if n := utf16Len(p); n > maxMessage {
			t.Errorf("part %d has %d code units", i, n)
		}
		if !strings.HasPrefix(p, "Note ") || !strings.HasSuffix(p, "forty") {
			t.Errorf("part %d is not cut at line breaks: %q … %q", i, p[:20], p[len(p)-20:])
		}
	}
	if got := strings.Join(parts, "\n"); got != text {
		t.Errorf("parts do not join back to the text")
	}
}

func TestSplitTextWithoutBreaks(t *testing.T) {
	words := strings.Repeat("croissant ", 1000) // 10,000 units, spaces only
	for _, p := range splitText(words, maxMessage) {
		if utf16Len(p) > maxMessage || strings.HasSuffix(p, "croissan") {
			t.Fatalf("bad part of %d units ending %q", utf16Len(p), p[len(p)-10:])
		}
	}
	// No space at all: cut between characters. Emoji count two units.
	emoji := strings.Repeat("🥐", 5000)
	parts := splitText(emoji, maxMessage)
	if len(parts) != 3 || utf16Len(parts[0]) != maxMessage || strings.Join(parts, "") != emoji {
		t.Fatalf("emoji split into %d parts of %d units", len(parts), utf16Len(parts[0]))
	}
}

func TestLayout(t *testing.T) {
	b := func(labels ...string) []conversation.Button {
		var out []conversation.Button
		for i, l := range labels {
			out = append(out, conversation.Button{Label: l, Action: fmt.Sprint("a:", i)})
		}
		return out
	}
	shape := func(kb *inlineKeyboard) []int {
		if kb == nil {
			return nil
		}
		var out []int
		for _, row := range kb.InlineKeyboard {
			out = append(out, len(row))
		}
		return out
	}
	for _, c := range []struct {
		labels []string
		want   []int
	}{
		{nil, nil},
		{[]string{"Undo"}, []int{1}},
		{[]string{"되돌리기"}, []int{1}},
		{[]string{"Delete Kim", "Cancel"}, []int{2}},
		{[]string{"A", "B", "C"}, []int{3}},
		{[]string{"A", "B", "C", "D"}, []int{2, 2}},
		{[]string{"A", "B", "C", "D", "E"}, []int{3, 2}},
		{[]string{"A", "B", "C", "D", "E", "F", "G"}, []int{3, 2, 2}},
		{[]string{"Kim Minji (last Thu 26 Nov)", "Kim Jisoo", "New customer “Kim”"}, []int{1, 1, 1}},
		{[]string{"김민지 (최근 11/26 목)", "김민수"}, []int{1, 1}},
	} {
		kb, dropped := layout(b(c.labels...))
		if got := shape(kb); fmt.Sprint(got) != fmt.Sprint(c.want) || len(dropped) != 0 {
			t.Errorf("layout(%q) = %v (dropped %q), want %v", c.labels, got, dropped, c.want)
		}
	}
	kb, dropped := layout([]conversation.Button{
		{Label: "Undo", Action: "undo:1"},
		{Label: "Too long", Action: "pick:" + strings.Repeat("9", 60)},
		{Label: "Empty"},
	})
	if len(dropped) != 2 || fmt.Sprint(shape(kb)) != "[1]" || kb.InlineKeyboard[0][0].CallbackData != "undo:1" {
		t.Fatalf("invalid callback data: kb %+v, dropped %q", kb, dropped)
	}
	data, err := json.Marshal(kb)
	if err != nil || string(data) != `{"inline_keyboard":[[{"text":"Undo","callback_data":"undo:1"}]]}` {
		t.Fatalf("markup JSON = %s, %v", data, err)
	}
}

func TestValidToken(t *testing.T) {
	for tok, want := range map[string]bool{
		"123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw":     true,
		"123456789:TEST-emulator-token_AAAAAAAAAAAAAAAAAA": true,
		"":                                            false,
		"123456789":                                   false,
		":AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw":         false,
		"abc:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw":      false,
		"-12:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw":      false,
		"0:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw":        false,
		"123456789:short":                             false,
		"123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PAL sa": false,
		"123456789:AAHdqTcvCH1vGWJxfSeof/As0K5PALDsa": false,
	} {
		if got := validToken(tok); got != want {
			t.Errorf("validToken(%q) = %v", tok, got)
		}
	}
	if !validCommand("digest") || !validCommand("a_1") || validCommand("Digest") || validCommand("도움말") ||
		validCommand("") || validCommand(strings.Repeat("a", 33)) {
		t.Error("validCommand")
	}
	if !validSecret("abc-DEF_123") || validSecret("") || validSecret("has space") || validSecret(strings.Repeat("a", 257)) {
		t.Error("validSecret")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	h := &echoHandler{cat: newCatalog(t)}
	ctx := context.Background()
	good := Config{Token: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", Handler: h, Cursors: fakeCursors{}, APIURL: "http://127.0.0.1:1"}
	for name, mod := range map[string]func(*Config){
		"token":          func(c *Config) { c.Token = "not-a-token" },
		"no handler":     func(c *Config) { c.Handler = nil },
		"no cursors":     func(c *Config) { c.Cursors = nil },
		"api url":        func(c *Config) { c.APIURL = "ftp://x" },
		"webhook secret": func(c *Config) { c.Webhook = "https://example.com/hook" },
		"webhook url":    func(c *Config) { c.Webhook = "example.com/hook"; c.Secret = "abc" },
	} {
		cfg := good
		mod(&cfg)
		_, err := New(ctx, cfg)
		if err == nil || !strings.HasPrefix(err.Error(), "telegram: ") {
			t.Errorf("%s: err = %v", name, err)
		}
		if err != nil && strings.Contains(err.Error(), "AAHdqTcv") {
			t.Errorf("%s: error shows the token: %v", name, err)
		}
	}
}

type fakeCursors struct{ v int64 }

func (f fakeCursors) Cursor(context.Context, string) (int64, error) { return f.v, nil }

// fakeTelegram is a Bot API server answering from a script.
type fakeTelegram struct {
	mu      sync.Mutex
	calls   map[string]int
	respond func(method string, n int) (status int, body string)
}

func (f *fakeTelegram) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	f.mu.Lock()
	f.calls[method]++
	n := f.calls[method]
	f.mu.Unlock()
	_, _ = io.Copy(io.Discard, r.Body)
	status, body := f.respond(method, n)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (f *fakeTelegram) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

const okMe = `{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Dangol","username":"DangolBot"}}`

func startFake(t *testing.T, respond func(method string, n int) (int, string)) (*fakeTelegram, string) {
	t.Helper()
	f := &fakeTelegram{calls: map[string]int{}, respond: respond}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func TestNewFailsClearlyOnRejectedToken(t *testing.T) {
	f, u := startFake(t, func(string, int) (int, string) {
		return 401, `{"ok":false,"error_code":401,"description":"Unauthorized"}`
	})
	_, err := New(context.Background(), Config{Token: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", APIURL: u,
		Handler: &echoHandler{cat: newCatalog(t)}, Cursors: fakeCursors{}})
	if err == nil || !strings.Contains(err.Error(), "rejected the bot token") || !errors.Is(err, bot.ErrorUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "AAHdqTcv") {
		t.Fatalf("error shows the token: %v", err)
	}
	if n := f.count("getMe"); n != 1 {
		t.Errorf("getMe called %d times; a rejected token is not retried", n)
	}
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		err  error
		want errClass
		wait time.Duration
	}{
		{&bot.TooManyRequestsError{Message: "too many requests", RetryAfter: 7}, rateLimited, 7 * time.Second},
		{&bot.TooManyRequestsError{Message: "too many requests"}, rateLimited, time.Second},
		{fmt.Errorf("%w, Forbidden: bot was blocked by the user", bot.ErrorForbidden), unreachable, 0},
		{fmt.Errorf("%w, Bad Request: chat not found", bot.ErrorBadRequest), unreachable, 0},
		{&bot.MigrateError{Message: "bad request: migrated", MigrateToChatID: -100}, unreachable, 0},
		{fmt.Errorf("%w, Bad Request: message text is empty", bot.ErrorBadRequest), permanent, 0},
		{fmt.Errorf("%w, Unauthorized", bot.ErrorUnauthorized), permanent, 0},
		{fmt.Errorf("error response from telegram for method sendMessage, 502 Bad Gateway"), transient, 0},
		{fmt.Errorf("error response from telegram for method sendMessage, 500 Internal Server Error"), transient, 0},
		{fmt.Errorf("error response from telegram for method sendMessage, 420 FLOOD_WAIT"), permanent, 0},
		{fmt.Errorf("error decode response body for method sendMessage, <html>, %w", errors.New("invalid character")), transient, 0},
		{fmt.Errorf("error do request for method sendMessage, %w", &url.Error{Op: "Post", URL: "x", Err: errors.New("connection reset by peer")}), transient, 0},
		{fmt.Errorf("error do request for method sendMessage, %w", context.Canceled), permanent, 0},
	} {
		got, wait := classify(c.err)
		if got != c.want || wait != c.wait {
			t.Errorf("classify(%v) = %v, %v; want %v, %v", c.err, got, wait, c.want, c.wait)
		}
	}
}

// A real go-telegram/bot client against a server that answers 429, 502 and
// 403: the adapter waits as asked, retries transient errors, and gives up
// at once on a blocked chat, logging it once.
func TestRetryAndPermanentErrors(t *testing.T) {
	var script atomic.Value
	script.Store("")
	f, u := startFake(t, func(method string, n int) (int, string) {
		if method != "sendMessage" {
			return 200, `{"ok":true,"result":true}`
		}
		switch script.Load().(string) {
		case "429":
			if n == 1 {
				return 429, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}`
			}
		case "502":
			if n <= 2 {
				return 502, `<html>Bad Gateway</html>`
			}
		case "403":
			return 403, `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`
		case "5xx forever":
			return 500, `{"ok":false,"error_code":500,"description":"Internal Server Error"}`
		}
		return 200, `{"ok":true,"result":{"message_id":7,"date":1,"chat":{"id":1001,"type":"private"},"text":"x"}}`
	})
	tg, err := bot.New("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", bot.WithSkipGetMe(), bot.WithServerURL(u),
		bot.WithErrorsHandler(func(error) {}))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	b := newUnitBot(t, &echoHandler{cat: newCatalog(t)}, tg, nil, log)
	var slept []time.Duration
	b.sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	ctx := context.Background()
	reply := conversation.Reply{Text: "hello"}

	run := func(name string) (calls int, err error) {
		script.Store(name)
		f.mu.Lock()
		f.calls["sendMessage"] = 0
		f.mu.Unlock()
		slept = nil
		err = b.Send(ctx, "1001", reply)
		return f.count("sendMessage"), err
	}

	if calls, err := run("429"); err != nil || calls != 2 || len(slept) != 1 || slept[0] != 3*time.Second {
		t.Errorf("429: calls %d, slept %v, err %v", calls, slept, err)
	}
	if calls, err := run("502"); err != nil || calls != 3 || len(slept) != 2 || slept[1] <= slept[0]/2 {
		t.Errorf("502: calls %d, slept %v, err %v", calls, slept, err)
	}
	if calls, err := run("5xx forever"); err == nil || calls != maxAttempts {
		t.Errorf("5xx forever: calls %d, err %v", calls, err)
	}
	if calls, err := run("403"); !errors.Is(err, ErrUnreachable) || calls != 1 || len(slept) != 0 {
		t.Errorf("403: calls %d, slept %v, err %v", calls, slept, err)
	}

	// Through the update path, a blocked chat is logged once.
	logs.Reset()
	script.Store("403")
	for i := range 3 {
		b.process(ctx, privateText(int64(100+i), 1001, "hi"))
	}
	if n := strings.Count(logs.String(), "cannot receive messages"); n != 1 {
		t.Errorf("blocked chat logged %d times:\n%s", n, logs.String())
	}
	script.Store("")
	b.process(ctx, privateText(200, 1001, "hi"))
	script.Store("403")
	b.process(ctx, privateText(201, 1001, "hi"))
	if n := strings.Count(logs.String(), "cannot receive messages"); n != 2 {
		t.Errorf("after the chat was reachable again, logged %d times, want 2", n)
	}
}

// ---------------------------------------------------------------------------
// Update handling without a network

func TestFloodUnit(t *testing.T) {
	f := newFlood(3, 10*time.Second)
	t0 := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	var got []string
	for i := range 6 {
		ok, notice := f.check(1, t0.Add(time.Duration(i)*time.Second))
		got = append(got, fmt.Sprint(ok, notice))
	}
	if want := "[true false true false true false false true false false false false]"; fmt.Sprint(got) != want {
		t.Fatalf("checks = %v, want %v", got, want)
	}
	if ok, _ := f.check(2, t0.Add(5*time.Second)); !ok {
		t.Error("another chat is throttled too")
	}
	if ok, _ := f.check(1, t0.Add(13*time.Second)); !ok {
		t.Error("chat still paused after the window")
	}
	// Messages spread out never trip it.
	g := newFlood(3, 10*time.Second)
	for i := range 50 {
		if ok, _ := g.check(1, t0.Add(time.Duration(i)*4*time.Second)); !ok {
			t.Fatalf("message %d every 4 s throttled", i)
		}
	}
}

func TestDuplicatesAndCursor(t *testing.T) {
	h := &echoHandler{cat: newCatalog(t)}
	a := &fakeAPI{}
	b := newUnitBot(t, h, a, nil, nil)
	b.cursors[7] = 5000
	ctx := context.Background()
	b.process(ctx, privateText(4990, 7, "old"))  // handled before the restart
	b.process(ctx, privateText(5000, 7, "last")) // the cursor itself
	b.process(ctx, privateText(5001, 7, "new"))
	b.process(ctx, privateText(5001, 7, "new")) // delivered twice
	// Telegram restarted its numbering after a quiet week.
	b.process(ctx, privateText(17, 7, "after reset"))
	b.process(ctx, privateText(18, 7, "next"))
	var texts []string
	for _, m := range h.messages() {
		texts = append(texts, fmt.Sprint(m.Text, "@", m.Cursor.Value))
		if m.Cursor.Name != "telegram:42:7" || m.Platform != "telegram" || m.UserID != "7" || m.UserName != "Minji Kim" || m.Lang != "en" {
			t.Errorf("message = %+v", m)
		}
	}
	if want := "[new@5001 after reset@17 next@18]"; fmt.Sprint(texts) != want {
		t.Fatalf("handled %v, want %v", texts, want)
	}
	if got := a.texts(); len(got) != 3 {
		t.Fatalf("replies sent: %q", got)
	}

	// An update the engine failed on for good is not marked as handled.
	h.err = errors.New("no such thing")
	if b.process(ctx, privateText(19, 7, "fails")) {
		t.Error("a lasting failure is to be tried again")
	}
	if b.cursors[7] != 18 {
		t.Errorf("cursor after a failure = %d, want 18", b.cursors[7])
	}
	if got := a.texts(); got[len(got)-1] != "fails" {
		t.Errorf("the engine's replies are not shown after an error: %q", got)
	}
}

func TestDoublePressIsAnsweredOnce(t *testing.T) {
	h := &echoHandler{cat: newCatalog(t)}
	a := &fakeAPI{}
	b := newUnitBot(t, h, a, nil, nil)
	ctx := context.Background()
	// A double tap: two callback queries for the same button of message 9.
	b.process(ctx, pressUpdate(1, 7, 9, "undo:3"))
	b.process(ctx, pressUpdate(2, 7, 9, "undo:3"))
	if got := h.messages(); len(got) != 1 || got[0].Action != "undo:3" {
		t.Fatalf("engine got %+v", got)
	}
	if len(a.edits) != 1 || a.edits[0].MessageID != 9 || a.edits[0].ReplyMarkup != nil {
		t.Fatalf("edits = %+v", a.edits)
	}
	if len(a.answers) != 2 || a.answers[1].Text != b.cat.T("en", "telegram.already_done", nil) {
		t.Fatalf("answers = %+v", a.answers)
	}
	// Another button of another message still works.
	b.process(ctx, pressUpdate(3, 7, 10, "undo:4"))
	if n := len(h.messages()); n != 2 {
		t.Fatalf("engine got %d presses", n)
	}
}

func TestEditReplacesPressedMessageOnly(t *testing.T) {
	h := &echoHandler{cat: newCatalog(t)}
	h.replies = func(conversation.Message) []conversation.Reply {
		return []conversation.Reply{
			{Text: "✓ Kim Jisoo — scone ×1", Buttons: []conversation.Button{{Label: "Undo", Action: "undo:8"}}, Edit: true},
			{Text: "second", Edit: true},
		}
	}
	a := &fakeAPI{}
	b := newUnitBot(t, h, a, nil, nil)
	b.process(context.Background(), pressUpdate(1, 7, 9, "pick:1:2"))
	if len(a.edits) != 1 || a.edits[0].Text != "✓ Kim Jisoo — scone ×1" {
		t.Fatalf("edits = %+v", a.edits)
	}
	kb, ok := a.edits[0].ReplyMarkup.(*inlineKeyboard)
	if !ok || kb.InlineKeyboard[0][0].CallbackData != "undo:8" {
		t.Fatalf("edit markup = %#v", a.edits[0].ReplyMarkup)
	}
	if got := a.texts(); len(got) != 1 || got[0] != "second" {
		t.Fatalf("sent = %q", got)
	}
	// The old "pick" button is gone from message 9, the new Undo is there.
	if !b.keyboards.gone(7, 9, "pick:1:2") || b.keyboards.gone(7, 9, "undo:8") {
		t.Fatal("keyboard of the edited message not tracked")
	}
}

func TestGroupsAnswerOnlyWhenAddressed(t *testing.T) {
	h := &echoHandler{cat: newCatalog(t)}
	a := &fakeAPI{}
	b := newUnitBot(t, h, a, nil, nil)
	group := models.Chat{ID: -100, Type: models.ChatTypeSupergroup}
	from := &models.User{ID: 7, FirstName: "Minji"}
	cmd := func(n int) []models.MessageEntity {
		return []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: n}}
	}
	id := int64(0)
	send := func(m models.Message) {
		id++
		m.ID, m.Chat, m.From = int(id), group, from
		b.process(context.Background(), &models.Update{ID: id, Message: &m})
	}
	send(models.Message{Text: "Kim, croissant"})                    // not for the bot
	send(models.Message{Text: "/undo@OtherBot", Entities: cmd(14)}) // another bot's
	send(models.Message{Text: "/undo", Entities: cmd(5)})
	send(models.Message{Text: "/undo@dangolbot", Entities: cmd(15)})
	send(models.Message{Text: "김민지 @DangolBot 크루아상",
		Entities: []models.MessageEntity{{Type: models.MessageEntityTypeMention, Offset: 4, Length: 10}}})
	send(models.Message{Text: "Lee, latte", ReplyToMessage: &models.Message{From: &models.User{ID: 42}}})
	send(models.Message{Text: "Park, bagel", ReplyToMessage: &models.Message{From: &models.User{ID: 99}}})
	var got []string
	for _, m := range h.messages() {
		got = append(got, m.Text)
	}
	if want := "[/undo /undo@dangolbot 김민지 크루아상 Lee, latte]"; fmt.Sprint(got) != want {
		t.Fatalf("handled %q, want %s", got, want)
	}
	for _, p := range a.sent {
		if p.ChatID != int64(-100) || p.ReplyParameters == nil || p.ReplyParameters.MessageID == 0 {
			t.Errorf("group reply = %+v", p)
		}
	}
}

func TestMediaGetsTextOnlyHint(t *testing.T) {
	h := &echoHandler{cat: newCatalog(t)}
	a := &fakeAPI{}
	b := newUnitBot(t, h, a, nil, nil)
	ctx := context.Background()
	u := privateText(1, 7, "")
	u.Message.Voice = &models.Voice{FileID: "v"}
	b.process(ctx, u)
	u = privateText(2, 7, "")
	u.Message.Photo = []models.PhotoSize{{FileID: "p"}}
	u.Message.Caption = "Kim, birthday cake"
	b.process(ctx, u)
	if got := a.texts(); len(got) != 2 || got[0] != b.cat.T("en", "telegram.text_only", nil) || got[1] != "Kim, birthday cake" {
		t.Fatalf("sent %q", got)
	}
}

func TestWebhookHandler(t *testing.T) {
	h := &echoHandler{cat: newCatalog(t)}
	a := &fakeAPI{}
	b := newUnitBot(t, h, a, nil, nil)
	var stopping atomic.Bool
	srv := httptest.NewServer(b.webhookHandler("/tg/hook", &stopping))
	defer srv.Close()
	update, _ := json.Marshal(privateText(5, 7, "hello"))
	post := func(path, secret string, body []byte) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(body))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := post("/tg/hook", "", update); c != http.StatusUnauthorized {
		t.Errorf("no secret: %d", c)
	}
	if c := post("/tg/hook", "wrong", update); c != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d", c)
	}
	if c := post("/other", "s3cret", update); c != http.StatusNotFound {
		t.Errorf("other path: %d", c)
	}
	if resp, err := http.Get(srv.URL + "/tg/hook"); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %v %v", resp.StatusCode, err)
	}
	if len(h.messages()) != 0 {
		t.Fatal("a refused request reached the engine")
	}
	if c := post("/tg/hook", "s3cret", update); c != http.StatusOK {
		t.Errorf("good request: %d", c)
	}
	if got := a.texts(); len(got) != 1 || got[0] != "hello" {
		t.Fatalf("the update was not handled before the answer: %q", got)
	}
	if c := post("/tg/hook", "s3cret", update); c != http.StatusOK || len(h.messages()) != 1 {
		t.Errorf("a repeated post is handled again: %d, %d", c, len(h.messages()))
	}
	if c := post("/tg/hook", "s3cret", []byte(`{"update_id":6,"message":{"chat":"not an object"}}`)); c != http.StatusOK {
		t.Errorf("undecodable update: %d", c)
	}
	stopping.Store(true)
	if c := post("/tg/hook", "s3cret", update); c != http.StatusServiceUnavailable {
		t.Errorf("while stopping: %d", c)
	}
}

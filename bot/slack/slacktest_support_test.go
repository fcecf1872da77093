package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
	"github.com/dangol/dangol/storage"
)

// Test users and the bot. Direct message channels are "D" + user id.
const (
	botUser   = "UBOT"
	ownerID   = "UOWNER"
	staffID   = "USTAFF"
	strangeID = "USTRANGER"
	counterID = "C0COUNTER"
)

var testNames = map[string]string{ownerID: "Mina Owner", staffID: "Jun Staff", strangeID: "Pat Stranger"}

// waitFor is how long a test waits for the bot to do something.
const waitFor = 5 * time.Second

// apiCall is one Web API call the bot made that people would see.
type apiCall struct {
	Method   string // chat.postMessage or chat.update
	Channel  string
	TS       string // the posted or updated message
	ThreadTS string
	Text     string // the notification text
	Sections []string
	Buttons  []testButton
}

type testButton struct{ Label, ActionID, Value string }

// Shown is the text of the message's sections.
func (c apiCall) Shown() string { return strings.Join(c.Sections, "\n") }

// fakeSlack is slacktest's server with the Web API methods the adapter
// uses replaced by recording ones. slacktest's own chat.postMessage echoes
// onto the websocket and keeps nothing a test can check.
type fakeSlack struct {
	t   *testing.T
	srv *slacktest.Server

	mu        sync.Mutex
	calls     []apiCall
	acks      map[string]int // envelope id → acknowledgements seen
	ackOrder  []string
	seq       int
	authError string // auth.test answers with this error when set
	openError string // apps.connections.open answers with this error when set
	postError map[string]string
	joined    []string
	listed    int
	uploads   map[string]upload // by file id
}

// upload is a file the bot uploaded, and where it was shared.
type upload struct {
	Name, Alt, Channel, ThreadTS string
	Data                         []byte
	Shared                       bool
}

func newFakeSlack(t *testing.T) *fakeSlack {
	t.Helper()
	f := &fakeSlack{t: t, acks: map[string]int{}, postError: map[string]string{}, uploads: map[string]upload{}}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/auth.test", f.authTest)
		c.Handle("/apps.connections.open", f.connectionsOpen)
		c.Handle("/chat.postMessage", f.postMessage)
		c.Handle("/chat.update", f.update)
		c.Handle("/conversations.open", f.conversationsOpen)
		c.Handle("/conversations.list", f.conversationsList)
		c.Handle("/conversations.join", f.conversationsJoin)
		c.Handle("/users.info", f.usersInfo)
		c.Handle("/files.getUploadURLExternal", f.uploadURL)
		c.Handle("/upload/", f.upload)
		c.Handle("/files.completeUploadExternal", f.completeUpload)
	})
	f.srv.Start()
	// SeenFeed carries what the bot writes on the websocket (its
	// acknowledgements); it is unbuffered and blocks the server until read.
	feed := f.srv.SeenFeed
	done := make(chan struct{})
	go func() {
		for {
			select {
			case m := <-feed:
				var ack struct {
					ID string `json:"envelope_id"`
				}
				if json.Unmarshal([]byte(m), &ack) == nil && ack.ID != "" {
					f.mu.Lock()
					f.acks[ack.ID]++
					f.ackOrder = append(f.ackOrder, ack.ID)
					f.mu.Unlock()
				}
			case <-done:
				return
			}
		}
	}()
	t.Cleanup(func() {
		f.srv.Stop()
		close(done)
	})
	return f
}

func (f *fakeSlack) apiURL() string { return f.srv.GetAPIURL() }

// uploadURL is files.getUploadURLExternal: a URL on this server.
func (f *fakeSlack) uploadURL(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	f.mu.Lock()
	f.seq++
	id := fmt.Sprintf("F%06d", f.seq)
	f.uploads[id] = upload{Name: v.Get("filename"), Alt: v.Get("alt_txt")}
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "file_id": id, "upload_url": strings.TrimSuffix(f.apiURL(), "/") + "/upload/" + id})
}

// upload receives a file's bytes (a multipart form, or the body).
func (f *fakeSlack) upload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	var data []byte
	if file, _, err := r.FormFile("file"); err == nil {
		data, _ = io.ReadAll(file)
	} else {
		data, _ = io.ReadAll(r.Body)
	}
	f.mu.Lock()
	u := f.uploads[id]
	u.Data = data
	f.uploads[id] = u
	f.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// completeUpload is files.completeUploadExternal: shares the files.
func (f *fakeSlack) completeUpload(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	var files []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(v.Get("files")), &files); err != nil || len(files) == 0 {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]any
	for _, file := range files {
		u, ok := f.uploads[file.ID]
		if !ok || len(u.Data) == 0 {
			writeJSON(w, map[string]any{"ok": false, "error": "file_not_found"})
			return
		}
		u.Channel, u.ThreadTS, u.Shared = v.Get("channel_id"), v.Get("thread_ts"), true
		f.uploads[file.ID] = u
		out = append(out, map[string]any{"id": file.ID, "title": file.Title})
	}
	writeJSON(w, map[string]any{"ok": true, "files": out})
}

// shared returns the files shared so far.
func (f *fakeSlack) shared() []upload {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []upload
	for _, u := range f.uploads {
		if u.Shared {
			out = append(out, u)
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func form(r *http.Request) url.Values {
	body, _ := io.ReadAll(r.Body)
	v, _ := url.ParseQuery(string(body))
	for k, vs := range r.URL.Query() {
		v[k] = append(v[k], vs...)
	}
	return v
}

func (f *fakeSlack) authTest(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	e := f.authError
	f.mu.Unlock()
	if e != "" {
		writeJSON(w, map[string]any{"ok": false, "error": e})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "url": "https://test.slack.com/", "team": "Bakery", "user": "dangol",
		"team_id": "T1", "user_id": botUser, "bot_id": "BBOT"})
}

func (f *fakeSlack) connectionsOpen(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	e := f.openError
	f.mu.Unlock()
	if e != "" {
		writeJSON(w, map[string]any{"ok": false, "error": e})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "url": f.srv.GetWSURL()})
}

// record keeps a chat call and returns its message ts.
func (f *fakeSlack) record(method string, v url.Values) (apiCall, error) {
	c := apiCall{Method: method, Channel: v.Get("channel"), ThreadTS: v.Get("thread_ts"), Text: v.Get("text"), TS: v.Get("ts")}
	if raw := v.Get("blocks"); raw != "" {
		var blocks slack.Blocks
		if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
			return c, err
		}
		for _, b := range blocks.BlockSet {
			switch b := b.(type) {
			case *slack.SectionBlock:
				c.Sections = append(c.Sections, b.Text.Text)
			case *slack.ActionBlock:
				for _, el := range b.Elements.ElementSet {
					if btn, ok := el.(*slack.ButtonBlockElement); ok {
						c.Buttons = append(c.Buttons, testButton{Label: btn.Text.Text, ActionID: btn.ActionID, Value: btn.Value})
					}
				}
			}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.TS == "" {
		f.seq++
		c.TS = fmt.Sprintf("1700000000.%06d", f.seq)
	}
	f.calls = append(f.calls, c)
	return c, nil
}

func (f *fakeSlack) postMessage(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	f.mu.Lock()
	e := f.postError[v.Get("channel")]
	f.mu.Unlock()
	if e != "" {
		writeJSON(w, map[string]any{"ok": false, "error": e})
		return
	}
	c, err := f.record("chat.postMessage", v)
	if err != nil {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_blocks"})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "channel": c.Channel, "ts": c.TS, "message": map[string]any{"text": c.Text, "ts": c.TS}})
}

func (f *fakeSlack) update(w http.ResponseWriter, r *http.Request) {
	c, err := f.record("chat.update", form(r))
	if err != nil {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_blocks"})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "channel": c.Channel, "ts": c.TS, "text": c.Text})
}

func (f *fakeSlack) conversationsOpen(w http.ResponseWriter, r *http.Request) {
	users := form(r).Get("users")
	writeJSON(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + users}})
}

func (f *fakeSlack) conversationsList(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	f.listed++
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "channels": []map[string]any{
		{"id": "C0GENERAL", "name": "general", "is_channel": true},
		{"id": counterID, "name": "counter", "is_channel": true},
	}, "response_metadata": map[string]any{"next_cursor": ""}})
}

func (f *fakeSlack) conversationsJoin(w http.ResponseWriter, r *http.Request) {
	ch := form(r).Get("channel")
	f.mu.Lock()
	f.joined = append(f.joined, ch)
	delete(f.postError, ch)
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "channel": map[string]any{"id": ch}})
}

func (f *fakeSlack) usersInfo(w http.ResponseWriter, r *http.Request) {
	id := form(r).Get("user")
	name, ok := testNames[id]
	if !ok {
		writeJSON(w, map[string]any{"ok": false, "error": "user_not_found"})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "user": map[string]any{"id": id, "name": strings.ToLower(strings.Fields(name)[0]),
		"real_name": name, "locale": "en-US", "profile": map[string]any{"display_name": name, "real_name": name}}})
}

// chat returns the chat calls so far.
func (f *fakeSlack) chat() []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]apiCall(nil), f.calls...)
}

func (f *fakeSlack) ackCount(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.acks[id]
}

// push sends a raw Socket Mode envelope and waits until the bot has
// acknowledged it (once more than before). Envelopes are pushed one at a
// time: slacktest delivers each from its own goroutine, so only waiting
// for the acknowledgement keeps them in order.
func (f *fakeSlack) push(envelope string) {
	f.t.Helper()
	var env struct {
		ID string `json:"envelope_id"`
	}
	if err := json.Unmarshal([]byte(envelope), &env); err != nil || env.ID == "" {
		f.t.Fatalf("bad test envelope %s: %v", envelope, err)
	}
	before := f.ackCount(env.ID)
	f.srv.SendToWebsocket(envelope)
	eventually(f.t, "acknowledgement of "+env.ID, func() bool { return f.ackCount(env.ID) > before })
}

// eventually polls ok until it holds or waitFor passes.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// Envelopes, as Slack sends them in Socket Mode.

type envelopes struct {
	mu sync.Mutex
	n  int
}

func (e *envelopes) next() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.n++
	return e.n
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func eventEnvelope(envID, eventID string, retry int, event map[string]any) string {
	return mustJSON(map[string]any{
		"envelope_id": envID, "type": "events_api", "accepts_response_payload": false,
		"retry_attempt": retry, "retry_reason": map[bool]string{true: "timeout"}[retry > 0],
		"payload": map[string]any{
			"token": "verification", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
			"event_id": eventID, "event_time": 1700000000, "event": event,
		},
	})
}

func dmEvent(user, text, ts string) map[string]any {
	return map[string]any{"type": "message", "channel": "D" + user, "channel_type": "im", "user": user,
		"text": text, "ts": ts, "event_ts": ts, "client_msg_id": "m" + ts}
}

func mentionEvent(channel, user, text, ts, threadTS string) map[string]any {
	ev := map[string]any{"type": "app_mention", "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	return ev
}

func pressEnvelope(envID, trigger, user, channel, messageTS, threadTS, value, actionID string) string {
	container := map[string]any{"type": "message", "message_ts": messageTS, "channel_id": channel, "is_ephemeral": false}
	message := map[string]any{"type": "message", "ts": messageTS, "user": botUser, "bot_id": "BBOT"}
	if threadTS != "" {
		container["thread_ts"] = threadTS
		message["thread_ts"] = threadTS
	}
	return mustJSON(map[string]any{
		"envelope_id": envID, "type": "interactive", "accepts_response_payload": false,
		"payload": map[string]any{
			"type": "block_actions", "trigger_id": trigger, "api_app_id": "A1", "team": map[string]any{"id": "T1"},
			"user":      map[string]any{"id": user, "username": "u", "name": "u", "team_id": "T1"},
			"container": container, "channel": map[string]any{"id": channel, "name": "x"}, "message": message,
			"actions": []map[string]any{{"type": "button", "block_id": "b1", "action_id": actionID, "value": value,
				"text": map[string]any{"type": "plain_text", "text": "Undo"}, "action_ts": "1700000100.000100"}},
		},
	})
}

func slashEnvelope(envID, trigger, user, channel, text string) string {
	return mustJSON(map[string]any{
		"envelope_id": envID, "type": "slash_commands", "accepts_response_payload": true,
		"payload": map[string]any{"token": "verification", "team_id": "T1", "channel_id": channel, "user_id": user,
			"user_name": "u", "command": "/dangol", "text": text, "trigger_id": trigger, "api_app_id": "A1"},
	})
}

// harness is the whole stack: SQLite, the engine, the adapter running
// against fakeSlack.
type harness struct {
	t      *testing.T
	ctx    context.Context
	fake   *fakeSlack
	db     *storage.DB
	engine *conversation.Engine
	shop   crm.Shop
	code   string // the owner's setup code
	bot    *Bot
	env    envelopes
	now    time.Time
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	ctx := t.Context()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "dangol.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	shop, err := db.CreateShop(ctx, crm.Shop{Name: "Test bakery", Lang: "en"})
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
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, shop.Location()) // a Tuesday
	engine, err := conversation.New(conversation.Config{Store: db, Catalog: cat, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	code, ok, err := engine.SetupCode(ctx, shop)
	if err != nil || !ok {
		t.Fatalf("setup code: %v %v", ok, err)
	}
	fake := newFakeSlack(t)
	bot, err := New(ctx, Config{AppToken: "xapp-1-A1-test", BotToken: "xoxb-test", APIURL: strings.TrimSuffix(fake.apiURL(), "/"),
		Handler: engine, Settings: db, Log: testLogger(t), PingInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- bot.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-ran:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(waitFor):
			t.Error("Run did not return after cancellation")
		}
	})
	return &harness{t: t, ctx: ctx, fake: fake, db: db, engine: engine, shop: shop, code: code, bot: bot, now: now}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", strings.TrimSpace(string(p)))
	return len(p), nil
}

// ids returns fresh envelope, event and message ids.
func (h *harness) ids() (envID, eventID, ts string) {
	n := h.env.next()
	return fmt.Sprintf("env-%d", n), fmt.Sprintf("Ev%04d", n), fmt.Sprintf("1700001000.%06d", n)
}

// pushAndWait pushes an envelope and waits for want chat calls that were
// not there before; it returns them.
func (h *harness) pushAndWait(envelope string, want int) []apiCall {
	h.t.Helper()
	before := len(h.fake.chat())
	h.fake.push(envelope)
	var got []apiCall
	eventually(h.t, fmt.Sprintf("%d answer(s) to %s", want, envelope), func() bool {
		got = h.fake.chat()[before:]
		return len(got) >= want
	})
	return got
}

// dm sends text as a direct message from user and returns the answer.
func (h *harness) dm(user, text string) apiCall {
	h.t.Helper()
	env, ev, ts := h.ids()
	return h.pushAndWait(eventEnvelope(env, ev, 0, dmEvent(user, text, ts)), 1)[0]
}

// settle makes sure every envelope pushed so far has been handled: it
// sends a direct message and waits for its answer (the worker handles
// envelopes in order). It returns the chat calls made before that answer,
// since mark.
func (h *harness) settle(mark int) []apiCall {
	h.t.Helper()
	h.dm(ownerID, "help")
	calls := h.fake.chat()
	return calls[mark : len(calls)-1]
}

// claim makes the owner claim the shop.
func (h *harness) claim() {
	h.t.Helper()
	c := h.dm(ownerID, "claim "+h.code)
	if !strings.Contains(c.Shown(), "owner of “Test bakery”") {
		h.t.Fatalf("claim answer = %q", c.Shown())
	}
}

// press presses a button of a recorded message as user.
func (h *harness) press(user string, msg apiCall, b testButton, wantCalls int) []apiCall {
	h.t.Helper()
	env, _, _ := h.ids()
	return h.pushAndWait(pressEnvelope(env, "trig-"+env, user, msg.Channel, msg.TS, msg.ThreadTS, b.Value, b.ActionID), wantCalls)
}

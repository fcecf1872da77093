package telegram

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/dangol/dangol/bot/telegram/internal/tgemu"
	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
)

// guestName is a distinct customer name for note i ("Kim Bafbafbaf",
// "Kim Bafbafceg", …), so that each confirmation can be told apart. Each
// digit of i is a syllable that differs from every other digit's in all
// three letters, so two names are never within the owner's typo distance
// of each other (which would make Dangol ask "did you mean …?").
func guestName(i int) string {
	const a, b = "bcdfghjklm", "aeiouyrstw"
	out := []byte("Kim ")
	for div := 100; div > 0; div /= 10 {
		d := i / div % 10
		out = append(out, a[d], b[d], a[(d+3)%10])
	}
	out[4] -= 'a' - 'A'
	return string(out)
}

// countLines counts, over the bot's messages, the lines that start with
// prefix.
func countLines(msgs []tgemu.Message, prefix string) int {
	n := 0
	for _, m := range msgs {
		for _, line := range strings.Split(m.Text, "\n") {
			if strings.HasPrefix(line, prefix) {
				n++
			}
		}
	}
	return n
}

// A backlog of an owner's notes (a restart, a lock wait) is all recorded
// and confirmed once; only a stranger who floods, counted by the dates
// their messages were sent, is throttled.
func TestFloodSlowsRepliesNotRecords(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	s.claim(owner)
	s.stop()

	// Down for a while: the owner wrote a note a second, one stranger
	// one message a second, another stranger 30 in one second.
	slow := tgemu.User{ID: 1004, FirstName: "Sol", LanguageCode: "en"}
	base := time.Now().Add(-time.Minute)
	const notes = 40
	for i := range notes {
		at := base.Add(time.Duration(i) * time.Second)
		s.e.SendMessageAt(t, owner, owner.ID, guestName(i)+", croissant", at)
		if i < 25 {
			s.e.SendMessageAt(t, slow, slow.ID, "hello", at)
		}
	}
	for range 30 {
		s.e.SendMessageAt(t, stranger, stranger.ID, "hello", base.Add(notes*time.Second))
	}
	s.start()
	msgs := s.e.WaitBotMessagesFunc(t, owner.ID, 3*wait, func(ms []tgemu.Message) bool {
		return countLines(ms, "✓ Kim") >= notes
	}, "every confirmation")
	for i := range notes {
		if n := countLines(msgs, "✓ "+guestName(i)+" "); n != 1 {
			t.Errorf("%s confirmed %d times", guestName(i), n)
		}
		if v := len(s.visits(guestName(i))); v != 1 {
			t.Errorf("%s has %d visits", guestName(i), v)
		}
	}
	// The replies were slowed: fewer messages than notes.
	if len(msgs) >= notes {
		t.Errorf("%d messages for %d notes: nothing was coalesced", len(msgs), notes)
	}
	intro := s.cat.T("ko", "stranger.intro", nil)
	flood := s.cat.T("ko", "telegram.flood", nil)
	got := s.e.WaitBotMessages(t, slow.ID, 25, wait)
	for _, m := range got {
		if m.Text != s.cat.T("en", "stranger.intro", nil) {
			t.Fatalf("a stranger writing once a second got %q", m.Text)
		}
	}
	got = s.e.WaitBotMessagesFunc(t, stranger.ID, wait, func(ms []tgemu.Message) bool {
		return len(ms) > 0 && ms[len(ms)-1].Text == flood
	}, "the flood notice")
	s.e.SendMessageAt(t, slow, slow.ID, "/help", time.Now()) // in order after the flood
	s.e.WaitBotMessages(t, slow.ID, 26, wait)
	got = s.messages(stranger.ID)
	if len(got) != floodLimit+1 || got[0].Text != intro {
		t.Fatalf("a flooding stranger got %d messages (%q …), want %d intros and the notice", len(got), got[0].Text, floodLimit)
	}
}

// The flood count goes by when messages were sent, not when they are
// handled: a backlog written slowly is not a flood.
func TestFloodCountsMessageDates(t *testing.T) {
	h := &echoHandler{cat: newCatalog(t)}
	a := &fakeAPI{}
	b := newUnitBot(t, h, a, func() time.Time { return thursday }, nil)
	ctx := context.Background()
	for i := range 40 {
		u := privateText(int64(i+1), 7, fmt.Sprint("msg ", i))
		u.Message.Date = int(thursday.Add(time.Duration(i-60) * time.Second).Unix())
		b.process(ctx, u)
	}
	if n := len(h.messages()); n != 40 {
		t.Fatalf("%d of 40 messages sent a second apart reached the engine", n)
	}
	for i := range 40 {
		u := privateText(int64(100+i), 8, "fast")
		u.Message.Date = int(thursday.Unix())
		b.process(ctx, u)
	}
	if n := len(h.messages()); n != 40+floodLimit {
		t.Fatalf("%d messages of a flood reached the engine, want %d", n-40, floodLimit)
	}
}

// flaky fails the first fails notes with a passing error, as a locked
// database does, and records every call.
type flaky struct {
	Handler
	mu    sync.Mutex
	fails int
	calls []string
}

func (f *flaky) Handle(ctx context.Context, m conversation.Message) ([]conversation.Reply, error) {
	f.mu.Lock()
	f.calls = append(f.calls, m.Text)
	fail := strings.HasPrefix(m.Text, "Kim") && f.fails > 0
	if fail {
		f.fails--
	}
	f.mu.Unlock()
	if fail {
		return []conversation.Reply{{Text: "nothing was saved"}}, fmt.Errorf("record: %w", crm.ErrTemporary)
	}
	return f.Handler.Handle(ctx, m)
}

// A note that fails for a passing reason is tried again, not confirmed
// as lost; Telegram's offset does not move past it meanwhile, the person
// hears once that saving is slow, and other chats go on.
func TestTransientFailureIsRetried(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	f := &flaky{Handler: s.engine, fails: slowNotice}
	s.handler = f
	s.start()
	s.claim(owner)
	s.e.SendMessage(t, owner, owner.ID, "Kim Minji, croissant")
	id := s.e.LastUpdateID(t)
	// Another chat is answered while the note waits.
	if got := s.send(stranger, "hello"); got.Text != s.cat.T("ko", "stranger.intro", nil) {
		t.Fatalf("another chat got %q", got.Text)
	}
	msgs := s.e.WaitBotMessagesFunc(t, owner.ID, 3*wait, func(ms []tgemu.Message) bool {
		return strings.HasPrefix(ms[len(ms)-1].Text, "✓ Kim Minji")
	}, "the confirmation")
	if n := len(s.visits("Kim Minji")); n != 1 {
		t.Fatalf("%d visits after retries", n)
	}
	var texts []string
	for _, m := range msgs[1:] {
		texts = append(texts, m.Text)
	}
	if len(texts) != 2 || texts[0] != s.cat.T("en", "telegram.retrying", nil) {
		t.Fatalf("owner saw %q; want the slow notice, then the confirmation", texts)
	}
	for _, c := range f.calls {
		if c == "nothing was saved" {
			t.Fatal("a passing failure was shown as lost")
		}
	}
	s.sync(owner)
	for _, u := range s.e.Updates(t) {
		if u.ID == id && !u.Confirmed {
			t.Fatalf("update %d not confirmed after it was handled", id)
		}
	}
}

// A real "database is locked": another process holds SQLite's write lock
// past the busy timeout. The note is saved once the lock goes.
func TestLockedDatabaseIsRetried(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	s.claim(owner)
	lock, err := sql.Open("sqlite3", "file:"+s.path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	tx, err := lock.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE shops SET name = name`); err != nil {
		t.Fatal(err)
	}
	s.e.SendMessage(t, owner, owner.ID, "Kim Minji, croissant")
	id := s.e.LastUpdateID(t)
	time.Sleep(7 * time.Second) // past the 5 s busy timeout
	for _, u := range s.e.Updates(t) {
		if u.ID == id && u.Confirmed {
			t.Fatal("the offset moved past a note that was not saved")
		}
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	s.e.WaitBotMessagesFunc(t, owner.ID, 3*wait, func(ms []tgemu.Message) bool {
		return strings.HasPrefix(ms[len(ms)-1].Text, "✓ Kim Minji")
	}, "the confirmation")
	if n := len(s.visits("Kim Minji")); n != 1 {
		t.Fatalf("%d visits", n)
	}
}

// rawDB opens the stack's database file for a test's own queries.
func rawDB(s *stack) *sql.DB {
	db, err := sql.Open("sqlite3", "file:"+s.path+"?_busy_timeout=5000")
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { db.Close() })
	return db
}

// The webhook answers 503 to an update that failed for a passing reason,
// so Telegram posts it again, and 200 once it was handled.
func TestWebhookTransientFailure(t *testing.T) {
	h := &echoHandler{cat: newCatalog(t), err: fmt.Errorf("locked: %w", crm.ErrTemporary)}
	a := &fakeAPI{}
	b := newUnitBot(t, h, a, nil, nil)
	var stopping atomic.Bool
	srv := httptest.NewServer(b.webhookHandler("/hook", &stopping))
	defer srv.Close()
	update, _ := json.Marshal(privateText(5, 7, "Kim, croissant"))
	post := func() int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/hook", bytes.NewReader(update))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := post(); c != http.StatusServiceUnavailable {
		t.Fatalf("a passing failure answered %d", c)
	}
	if n := len(h.messages()); n != webhookTries {
		t.Fatalf("%d tries before giving up, want %d", n, webhookTries)
	}
	if got := a.texts(); len(got) != 0 {
		t.Fatalf("sent %q for an update that will come again", got)
	}
	h.err = nil
	if c := post(); c != http.StatusOK {
		t.Fatalf("the post again answered %d", c)
	}
	if got := a.texts(); len(got) != 1 || got[0] != "Kim, croissant" {
		t.Fatalf("sent %q", got)
	}
	if c := post(); c != http.StatusOK || len(h.messages()) != webhookTries+1 {
		t.Fatalf("a third post: %d, handled %d times", c, len(h.messages()))
	}
}

// holdChat stops the first message of one chat until released.
type holdChat struct {
	Handler
	chat    string
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (h *holdChat) Handle(ctx context.Context, m conversation.Message) ([]conversation.Reply, error) {
	if m.UserID == h.chat {
		h.once.Do(func() {
			close(h.entered)
			<-h.release
		})
	}
	return h.Handler.Handle(ctx, m)
}

// Chats are handled side by side, each in order: one chat's slow update
// holds up neither the others nor the offset beyond what is handled.
func TestChatsRunSideBySide(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	h := &holdChat{Handler: s.engine, chat: "1001", entered: make(chan struct{}), release: make(chan struct{})}
	s.handler = h
	s.start()
	s.e.SendCommand(t, owner, owner.ID, "/claim "+s.code)
	<-h.entered
	held := s.e.LastUpdateID(t)
	s.e.SendMessage(t, owner, owner.ID, "Kim Minji, croissant") // behind the held one
	for i := range 3 {
		if got := s.send(stranger, fmt.Sprint("hello ", i)); got.Text != s.cat.T("ko", "stranger.intro", nil) {
			t.Fatalf("another chat got %q", got.Text)
		}
	}
	if n := len(s.messages(owner.ID)); n != 0 {
		t.Fatalf("the held chat got %d answers", n)
	}
	for _, u := range s.e.Updates(t) {
		if u.ID >= held && u.FromID == owner.ID && u.Confirmed {
			t.Fatalf("update %d of the held chat confirmed before it was handled", u.ID)
		}
	}
	close(h.release)
	msgs := s.e.WaitBotMessages(t, owner.ID, 2, wait)
	if msgs[0].Text != s.cat.T("en", "claim.owner", map[string]any{"Shop": s.shop.Name}) || !strings.HasPrefix(msgs[1].Text, "✓ Kim Minji") {
		t.Fatalf("the held chat's answers out of order: %q, %q", msgs[0].Text, msgs[1].Text)
	}
}

// crashAfterCommit lets the engine save the note (and its reply) and then
// fails as if the process had died before answering.
type crashAfterCommit struct{ Handler }

func (c crashAfterCommit) Handle(ctx context.Context, m conversation.Message) ([]conversation.Reply, error) {
	replies, err := c.Handler.Handle(ctx, m)
	if err == nil && strings.HasPrefix(m.Text, "Kim") {
		return nil, errors.New("killed")
	}
	return replies, err
}

// A crash between the commit and the reply: the reply was stored with the
// note and is sent after the restart, once; the redelivered update records
// nothing.
func TestReplyAfterCrash(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.handler = crashAfterCommit{Handler: s.engine}
	s.start()
	s.claim(owner)
	s.e.SendMessage(t, owner, owner.ID, "Kim Minji, croissant")
	id := s.e.LastUpdateID(t)
	s.sync(owner)
	if n := len(s.visits("Kim Minji")); n != 1 {
		t.Fatalf("%d visits", n)
	}
	if msgs := s.messages(owner.ID); len(msgs) != 2 {
		t.Fatalf("before the restart: %+v", msgs)
	}
	s.stop()
	s.handler = s.engine
	s.start()
	s.e.WaitBotMessagesFunc(t, owner.ID, wait, func(ms []tgemu.Message) bool {
		return countLines(ms, "✓ Kim Minji") > 0
	}, "the stored confirmation")
	s.e.Redeliver(t, id)
	s.sync(owner)
	msgs := s.messages(owner.ID)
	if n := countLines(msgs, "✓ Kim Minji"); n != 1 {
		t.Fatalf("confirmed %d times after the restart: %+v", n, msgs)
	}
	var confirmation tgemu.Message
	for _, m := range msgs {
		if strings.HasPrefix(m.Text, "✓ Kim Minji") {
			confirmation = m
		}
	}
	if d := buttonData(confirmation); len(d) != 1 || !strings.HasPrefix(d[0], "undo:") {
		t.Fatalf("the stored confirmation lost its Undo button: %+v", confirmation)
	}
	if n := len(s.visits("Kim Minji")); n != 1 {
		t.Fatalf("%d visits after the redelivery", n)
	}
	// The reply is marked sent just after Telegram took it.
	for deadline := time.Now().Add(wait); ; time.Sleep(20 * time.Millisecond) {
		unsent, _ := s.db.UnsentReplies(s.ctx, "")
		if len(unsent) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("replies still unsent: %+v", unsent)
		}
	}
}

// A large ledger is imported in the background: the owner hears at once
// that it goes on, other chats (and the owner's own notes) are answered
// meanwhile, and the final count arrives when it is done.
func TestLargeLedgerInBackground(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.background = true
	s.start()
	s.claim(owner)
	var csv strings.Builder
	csv.WriteString("date,customer,items,amount\n")
	const rows = 12000
	for i := range rows {
		fmt.Fprintf(&csv, "2026-%02d-%02d,Guest %d,croissant x2; latte,4500\n", 1+i%10, 1+i%28, i%3000)
	}
	if csv.Len() <= 256<<10 {
		t.Fatalf("the ledger is only %d bytes", csv.Len())
	}
	got := s.sendDocument(owner, "big.csv", []byte(csv.String()), "")
	if want := s.cat.T("en", "import.queued", map[string]any{"Name": "big.csv"}); got.Text != want {
		t.Fatalf("answer = %q, want %q", got.Text, want)
	}
	if got := s.send(stranger, "hello"); got.Text != s.cat.T("ko", "stranger.intro", nil) {
		t.Fatalf("another chat got %q", got.Text)
	}
	done := s.cat.T("en", "import.done", map[string]any{"Customers": 3000, "Visits": rows})
	s.e.WaitBotMessagesFunc(t, owner.ID, 6*wait, func(ms []tgemu.Message) bool {
		return ms[len(ms)-1].Text == done
	}, "the import's final count")
	var visits int
	if err := rawDB(s).QueryRow(`SELECT count(*), coalesce(sum(amount), 0) FROM visits`).Scan(&visits, new(int)); err != nil {
		t.Fatal(err)
	}
	if visits != rows {
		t.Fatalf("%d visits", visits)
	}
}

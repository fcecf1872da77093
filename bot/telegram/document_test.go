package telegram

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dangol/dangol/bot/telegram/internal/tgemu"
	"github.com/dangol/dangol/conversation"
)

const ledgerCSV = "date,customer,items,amount\n2026-11-20,Kim Minji,croissant,4500\n2026-11-21,Lee Hana,latte,5000\n"

// sendDocument makes u send a document and waits for the bot's next
// message in u's chat.
func (s *stack) sendDocument(u tgemu.User, name string, data []byte, caption string) tgemu.Message {
	s.t.Helper()
	n := len(s.messages(u.ID))
	s.e.SendDocument(s.t, u, u.ID, name, data, caption)
	return s.e.WaitBotMessages(s.t, u.ID, n+1, wait)[n]
}

func TestDocumentImportsLedger(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	s.claim(owner)

	got := s.sendDocument(owner, "ledger.csv", []byte(ledgerCSV), "")
	if want := s.cat.T("en", "import.done", map[string]any{"Customers": 2, "Visits": 2}); got.Text != want {
		t.Fatalf("import answer = %q, want %q", got.Text, want)
	}
	for _, name := range []string{"Kim Minji", "Lee Hana"} {
		if n := len(s.visits(name)); n != 1 {
			t.Fatalf("%s has %d visits after the import", name, n)
		}
	}

	// The same file again imports nothing; a caption comes along unread.
	got = s.sendDocument(owner, "ledger.csv", []byte(ledgerCSV), "the same again")
	want := s.cat.T("en", "import.done", map[string]any{"Customers": 0, "Visits": 0}) + "\n" +
		s.cat.N("en", "import.skipped", 2, nil)
	if got.Text != want {
		t.Fatalf("second import answer = %q, want %q", got.Text, want)
	}
	for _, name := range []string{"Kim Minji", "Lee Hana"} {
		if n := len(s.visits(name)); n != 1 {
			t.Fatalf("%s has %d visits after the second import", name, n)
		}
	}
	if n := len(s.e.Calls(t, "getFile")); n != 2 {
		t.Fatalf("%d getFile calls, want 2", n)
	}
	if n := s.e.RequestCount(t, "fileDownload"); n != 2 {
		t.Fatalf("%d downloads, want 2", n)
	}
}

func TestDocumentRefused(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	s.claim(owner)
	inv := s.send(owner, "/invite")
	code := regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`).FindString(inv.Text)
	if got := s.send(staffer, "/join "+code); got.Text != s.cat.T("en", "claim.staff", map[string]any{"Shop": s.shop.Name}) {
		t.Fatalf("join answer = %q", got.Text)
	}

	if got := s.sendDocument(staffer, "ledger.csv", []byte(ledgerCSV), ""); got.Text != s.cat.T("en", "access.owner_only", nil) {
		t.Fatalf("staff document answer = %q", got.Text)
	}
	if got := s.sendDocument(owner, "photo.png", []byte(ledgerCSV), ""); got.Text != s.cat.T("en", "import.not_csv", nil) {
		t.Fatalf("non-CSV document answer = %q", got.Text)
	}
	if got := s.sendDocument(stranger, "ledger.csv", []byte(ledgerCSV), ""); got.Text != s.cat.T("ko", "stranger.intro", nil) {
		t.Fatalf("stranger document answer = %q", got.Text)
	}
	for _, name := range []string{"Kim Minji", "Lee Hana"} {
		if cs, _ := s.db.FindCustomers(s.ctx, s.shop.ID, name); len(cs) != 0 {
			t.Fatalf("a refused document created %+v", cs)
		}
	}
	if ms, _ := s.db.Memberships(s.ctx, "telegram", "1003"); len(ms) != 0 {
		t.Fatalf("stranger is a member: %+v", ms)
	}
}

func TestDocumentTooBigIsNotDownloaded(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	s.claim(owner)
	big := bytes.Repeat([]byte("x"), conversation.MaxFile+1)
	if got := s.sendDocument(owner, "ledger.csv", big, ""); got.Text != s.cat.T("en", "telegram.file_too_big", nil) {
		t.Fatalf("big document answer = %q", got.Text)
	}
	if n := len(s.e.Calls(t, "getFile")); n != 0 {
		t.Fatalf("%d getFile calls for a document over the limit", n)
	}
	if n := s.e.RequestCount(t, "fileDownload"); n != 0 {
		t.Fatalf("%d downloads for a document over the limit", n)
	}
	// The chat goes on.
	s.sync(owner)
}

// fileFake is a Bot API fake that also answers getFile. The unit tests
// call process on their own goroutine, so it needs no lock of its own.
type fileFake struct {
	fakeAPI
	gets  int
	file  models.File
	err   error
	files []string
}

func (f *fileFake) GetFile(_ context.Context, p *bot.GetFileParams) (*models.File, error) {
	f.gets++
	f.files = append(f.files, p.FileID)
	if f.err != nil {
		return nil, f.err
	}
	file := f.file
	return &file, nil
}

// fileHandler records the files it is handed.
type fileHandler struct {
	*echoHandler
	files []conversation.File
	texts []string
}

func (h *fileHandler) Handle(ctx context.Context, m conversation.Message) ([]conversation.Reply, error) {
	if m.File != nil {
		f := *m.File
		if f.Reader != nil {
			data, err := io.ReadAll(f.Reader)
			if err != nil {
				return nil, err
			}
			f.Data, f.Reader = data, nil
		}
		h.files = append(h.files, f)
		h.texts = append(h.texts, m.Text)
		return []conversation.Reply{{Text: "got " + m.File.Name}}, nil
	}
	return h.echoHandler.Handle(ctx, m)
}

func privateDocument(id int64, d *models.Document, caption string) *models.Update {
	u := privateText(id, 7, "")
	u.Message.Document = d
	u.Message.Caption = caption
	return u
}

func TestDocumentSizeLimit(t *testing.T) {
	h := &fileHandler{echoHandler: &echoHandler{cat: newCatalog(t)}}
	a := &fileFake{}
	b := newUnitBot(t, h, a, nil, nil)
	ctx := context.Background()
	// Telegram says the document is too big: no getFile, no download.
	b.process(ctx, privateDocument(1, &models.Document{FileID: "big", FileName: "ledger.csv", FileSize: conversation.MaxFile + 1}, ""))
	if a.gets != 0 || len(h.files) != 0 {
		t.Fatalf("%d getFile calls, %d files handled for a document over the limit", a.gets, len(h.files))
	}
	if got := a.texts(); len(got) != 1 || got[0] != b.cat.T("en", "telegram.file_too_big", nil) {
		t.Fatalf("sent %q", got)
	}

	// The server sends more than it announced: the stream stops one byte
	// past the limit (the engine then refuses the file).
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		if !strings.HasPrefix(r.URL.Path, "/file/bot"+b.cfg.Token+"/documents/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		_, _ = w.Write(bytes.Repeat([]byte("y"), conversation.MaxFile+100))
	}))
	defer srv.Close()
	b.cfg.APIURL = srv.URL
	a.file = models.File{FileID: "d", FilePath: "documents/d_ledger.csv", FileSize: 10}
	b.process(ctx, privateDocument(2, &models.Document{FileID: "d", FileName: "ledger.csv", FileSize: 10}, ""))
	if a.gets != 1 || served.Load() != 1 || len(h.files) != 1 || len(h.files[0].Data) != conversation.MaxFile+1 {
		t.Fatalf("%d getFile calls, %d downloads, %d files handled", a.gets, served.Load(), len(h.files))
	}
}

func TestDocumentDownload(t *testing.T) {
	h := &fileHandler{echoHandler: &echoHandler{cat: newCatalog(t)}}
	a := &fileFake{file: models.File{FileID: "d", FilePath: "documents/d_장부 1.csv", FileSize: int64(len(ledgerCSV))}}
	b := newUnitBot(t, h, a, nil, nil)
	var fail atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail.Add(-1) >= 0 {
			http.Error(w, "busy", http.StatusBadGateway)
			return
		}
		if r.URL.Path != "/file/bot"+b.cfg.Token+"/documents/d_장부 1.csv" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(ledgerCSV))
	}))
	defer srv.Close()
	b.cfg.APIURL = srv.URL
	ctx := context.Background()

	// A passing 502 is retried; the caption comes along as the text.
	fail.Store(1)
	b.process(ctx, privateDocument(1, &models.Document{FileID: "d", FileName: "장부 1.csv", FileSize: int64(len(ledgerCSV))}, "March"))
	if len(h.files) != 1 || h.files[0].Name != "장부 1.csv" || string(h.files[0].Data) != ledgerCSV || h.texts[0] != "March" {
		t.Fatalf("handled %+v (texts %q)", h.files, h.texts)
	}
	if got := a.texts(); len(got) != 1 || got[0] != "got 장부 1.csv" {
		t.Fatalf("sent %q", got)
	}

	// A file that is gone: one short notice, nothing handled.
	a.file.FilePath = "documents/gone.csv"
	b.process(ctx, privateDocument(2, &models.Document{FileID: "d", FileName: "gone.csv", FileSize: 3}, ""))
	if got := a.texts(); len(got) != 2 || got[1] != b.cat.T("en", "telegram.file_failed", nil) || len(h.files) != 1 {
		t.Fatalf("sent %q, handled %d files", got, len(h.files))
	}

	// getFile refused.
	a.err = bot.ErrorBadRequest
	b.process(ctx, privateDocument(3, &models.Document{FileID: "x", FileName: "x.csv", FileSize: 3}, ""))
	if got := a.texts(); len(got) != 3 || got[2] != b.cat.T("en", "telegram.file_failed", nil) || len(h.files) != 1 {
		t.Fatalf("sent %q, handled %d files", got, len(h.files))
	}

	// Other media keep the text-only hint.
	u := privateText(4, 7, "")
	u.Message.Photo = []models.PhotoSize{{FileID: "p"}}
	b.process(ctx, u)
	if got := a.texts(); len(got) != 4 || got[3] != b.cat.T("en", "telegram.text_only", nil) {
		t.Fatalf("sent %q", got)
	}
}

func TestFileURLEscapesAndRedacts(t *testing.T) {
	b := newUnitBot(t, &echoHandler{cat: newCatalog(t)}, &fakeAPI{}, nil, nil)
	b.cfg.APIURL = "https://api.example"
	got := b.fileURL("documents/a b#c.csv")
	if want := "https://api.example/file/bot" + b.cfg.Token + "/documents/a%20b%23c.csv"; got != want {
		t.Fatalf("fileURL = %q, want %q", got, want)
	}
	// Download errors do not show the token.
	b.cfg.APIURL = "http://127.0.0.1:1"
	_, _, err := b.fetch(context.Background(), "documents/x.csv")
	if err == nil || strings.Contains(err.Error(), b.cfg.Token) || !strings.HasPrefix(err.Error(), "telegram: ") {
		t.Fatalf("fetch error = %v", err)
	}
}

package console

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/locales"
)

// who answers with who wrote, a poster for "/qr", and counts deliveries.
type who struct{ got []conversation.Message }

func (w *who) Handle(_ context.Context, m conversation.Message) ([]conversation.Reply, error) {
	w.got = append(w.got, m)
	r := conversation.Reply{Text: "from " + m.UserID + " (" + m.Lang + ")"}
	if m.Text == "/qr" {
		r.Photo = &conversation.File{Name: "poster.png", Data: []byte("png")}
	}
	return []conversation.Reply{r}, nil
}

func TestAsPlaysSeveralPeople(t *testing.T) {
	h := &who{}
	var out bytes.Buffer
	dir := t.TempDir()
	var c *Console
	delivered := 0
	in := "hi\n/as customer 1001\nhello\n/as owner\n/qr\n/as\n"
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	c, err = New(Config{Handler: h, In: strings.NewReader(in), Out: &out, Lang: "en", Dir: dir, Catalog: cat,
		Deliver: func(ctx context.Context) error {
			delivered++
			if delivered == 3 { // after "hello": the outbox answers the customer
				return c.Send(ctx, "1001", conversation.Reply{Text: "Fresh croissants!",
					Buttons: []conversation.Button{{Label: "Stop", Action: "c:stop:1"}}})
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "from owner (en)\n" +
		"Typing as: customer 1001\n" +
		"from 1001 (en)\n" +
		"→ 1001: Fresh croissants!\n[1] Stop\n" +
		"Typing as: owner\n" +
		"from owner (en)\n" +
		"Saved poster.png: " + filepath.Join(dir, "poster.png") + "\n" +
		cat.T("en", "console.as_usage", nil) + "\n"
	if got := out.String(); got != want {
		t.Fatalf("output:\n%s\nwant:\n%s", got, want)
	}
	// One delivery pass per line, and one when the input ends.
	if delivered != 7 {
		t.Fatalf("%d delivery passes", delivered)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "poster.png")); err != nil || string(b) != "png" {
		t.Fatalf("poster file: %q %v", b, err)
	}
}

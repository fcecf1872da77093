package console

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/dangol/dangol/conversation"
)

// echo answers texts with a button and reports presses.
type echo struct{ got []conversation.Message }

func (e *echo) Handle(_ context.Context, m conversation.Message) ([]conversation.Reply, error) {
	e.got = append(e.got, m)
	if m.Action != "" {
		return []conversation.Reply{{Text: "pressed " + m.Action, Edit: true}}, nil
	}
	return []conversation.Reply{{Text: "said " + m.Text, Buttons: []conversation.Button{
		{Label: "Undo", Action: "undo:1"}, {Label: "되돌리기", Action: "undo:2"}}}}, nil
}

func TestButtonsByNumberAndLabel(t *testing.T) {
	h := &echo{}
	var out bytes.Buffer
	c, err := New(Config{Handler: h, In: strings.NewReader("hi\n2\nhi\nundo\n1\n"), Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "said hi\n[1] Undo  [2] 되돌리기\npressed undo:2\nsaid hi\n[1] Undo  [2] 되돌리기\npressed undo:1\nsaid 1\n[1] Undo  [2] 되돌리기\n"
	if out.String() != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	// "1" after a reply without buttons is plain text again.
	if last := h.got[len(h.got)-1]; last.Text != "1" || last.Action != "" {
		t.Fatalf("last message = %+v", last)
	}
}

// TestLongLineIsSkippedAndReadingGoesOn: a line longer than MaxLine (a
// 2 MB paste in a piped script) is answered as too long, and every line
// after it is still read; CRLF line ends and a last line without one are
// read as well.
func TestLongLineIsSkippedAndReadingGoesOn(t *testing.T) {
	h := &echo{}
	var out bytes.Buffer
	in := "first\n" + strings.Repeat("가", 700_000) + "\nsecond\r\n" + strings.Repeat("x", MaxLine-1) + "\nlast"
	c, err := New(Config{Handler: h, In: strings.NewReader(in), Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	var got []string
	for _, m := range h.got {
		got = append(got, m.Text[:min(len(m.Text), 10)])
	}
	if len(h.got) != 4 || h.got[0].Text != "first" || h.got[1].Text != "second" || len(h.got[2].Text) != MaxLine-1 ||
		h.got[3].Text != "last" {
		t.Fatalf("handled %q", got)
	}
	if !strings.Contains(out.String(), "console.line_too_long") {
		t.Fatalf("no note of the long line:\n%.300s", out.String())
	}
}

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

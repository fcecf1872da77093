package conversation_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/dangol/dangol/conversation"
)

// mergeButtons returns the "same item?" buttons of a confirmation.
func mergeButtons(r []conversation.Reply) []conversation.Button {
	var out []conversation.Button
	for _, b := range r[0].Buttons {
		if strings.HasPrefix(b.Action, "merge:") {
			out = append(out, b)
		}
	}
	return out
}

// lines returns a customer's latest visit as "name qty" lines.
func (f *fixture) lines(customer string) []string {
	f.t.Helper()
	_, vs, _ := f.customer(customer)
	if len(vs) == 0 {
		f.t.Fatalf("%s has no visits", customer)
	}
	var out []string
	for _, it := range vs[0].Items {
		out = append(out, it.Name+" "+strings.Repeat("I", it.Qty))
	}
	slices.Sort(out)
	return out
}

func (f *fixture) items() []string {
	f.t.Helper()
	_, items, err := f.db.Names(f.ctx, f.shop.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return items
}

func TestMergeNewItemKorean(t *testing.T) {
	f := newFixture(t, "ko")
	if r := f.say("owner", "김민지님 크루아상 하나"); len(mergeButtons(r)) != 0 {
		t.Fatalf("a first item asks to merge: %+v", r)
	}
	r := f.say("owner", "이서연님 크로와상 2개, 크루아상 1개")
	bs := mergeButtons(r)
	if len(bs) != 1 || bs[0].Label != "크로와상 = 크루아상?" || len(bs[0].Action) > 64 {
		t.Fatalf("buttons = %+v", r[0].Buttons)
	}
	if r[0].Buttons[0].Action != "undo:2" {
		t.Errorf("first button = %+v, want Undo", r[0].Buttons[0])
	}
	before := f.items()

	// Only the note's author may answer.
	if got := f.press("staff", bs[0].Action); !strings.Contains(got[0].Text, "메모를 쓰신 분만") {
		t.Errorf("staff press = %q", got[0].Text)
	}
	if got := f.items(); !slices.Equal(got, before) {
		t.Fatalf("staff press changed the catalog: %v", got)
	}

	got := f.press("owner", bs[0].Action)
	if !strings.Contains(got[0].Text, "크로와상은 크루아상으로 기록해요") || len(got[0].Buttons) != 1 ||
		!strings.HasPrefix(got[0].Buttons[0].Action, "undo:") || got[0].Edit {
		t.Fatalf("merge answer = %+v", got)
	}
	if l := f.lines("이서연"); !slices.Equal(l, []string{"크루아상 III"}) {
		t.Errorf("lines after merge = %v", l)
	}
	if l := f.lines("김민지"); !slices.Equal(l, []string{"크루아상 I"}) {
		t.Errorf("other customer's lines = %v", l)
	}
	n, err := f.db.LastNote(f.ctx, f.shop.ID, "console", "owner")
	if err != nil || n.Text != "/alias 크로와상 = 크루아상" {
		t.Fatalf("merge note = %+v, %v", n, err)
	}
	// The name is now the item's alias: no new item next time.
	if r := f.say("owner", "박지훈님 크로와상 1개"); len(mergeButtons(r)) != 0 {
		t.Errorf("a merged name asks again: %+v", r)
	}
	if l := f.lines("박지훈"); !slices.Equal(l, []string{"크루아상 I"}) {
		t.Errorf("lines after merge = %v", l)
	}
	f.say("owner", "취소")

	// A second press does nothing.
	if again := f.press("owner", bs[0].Action); !strings.Contains(again[0].Text, "이미 처리했어요") {
		t.Errorf("second press = %q", again[0].Text)
	}
	if l := f.lines("이서연"); !slices.Equal(l, []string{"크루아상 III"}) {
		t.Errorf("lines after a second press = %v", l)
	}

	// Undoing the merge puts everything back.
	undo := f.press("owner", got[0].Buttons[0].Action)
	if !strings.Contains(undo[0].Text, "/alias 크로와상 = 크루아상") {
		t.Fatalf("undo = %q", undo[0].Text)
	}
	if l := f.lines("이서연"); !slices.Equal(l, []string{"크로와상 II", "크루아상 I"}) {
		t.Errorf("lines after undo = %v", l)
	}
	if got := f.items(); !slices.Equal(got, before) {
		t.Errorf("items after undo = %v, want %v", got, before)
	}
}

func TestMergeNewItemEnglish(t *testing.T) {
	f := newFixture(t, "en")
	f.say("owner", "Kim, a croissant and a latte")
	r := f.say("owner", "Lee, 2 crossants")
	bs := mergeButtons(r)
	if len(bs) != 1 || bs[0].Label != "“crossant” = croissant?" {
		t.Fatalf("buttons = %+v", r[0].Buttons)
	}
	got := f.press("owner", bs[0].Action)
	if got[0].Text != "✓ “crossant” now means croissant; its visits count as croissant." {
		t.Fatalf("merge answer = %q", got[0].Text)
	}
	if l := f.lines("Lee"); !slices.Equal(l, []string{"croissant II"}) {
		t.Errorf("lines = %v", l)
	}
	if again := f.press("owner", bs[0].Action); !strings.HasPrefix(again[0].Text, "Already done") {
		t.Errorf("second press = %q", again[0].Text)
	}
	// A made-up or mangled button is stale.
	for _, a := range []string{"merge:99:1:abc", "merge:2:0:" + strings.TrimPrefix(bs[0].Action, "merge:2:1:"), "merge:x"} {
		if r := f.press("owner", a); !strings.Contains(r[0].Text, "already been used or has expired") {
			t.Errorf("press %q = %q", a, r[0].Text)
		}
	}
}

func TestMergeAtMostTwoButtons(t *testing.T) {
	f := newFixture(t, "ko")
	f.say("owner", "김민지님 크루아상 하나, 라떼 1잔, 스콘 1개")
	r := f.say("owner", "박지훈님 라테 1잔, 크로와상 1개, 스쿤 1개, 소금빵 1개")
	var labels []string
	for _, b := range mergeButtons(r) {
		labels = append(labels, b.Label)
	}
	if !slices.Equal(labels, []string{"라테 = 라떼?", "크로와상 = 크루아상?"}) {
		t.Fatalf("merge buttons = %v", labels)
	}
	// Undoing the note itself makes its buttons stale.
	f.press("owner", r[0].Buttons[0].Action)
	if got := f.press("owner", r[0].Buttons[1].Action); !strings.Contains(got[0].Text, "만료된 버튼") {
		t.Errorf("press after undo = %q", got[0].Text)
	}
}

package conversation_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
	"github.com/dangol/dangol/storage"
)

// thursday is 2026-11-26 10:00 in Seoul.
var thursday = time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("KST", 9*3600))

type fixture struct {
	t      *testing.T
	ctx    context.Context
	db     *storage.DB
	engine *conversation.Engine
	shop   crm.Shop
	now    time.Time
	path   string // the database file
}

func newFixture(t *testing.T, lang string) *fixture {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dangol.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Whatever a test did, the visit summaries agree with the visits.
	t.Cleanup(func() {
		db, err := storage.Open(ctx, path)
		if err != nil {
			t.Errorf("open: %v", err)
			return
		}
		defer db.Close()
		ps, err := db.CheckSummaries(ctx)
		if err != nil {
			t.Errorf("CheckSummaries: %v", err)
		}
		for _, p := range ps {
			t.Errorf("visit summary: %s", p)
		}
	})
	shop, err := db.CreateShop(ctx, crm.Shop{Name: "Test bakery", Lang: lang, CreatedAt: thursday})
	if err != nil {
		t.Fatal(err)
	}
	// No holdout: these tests expect every digest entry (the loop's tests
	// turn it on).
	if err := db.SetShopSetting(ctx, shop.ID, crm.SettingHoldout, "0"); err != nil {
		t.Fatal(err)
	}
	for _, m := range []crm.Member{
		{ShopID: shop.ID, Platform: "console", UserID: "owner", Role: crm.RoleOwner},
		{ShopID: shop.ID, Platform: "console", UserID: "staff", Role: crm.RoleStaff},
	} {
		if err := db.AddMember(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, db: db, shop: shop, now: thursday, path: path}
	f.engine, err = conversation.New(conversation.Config{Store: db, Catalog: cat, Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// say sends text as user and returns the replies, failing on an error.
func (f *fixture) say(user, text string) []conversation.Reply {
	f.t.Helper()
	r, err := f.engine.Handle(f.ctx, conversation.Message{Platform: "console", UserID: user, Text: text})
	if err != nil {
		f.t.Fatalf("%q: %v", text, err)
	}
	if len(r) == 0 {
		f.t.Fatalf("%q: no reply", text)
	}
	return r
}

func (f *fixture) press(user, action string) []conversation.Reply {
	f.t.Helper()
	r, err := f.engine.Handle(f.ctx, conversation.Message{Platform: "console", UserID: user, Action: action})
	if err != nil {
		f.t.Fatalf("press %q: %v", action, err)
	}
	return r
}

func (f *fixture) customer(name string) (crm.Customer, []crm.Visit, []crm.Fact) {
	f.t.Helper()
	cs, err := f.db.FindCustomers(f.ctx, f.shop.ID, name)
	if err != nil || len(cs) == 0 {
		f.t.Fatalf("customer %q: %v (found %d)", name, err, len(cs))
	}
	vs, err := f.db.Visits(f.ctx, f.shop.ID, cs[0].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	fs, err := f.db.Facts(f.ctx, f.shop.ID, cs[0].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return cs[0], vs, fs
}

func (f *fixture) noCustomer(name string) {
	f.t.Helper()
	cs, err := f.db.FindCustomers(f.ctx, f.shop.ID, name)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(cs) != 0 {
		f.t.Fatalf("customer %q exists, want none", name)
	}
}

func (f *fixture) noNotes(user string) {
	f.t.Helper()
	if n, err := f.db.LastNote(f.ctx, f.shop.ID, "console", user); !errors.Is(err, crm.ErrNotFound) {
		f.t.Fatalf("a note was stored: %+v (err %v)", n, err)
	}
}

func TestNoteKoreanConfirmation(t *testing.T) {
	f := newFixture(t, "ko")
	r := f.say("owner", "김민지님 크루아상 하나")
	if got, want := r[0].Text, "✓ 김민지 — 크루아상 1 (11/26 목) · 새 고객"; got != want {
		t.Fatalf("confirmation = %q, want %q", got, want)
	}
	if len(r[0].Buttons) != 1 || r[0].Buttons[0].Label != "되돌리기" || !strings.HasPrefix(r[0].Buttons[0].Action, "undo:") {
		t.Fatalf("buttons = %+v", r[0].Buttons)
	}
	_, visits, _ := f.customer("김민지")
	if len(visits) != 1 || visits[0].Date.String() != "2026-11-26" || visits[0].Items[0].Name != "크루아상" || visits[0].Items[0].Qty != 1 {
		t.Fatalf("visits = %+v", visits)
	}
	// The second note is about the same customer: not new any more.
	r = f.say("owner", "김민지 어제 라떼 세 잔")
	if got, want := r[0].Text, "✓ 김민지 — 라떼 3 (11/25 수)"; got != want {
		t.Fatalf("confirmation = %q, want %q", got, want)
	}
}

func TestNoteEnglishConfirmation(t *testing.T) {
	f := newFixture(t, "en")
	r := f.say("owner", "Kim, croissant, Thursday")
	if got, want := r[0].Text, "✓ Kim — croissant ×1 (Thu 26 Nov) · new customer"; got != want {
		t.Fatalf("confirmation = %q, want %q", got, want)
	}
	r = f.say("owner", "Kim allergic to walnuts")
	if got, want := r[0].Text, "✓ Kim — ⚠ allergic to walnut"; got != want {
		t.Fatalf("confirmation = %q, want %q", got, want)
	}
	_, _, facts := f.customer("Kim")
	if len(facts) != 1 || facts[0].Kind != crm.FactAllergy || facts[0].Value != "walnut" {
		t.Fatalf("facts = %+v", facts)
	}
}

func TestUndoButtonAndCommand(t *testing.T) {
	f := newFixture(t, "ko")
	r := f.say("owner", "박서준 소금빵 2개")
	undo := r[0].Buttons[0].Action
	f.say("owner", "박서준 딸기 알레르기")

	// Undo of the first note removes its visit but keeps the customer, who
	// has an allergy from the second note.
	r = f.press("owner", undo)
	if !r[0].Edit || !strings.Contains(r[0].Text, "박서준 소금빵 2개") {
		t.Fatalf("undo reply = %+v", r[0])
	}
	_, visits, facts := f.customer("박서준")
	if len(visits) != 0 || len(facts) != 1 {
		t.Fatalf("after undo: visits %+v facts %+v", visits, facts)
	}
	// A second press does nothing twice.
	r = f.press("owner", undo)
	if r[0].Text != "이미 되돌린 메모예요." {
		t.Fatalf("second press = %q", r[0].Text)
	}
	// Staff cannot undo the owner's note.
	if r := f.say("staff", "/undo"); r[0].Text != "되돌릴 메모가 없어요." {
		t.Fatalf("staff undo = %q", r[0].Text)
	}
	// "취소" undoes the latest note: the allergy, and with it the customer
	// the first note created, since nothing of theirs is left.
	f.say("owner", "취소")
	f.noCustomer("박서준")
}

func TestAmbiguousNameAsks(t *testing.T) {
	f := newFixture(t, "en")
	f.say("owner", "Kim Minji, latte")
	f.say("owner", "Kim Jisoo, bagel")
	r := f.say("owner", "Kim, scone")
	if len(r[0].Buttons) != 3 {
		t.Fatalf("want 2 customers + new, got %+v", r[0])
	}
	var jisoo string
	for _, b := range r[0].Buttons {
		if strings.HasPrefix(b.Label, "Kim Jisoo") {
			jisoo = b.Action
		}
	}
	if jisoo == "" {
		t.Fatalf("no button for Kim Jisoo: %+v", r[0].Buttons)
	}
	r = f.press("owner", jisoo)
	if !r[0].Edit || !strings.HasPrefix(r[0].Text, "✓ Kim Jisoo — scone ×1") {
		t.Fatalf("pick reply = %+v", r[0])
	}
	_, visits, _ := f.customer("Kim Jisoo")
	if len(visits) != 2 {
		t.Fatalf("Kim Jisoo visits = %d, want 2", len(visits))
	}
	// Pressing again records nothing more.
	if r := f.press("owner", jisoo); !strings.Contains(r[0].Text, "already") {
		t.Fatalf("second press = %q", r[0].Text)
	}
	if _, visits, _ := f.customer("Kim Jisoo"); len(visits) != 2 {
		t.Fatalf("second press recorded again: %d visits", len(visits))
	}
}

func TestAmbiguousNameNewCustomer(t *testing.T) {
	f := newFixture(t, "en")
	f.say("owner", "Kim Minji, latte")
	f.say("owner", "Kim Jisoo, bagel")
	r := f.say("owner", "Kim, scone")
	last := r[0].Buttons[len(r[0].Buttons)-1]
	r = f.press("owner", last.Action)
	if !strings.HasPrefix(r[0].Text, "✓ Kim — scone ×1") || !strings.HasSuffix(r[0].Text, "new customer") {
		t.Fatalf("new customer reply = %q", r[0].Text)
	}
}

func TestCustomerCard(t *testing.T) {
	f := newFixture(t, "ko")
	f.say("owner", "김민지 크루아상 2개 화요일")
	f.say("owner", "김민지 라떼")
	f.say("owner", "김민지 딸기 알레르기")
	f.say("owner", "김민지 생일 3월 14일")
	for _, q := range []string{"김민지?", "김민지 정보", "/고객 김민지", "/customer 김민지"} {
		card := f.say("owner", q)[0].Text
		for _, want := range []string{"김민지 · 방문 2회 · 최근 11/26 목", "최근: 11/26 목 라떼 1 · 11/24 화 크루아상 2",
			"자주 사는 것:", "⚠ 알레르기: 딸기", "생일: 3/14", "메시지 수신: 아직 묻지 않음"} {
			if !strings.Contains(card, want) {
				t.Errorf("%s: card lacks %q:\n%s", q, want, card)
			}
		}
	}
	if r := f.say("owner", "/고객 이서연"); r[0].Text != "이서연이 고객 목록에 없어요." {
		t.Errorf("unknown customer = %q", r[0].Text)
	}
}

func TestNonNotesChangeNothing(t *testing.T) {
	for _, lang := range []string{"ko", "en"} {
		f := newFixture(t, lang)
		for _, text := range []string{"", "   ", "\x00\x01\x02", "hello", "감사합니다", "안녕하세요", "thanks!",
			"'; DROP TABLE customers; --", "🥐🥐🥐", strings.Repeat("김", 5000), "오늘 누구 와?", "/nosuchcommand", "/help", "?"} {
			r := f.say("owner", text)
			if r[0].Text == "" {
				t.Errorf("%s %q: empty answer", lang, text)
			}
			if strings.HasPrefix(r[0].Text, "✓") {
				t.Errorf("%s %q: recorded as a note: %q", lang, text, r[0].Text)
			}
		}
		f.noNotes("owner")
	}
}

func TestTooLongAndEmptyExplain(t *testing.T) {
	f := newFixture(t, "en")
	if r := f.say("owner", strings.Repeat("a", 5000)); !strings.Contains(r[0].Text, "too long") {
		t.Errorf("too long: %q", r[0].Text)
	}
	if r := f.say("owner", " \t "); !strings.Contains(r[0].Text, "empty") {
		t.Errorf("empty: %q", r[0].Text)
	}
}

func TestStrangerSeesNothing(t *testing.T) {
	f := newFixture(t, "ko")
	f.say("owner", "김민지 크루아상 2개")
	for _, text := range []string{"김민지?", "김민지 라떼", "/undo", "/forget 김민지", "오늘"} {
		r, err := f.engine.Handle(f.ctx, conversation.Message{Platform: "console", UserID: "stranger", Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if len(r) != 1 || strings.Contains(r[0].Text, "김민지") || len(r[0].Buttons) != 0 {
			t.Fatalf("stranger %q got %+v", text, r)
		}
	}
	if _, visits, _ := f.customer("김민지"); len(visits) != 1 {
		t.Fatalf("stranger changed data: %d visits", len(visits))
	}
	if _, err := f.db.LastNote(f.ctx, f.shop.ID, "console", "stranger"); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("stranger note stored: %v", err)
	}
}

func TestForgetNeedsOwnerAndConfirmation(t *testing.T) {
	f := newFixture(t, "ko")
	f.say("owner", "정하은 크루아상 하나")
	if r := f.say("staff", "/삭제 정하은"); r[0].Text != "이 작업은 사장님만 할 수 있어요." {
		t.Fatalf("staff forget = %q", r[0].Text)
	}
	r := f.say("owner", "/삭제 정하은")
	if len(r[0].Buttons) != 2 {
		t.Fatalf("confirm = %+v", r[0])
	}
	if r := f.press("owner", r[0].Buttons[1].Action); !strings.Contains(r[0].Text, "바뀐 건 없어요") {
		t.Fatalf("cancel = %q", r[0].Text)
	}
	f.customer("정하은")
	r = f.press("owner", r[0].Buttons[0].Action)
	if r[0].Text != "정하은님의 기록을 모두 삭제했어요." {
		t.Fatalf("forget = %q", r[0].Text)
	}
	f.noCustomer("정하은")
}

func TestRenameAndLang(t *testing.T) {
	f := newFixture(t, "ko")
	f.say("owner", "김민지 라떼")
	if r := f.say("owner", "/이름변경 김민지 = 김민지(단골)"); !strings.HasPrefix(r[0].Text, "✓ 김민지(단골) — 이름 변경") {
		t.Fatalf("rename = %q", r[0].Text)
	}
	f.customer("김민지(단골)")
	if r := f.say("staff", "/lang en"); r[0].Text != "이 작업은 사장님만 할 수 있어요." {
		t.Fatalf("staff lang = %q", r[0].Text)
	}
	if r := f.say("owner", "/lang en"); r[0].Text != "From now on I'll answer in English." {
		t.Fatalf("lang = %q", r[0].Text)
	}
	if r := f.say("owner", "undo"); !strings.HasPrefix(r[0].Text, "↩ Undone") {
		t.Fatalf("undo rename = %q", r[0].Text)
	}
	f.customer("김민지")
}

func TestCursorSavedWithNoteAndWithout(t *testing.T) {
	f := newFixture(t, "en")
	send := func(text string, id int64) {
		_, err := f.engine.Handle(f.ctx, conversation.Message{Platform: "console", UserID: "owner", Text: text,
			Cursor: &crm.Cursor{Name: "test", Value: id}})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := f.db.Cursor(f.ctx, "test"); err != nil || got != id {
			t.Fatalf("%q: cursor = %d (%v), want %d", text, got, err, id)
		}
	}
	send("Kim, croissant", 7)
	send("hello", 8)
	send("Kim?", 9)
}

func TestOnlyTheAuthorPicksForTheirNote(t *testing.T) {
	f := newFixture(t, "en")
	f.say("owner", "Kim Minji, latte")
	f.say("owner", "Kim Jisoo, bagel")
	r := f.say("owner", "Kim, scone")
	pick := r[0].Buttons[0].Action
	if r := f.press("staff", pick); !strings.Contains(r[0].Text, "already") {
		t.Fatalf("staff took the owner's choice: %q", r[0].Text)
	}
	if r := f.press("owner", pick); !strings.HasPrefix(r[0].Text, "✓ Kim ") {
		t.Fatalf("owner's pick = %q", r[0].Text)
	}
}

func TestLangFor(t *testing.T) {
	f := newFixture(t, "ko")
	if got := f.engine.LangFor(f.ctx, "console", "staff", "en-US"); got != "ko" {
		t.Errorf("member: %q, want the shop's ko", got)
	}
	if got := f.engine.LangFor(f.ctx, "console", "stranger", "en-US"); got != "en" {
		t.Errorf("stranger: %q, want their client's en", got)
	}
}

// "/undo" stores the messenger's cursor with the undo itself, so a
// redelivered "/undo" is recognised and never undoes a second note.
func TestUndoStoresCursor(t *testing.T) {
	f := newFixture(t, "en")
	f.say("owner", "Kim, croissant")
	f.say("owner", "Lee, latte")
	_, err := f.engine.Handle(f.ctx, conversation.Message{Platform: "console", UserID: "owner", Text: "/undo",
		Cursor: &crm.Cursor{Name: "test", Value: 42}})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := f.db.Cursor(f.ctx, "test"); err != nil || got != 42 {
		t.Fatalf("cursor = %d (%v), want 42", got, err)
	}
	f.noCustomer("Lee")
	f.customer("Kim")
}

// End to end through the parser: what it reads today reaches the note.
func TestNotesThroughTheParser(t *testing.T) {
	f := newFixture(t, "en")
	if r := f.say("owner", "Kim latte ₩5,000"); !strings.Contains(r[0].Text, "latte ×1 (Thu 26 Nov) · ₩5,000") {
		t.Errorf("amount: %q", r[0].Text)
	}
	_, visits, _ := f.customer("Kim")
	if len(visits) != 1 || visits[0].Amount != 5000 || visits[0].Currency != "KRW" {
		t.Errorf("visit = %+v", visits)
	}
	f.say("owner", "Kim doesn't like coffee")
	if _, _, facts := f.customer("Kim"); len(facts) != 1 || facts[0].Kind != crm.FactDislike {
		t.Errorf("facts = %+v", facts)
	}
	// A name one letter off a known one is asked, not made a customer.
	f.say("owner", "Sarah, scone")
	r := f.say("owner", "Sarha, 2 lattes")
	if !strings.Contains(r[0].Text, "Did you mean Sarah?") || len(r[0].Buttons) != 2 {
		t.Fatalf("typo: %+v", r[0])
	}
	f.noCustomer("Sarha")
	r = f.press("owner", r[0].Buttons[0].Action)
	if !strings.HasPrefix(r[0].Text, "✓ Sarah — latte ×2") {
		t.Errorf("picked: %q", r[0].Text)
	}

	k := newFixture(t, "ko")
	k.say("owner", "김민지 크루아상 1개")
	r = k.say("owner", "김민치 라떼 1잔")
	if !strings.Contains(r[0].Text, "혹시 김민지님인가요?") {
		t.Fatalf("typo: %q", r[0].Text)
	}
	k.noCustomer("김민치")
	// The card offers removing each fact.
	k.say("owner", "김민지 딸기 알레르기")
	card := k.say("owner", "김민지?")
	if len(card[0].Buttons) != 1 || !strings.HasPrefix(card[0].Buttons[0].Action, "rmfact:") {
		t.Errorf("card buttons = %+v", card[0].Buttons)
	}
}

// The notes of issue 9, end to end through the parser.
func TestRicherNotesThroughTheParser(t *testing.T) {
	f := newFixture(t, "en")
	r := f.say("owner", "Tom 2 croissants, Sarah 1 latte")
	if want := "✓ Tom — croissant ×2 (Thu 26 Nov) · new customer\n✓ Sarah — latte ×1 (Thu 26 Nov) · new customer"; r[0].Text != want {
		t.Fatalf("several customers: %q, want %q", r[0].Text, want)
	}
	f.press("owner", r[0].Buttons[0].Action)
	f.noCustomer("Tom")
	f.noCustomer("Sarah")

	f.say("owner", "Kim 2 croissants")
	if r := f.say("owner", "oh wait 3"); !strings.Contains(r[0].Text, "croissant ×2 → ×3") {
		t.Errorf("correction: %q", r[0].Text)
	}
	if _, vs, _ := f.customer("Kim"); vs[0].Items[0].Qty != 3 {
		t.Errorf("visit after correction = %+v", vs[0])
	}
	r = f.say("owner", "Bob cake pickup 3pm tomorrow")
	if !strings.Contains(r[0].Text, "📅 booking Fri 27 Nov 15:00 — cake pickup") {
		t.Errorf("booking: %q", r[0].Text)
	}
	if r := f.say("owner", "bookings tomorrow?"); !strings.Contains(r[0].Text, "15:00 Bob — cake pickup") {
		t.Errorf("bookings tomorrow: %q", r[0].Text)
	}
	f.now = f.now.Add(24 * time.Hour)
	if r := f.say("owner", "/digest"); !strings.Contains(r[0].Text, "Today 15:00 booking: Bob — cake pickup") {
		t.Errorf("digest: %q", r[0].Text)
	}
	f.now = f.now.Add(-24 * time.Hour)
	if r := f.say("owner", "Kim the usual"); !strings.Contains(r[0].Text, "the usual: croissant ×3") {
		t.Errorf("the usual: %q", r[0].Text)
	}

	k := newFixture(t, "ko")
	k.say("owner", "김민지 딸기 알레르기")
	r = k.say("owner", "김민지 딸기 알레르기 아님")
	if r[0].Text != "김민지님의 알레르기 ‘딸기’를 지울까요?" {
		t.Fatalf("removal question: %q", r[0].Text)
	}
	k.press("owner", r[0].Buttons[0].Action)
	if _, _, facts := k.customer("김민지"); len(facts) != 0 {
		t.Errorf("facts after removal = %+v", facts)
	}
	k.say("owner", "김민지 생일 11월 26일")
	if r := k.say("owner", "오늘 생일인 사람?"); r[0].Text != "🎂 오늘 생일: 김민지" {
		t.Errorf("birthdays: %q", r[0].Text)
	}
	k.say("owner", "권태윤 매일 아침 7시에 와요")
	if c, _, _ := k.customer("권태윤"); c.UsualTime != "07:00" {
		t.Errorf("usual time = %q", c.UsualTime)
	}
	if r := k.say("owner", "오지우 라떼 1잔 15000원"); !strings.Contains(r[0].Text, "15,000원") {
		t.Errorf("amount: %q", r[0].Text)
	}
}

// Two people noting the same new name at the same moment make one
// customer, whose confirmation says new once.
func TestSameNewNameAtOnceMakesOneCustomer(t *testing.T) {
	f := newFixture(t, "ko")
	for round, name := range []string{"나새롬", "도하윤", "문지호", "배수아", "성하진"} {
		var wg sync.WaitGroup
		replies := make([]string, 2)
		for i, user := range []string{"owner", "staff"} {
			wg.Go(func() {
				r, err := f.engine.Handle(f.ctx, conversation.Message{Platform: "console", UserID: user,
					Text: fmt.Sprintf("%s 크루아상 %d개", name, i+1)})
				if err != nil || len(r) == 0 {
					t.Errorf("%s: %v %+v", user, err, r)
					return
				}
				replies[i] = r[0].Text
			})
		}
		wg.Wait()
		cs, err := f.db.FindCustomers(f.ctx, f.shop.ID, name)
		if err != nil || len(cs) != 1 {
			t.Fatalf("round %d: customers %+v, %v (replies %q)", round, cs, err, replies)
		}
		vs, _ := f.db.Visits(f.ctx, f.shop.ID, cs[0].ID)
		news := strings.Count(replies[0]+replies[1], "새 고객")
		if len(vs) != 2 || news != 1 {
			t.Fatalf("round %d: %d visits, %d new in %q", round, len(vs), news, replies)
		}
	}
}

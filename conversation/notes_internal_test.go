package conversation

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation/parse"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
	"github.com/dangol/dangol/storage"
)

// These tests hand the engine readings the parser may give (several
// customers, removals, corrections, bookings, questions …), so the dialog
// is tested apart from how well the parser reads; end-to-end tests through
// the parser are in conversation_test.go.

// day0 is Thursday 2026-11-26, 10:00 in Seoul.
var day0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("KST", 9*3600))

type nfix struct {
	t    *testing.T
	ctx  context.Context
	db   *storage.DB
	e    *Engine
	shop crm.Shop
	now  time.Time
}

func newNfix(t *testing.T, lang, tz string) *nfix {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "dangol.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	shop, err := db.CreateShop(ctx, crm.Shop{Name: "Test", Lang: lang, TimeZone: tz, CreatedAt: day0})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddMember(ctx, crm.Member{ShopID: shop.ID, Platform: "console", UserID: "owner", Role: crm.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &nfix{t: t, ctx: ctx, db: db, shop: shop, now: day0}
	f.e, err = New(Config{Store: db, Catalog: cat, Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// read answers text as if the parser had read it as r.
func (f *nfix) read(text string, r parse.Result) Reply {
	f.t.Helper()
	shop, err := f.db.Shop(f.ctx, f.shop.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	s := &session{msg: Message{Platform: "console", UserID: "owner", Text: text}, shop: shop,
		member: crm.Member{ShopID: shop.ID, Platform: "console", UserID: "owner", Role: crm.RoleOwner},
		lang:   locales.Lang(shop.Lang), now: f.now}
	replies, err := f.e.understood(f.ctx, s, text, r)
	if err != nil || len(replies) != 1 {
		f.t.Fatalf("%q: %v, %d replies", text, err, len(replies))
	}
	return replies[0]
}

func (f *nfix) say(text string) Reply {
	f.t.Helper()
	r, err := f.e.Handle(f.ctx, Message{Platform: "console", UserID: "owner", Text: text})
	if err != nil || len(r) == 0 {
		f.t.Fatalf("%q: %v", text, err)
	}
	return r[0]
}

func (f *nfix) press(action string) Reply {
	f.t.Helper()
	r, err := f.e.Handle(f.ctx, Message{Platform: "console", UserID: "owner", Action: action})
	if err != nil || len(r) == 0 {
		f.t.Fatalf("press %q: %v", action, err)
	}
	return r[0]
}

// button returns the action of the button whose label contains label.
func (f *nfix) button(r Reply, label string) string {
	f.t.Helper()
	for _, b := range r.Buttons {
		if strings.Contains(b.Label, label) {
			return b.Action
		}
	}
	f.t.Fatalf("no button %q in %+v", label, r.Buttons)
	return ""
}

func (f *nfix) customer(name string) (crm.Customer, []crm.Visit, []crm.Fact) {
	f.t.Helper()
	cs, err := f.db.FindCustomers(f.ctx, f.shop.ID, name)
	if err != nil || len(cs) == 0 {
		f.t.Fatalf("customer %q: %v (found %d)", name, err, len(cs))
	}
	vs, _ := f.db.Visits(f.ctx, f.shop.ID, cs[0].ID)
	fs, _ := f.db.Facts(f.ctx, f.shop.ID, cs[0].ID)
	return cs[0], vs, fs
}

func (f *nfix) noCustomer(name string) {
	f.t.Helper()
	if cs, _ := f.db.FindCustomers(f.ctx, f.shop.ID, name); len(cs) != 0 {
		f.t.Fatalf("customer %q exists", name)
	}
}

func (f *nfix) notes() int {
	f.t.Helper()
	n, err := f.db.LastNote(f.ctx, f.shop.ID, "console", "owner")
	if err != nil {
		return 0
	}
	return int(n.ID)
}

func wantText(t *testing.T, r Reply, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.Text, p) {
			t.Errorf("reply lacks %q:\n%s", p, r.Text)
		}
	}
}

func noteOf(clauses ...parse.Clause) parse.Result {
	r := parse.Result{Intent: parse.IntentNote, Clauses: clauses, UsualWeekday: crm.NoWeekday}
	if len(clauses) > 0 {
		r.Customer = clauses[0].Customer
	}
	return r
}

func clause(name string, date crm.Date, items ...parse.Item) parse.Clause {
	return parse.Clause{Customer: name, Date: date, Items: items, UsualWeekday: crm.NoWeekday}
}

func today() crm.Date { return crm.NewDate(2026, 11, 26) }

func TestSeveralCustomersOneNote(t *testing.T) {
	f := newNfix(t, "en", "Asia/Seoul")
	f.say("Tom, croissant")
	r := f.read("Tom 2 croissants, Sarah 1 latte", noteOf(
		clause("Tom", today(), parse.Item{Name: "croissant", Qty: 2}),
		clause("Sarah", today(), parse.Item{Name: "latte", Qty: 1})))
	if got, want := r.Text, "✓ Tom — croissant ×2 (Thu 26 Nov)\n✓ Sarah — latte ×1 (Thu 26 Nov) · new customer"; got != want {
		t.Fatalf("confirmation = %q, want %q", got, want)
	}
	if _, vs, _ := f.customer("Tom"); len(vs) != 2 {
		t.Fatalf("Tom has %d visits", len(vs))
	}
	if _, vs, _ := f.customer("Sarah"); len(vs) != 1 || vs[0].Items[0].Name != "latte" {
		t.Fatalf("Sarah's visits = %+v", vs)
	}
	// One Undo undoes both.
	f.press(f.button(r, "Undo"))
	if _, vs, _ := f.customer("Tom"); len(vs) != 1 {
		t.Fatalf("Tom has %d visits after undo", len(vs))
	}
	f.noCustomer("Sarah")
}

func TestSeveralAmbiguousCustomers(t *testing.T) {
	f := newNfix(t, "en", "Asia/Seoul")
	for _, n := range []string{"Kim Minji, latte", "Kim Jisoo, bagel", "Lee Ana, scone", "Lee Bo, tea"} {
		f.say(n)
	}
	before := f.notes()
	r := f.read("Kim and Lee, 1 croissant each", noteOf(
		clause("Kim", today(), parse.Item{Name: "croissant", Qty: 1}),
		clause("Lee", today(), parse.Item{Name: "croissant", Qty: 1})))
	wantText(t, r, "Kim", "Who is it?")
	if f.notes() != before {
		t.Fatal("a note was recorded before the question was answered")
	}
	r = f.press(f.button(r, "Kim Jisoo"))
	wantText(t, r, "Lee", "Who is it?")
	if !r.Edit {
		t.Error("the second question does not replace the first")
	}
	r = f.press(f.button(r, "Lee Bo"))
	wantText(t, r, "✓ Kim Jisoo — croissant ×1", "✓ Lee Bo — croissant ×1")
	if _, vs, _ := f.customer("Kim Jisoo"); len(vs) != 2 {
		t.Errorf("Kim Jisoo: %d visits", len(vs))
	}
	if _, vs, _ := f.customer("Lee Bo"); len(vs) != 2 {
		t.Errorf("Lee Bo: %d visits", len(vs))
	}
	if f.notes() != before+1 {
		t.Errorf("%d notes recorded, want 1", f.notes()-before)
	}
}

func TestTypoOfKnownCustomerAsks(t *testing.T) {
	f := newNfix(t, "ko", "Asia/Seoul")
	f.say("김민지 크루아상 1개")
	r := f.read("김민치 라떼 1잔", noteOf(clause("김민치", today(), parse.Item{Name: "라떼", Qty: 1})))
	wantText(t, r, "김민치님은 처음 보는 이름이에요. 혹시 김민지님인가요?")
	f.noCustomer("김민치")
	r = f.press(f.button(r, "김민지"))
	wantText(t, r, "✓ 김민지 — 라떼 1")
	if _, vs, _ := f.customer("김민지"); len(vs) != 2 {
		t.Fatalf("김민지: %d visits", len(vs))
	}
	// The other choice makes the new customer.
	r = f.read("김민치 라떼 1잔", noteOf(clause("김민치", today(), parse.Item{Name: "라떼", Qty: 1})))
	r = f.press(f.button(r, "새 고객"))
	wantText(t, r, "✓ 김민치 — 라떼 1", "새 고객")
	f.customer("김민치")

	e := newNfix(t, "en", "Europe/London")
	e.say("Sarah, scone")
	r = e.read("Sarha latte", noteOf(clause("Sarha", today(), parse.Item{Name: "latte", Qty: 1})))
	wantText(t, r, "Did you mean Sarah?")
	e.noCustomer("Sarha")
}

func TestRemoveFactAfterOneTap(t *testing.T) {
	f := newNfix(t, "ko", "Asia/Seoul")
	f.say("김민지 딸기 알레르기")
	rm := clause("김민지", crm.Date{})
	rm.Remove = []parse.FactRef{{Kind: crm.FactAllergy, Value: "딸기"}}
	before := f.notes()
	r := f.read("김민지 딸기 알레르기 아님", noteOf(rm))
	if r.Text != "김민지님의 알레르기 ‘딸기’를 지울까요?" {
		t.Fatalf("question = %q", r.Text)
	}
	if f.notes() != before {
		t.Fatal("recorded before the answer")
	}
	keep := f.button(r, "그대로")
	r = f.press(f.button(r, "지우기"))
	wantText(t, r, "✓ 김민지 — 알레르기 ‘딸기’ 지움")
	if _, _, fs := f.customer("김민지"); len(fs) != 0 {
		t.Fatalf("facts = %+v", fs)
	}
	if r := f.press(keep); !strings.Contains(r.Text, "이미 처리") {
		t.Errorf("the other button still works: %q", r.Text)
	}
	f.press(f.button(r, "되돌리기"))
	if _, _, fs := f.customer("김민지"); len(fs) != 1 || fs[0].Value != "딸기" {
		t.Fatalf("facts after undo = %+v", fs)
	}
	// Keeping it changes nothing.
	r = f.read("김민지 딸기 알레르기 아님", noteOf(rm))
	r = f.press(f.button(r, "그대로"))
	wantText(t, r, "김민지님의 알레르기 ‘딸기’는 그대로 뒀어요.")
	if _, _, fs := f.customer("김민지"); len(fs) != 1 {
		t.Fatalf("facts = %+v", fs)
	}
	// What is not on record is said so; nothing is recorded.
	before = f.notes()
	rm.Remove = []parse.FactRef{{Kind: crm.FactAllergy, Value: "땅콩"}}
	r = f.read("김민지 땅콩 알레르기 없음", noteOf(rm))
	if r.Text != "김민지님에게는 알레르기 ‘땅콩’ 기록이 없어요." || len(r.Buttons) != 0 || f.notes() != before {
		t.Fatalf("missing fact: %+v", r)
	}
	// Dislikes are facts of their own kind.
	dis := clause("김민지", crm.Date{})
	dis.Dislikes = []string{"소금빵"}
	wantText(t, f.read("김민지 소금빵 안 좋아함", noteOf(dis)), "싫어함: 소금빵")
	if _, _, fs := f.customer("김민지"); fs[len(fs)-1].Kind != crm.FactDislike {
		t.Fatalf("facts = %+v", fs)
	}
}

func TestCardRemovesOneFact(t *testing.T) {
	f := newNfix(t, "en", "Asia/Seoul")
	f.say("Kim allergic to walnuts")
	f.say("Kim loves scones")
	card := f.say("Kim?")
	ask := f.press(f.button(card, "allergy: walnut"))
	wantText(t, ask, "Remove Kim's allergy “walnut”?")
	r := f.press(f.button(ask, "Remove"))
	wantText(t, r, "✓ Kim — removed allergy “walnut”")
	if _, _, fs := f.customer("Kim"); len(fs) != 1 || fs[0].Kind != crm.FactLike {
		t.Fatalf("facts = %+v", fs)
	}
	f.press(f.button(r, "Undo"))
	if _, _, fs := f.customer("Kim"); len(fs) != 2 {
		t.Fatalf("facts after undo = %+v", fs)
	}
}

func TestCorrection(t *testing.T) {
	f := newNfix(t, "ko", "Asia/Seoul")
	fix := func(qty int, item string, date crm.Date) parse.Result {
		return parse.Result{Intent: parse.IntentCorrection, UsualWeekday: crm.NoWeekday,
			Correction: &parse.Correction{Qty: qty, Item: item, Date: date}}
	}
	r := f.read("아니 3개", fix(3, "", crm.Date{}))
	wantText(t, r, "고칠 메모가 없어요")
	f.say("김민지 크루아상 2개 라떼 1잔")
	f.now = f.now.Add(3 * time.Minute)
	r = f.read("아니 크루아상 3개", fix(3, "크루아상", crm.Date{}))
	wantText(t, r, "✓ 고쳤어요 — 김민지: 크루아상 2 → 3")
	_, vs, _ := f.customer("김민지")
	if vs[0].Items[0].Qty != 3 || vs[0].Items[1].Qty != 1 {
		t.Fatalf("visit = %+v", vs[0])
	}
	// Corrected again: the correction itself is the latest note.
	r = f.read("아니 어제", fix(0, "", today().AddDays(-1)))
	wantText(t, r, "11/26 목 → 11/25 수")
	f.press(f.button(r, "되돌리기"))
	f.say("취소")
	_, vs, _ = f.customer("김민지")
	if vs[0].Date != today() || vs[0].Items[0].Qty != 2 {
		t.Fatalf("visit after undo = %+v", vs[0])
	}
	// No item named: the last one; one not on the note: a kind answer.
	r = f.read("아니 2잔", fix(2, "", crm.Date{}))
	wantText(t, r, "라떼 1 → 2")
	before := f.notes()
	r = f.read("아니 바게트 2개", fix(2, "바게트", crm.Date{}))
	wantText(t, r, "방금 메모에 바게트가 없어요")
	f.now = f.now.Add(11 * time.Minute)
	r = f.read("아니 4개", fix(4, "", crm.Date{}))
	wantText(t, r, "고칠 메모가 없어요")
	if f.notes() != before {
		t.Error("a refused correction was recorded")
	}
}

func TestMoneyAndCurrency(t *testing.T) {
	f := newNfix(t, "ko", "Asia/Seoul")
	c := clause("김민지", today(), parse.Item{Name: "케이크", Qty: 1})
	c.Amount = parse.Money{Minor: 15000, Currency: "KRW"}
	wantText(t, f.read("김민지 케이크 1만5천원", noteOf(c)), "케이크 1 (11/26 목) · 15,000원")
	_, vs, _ := f.customer("김민지")
	if vs[0].Amount != 15000 || vs[0].Currency != "KRW" {
		t.Fatalf("visit = %+v", vs[0])
	}
	wantText(t, f.say("김민지?"), "11/26 목 케이크 1 (15,000원)")
	c.Amount = parse.Money{Minor: 350, Currency: "GBP"}
	wantText(t, f.read("김민지 케이크 £3.50", noteOf(c)), "£3.50", "금액은 GBP 그대로 저장했어요 (가게 통화는 KRW)")

	e := newNfix(t, "en", "Europe/London")
	if e.shop.Currency != "GBP" {
		t.Fatalf("London shop currency = %q", e.shop.Currency)
	}
	c = clause("Chris", today(), parse.Item{Name: "coffee", Qty: 1})
	c.Amount = parse.Money{Minor: 350}
	r := e.read("Chris bought coffee for £3.50", noteOf(c))
	wantText(t, r, "£3.50")
	if strings.Contains(r.Text, "kept in") {
		t.Errorf("the shop's own currency is called foreign: %q", r.Text)
	}
	wantText(t, e.say("/settings currency krw"), "KRW")
	c.Amount = parse.Money{Minor: 15000, Currency: "KRW"}
	wantText(t, e.read("Chris coffee 15000 won", noteOf(c)), "₩15,000")
	wantText(t, e.say("/settings currency pounds"), "three-letter code")
	wantText(t, f.say("/설정 통화 USD"), "통화를 바꿨어요: USD")
}

func TestBookingsAndUsualTime(t *testing.T) {
	f := newNfix(t, "ko", "Asia/Seoul")
	c := clause("권태윤", crm.Date{})
	c.Booking = &parse.Booking{Date: today().AddDays(1), Time: "15:00", What: "케이크 픽업", Amount: parse.Money{Minor: 30000, Currency: "KRW"}}
	r := f.read("권태윤 내일 3시 케이크 픽업 3만원", noteOf(c))
	wantText(t, r, "✓ 권태윤 — 📅 예약 11/27 금 15:00 — 케이크 픽업 · 30,000원")
	wantText(t, f.say("권태윤?"), "예약: 11/27 금 15:00 케이크 픽업")
	ask := func(kind parse.QuestionKind, from, to crm.Date) Reply {
		return f.read("?", parse.Result{Intent: parse.IntentQuestion, UsualWeekday: crm.NoWeekday,
			Question: &parse.Question{Kind: kind, From: from, To: to}})
	}
	wantText(t, ask(parse.AskBookings, today(), today()), "오늘 예약은 없어요.")
	wantText(t, ask(parse.AskBookings, today().AddDays(1), today().AddDays(1)), "내일 예약 1건:\n11/27 금 15:00 권태윤 — 케이크 픽업 · 30,000원")
	f.now = f.now.Add(24 * time.Hour)
	wantText(t, f.say("/digest"), "오늘 15:00 예약: 권태윤 — 케이크 픽업")
	f.now = f.now.Add(-24 * time.Hour)

	u := clause("권태윤", crm.Date{})
	u.UsualTime = "07:00"
	wantText(t, f.read("권태윤 매일 아침 7시에 와요", noteOf(u)), "보통 07:00쯤 방문")
	wantText(t, f.say("권태윤?"), "보통 07:00쯤 와요")
	f.say("취소")
	f.say("취소")
	if bs, _ := f.db.Bookings(f.ctx, f.shop.ID, today(), today().AddDays(7)); len(bs) != 0 {
		t.Fatalf("bookings after undo = %+v", bs)
	}
}

func TestCounterQuestions(t *testing.T) {
	f := newNfix(t, "ko", "Asia/Seoul")
	f.say("김민지 생일 11월 26일")
	f.say("박서준 생일 11월 28일")
	f.say("박서준 라떼")
	old := clause("이도윤", today().AddDays(-90), parse.Item{Name: "식빵", Qty: 1})
	f.read("이도윤 식빵 석 달 전", noteOf(old))
	before := f.notes()
	ask := func(kind parse.QuestionKind, from, to crm.Date) Reply {
		return f.read("?", parse.Result{Intent: parse.IntentQuestion, UsualWeekday: crm.NoWeekday,
			Question: &parse.Question{Kind: kind, From: from, To: to}})
	}
	if r := ask(parse.AskBirthdays, today(), today()); r.Text != "🎂 오늘 생일: 김민지" {
		t.Errorf("birthdays today = %q", r.Text)
	}
	wantText(t, ask(parse.AskBirthdays, crm.NewDate(2026, 11, 23), crm.NewDate(2026, 11, 29)), "🎂 이번 주 생일: 김민지 (11/26 목), 박서준 (11/28 토)")
	wantText(t, ask(parse.AskBirthdays, today().AddDays(1), today().AddDays(1)), "내일 생일인 손님은 없어요.")
	if r := ask(parse.AskLapsed, crm.Date{}, crm.Date{}); r.Text != "60일 넘게 안 온 손님: 이도윤 (90일)" {
		t.Errorf("lapsed = %q", r.Text)
	}
	if r := ask(parse.AskVisits, crm.NewDate(2026, 11, 23), crm.NewDate(2026, 11, 29)); r.Text != "이번 주 방문 1회, 손님 1명이에요." {
		t.Errorf("visits = %q", r.Text)
	}
	if f.notes() != before {
		t.Error("a question was recorded")
	}
}

func TestUnknownWordsAndLexicon(t *testing.T) {
	f := newNfix(t, "ko", "Asia/Seoul")
	c := clause("권태윤", today())
	c.Note = "체크아웃"
	r := noteOf(c)
	r.Unknown = []string{"체크아웃"}
	got := f.read("권태윤 체크아웃", r)
	wantText(t, got, "못 알아들은 말: 체크아웃")
	r2 := f.press(f.button(got, "체크아웃 = 메모"))
	wantText(t, r2, "✓ 다음 메모부터 ‘체크아웃’은 메모로 남길게요.")
	if lex, _ := f.db.Lexicon(f.ctx, f.shop.ID); lex["체크아웃"] != crm.LexMemo {
		t.Fatalf("lexicon = %v", lex)
	}
	shop, _ := f.db.Shop(f.ctx, f.shop.ID)
	opt, err := f.e.parseOptions(f.ctx, &session{shop: shop, now: f.now})
	if err != nil || opt.Lexicon["체크아웃"] != crm.LexMemo || opt.Currency != "KRW" {
		t.Fatalf("parse options = %+v, %v", opt, err)
	}
	wantText(t, f.say("/단어"), "• 체크아웃 — 메모")
	f.press(f.button(r2, "되돌리기"))
	if lex, _ := f.db.Lexicon(f.ctx, f.shop.ID); len(lex) != 0 {
		t.Fatalf("lexicon after undo = %v", lex)
	}
	wantText(t, f.say("/단어 포장 무시"), "‘포장’은 무시할게요")
}

func TestTheUsual(t *testing.T) {
	f := newNfix(t, "ko", "Asia/Seoul")
	u := clause("김민지", crm.Date{})
	u.Usual = true
	before := f.notes()
	wantText(t, f.read("김민지 늘 먹던 거", noteOf(u)), "김민지님의 구매 기록이 없어서")
	if f.notes() != before {
		t.Fatal("the usual was invented")
	}
	f.say("김민지 라떼 1잔 크루아상 2개")
	f.say("김민지 라떼 1잔")
	f.say("김민지 라떼 1잔 크루아상 2개")
	r := f.read("김민지 늘 먹던 거", noteOf(u))
	if want := "✓ 김민지 — 늘 먹던 거: 라떼 1, 크루아상 2 (11/26 목)"; r.Text != want {
		t.Fatalf("usual = %q, want %q", r.Text, want)
	}
}

func TestMyDataHasBookingsAndAmounts(t *testing.T) {
	f := newNfix(t, "ko", "Asia/Seoul")
	c := clause("권태윤", today(), parse.Item{Name: "케이크", Qty: 1})
	c.Amount = parse.Money{Minor: 30000}
	c.UsualTime = "07:00"
	c.Booking = &parse.Booking{Date: today().AddDays(3), Time: "15:00", What: "케이크 픽업"}
	f.read("권태윤 케이크 3만원, 일요일 3시 케이크 픽업 예약, 매일 아침 7시에 와요", noteOf(c))
	cust, _, _ := f.customer("권태윤")
	shop, _ := f.db.Shop(f.ctx, f.shop.ID)
	d, _, err := f.e.collectMyData(f.ctx, shop, crm.CustomerLink{ShopID: shop.ID, CustomerID: cust.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Visits) != 1 || d.Visits[0].Amount != 30000 || d.Visits[0].Currency != "KRW" || d.UsualTime != "07:00" ||
		len(d.Bookings) != 1 || d.Bookings[0].Time != "15:00" || d.Bookings[0].What != "케이크 픽업" {
		t.Fatalf("my data = %+v", d)
	}
	s := &session{shop: shop, lang: "ko", now: f.now}
	r, err := f.e.myData(f.ctx, s, crm.CustomerLink{ShopID: shop.ID, CustomerID: cust.ID})
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, r[0], "11/26 목 케이크 (30,000원)", "예약: 11/29 일 15:00 케이크 픽업", "보통 07:00쯤 와요")
}

func TestCustomerWithNothingIsSaidSo(t *testing.T) {
	f := newNfix(t, "ko", "Asia/Seoul")
	r := f.read("김민지, 박서준 라떼 2잔", noteOf(clause("김민지", crm.Date{}),
		clause("박서준", today(), parse.Item{Name: "라떼", Qty: 2})))
	if want := "✓ 박서준 — 라떼 2 (11/26 목) · 새 고객\n김민지님에 대해서는 알아들은 게 없어 적지 않았어요."; r.Text != want {
		t.Fatalf("confirmation = %q, want %q", r.Text, want)
	}
	f.noCustomer("김민지")
}

func TestCorrectionMovesEveryVisitOfTheNote(t *testing.T) {
	f := newNfix(t, "en", "Asia/Seoul")
	f.read("Kim and Lee, 2 lattes", noteOf(clause("Kim", today(), parse.Item{Name: "latte", Qty: 1}),
		clause("Lee", today(), parse.Item{Name: "latte", Qty: 1})))
	r := f.read("I meant yesterday", parse.Result{Intent: parse.IntentCorrection, UsualWeekday: crm.NoWeekday,
		Correction: &parse.Correction{Date: today().AddDays(-1)}})
	if want := "✓ Corrected — Lee: Thu 26 Nov → Wed 25 Nov\n✓ Corrected — Kim: Thu 26 Nov → Wed 25 Nov"; r.Text != want {
		t.Fatalf("correction = %q, want %q", r.Text, want)
	}
	for _, name := range []string{"Kim", "Lee"} {
		if _, vs, _ := f.customer(name); vs[0].Date != today().AddDays(-1) {
			t.Errorf("%s: %+v", name, vs[0])
		}
	}
	f.press(f.button(r, "Undo"))
	for _, name := range []string{"Kim", "Lee"} {
		if _, vs, _ := f.customer(name); vs[0].Date != today() {
			t.Errorf("%s after undo: %+v", name, vs[0])
		}
	}
}

// A name taken for new that has become several customers' by the time
// the note is written (notes about it at the same moment) is asked about.
func TestNewNameTakenBySeveralAsks(t *testing.T) {
	f := newNfix(t, "ko", "Asia/Seoul")
	for range 2 {
		c := crm.Change{NewName: "나새롬", UsualWeekday: crm.NoWeekday,
			Visit: &crm.VisitInput{Date: crm.NewDate(2026, 11, 25), Items: []crm.ItemQty{{Name: "라떼", Qty: 1}}}}
		if _, err := f.db.RecordNote(f.ctx, crm.NoteInput{ShopID: f.shop.ID, Platform: "console", AuthorID: "owner",
			Text: "나새롬 라떼", At: f.now, Change: c}); err != nil {
			t.Fatal(err)
		}
	}
	shop, err := f.db.Shop(f.ctx, f.shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	s := &session{msg: Message{Platform: "console", UserID: "owner", Text: "나새롬 크루아상"}, shop: shop,
		member: crm.Member{ShopID: shop.ID, Platform: "console", UserID: "owner", Role: crm.RoleOwner},
		lang:   locales.Lang(shop.Lang), now: f.now}
	p := &plan{Clauses: []planClause{{Name: "나새롬", Shown: "나새롬", Resolved: true,
		Change: crm.Change{NewName: "나새롬", NewUnlessExists: true, UsualWeekday: crm.NoWeekday,
			Visit: &crm.VisitInput{Date: crm.NewDate(2026, 11, 26), Items: []crm.ItemQty{{Name: "크루아상", Qty: 1}}}}}}}
	replies, err := f.e.recordPlan(f.ctx, s, "나새롬 크루아상", p, false)
	if err != nil || len(replies) != 1 || len(replies[0].Buttons) != 3 {
		t.Fatalf("replies %+v, %v", replies, err)
	}
	// Either of them is a choice; the note waits for it.
	r := f.press(replies[0].Buttons[1].Action)
	if !strings.HasPrefix(r.Text, "✓ 나새롬 — 크루아상 1") || strings.Contains(r.Text, "새 고객") {
		t.Fatalf("after the choice: %q", r.Text)
	}
}

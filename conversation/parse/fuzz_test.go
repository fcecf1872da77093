package parse

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

var fuzzSeeds = []string{
	"Kim, croissant, Thursday",
	"Jun bought 3 bagels and an espresso yesterday",
	"Hana allergic to walnuts",
	"Mina birthday Oct 9",
	"Ray comes every Saturday",
	"Yuri loves cinnamon rolls",
	"이수민 소금빵 2개 화요일",
	"박지훈 새우 알레르기",
	"최하나 생일 9월 9일",
	"김도현님 어제 라떼 세 잔",
	"정유진 매주 토요일 방문",
	"오늘 누구 와?",
	"hello",
	"감사합니다",
	"김민지님 바게트 2개",
	"박서준 딸기 알레르기",
	"이도윤 생일 3월 14일",
	"정하은 크루아상 하나",
	"May Kim croissant",
	"Kim came in with her daughter, takeout, 2 lattes, $12",
	"김민지 아이랑 포장 라떼 2잔 오후 3시 1만 5천원",
	"Kim birthday 1990-05-03",
	"박서준 다음 주 이사 감",
	"SELECT * FROM customers; DROP TABLE x;--",
	"\xff\xfe\x00Kim\x01 2x",
	"",
	"?",
	"Tom 2 croissants, Sarah 1 latte",
	"김민지랑 박서준 크림빵 하나씩",
	"김민지 딸기 알레르기 아님",
	"Kim 2 croissants, oh wait 3",
	"아니 2개 말고 3개",
	"권태윤 3시 예약",
	"다음주 화요일 박서준 케이크 예약 2호 3만원",
	"지민 12/20–12/22 숙박",
	"Bob cake pickup 3pm tomorrow",
	"오늘 생일인 사람?",
	"who hasn't been in for a while?",
	"Chris bought coffee for £3.50",
	"Kim croissant the 20th of October",
	"김민지크루아상2개",
	"Kim flat white, oat milk",
	"매주 목요일 오전 7시",
	"third tuesday after christmas 2014",
	"12/20~22 2박",
}

var validIntents = map[Intent]bool{
	IntentNote: true, IntentGreeting: true, IntentThanks: true, IntentDigest: true,
	IntentLookup: true, IntentHelp: true, IntentUnknown: true, IntentEmpty: true, IntentCorrection: true,
	IntentQuestion: true,
}

// checkResult asserts the invariants every Result must keep.
func checkResult(t *testing.T, text string, r Result) {
	t.Helper()
	if !validIntents[r.Intent] {
		t.Fatalf("%q: intent %q", text, r.Intent)
	}
	if r.Lang != "ko" && r.Lang != "en" {
		t.Fatalf("%q: lang %q", text, r.Lang)
	}
	for _, it := range r.Items {
		if it.Qty < 1 || it.Name == "" {
			t.Fatalf("%q: bad item %+v", text, it)
		}
	}
	for _, l := range [][]string{r.Allergies, r.Likes, r.Dislikes, r.Context} {
		for _, v := range l {
			if v == "" {
				t.Fatalf("%q: empty fact in %+v", text, r)
			}
		}
	}
	if r.UsualWeekday != crm.NoWeekday && (r.UsualWeekday < time.Sunday || r.UsualWeekday > time.Saturday) {
		t.Fatalf("%q: weekday %d", text, r.UsualWeekday)
	}
	if r.Amount.Minor < 0 {
		t.Fatalf("%q: amount %d", text, r.Amount.Minor)
	}
	if (r.Intent == IntentCorrection) != (r.Correction != nil) || (r.Intent == IntentQuestion) != (r.Question != nil) {
		t.Fatalf("%q: intent %s with correction %v, question %v", text, r.Intent, r.Correction, r.Question)
	}
	if len(r.Clauses) > 0 {
		c0 := r.Clauses[0]
		if r.Intent != IntentNote || c0.Customer != r.Customer || c0.Date != r.Date || len(c0.Items) != len(r.Items) {
			t.Fatalf("%q: flat fields do not mirror the first clause", text)
		}
	}
	for _, c := range r.Clauses {
		if c.Customer == "" && len(r.Clauses) > 1 {
			t.Fatalf("%q: a clause without customer among several", text)
		}
		if b := c.Booking; b != nil {
			if b.Date.IsZero() || !c.Date.IsZero() || !b.End.IsZero() && !b.End.After(b.Date) {
				t.Fatalf("%q: booking %+v with visit %v", text, *b, c.Date)
			}
		}
		for _, it := range c.Items {
			if it.Qty < 1 || it.Name == "" {
				t.Fatalf("%q: bad item %+v", text, it)
			}
		}
	}
	for _, u := range r.Unknown {
		if u == "" {
			t.Fatalf("%q: empty unknown word", text)
		}
	}
	for _, sp := range r.Spans {
		if sp.Start < 0 || sp.End > len(text) || sp.Start >= sp.End || sp.Role == "" {
			t.Fatalf("%q: span %+v", text, sp)
		}
	}
	c := r.Contract()
	b, err := json.Marshal(c)
	if err != nil || !json.Valid(b) {
		t.Fatalf("%q: marshal: %v", text, err)
	}
	if c.Items == nil || c.Allergies == nil || c.Likes == nil {
		t.Fatalf("%q: null list in contract", text)
	}
	if c.Date != "" {
		d, err := crm.ParseDate(c.Date)
		if err != nil || d.String() != c.Date {
			t.Fatalf("%q: date %q", text, c.Date)
		}
	}
	if c.Birthday != "" {
		md, err := crm.ParseMonthDay(c.Birthday)
		if err != nil || md.String() != c.Birthday || len(c.Birthday) != 5 {
			t.Fatalf("%q: birthday %q", text, c.Birthday)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	loc, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		loc = time.FixedZone("KST", 9*3600)
	}
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, loc)
	names := []string{"May Kim", "김민지", "Kim", "정하", "Mrs. Lee"}
	items := []string{"croissant", "소금빵", "oat latte", "라떼"}
	lex := map[string]string{"체크아웃": LexMemo, "kouign-amann": LexItem, "ㅎㅎ": LexIgnore, "pain au chocolat": LexItem}
	f.Fuzz(func(t *testing.T, text string) {
		checkResult(t, text, parse(text, Options{Now: now, Loc: loc}))
		checkResult(t, text, parse(text, Options{Now: now, Loc: loc, Names: names, Items: items, Lexicon: lex, Explain: true}))
		words := wordsOf(text)
		checkResult(t, text, parse(text, Options{Now: now, Loc: loc, Names: words, Items: words, Currency: "GBP"}))
	})
}

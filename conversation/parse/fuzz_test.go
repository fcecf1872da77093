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
	f.Fuzz(func(t *testing.T, text string) {
		checkResult(t, text, Parse(text, Options{Now: now, Loc: loc}))
		checkResult(t, text, Parse(text, Options{Now: now, Loc: loc, Names: names, Items: items}))
	})
}

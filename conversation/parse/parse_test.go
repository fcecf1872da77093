package parse

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

var seoul = mustLoc("Asia/Seoul")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("KST", 9*3600)
	}
	return loc
}

// Reference days (10:00 in Seoul).
var (
	thu     = at(2026, 11, 26) // Thursday: the default
	fri     = at(2026, 11, 27)
	mon     = at(2026, 11, 23)
	sun     = at(2026, 11, 29)
	newYear = at(2027, 1, 1) // Friday
	jan2    = at(2027, 1, 2) // Saturday
)

func at(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, seoul) }

// want is the expected reading of a message; every field is compared.
type want struct {
	intent    Intent
	customer  string
	items     []Item
	date      string
	usual     string
	allergies []string
	likes     []string
	dislikes  []string
	context   []string
	birthday  string
	birthYear int
	amount    int64
	note      string

	// Fields of issue 9's readings; zero unless a case sets them.
	currency   string
	usualOrder bool
	usualTime  string
	booking    *wantBooking
	remove     []FactRef
	unknown    []string
	customers  []want // every clause, when a note names several customers
	correction *Correction
	question   *wantQuestion
}

type wantBooking struct {
	date, end, time, what string
	amount                int64
}

type wantQuestion struct {
	kind     QuestionKind
	from, to string
}

type parseCase struct {
	in    string
	now   time.Time // zero: thu
	names []string
	items []string
	lex   map[string]string
	want  want
}

func it(name string, qty int) Item { return Item{Name: name, Qty: qty} }

// mod gives an item its modifiers.
func mod(i Item, mods ...string) Item { i.Mods = mods; return i }

func items(list ...Item) []Item { return list }

func strs(s ...string) []string { return s }

// note builds the expected result of a note.
func note(customer string, w want) want {
	w.intent = IntentNote
	w.customer = customer
	return w
}

func only(in Intent) want { return want{intent: in} }

func lookup(customer string) want { return want{intent: IntentLookup, customer: customer} }

var specCases = []parseCase{
	{in: "Kim, croissant, Thursday", want: note("Kim", want{items: items(it("croissant", 1)), date: "2026-11-26"})},
	{in: "Jun bought 3 bagels and an espresso yesterday", want: note("Jun", want{items: items(it("bagel", 3), it("espresso", 1)), date: "2026-11-25"})},
	{in: "Hana allergic to walnuts", want: note("Hana", want{allergies: strs("walnut")})},
	{in: "Mina birthday Oct 9", want: note("Mina", want{birthday: "10-09"})},
	{in: "Ray comes every Saturday", want: note("Ray", want{usual: "saturday"})},
	{in: "Yuri loves cinnamon rolls", want: note("Yuri", want{likes: strs("cinnamon roll")})},
	{in: "이수민 소금빵 2개 화요일", want: note("이수민", want{items: items(it("소금빵", 2)), date: "2026-11-24"})},
	{in: "박지훈 새우 알레르기", want: note("박지훈", want{allergies: strs("새우")})},
	{in: "최하나 생일 9월 9일", want: note("최하나", want{birthday: "09-09"})},
	{in: "김도현님 어제 라떼 세 잔", want: note("김도현", want{items: items(it("라떼", 3)), date: "2026-11-25"})},
	{in: "정유진 매주 토요일 방문", want: note("정유진", want{usual: "saturday"})},
	{in: "오늘 누구 와?", want: only(IntentDigest)},
	{in: "hello", want: only(IntentGreeting)},
	{in: "감사합니다", want: only(IntentThanks)},
	{in: "김민지님 바게트 2개", want: note("김민지", want{items: items(it("바게트", 2)), date: "2026-11-26"})},
	{in: "박서준 딸기 알레르기", want: note("박서준", want{allergies: strs("딸기")})},
	{in: "이도윤 생일 3월 14일", want: note("이도윤", want{birthday: "03-14"})},
	{in: "정하은 크루아상 하나", want: note("정하은", want{items: items(it("크루아상", 1)), date: "2026-11-26"})},
	{in: "May Kim croissant", names: strs("May Kim"), want: note("May Kim", want{items: items(it("croissant", 1)), date: "2026-11-26"})},
}

var englishCases = []parseCase{
	// Names.
	{in: "May Kim, croissant", want: note("May Kim", want{items: items(it("croissant", 1)), date: "2026-11-26"})},
	{in: "May 3 Kim latte", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-05-03"})},
	{in: "June Park croissant", names: strs("Kim", "June Park"), want: note("June Park", want{items: items(it("croissant", 1)), date: "2026-11-26"})},
	{in: "Mrs. Lee bought a dozen bagels", want: note("Mrs. Lee", want{items: items(it("bagel", 12)), date: "2026-11-26"})},
	{in: "Kim Minji 2 lattes", want: note("Kim Minji", want{items: items(it("latte", 2)), date: "2026-11-26"})},
	{in: "Sun bought 2 lattes", want: note("Sun", want{items: items(it("latte", 2)), date: "2026-11-26"})},
	{in: "Jun 2 croissants", want: note("Jun", want{items: items(it("croissant", 2)), date: "2026-11-26"})},
	{in: "kim bought 3 bagels", want: note("kim", want{items: items(it("bagel", 3)), date: "2026-11-26"})},
	{in: "Hi, Kim bought 2 croissants", want: note("Kim", want{items: items(it("croissant", 2)), date: "2026-11-26"})},
	{in: "Kimberly latte", names: strs("Kim", "Kimberly"), want: note("Kimberly", want{items: items(it("latte", 1)), date: "2026-11-26"})},
	{in: "dana flat white 2", names: strs("Dana"), items: strs("flat white"), want: note("Dana", want{items: items(it("flat white", 2)), date: "2026-11-26"})},
	{in: "Kim oat lattes x2", items: strs("oat latte"), want: note("Kim", want{items: items(it("oat latte", 2)), date: "2026-11-26"})},
	{in: "lee jun bought a croissant", names: strs("Lee Jun"), want: note("Lee Jun", want{items: items(it("croissant", 1)), date: "2026-11-26"})},
	{in: "2 croissants for Kim", want: note("Kim", want{items: items(it("croissant", 2)), date: "2026-11-26"})},

	// Items, plurals and quantities.
	{in: "Kim 2 glasses of wine", want: note("Kim", want{items: items(it("glass of wine", 2)), date: "2026-11-26"})},
	{in: "Kim strawberries, peaches, 2 loaves", want: note("Kim", want{items: items(it("strawberry", 1), it("peach", 1), it("loaf", 2)), date: "2026-11-26"})},
	{in: "Kim hummus and an espresso", want: note("Kim", want{items: items(it("hummus", 1), it("espresso", 1)), date: "2026-11-26"})},
	{in: "Kim 3 cinnamon rolls and 2 blueberry muffins", want: note("Kim", want{items: items(it("cinnamon roll", 3), it("blueberry muffin", 2)), date: "2026-11-26"})},
	{in: "Kim croissant x2, latte ×3", want: note("Kim", want{items: items(it("croissant", 2), it("latte", 3)), date: "2026-11-26"})},
	{in: "Kim 2x croissant", want: note("Kim", want{items: items(it("croissant", 2)), date: "2026-11-26"})},
	{in: "Kim a couple of croissants", want: note("Kim", want{items: items(it("croissant", 2)), date: "2026-11-26"})},
	{in: "Kim half a dozen eggs", want: note("Kim", want{items: items(it("egg", 6)), date: "2026-11-26"})},
	{in: "Kim two lattes and three scones", want: note("Kim", want{items: items(it("latte", 2), it("scone", 3)), date: "2026-11-26"})},
	{in: "Kim cookies, brownies, smoothies", want: note("Kim", want{items: items(it("cookie", 1), it("brownie", 1), it("smoothie", 1)), date: "2026-11-26"})},
	{in: "Kim 2 quiches & 3 glasses", want: note("Kim", want{items: items(it("quiche", 2), it("glass", 3)), date: "2026-11-26"})},
	{in: "Kim latte, latte, 2 lattes", want: note("Kim", want{items: items(it("latte", 4)), date: "2026-11-26"})},
	{in: "Kim croissant 2", want: note("Kim", want{items: items(it("croissant", 2)), date: "2026-11-26"})},
	{in: "Kim 2 iced americanos + 1 news paper", want: note("Kim", want{items: items(mod(it("americano", 2), "iced"), it("news paper", 1)), date: "2026-11-26"})},

	// Visits without items, free text.
	{in: "Kim came in yesterday", want: note("Kim", want{date: "2026-11-25"})},
	{in: "Kim yesterday", want: note("Kim", want{date: "2026-11-25"})},
	{in: "Kim moved to Busan", want: note("Kim", want{note: "moved to Busan"})},
	{in: "Kim moved to Busan yesterday", want: note("Kim", want{note: "moved to Busan yesterday"})},
	{in: "Kim very happy today", want: note("Kim", want{note: "very happy today"})},
	{in: "Kim said she is pregnant", want: note("Kim", want{note: "said she is pregnant"})},
	{in: "Kim bought 3 bagels for her office", want: note("Kim", want{items: items(it("bagel", 3)), date: "2026-11-26", note: "for her office"})},
	{in: "Kim bought the lemon tart", want: note("Kim", want{items: items(it("lemon tart", 1)), date: "2026-11-26"})},
	{in: "Kim bought a cake for her mom", want: note("Kim", want{items: items(it("cake", 1)), date: "2026-11-26", note: "for her mom"})},
	{in: "Kim bought a new car", want: note("Kim", want{date: "2026-11-26", note: "a new car"})},
	{in: "Kim the usual", want: note("Kim", want{usualOrder: true, date: "2026-11-26"})},
	{in: "A dozen bagels for Kim", want: note("Kim", want{items: items(it("bagel", 12)), date: "2026-11-26"})},
	{in: "Kim allergic to walnuts, bought 2 croissants", want: note("Kim", want{allergies: strs("walnut"), items: items(it("croissant", 2)), date: "2026-11-26"})},

	// Facts.
	{in: "Kim allergic to nuts and dairy", want: note("Kim", want{allergies: strs("nut", "dairy")})},
	{in: "Kim allergic to peanuts, shellfish", want: note("Kim", want{allergies: strs("peanut", "shellfish")})},
	{in: "Kim nut allergy", want: note("Kim", want{allergies: strs("nut")})},
	{in: "Kim has a nut allergy", want: note("Kim", want{allergies: strs("nut")})},
	{in: "Kim allergy: sesame seeds", want: note("Kim", want{allergies: strs("sesame seed")})},
	{in: "Kim hates olives", want: note("Kim", want{dislikes: strs("olive")})},
	{in: "Kim doesn't like coffee", want: note("Kim", want{dislikes: strs("coffee")})},
	{in: "Kim prefers oat milk", want: note("Kim", want{likes: strs("oat milk")})},
	{in: "Ray comes every Saturday, loves croissants", want: note("Ray", want{usual: "saturday", likes: strs("croissant")})},
	{in: "Kim bday 7/21", want: note("Kim", want{birthday: "07-21"})},
	{in: "Kim birthday 1990-05-03", want: note("Kim", want{birthday: "05-03", birthYear: 1990})},
	{in: "Kim b-day 2 April", want: note("Kim", want{birthday: "04-02"})},
	{in: "Kim birthday is March 14th", want: note("Kim", want{birthday: "03-14"})},
	{in: "Kim usually comes on Thursdays", want: note("Kim", want{usual: "thursday"})},
	{in: "Kim on Mondays", want: note("Kim", want{usual: "monday"})},

	// Context and amounts.
	{in: "Kim came in with her daughter, takeout, 2 lattes, $12", want: note("Kim", want{items: items(it("latte", 2)), date: "2026-11-26", context: strs("with her daughter", "takeout"), amount: 1200})},
	{in: "Kim 2 lattes to go at 7am", want: note("Kim", want{items: items(it("latte", 2)), date: "2026-11-26", context: strs("takeout", "7am")})},
	{in: "Kim latte this morning", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-26", context: strs("morning")})},
	{in: "Kim with friends, dine-in, cappuccino", want: note("Kim", want{items: items(it("cappuccino", 1)), date: "2026-11-26", context: strs("with friends", "dine-in")})},
	{in: "Kim with kids 3 cookies in the afternoon", want: note("Kim", want{items: items(it("cookie", 3)), date: "2026-11-26", context: strs("with kids", "afternoon")})},
	{in: "Kim paid 5,000 won, latte", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-26", amount: 5000})},
	{in: "Kim latte ₩5,000", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-26", amount: 5000})},
	{in: "Kim; 2 lattes; birthday 3/4; allergic to nuts; moved to Busan", want: note("Kim", want{items: items(it("latte", 2)), date: "2026-11-26", birthday: "03-04", allergies: strs("nut"), note: "moved to Busan"})},
	{in: "Kim will come tomorrow for 2 cakes", want: note("Kim", want{items: items(it("cake", 2)), date: "2026-11-27", booking: &wantBooking{date: "2026-11-27", what: "2 cakes"}})},
	{in: "Kim next Tuesday 2 cakes", want: note("Kim", want{items: items(it("cake", 2)), date: "2026-12-01", booking: &wantBooking{date: "2026-12-01", what: "2 cakes"}})},
	{in: "Kim 라떼 2잔", want: note("Kim", want{items: items(it("라떼", 2)), date: "2026-11-26"})},
	{in: "Kim $5.50 latte 3 pm", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-26", amount: 550, context: strs("3pm")})},

	// Dates.
	{in: "Kim latte last Friday", now: mon, want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-20"})},
	{in: "Kim latte Sunday", now: mon, want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-22"})},
	{in: "Kim latte Monday", now: mon, want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-23"})},
	{in: "Kim latte last Monday", now: mon, want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-16"})},
	{in: "Kim latte last Sunday", now: sun, want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-22"})},
	{in: "Kim latte Saturday", now: sun, want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-28"})},
	{in: "Kim, croissant, Thursday", now: fri, want: note("Kim", want{items: items(it("croissant", 1)), date: "2026-11-26"})},
	{in: "Kim latte yesterday", now: newYear, want: note("Kim", want{items: items(it("latte", 1)), date: "2026-12-31"})},
	{in: "Kim latte 12/31", now: jan2, want: note("Kim", want{items: items(it("latte", 1)), date: "2026-12-31"})},
	{in: "Kim latte Dec 31", now: jan2, want: note("Kim", want{items: items(it("latte", 1)), date: "2026-12-31"})},
	{in: "Kim latte 2026-11-24", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-24"})},
	{in: "Kim latte Nov 24", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-24"})},
	{in: "Kim latte 24 Nov", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-24"})},
	{in: "Kim latte November 30", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-30", booking: &wantBooking{date: "2026-11-30", what: "latte"}})},
	{in: "Kim latte 11/24", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-24"})},
	{in: "Kim latte 3 days ago", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-23"})},
	{in: "Kim latte the day before yesterday", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-24"})},
	{in: "Kim latte today", now: sun, want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-29"})},

	// Not notes.
	{in: "Kim", want: lookup("Kim")},
	{in: "Kim?", want: lookup("Kim")},
	{in: "who is Kim", want: lookup("Kim")},
	{in: "tell me about Mrs. Lee", want: lookup("Mrs. Lee")},
	{in: "Kim info", want: lookup("Kim")},
	{in: "help", want: only(IntentHelp)},
	{in: "?", want: only(IntentHelp)},
	{in: "how do I add an allergy?", want: only(IntentHelp)},
	{in: "what time do you close?", want: only(IntentUnknown)},
	{in: "who should I greet today?", want: only(IntentDigest)},
	{in: "who's coming today", want: only(IntentDigest)},
	{in: "today", want: only(IntentDigest)},
	{in: "thanks!", want: only(IntentThanks)},
	{in: "thank you so much", want: only(IntentThanks)},
	{in: "Good morning", want: only(IntentGreeting)},
	{in: "hey there!", want: only(IntentGreeting)},
	{in: " \t\n ", want: only(IntentEmpty)},
	{in: "", want: only(IntentEmpty)},
	{in: "'; DROP TABLE customers; --", want: want{intent: IntentUnknown, note: "DROP TABLE customers", unknown: strs("DROP TABLE customers")}},
	{in: "croissant, latte", want: want{intent: IntentUnknown, items: items(it("croissant", 1), it("latte", 1)), date: "2026-11-26"}},
}

var koreanCases = []parseCase{
	// Names, particles and honorifics.
	{in: "한지민님은 라떼랑 크루아상", want: note("한지민", want{items: items(it("라떼", 1), it("크루아상", 1)), date: "2026-11-26"})},
	{in: "이수민씨 소금빵2개", want: note("이수민", want{items: items(it("소금빵", 2)), date: "2026-11-26"})},
	{in: "박서준 고객님 아메리카노 2잔", want: note("박서준", want{items: items(it("아메리카노", 2)), date: "2026-11-26"})},
	{in: "박서준이 라떼 두 잔", want: note("박서준", want{items: items(it("라떼", 2)), date: "2026-11-26"})},
	{in: "김민지가 어제 라떼를 세 잔 주문했어요", want: note("김민지", want{items: items(it("라떼", 3)), date: "2026-11-25"})},
	{in: "이정은 라떼 2잔", want: note("이정은", want{items: items(it("라떼", 2)), date: "2026-11-26"})},
	{in: "김지은이 쿠키 3개", want: note("김지은", want{items: items(it("쿠키", 3)), date: "2026-11-26"})},
	{in: "수민이가 케이크 샀어요", want: note("수민", want{items: items(it("케이크", 1)), date: "2026-11-26"})},
	{in: "김보람 라떼", want: note("김보람", want{items: items(it("라떼", 1)), date: "2026-11-26"})},
	{in: "어제 김민지 라떼", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-25"})},
	{in: "라떼 2잔 김민지님", want: note("김민지", want{items: items(it("라떼", 2)), date: "2026-11-26"})},
	{in: "안녕하세요 김민지님 라떼 2잔", want: note("김민지", want{items: items(it("라떼", 2)), date: "2026-11-26"})},
	{in: "김민지님께서 쿠키 3개 사감", names: strs("김민지"), want: note("김민지", want{items: items(it("쿠키", 3)), date: "2026-11-26"})},
	{in: "정하은 크루아상", names: strs("정하"), want: note("정하은", want{items: items(it("크루아상", 1)), date: "2026-11-26"})},
	{in: "정하은이 라떼", names: strs("정하", "정하은"), want: note("정하은", want{items: items(it("라떼", 1)), date: "2026-11-26"})},
	{in: "소금빵 2개", want: want{intent: IntentUnknown, items: items(it("소금빵", 2)), date: "2026-11-26"}},

	// Counters and numbers.
	{in: "김민지 2개 소금빵", want: note("김민지", want{items: items(it("소금빵", 2)), date: "2026-11-26"})},
	{in: "김민지 라떼 세잔", want: note("김민지", want{items: items(it("라떼", 3)), date: "2026-11-26"})},
	{in: "김민지 라떼 삼잔", want: note("김민지", want{items: items(it("라떼", 3)), date: "2026-11-26"})},
	{in: "김민지 쿠키 열두개", want: note("김민지", want{items: items(it("쿠키", 12)), date: "2026-11-26"})},
	{in: "김민지 쿠키 스무 개", want: note("김민지", want{items: items(it("쿠키", 20)), date: "2026-11-26"})},
	{in: "김민지 라떼 이십삼 잔", want: note("김민지", want{items: items(it("라떼", 23)), date: "2026-11-26"})},
	{in: "김민지 케이크 두 조각이랑 우유 한 팩", want: note("김민지", want{items: items(it("케이크", 2), it("우유", 1)), date: "2026-11-26"})},
	{in: "김민지 식빵 한 봉지, 크림빵 네 개", want: note("김민지", want{items: items(it("식빵", 1), it("크림빵", 4)), date: "2026-11-26"})},
	{in: "김민지 크로와상을 두 개 샀어요", want: note("김민지", want{items: items(it("크로와상", 2)), date: "2026-11-26"})},
	{in: "김민지 아메리카노 두잔 카페라떼 한잔", want: note("김민지", want{items: items(it("아메리카노", 2), it("카페라떼", 1)), date: "2026-11-26"})},
	{in: "김민지 우유 1병하고 식빵", want: note("김민지", want{items: items(it("우유", 1), it("식빵", 1)), date: "2026-11-26"})},
	{in: "김민지 포도 2송이", want: note("김민지", want{items: items(it("포도", 2)), date: "2026-11-26"})},
	{in: "김민지 소보로 3개", want: note("김민지", want{items: items(it("소보로", 3)), date: "2026-11-26"})},
	{in: "김민지 사과 3개", want: note("김민지", want{items: items(it("사과", 3)), date: "2026-11-26"})},
	{in: "김민지 약과랑 식혜", want: note("김민지", want{items: items(it("약과", 1), it("식혜", 1)), date: "2026-11-26"})},
	{in: "김민지 소금빵을 2개", items: strs("소금빵"), want: note("김민지", want{items: items(it("소금빵", 2)), date: "2026-11-26"})},
	{in: "김민지 라떼 2잔 라떼 1잔", want: note("김민지", want{items: items(it("라떼", 3)), date: "2026-11-26"})},

	// Context and amounts.
	{in: "김민지 친구 2명이랑 라떼 3잔", want: note("김민지", want{items: items(it("라떼", 3)), date: "2026-11-26", context: strs("친구 2명이랑")})},
	{in: "김민지 아이랑 포장 라떼 2잔 오후 3시 1만 5천원", want: note("김민지", want{items: items(it("라떼", 2)), date: "2026-11-26", context: strs("아이랑", "포장", "오후 3시"), amount: 15000})},
	{in: "김민지 매장식사 케이크", want: note("김민지", want{items: items(it("케이크", 1)), date: "2026-11-26", context: strs("매장식사")})},
	{in: "김민지 남편이랑 아메리카노 두잔", want: note("김민지", want{items: items(it("아메리카노", 2)), date: "2026-11-26", context: strs("남편이랑")})},
	{in: "김민지 라떼 4,500원", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-26", amount: 4500})},
	{in: "김민지 아침 7시 라떼", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-26", context: strs("아침 7시")})},
	{in: "김민지 어젯밤 라떼", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-25", context: strs("밤")})},
	{in: "김민지 테이크아웃 아이스 아메리카노", want: note("김민지", want{items: items(mod(it("아메리카노", 1), "아이스")), date: "2026-11-26", context: strs("테이크아웃")})},

	{in: "김민지 라떼 5000원", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-26", amount: 5000})},
	{in: "김민지 딸이 라떼 2잔", want: note("김민지", want{items: items(it("라떼", 2)), date: "2026-11-26", note: "딸이"})},
	{in: "김민지님 오늘 오셔서 라떼 두잔 드시고 가셨어요", want: note("김민지", want{items: items(it("라떼", 2)), date: "2026-11-26"})},
	{in: "김민지 다음주 화요일 케이크 픽업 예정", want: note("김민지", want{items: items(it("케이크", 1)), date: "2026-12-01", booking: &wantBooking{date: "2026-12-01", what: "케이크 픽업"}})},

	// Facts.
	{in: "김민지 크루아상 2개 샀어요. 땅콩 알레르기 있음. 생일 3월 3일.", want: note("김민지", want{items: items(it("크루아상", 2)), date: "2026-11-26", allergies: strs("땅콩"), birthday: "03-03"})},
	{in: "홍길동 땅콩, 호두 알레르기", want: note("홍길동", want{allergies: strs("땅콩", "호두")})},
	{in: "홍길동 알레르기: 땅콩", want: note("홍길동", want{allergies: strs("땅콩")})},
	{in: "홍길동 유제품 못드심", want: note("홍길동", want{allergies: strs("유제품")})},
	{in: "홍길동 90년생", want: note("홍길동", want{birthYear: 1990})},
	{in: "김민지 땅콩 못 먹음", want: note("김민지", want{allergies: strs("땅콩")})},
	{in: "김민지 새우랑 게 알레르기 있음", want: note("김민지", want{allergies: strs("새우", "게")})},
	{in: "김민지 우유 알러지", want: note("김민지", want{allergies: strs("우유")})},
	{in: "김민지 라떼 좋아함", want: note("김민지", want{likes: strs("라떼")})},
	{in: "김민지 오트라떼 선호", want: note("김민지", want{likes: strs("오트라떼")})},
	{in: "김민지 커피 싫어함", want: note("김민지", want{dislikes: strs("커피")})},
	{in: "김민지 커피 안 좋아함", want: note("김민지", want{dislikes: strs("커피")})},
	{in: "김민지 생일 12/25", want: note("김민지", want{birthday: "12-25"})},
	{in: "김민지 생일은 3월 14일", want: note("김민지", want{birthday: "03-14"})},
	{in: "김민지 3월 14일 생일", want: note("김민지", want{birthday: "03-14"})},
	{in: "김민지 1990년 5월 3일 생일", want: note("김민지", want{birthday: "05-03", birthYear: 1990})},
	{in: "김민지 오늘 생일", now: sun, want: note("김민지", want{birthday: "11-29"})},
	{in: "김민지 목요일마다 와요", want: note("김민지", want{usual: "thursday"})},
	{in: "김민지 보통 목요일에 와요", want: note("김민지", want{usual: "thursday"})},
	{in: "김민지 라떼 2잔, 새우 알레르기", want: note("김민지", want{items: items(it("라떼", 2)), date: "2026-11-26", allergies: strs("새우")})},

	// Dates.
	{in: "김민지 지난주 금요일 라떼", now: mon, want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-20"})},
	{in: "김민지 일요일 라떼", now: mon, want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-22"})},
	{in: "김민지 지난주 일요일 라떼", now: sun, want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-22"})},
	{in: "김민지 어제 라떼", now: newYear, want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-12-31"})},
	{in: "김민지 라떼 12/31", now: jan2, want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-12-31"})},
	{in: "김민지 라떼 11월 24일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-24"})},
	{in: "김민지 라떼 24일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-24"})},
	{in: "김민지 라떼 28일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-28", booking: &wantBooking{date: "2026-11-28", what: "라떼"}})},
	{in: "김민지 라떼 2026-11-20", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-20"})},
	{in: "김민지 그저께 라떼", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-24"})},
	{in: "김민지 엊그제 라떼", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-24"})},
	{in: "김민지 3일 전 라떼", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-23"})},
	{in: "김민지 이틀 전 라떼", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-24"})},
	{in: "김민지 목욜 라떼", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-26"})},
	{in: "김민지 토 라떼", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-21"})},
	{in: "김민지 어제 방문", want: note("김민지", want{date: "2026-11-25"})},

	// Free text.
	{in: "박서준 다음 주 이사 감", want: note("박서준", want{note: "다음 주 이사 감"})},
	{in: "김민지 요즘 바쁨", want: note("김민지", want{note: "요즘 바쁨"})},
	{in: "김민지 부산으로 이사 감", want: note("김민지", want{note: "부산으로 이사 감"})},

	// Not notes.
	{in: "김민지", want: lookup("김민지")},
	{in: "김민지?", want: lookup("김민지")},
	{in: "김민지 정보", want: lookup("김민지")},
	{in: "김민지 누구", want: lookup("김민지")},
	{in: "안녕하세요", want: only(IntentGreeting)},
	{in: "고마워요", want: only(IntentThanks)},
	{in: "고맙습니다!", want: only(IntentThanks)},
	{in: "도움말", want: only(IntentHelp)},
	{in: "오늘", want: only(IntentDigest)},
	{in: "오늘 누구 인사해?", want: only(IntentDigest)},
}

func TestParse(t *testing.T) {
	for _, group := range []struct {
		name  string
		cases []parseCase
	}{{"spec", specCases}, {"en", englishCases}, {"ko", koreanCases}, {"issue-ko", issueKoreanCases}, {"issue-en", issueEnglishCases}} {
		t.Run(group.name, func(t *testing.T) {
			for _, c := range group.cases {
				now := c.now
				if now.IsZero() {
					now = thu
				}
				r := Parse(c.in, Options{Now: now, Loc: seoul, Names: c.names, Items: c.items, Lexicon: c.lex})
				checkResult(t, c.in, r)
				if got, w := gotOf(r), normalise(c.want); !reflect.DeepEqual(got, w) {
					t.Errorf("Parse(%q)\n got %s\nwant %s", c.in, showWant(got), showWant(w))
				}
			}
		})
	}
}

// gotOf reads a Result into the shape of want.
func gotOf(r Result) want {
	w := clauseWant(r.flat())
	w.intent, w.unknown, w.correction = r.Intent, r.Unknown, r.Correction
	if q := r.Question; q != nil {
		w.question = &wantQuestion{kind: q.Kind, from: q.From.String(), to: q.To.String()}
	}
	if len(r.Clauses) > 1 {
		for _, c := range r.Clauses {
			w.customers = append(w.customers, clauseWant(c))
		}
	}
	return normalise(w)
}

// clauseWant reads one clause into the shape of want.
func clauseWant(c Clause) want {
	cc := clauseContract(c)
	w := want{
		customer: c.Customer, items: c.Items, date: cc.Date, usual: cc.UsualWeekday,
		allergies: c.Allergies, likes: c.Likes, dislikes: c.Dislikes, context: c.Context,
		birthday: cc.Birthday, birthYear: c.BirthYear, amount: c.Amount.Minor, note: c.Note,
		usualOrder: c.Usual, usualTime: c.UsualTime, remove: c.Remove,
	}
	if c.Amount.Currency != "" && c.Amount.Currency != "KRW" && c.Amount.Currency != "USD" {
		w.currency = c.Amount.Currency
	}
	if b := c.Booking; b != nil {
		w.booking = &wantBooking{date: b.Date.String(), end: b.End.String(), time: b.Time, what: b.What, amount: b.Amount.Minor}
	}
	return normalise(w)
}

func normalise(w want) want {
	if len(w.items) == 0 {
		w.items = nil
	}
	for i := range w.items {
		if len(w.items[i].Mods) == 0 {
			w.items[i].Mods = nil
		}
	}
	for _, l := range []*[]string{&w.allergies, &w.likes, &w.dislikes, &w.context, &w.unknown} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	if len(w.remove) == 0 {
		w.remove = nil
	}
	for i := range w.customers {
		w.customers[i] = normalise(w.customers[i])
	}
	return w
}

func allCases() []parseCase {
	var all []parseCase
	for _, g := range [][]parseCase{specCases, englishCases, koreanCases, issueKoreanCases, issueEnglishCases} {
		all = append(all, g...)
	}
	return all
}

func TestCaseCount(t *testing.T) {
	ko := 0
	all := allCases()
	for _, c := range all {
		if strings.ContainsFunc(c.in, isHangul) {
			ko++
		}
	}
	if n := len(all); n < 400 || ko < n/2 {
		t.Errorf("%d cases, %d Korean: want at least 400, half Korean", n, ko)
	}
}

func TestResultDefaults(t *testing.T) {
	for _, in := range []string{"", "hello", "Kim?", "Kim bought a latte", "\xff\xfe"} {
		r := Parse(in, Options{})
		if r.UsualWeekday != crm.NoWeekday {
			t.Errorf("%q: usual weekday %v, want NoWeekday", in, r.UsualWeekday)
		}
	}
	// Zero Now means time.Now; nil Loc means Now's zone.
	r := Parse("Kim latte", Options{})
	if today := crm.DateOf(time.Now(), time.Local); r.Date != today && r.Date != today.AddDays(-1) && r.Date != today.AddDays(1) {
		t.Errorf("date %v, want about %v", r.Date, today)
	}
	utc := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC) // 05:00 on the 26th in Seoul
	if got := Parse("Kim latte", Options{Now: utc, Loc: seoul}).Date.String(); got != "2026-11-26" {
		t.Errorf("shop zone: date %s, want 2026-11-26", got)
	}
	if got := Parse("Kim latte", Options{Now: utc}).Date.String(); got != "2026-11-25" {
		t.Errorf("now's zone: date %s, want 2026-11-25", got)
	}
}

func TestContractJSON(t *testing.T) {
	r := Parse("Hana allergic to walnuts", Options{Now: thu, Loc: seoul})
	b, err := jsonMarshal(r.Contract())
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"intent":"note","customer":"Hana","items":[],"date":"","usual_weekday":"","allergies":["walnut"],"likes":[],"birthday":"","note":""}`
	if string(b) != wantJSON {
		t.Errorf("got  %s\nwant %s", b, wantJSON)
	}
}

func TestSingular(t *testing.T) {
	for in, want := range map[string]string{
		"croissants": "croissant", "strawberries": "strawberry", "peaches": "peach", "loaves": "loaf",
		"glass": "glass", "glasses": "glass", "espresso": "espresso", "espressos": "espresso",
		"hummus": "hummus", "news": "news", "series": "series", "nuts": "nut", "walnuts": "walnut",
		"cookies": "cookie", "pies": "pie", "quiches": "quiche", "boxes": "box", "potatoes": "potato",
		"teas": "tea", "lattes": "latte", "kiwis": "kiwi", "olives": "olive", "children": "child",
		"dress": "dress", "bus": "bus", "cheeses": "cheese", "brioches": "brioche", "menus": "menu",
	} {
		if got := singular(in); got != want {
			t.Errorf("singular(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStripKo(t *testing.T) {
	for _, c := range []struct {
		in   string
		name bool
		want string
	}{
		{"김민지가", true, "김민지"}, {"크루아상을", false, "크루아상"}, {"한지민님은", true, "한지민"},
		{"이수민씨", true, "이수민"}, {"정하은", true, "정하은"}, {"라떼를", false, "라떼"},
		{"식빵과", false, "식빵"}, {"케이크와", false, "케이크"}, {"사과", false, "사과"},
		{"소금빵이랑", false, "소금빵"}, {"라떼랑", false, "라떼"}, {"아이랑", false, "아이"},
		{"카푸치노로", false, "카푸치노"}, {"빵으로", false, "빵"}, {"포도", false, "포도"},
		{"김민지님께서", true, "김민지"}, {"박서준이", true, "박서준"}, {"이정은", true, "이정은"},
		{"아저씨", true, "아저씨"}, {"김민지한테", true, "김민지"},
	} {
		if got, _ := stripKo(c.in, c.name); got != c.want {
			t.Errorf("stripKo(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNeverPanics(t *testing.T) {
	long := strings.Repeat("김민지 라떼 2잔, Kim bought 3 bagels; ", 3000)
	for _, in := range []string{
		long, strings.Repeat("x", 100<<10), strings.Repeat("가", 50<<10), "\x00\x01\x02", "\xff",
		"🥐🥐🥐", "Robert'); DROP TABLE customers;--", "1/2/3/4", "99999999999999999999원",
		"₩99999999999999999999", "x99999", "2026-02-30", "Feb 30", "생일 2월 30일", "0월 0일",
		"-- , ; ? :", "김", "님", "이랑", "x", "a", "an and a", "'s", "ㅋㅋㅋ", strings.Repeat("and ", 1000),
	} {
		r := parse(in, Options{Now: thu, Loc: seoul, Names: strs("Kim", "김민지", ""), Items: strs("", " ", "latte")})
		checkResult(t, in, r)
		checkResult(t, in, parse(in, Options{Now: thu, Loc: seoul, Names: wordsOf(in), Items: wordsOf(in), Explain: true}))
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// showWant prints a reading compactly for test failures.
func showWant(w want) string {
	b := &strings.Builder{}
	fmt.Fprintf(b, "{%s %q items%v date=%q", w.intent, w.customer, w.items, w.date)
	for _, f := range []struct {
		k string
		v any
		z bool
	}{
		{"usual", w.usual, w.usual == ""}, {"allergies", w.allergies, w.allergies == nil},
		{"likes", w.likes, w.likes == nil}, {"dislikes", w.dislikes, w.dislikes == nil},
		{"context", w.context, w.context == nil}, {"birthday", w.birthday, w.birthday == ""},
		{"birthYear", w.birthYear, w.birthYear == 0}, {"amount", w.amount, w.amount == 0},
		{"currency", w.currency, w.currency == ""}, {"note", w.note, w.note == ""},
		{"usualOrder", w.usualOrder, !w.usualOrder}, {"usualTime", w.usualTime, w.usualTime == ""},
		{"remove", w.remove, w.remove == nil}, {"unknown", w.unknown, w.unknown == nil},
	} {
		if !f.z {
			fmt.Fprintf(b, " %s=%q", f.k, fmt.Sprint(f.v))
		}
	}
	if w.booking != nil {
		fmt.Fprintf(b, " booking=%+v", *w.booking)
	}
	if w.correction != nil {
		fmt.Fprintf(b, " correction=%+v", *w.correction)
	}
	if w.question != nil {
		fmt.Fprintf(b, " question=%+v", *w.question)
	}
	for _, c := range w.customers {
		fmt.Fprintf(b, "\n    customer %s", showWant(c))
	}
	return b.String() + "}"
}

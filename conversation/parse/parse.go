// Package parse reads the short notes that shop owners text to Dangol, in
// Korean or English, and says what they mean.
//
// Parse never fails and never panics: any text, including invalid UTF-8,
// control characters and very long input (only the first 4 KiB is read),
// yields a Result whose Intent is one of the constants below. A note
// (IntentNote) names one customer and carries what the shop should
// remember: a visit (Date, Items, Context, Amount), facts (Allergies,
// Likes, Dislikes, Birthday, BirthYear, UsualWeekday) and free text (Note).
// Other messages are greetings, thanks, help requests, digest questions
// ("who's coming today?", "오늘 누구 와?") and customer lookups ("Kim?",
// "김민지 정보").
//
// The rules are plain tables per locale, read by hand-written scanners; the
// standard library is the only dependency. The shop's known names and items
// (Options) are matched before any rule. Dates are read in the shop's time
// zone: a bare weekday is the most recent one (today included), "last
// Friday" and "지난주 금요일" are the Friday of the previous Monday-based
// week, and a date without a year that would lie ahead is last year's.
//
// Edge cases are decided as follows:
//
//   - A customer alone ("Kim", "김민지님") is a lookup, like "Kim?".
//   - A note with no customer is IntentUnknown; the fields still hold what
//     was understood (items, date …) so a dialog can ask whose note it is.
//   - A question ("…?") that names a customer is a lookup; other questions
//     are help when they ask "how", else unknown.
//   - A note with items is a visit on the date written, else today. Without
//     items, a visit verb ("came in", "방문", "왔어요") or a bare date ("Kim
//     yesterday") makes a visit; habits ("every Thursday", "매주 토요일
//     방문") and facts do not. A date that is no visit stays in Note.
//   - Plans are no visits: with "tomorrow", "next Tuesday", "다음 주",
//     "예약" and no past date or visit verb, the whole remark goes to Note.
//   - Within a note, a run of words with a quantity is an item list; a run
//     without one is an item when it is short (up to three words) and has
//     no verb or function word, otherwise it is free text for Note.
//   - A Korean three-syllable name keeps a final 은/이/을 (이정은, 김지은);
//     longer words lose it (김지은이 → 김지은).
package parse

import (
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// Intent is what a message asks for.
type Intent string

// Intents.
const (
	IntentNote     Intent = "note"     // something to record
	IntentGreeting Intent = "greeting" // hello, 안녕하세요
	IntentThanks   Intent = "thanks"   // thanks, 감사합니다, 고마워요
	IntentDigest   Intent = "digest"   // "who should I greet today?", "오늘 누구 와?", "today", "오늘"
	IntentLookup   Intent = "lookup"   // "Kim?", "김민지 정보", "who is Kim" — Customer holds the name
	IntentHelp     Intent = "help"     // "help", "도움말", "how do I ..."
	IntentUnknown  Intent = "unknown"  // nothing understood
	IntentEmpty    Intent = "empty"    // empty / whitespace only
	// IntentCorrection mends the author's previous note: "oh wait 3",
	// "I meant 3", "아니 2개 말고 3개", "아니 어제". Result.Correction says how.
	IntentCorrection Intent = "correction"
	// IntentQuestion is a question asked at the counter about the shop's
	// customers: "오늘 생일인 사람?", "who hasn't been in for a while?",
	// "이번주 몇 명 왔어?", "오늘 예약?". Result.Question says which.
	IntentQuestion Intent = "question"
)

// Item is something bought, with how many. Mods are the words that say
// how it was made ("iced", "oat milk", "샷추가", "따뜻한"); they stay with
// the item and never become items of their own.
type Item struct {
	Name string   `json:"name"`
	Qty  int      `json:"qty"`
	Mods []string `json:"mods,omitempty"`
}

// Money is an amount paid, in the minor unit of its currency (cents,
// pence; won and yen have none): "£3.50" is {350, "GBP"}, "1만5천원" is
// {15000, "KRW"}. Currency is an ISO 4217 code; a bare amount ("paid
// 12.50") takes Options.Currency.
type Money struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
}

// IsZero reports whether no amount was given.
func (m Money) IsZero() bool { return m.Minor == 0 }

// FactRef names a fact by kind and value, for removals: "딸기 알레르기
// 아님" is {crm.FactAllergy, "딸기"}.
type FactRef struct {
	Kind  crm.FactKind
	Value string
}

// Booking is something arranged for a later (or the same) day: a pickup,
// a reservation, a stay. "권태윤 3시 예약", "Bob cake pickup 3pm tomorrow",
// "지민 12/20–12/22 숙박".
type Booking struct {
	Date   crm.Date // the day booked
	End    crm.Date // the last day of a stay; zero for one day
	Time   string   // "15:00" (24-hour, shop time); "" when none was given
	What   string   // "케이크 2호", "cake pickup"; "" when only the booking word was written
	Amount Money
}

// Clause is what one note says about one customer. A note that names
// several customers ("Tom 2 croissants, Sarah 1 latte", "김민지랑 박서준
// 크림빵 하나씩") has one clause per customer, in the order written.
type Clause struct {
	Customer     string
	Items        []Item
	Date         crm.Date     // the visit date; zero when this clause records no visit
	UsualWeekday time.Weekday // crm.NoWeekday when not stated
	UsualTime    string       // usual time of day, "07:00"; "" when not stated
	Allergies    []string
	Likes        []string
	Dislikes     []string
	Remove       []FactRef // facts the note says are wrong or gone
	Birthday     crm.MonthDay
	BirthYear    int
	Context      []string
	Amount       Money
	Booking      *Booking
	Usual        bool // "the usual", "늘 먹던 거": the customer's usual order
	Note         string
}

// Correction is how a note mends the one before it.
type Correction struct {
	Qty  int      // the new quantity; 0 when unchanged
	Item string   // the item the quantity is for; "" for the previous note's only (or last) item
	Date crm.Date // the new visit date; zero when unchanged
}

// Question is a question about the shop's customers over the days
// [From, To] (shop time).
type Question struct {
	Kind     QuestionKind
	From, To crm.Date
}

// QuestionKind is what a counter question asks.
type QuestionKind string

// Question kinds.
const (
	AskBirthdays QuestionKind = "birthdays" // whose birthday falls in the days
	AskLapsed    QuestionKind = "lapsed"    // who has not been in for a while
	AskVisits    QuestionKind = "visits"    // how many visits / customers in the days
	AskBookings  QuestionKind = "bookings"  // bookings in the days
)

// Span is one stretch of the text and the role the parser gave it, for
// `dangol parse --explain`.
type Span struct {
	Start, End int    // byte offsets in the text as read
	Text       string // the words
	Role       string // name, item, qty, date, time, amount, fact, negation, context, booking, unknown …
}

// Result is what a message means.
type Result struct {
	Intent       Intent
	Lang         string       // "ko" if the text has Hangul, else "en"
	Customer     string       // the customer name as resolved/written, particles and honorifics stripped
	Items        []Item       // singular (English), particles stripped (Korean), qty >= 1, same names merged
	Date         crm.Date     // the visit date; zero when the note is not a visit
	UsualWeekday time.Weekday // crm.NoWeekday when not stated
	Allergies    []string
	Likes        []string
	Dislikes     []string
	Birthday     crm.MonthDay // zero when none
	BirthYear    int          // when given (1990-05-03), else 0
	Context      []string     // takeout, dine-in, morning, 7am, with kids, 포장, 아이랑 …
	Amount       Money        // amount paid ("₩5,000", "5000원", "$12", "£3.50"); zero = none
	Note         string       // leftover free text that was not understood otherwise ("" when none)

	// The fields above are the first customer's reading. Clauses holds
	// every customer's, in order (Clauses[0] repeats the fields above);
	// it is empty unless Intent is IntentNote.
	Clauses []Clause
	// Correction is set for IntentCorrection.
	Correction *Correction
	// Question is set for IntentQuestion.
	Question *Question
	// Unknown lists the words of a note the parser could not place; they
	// are also in Note. The owner is asked about them.
	Unknown []string
	// Spans is every stretch of the text with its role; only with
	// Options.Explain.
	Spans []Span
}

// Options carry what the shop knows. All fields are optional.
type Options struct {
	Now   time.Time      // "now"; zero means time.Now()
	Loc   *time.Location // the shop's time zone; nil means Now's location
	Names []string       // the shop's known customer names and aliases; matched first
	Items []string       // the shop's known item names and aliases; matched first
	// Lexicon is what the shop taught Dangol about words it could not
	// place: lower-cased word → LexItem, LexMemo or LexIgnore.
	Lexicon map[string]string
	// Currency is the shop's ISO 4217 currency for bare amounts; "" means
	// KRW for a Korean note and USD otherwise.
	Currency string
	// Explain fills Result.Spans.
	Explain bool
}

// Lexicon roles a shop can give a word.
const (
	LexItem   = "item"   // an item name
	LexMemo   = "memo"   // context or a remark: kept in the note
	LexIgnore = "ignore" // a word to drop
)

// Contract is the JSON shape printed by `dangol parse`.
type Contract struct {
	Intent       string   `json:"intent"`
	Customer     string   `json:"customer"`
	Items        []Item   `json:"items"`         // never null: [] when none
	Date         string   `json:"date"`          // YYYY-MM-DD or ""
	UsualWeekday string   `json:"usual_weekday"` // lowercase English weekday or ""
	Allergies    []string `json:"allergies"`     // never null
	Likes        []string `json:"likes"`         // never null
	Birthday     string   `json:"birthday"`      // MM-DD or ""
	Note         string   `json:"note"`
}

// Contract returns r in the printed JSON shape.
func (r Result) Contract() Contract {
	c := Contract{
		Intent:    string(r.Intent),
		Customer:  r.Customer,
		Items:     append([]Item{}, r.Items...),
		Date:      r.Date.String(),
		Allergies: append([]string{}, r.Allergies...),
		Likes:     append([]string{}, r.Likes...),
		Birthday:  r.Birthday.String(),
		Note:      r.Note,
	}
	if r.UsualWeekday >= time.Sunday && r.UsualWeekday <= time.Saturday {
		c.UsualWeekday = strings.ToLower(r.UsualWeekday.String())
	}
	return c
}

// Parse reads one message. It never panics and always returns a Result
// whose Intent is one of the constants above.
func Parse(text string, opt Options) Result {
	var s state
	var buf [24]token
	s.toks = buf[:0]
	s.init(opt)
	return s.run(text)
}

// state is one parse in progress.
type state struct {
	text  string
	opt   Options
	today crm.Date
	toks  []token
	res   Result

	question  bool // the message ends in (or is) a question
	lookup    bool // lookup words were found
	visitVerb bool // "came in", "방문"
	usualSet  bool
	visitSet  bool
	visitDate crm.Date
	dateFrom  int // token range of the visit date
	dateTo    int
	future    bool // the note is about a plan: "tomorrow", "다음 주", "예약"
	facts     [8]factKey
	nfacts    int
}

// factKey is a fact keyword found in the text.
type factKey struct {
	start, end int
	kind       factKind
	dir        factDir
}

func (s *state) init(opt Options) {
	s.opt = opt
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	loc := opt.Loc
	if loc == nil {
		loc = now.Location()
	}
	s.today = crm.DateOf(now, loc)
	s.res = Result{Intent: IntentUnknown, Lang: "en", UsualWeekday: crm.NoWeekday}
}

func (s *state) run(text string) Result {
	text = sanitize(text)
	s.text = text
	s.toks = tokenize(text, s.toks)
	words := 0
	for i := range s.toks {
		t := &s.toks[i]
		if t.hangul {
			s.res.Lang = "ko"
		}
		if t.sep == '?' {
			s.question = true
		}
		if t.sep == 0 {
			words++
		}
	}
	if words == 0 {
		switch {
		case s.question:
			s.res.Intent = IntentHelp
		case strings.TrimFunc(text, isSpaceRune) == "":
			s.res.Intent = IntentEmpty
		}
		return s.res
	}
	if in := s.precheck(); in != "" {
		s.res.Intent = in
		return s.res
	}
	s.passLookup()
	s.passGreeting()
	s.passKnownNames()
	s.passKnownItems()
	s.passBirthday()
	s.passDates()
	s.passContext()
	s.passAmount()
	s.passQty()
	s.passFactKeys()
	s.passFillers()
	s.passName()
	s.passFacts()
	s.passItems()
	return s.finish()
}

// finish decides the intent and assembles the result.
func (s *state) finish() Result {
	r := &s.res
	hasFacts := len(r.Allergies)+len(r.Likes)+len(r.Dislikes) > 0 || !r.Birthday.IsZero() ||
		r.BirthYear != 0 || s.usualSet
	hasFree := false
	for i := range s.toks {
		if s.toks[i].role == rFree {
			hasFree = true
			break
		}
	}
	habit, future := s.usualSet, s.future
	for i := range s.toks {
		t := &s.toks[i]
		if t.sep != 0 {
			continue
		}
		if enHabit[t.low] || koHabitBefore[t.low] || strings.HasSuffix(t.low, "마다") {
			habit = true
		}
		if t.role != rDate && t.role != rBirthday && (enFuture[t.low] || koFuture[t.low]) {
			future = true
		}
	}
	if future && !s.visitSet && !s.visitVerb && len(r.Items) > 0 {
		// "Kim will come tomorrow for 2 cakes": a plan, kept as text.
		r.Items = nil
		for i := range s.toks {
			if t := &s.toks[i]; t.role == rItem || t.role == rQty || t.role == rKnownItem {
				t.role = rFree
			}
		}
		hasFree = true
	}
	visit := len(r.Items) > 0
	if !visit && s.visitVerb && (s.visitSet || !habit && !future) {
		visit = true
	}
	if !visit && s.visitSet && !hasFacts && !hasFree {
		visit = true
	}
	if visit {
		r.Date = s.today
		if s.visitSet {
			r.Date = s.visitDate
		}
	} else if s.visitSet {
		// A date that is no visit is part of the remark: "moved yesterday".
		s.mark(s.dateFrom, s.dateTo, rFree)
	}
	r.Note = s.note()

	switch {
	case s.question || s.lookup:
		if r.Customer != "" {
			return s.only(IntentLookup, r.Customer)
		}
		if s.question && s.asksHow() {
			return s.only(IntentHelp, "")
		}
		return s.only(IntentUnknown, "")
	case r.Customer == "":
		r.Intent = IntentUnknown
	case len(r.Items) == 0 && !hasFacts && r.Date.IsZero() && len(r.Context) == 0 &&
		r.Amount.IsZero() && r.Note == "":
		return s.only(IntentLookup, r.Customer)
	default:
		r.Intent = IntentNote
	}
	return *r
}

// only returns a result with just an intent (and a customer for lookups).
func (s *state) only(in Intent, customer string) Result {
	return Result{Intent: in, Lang: s.res.Lang, Customer: customer, UsualWeekday: crm.NoWeekday}
}

func (s *state) asksHow() bool {
	for i := range s.toks {
		switch s.toks[i].low {
		case "how", "어떻게", "어떡해", "방법":
			return true
		}
	}
	return false
}

// note joins the free-text tokens. Runs separated only by commas or "and"
// are kept together with the text between them.
func (s *state) note() string {
	var b strings.Builder
	for i := 0; i < len(s.toks); {
		if s.toks[i].role != rFree {
			i++
			continue
		}
		j := i
		last := i
		for k := i + 1; k < len(s.toks); k++ {
			t := &s.toks[k]
			if t.role == rFree {
				last = k
				continue
			}
			if t.sep == ',' || t.sep == 0 && t.role == rFiller {
				continue
			}
			break
		}
		i = last + 1
		if s.functionWordsOnly(j, last+1) {
			continue // a stray "is" or "the" says nothing
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strings.TrimSpace(s.text[s.toks[j].start:s.toks[last].end]))
	}
	return b.String()
}

// functionWordsOnly reports a lone English function word in [a, b).
func (s *state) functionWordsOnly(a, b int) bool {
	words := 0
	for k := a; k < b; k++ {
		t := &s.toks[k]
		if t.sep != 0 {
			continue
		}
		words++
		if !enStray[t.low] {
			return false
		}
	}
	return words == 1
}

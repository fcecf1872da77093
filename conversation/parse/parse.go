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
)

// Item is something bought, with how many.
type Item struct {
	Name string `json:"name"`
	Qty  int    `json:"qty"`
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
	Amount       int64        // amount paid in whole currency units ("₩5,000", "5000원", "$12"); 0 = none
	Note         string       // leftover free text that was not understood otherwise ("" when none)
}

// Options carry what the shop knows. All fields are optional.
type Options struct {
	Now   time.Time      // "now"; zero means time.Now()
	Loc   *time.Location // the shop's time zone; nil means Now's location
	Names []string       // the shop's known customer names and aliases; matched first
	Items []string       // the shop's known item names and aliases; matched first
}

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
		r.Amount == 0 && r.Note == "":
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

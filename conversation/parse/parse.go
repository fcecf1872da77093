// Package parse reads the short notes that shop owners text to Dangol, in
// Korean or English, and says what they mean.
//
// Parse never fails and never panics: any text, including invalid UTF-8,
// control characters and very long input (only the first 4 KiB is read),
// yields a Result whose Intent is one of the constants below. A note
// (IntentNote) is one Clause per customer it names, in the order written;
// the flat fields of Result repeat the first clause. A clause carries a
// visit (Date, Items with their Mods, Context, Amount), a booking
// (Booking), facts (Allergies, Likes, Dislikes, Remove, Birthday,
// BirthYear, UsualWeekday, UsualTime), the usual order (Usual) and free
// text (Note). Other messages are corrections of the previous note
// (IntentCorrection), counter questions (IntentQuestion: birthdays, lapsed
// customers, visits, bookings over a range of days), greetings, thanks,
// help, digest questions and customer lookups ("Kim?", "김민지 정보").
//
// The text is read in two steps: every stretch is first tagged with a role
// (name, quantity, item, modifier, day, time, amount, fact keyword, removal,
// booking word, correction, context, remark, unknown — Options.Explain
// returns them as Spans), then clauses are assembled per customer from the
// tags. The rules are plain tables per locale; the standard library is the
// only dependency. Every day is computed in the shop's time zone.
//
// One reading: what the shop knows resolves, it never changes a phrase's
// role. A known item stays an allergy in "우유 알레르기" and a like in
// "loves croissants"; a known customer is found without a space
// ("김민지크루아상2개"), with one ("김 민지") and before a particle that
// could belong to a name (김민 + 이), but never inside a fact. A word the
// shop knows both as a customer and as an item gives no hint: the grammar
// alone decides. Words taught in Options.Lexicon are read as taught.
//
// Edge cases are decided as follows:
//
//   - A customer alone ("Kim", "김민지님") is a lookup, like "Kim?"; a
//     question ("…?") naming a customer is a lookup; a note with no
//     customer is IntentUnknown, its fields holding what was understood.
//   - Several customers: a name opening a clause after a separator or a
//     verb ("Tom 2 croissants, Sarah 1 latte", "Kim had a latte, Lee had
//     tea") starts its own clause; names joined by 랑/하고/와/and/","
//     ("김민지랑 박서준", "Sarah and Tom") share what follows. With "each"
//     or "씩" every one of them gets every item; otherwise a shared total
//     is split evenly when it divides by the number of customers, and what
//     does not divide (and the amount paid) stays with the first. "Lee too",
//     "박서준도" repeats the clause before. A day written once applies to
//     every clause without its own.
//   - A clause with items (or the usual order, or an amount) is a visit on
//     the day written, else today. Without items, a visit verb ("came in",
//     "왔었어") or a bare day ("Kim yesterday") makes a visit; habits
//     ("every Thursday", "비 오는 날엔 걸어서 옴"), facts, diets ("Alex
//     vegan") and remarks do not, and stamps or coupons are remarks.
//   - Bookings: a booking word (예약, 숙박, booking, appointment, stay)
//     makes one; a weak one (픽업, 주문, pickup, order, "table for 4") only
//     with a day ahead or a time; items with a day ahead are a pre-order
//     ("Kim croissant next Friday"). Booking.Date is the day (today when
//     only a time is written, tomorrow when that time has passed), Time is
//     24-hour: an hour without am/pm or a time of day reads 1–7 as
//     afternoon (3시 → 15:00) and 8–11 as morning. A stay has End
//     ("12/20–12/22", "2박"). A booked clause has no visit Date; its
//     items are what is booked. A cancellation is a remark.
//   - Days: a bare weekday is the most recent one, today included (the
//     next one with a booking word); "last Friday"/"지난주 금요일" is the
//     Friday of the previous Monday-based week, "next Friday" of the next.
//     A day written without year or month ("Nov 24", "the 20th", "15일")
//     is the nearer of its past and coming dates, but a coming one only
//     within 120 days; a booking word or "for …" reads it ahead, a past
//     visit verb behind. A period without a day ("last week", "며칠 전",
//     "next month") gives no day: the words stay in Note and Unknown.
//   - "매일 아침 7시에 와요", "every morning at 7" set UsualTime; with a
//     weekday, UsualWeekday too.
//   - Money is kept in minor units: KRW and JPY have none, USD, EUR and
//     GBP two. A bare amount takes Options.Currency (else KRW in Korean,
//     USD in English); "@ $2.50" is per item; an owed amount is a remark.
//   - Removals: "아님", "없음", "삭제", "not allergic to", "no longer likes"
//     remove a fact; "안 좋아함", "doesn't like" are dislikes.
//   - Corrections: "oh wait 3", "아니 2개 말고 3개", "I meant 3 lattes",
//     "아니 어제" after a note's own items mend that note; alone they are
//     IntentCorrection (the value before 말고 or after "not" is the old one).
//   - Within a clause, a run of words with a quantity is an item list; a
//     run without one is an item when it is short, has no verb or function
//     word and looks like an item (a common or known item, a food word, a
//     list entry, after a purchase verb); otherwise it is free text, and a
//     lone word nothing places is listed in Unknown too.
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
	// Was is the item (or customer) the correction replaces: "아니 라떼
	// 말고 아메리카노" is {Item: "아메리카노", Was: "라떼"}; "" when not said.
	Was string
	// Customer is the customer named in the correction ("아니 박서준",
	// "김민지 아니 3개"); "" when none. The dialog decides whether it is
	// the previous note's customer.
	Customer string
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
	Start int    `json:"start"` // byte offset in the text as read
	End   int    `json:"end"`
	Text  string `json:"text"` // the words
	Role  string `json:"role"` // name, item, qty, date, time, amount, fact, negation, context, booking, unknown …
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
	// Unknown lists the words of a note the parser could not place (a lone
	// unfamiliar word, a period without a day); they are also in Note. The
	// owner is asked about them: a note with Unknown is never fully
	// understood.
	Unknown []string
	// Spans is every stretch of the text with its role; only with
	// Options.Explain.
	Spans []Span
}

// Options carry what the shop knows. All fields are optional.
type Options struct {
	Now   time.Time      // "now"; zero means time.Now()
	Loc   *time.Location // the shop's time zone; nil means Now's location
	Names []string       // the shop's known customer names and aliases (resolve names, never roles)
	Items []string       // the shop's known item names and aliases (resolve items, never roles)
	// Lexicon is what the shop taught Dangol about words it could not
	// place: lower-cased word or phrase → LexItem, LexMemo or LexIgnore.
	Lexicon map[string]string
	// Known, when built from Names and Items (NewKnown), finds what the
	// note names without going through the lists: the same reading,
	// quicker for a shop with many customers.
	Known *Known
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

// Contract is the JSON shape printed by `dangol parse`. The first nine
// keys are always there and describe the first customer; the others
// appear only when set.
type Contract struct {
	Intent string `json:"intent"`
	ContractClause
	Correction *ContractCorrection `json:"correction,omitempty"`
	Question   *ContractQuestion   `json:"question,omitempty"`
	Unknown    []string            `json:"unknown,omitempty"`
	Customers  []ContractClause    `json:"customers,omitempty"` // every customer, when there are several
	Spans      []Span              `json:"spans,omitempty"`     // with Options.Explain
}

// ContractClause is one customer's part of the printed JSON. Date is the
// day the note is about: the visit day, or the booked day of a booking.
type ContractClause struct {
	Customer     string           `json:"customer"`
	Items        []Item           `json:"items"`         // never null: [] when none
	Date         string           `json:"date"`          // YYYY-MM-DD or ""
	UsualWeekday string           `json:"usual_weekday"` // lowercase English weekday or ""
	Allergies    []string         `json:"allergies"`     // never null
	Likes        []string         `json:"likes"`         // never null
	Birthday     string           `json:"birthday"`      // MM-DD or ""
	Note         string           `json:"note"`
	UsualTime    string           `json:"usual_time,omitempty"`
	Usual        bool             `json:"usual,omitempty"`
	Dislikes     []string         `json:"dislikes,omitempty"`
	Remove       []ContractFact   `json:"remove,omitempty"`
	Amount       *Money           `json:"amount,omitempty"`
	Booking      *ContractBooking `json:"booking,omitempty"`
}

// ContractFact is a fact to remove.
type ContractFact struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// ContractBooking is a booking in the printed JSON.
type ContractBooking struct {
	Date   string `json:"date"`
	End    string `json:"end,omitempty"`
	Time   string `json:"time,omitempty"`
	What   string `json:"what,omitempty"`
	Amount *Money `json:"amount,omitempty"`
}

// ContractCorrection is a correction in the printed JSON.
type ContractCorrection struct {
	Qty      int    `json:"qty,omitempty"`
	Item     string `json:"item,omitempty"`
	Date     string `json:"date,omitempty"`
	Was      string `json:"was,omitempty"`
	Customer string `json:"customer,omitempty"`
}

// ContractQuestion is a counter question in the printed JSON.
type ContractQuestion struct {
	Kind string `json:"kind"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

func clauseContract(c Clause) ContractClause {
	out := ContractClause{
		Customer:  c.Customer,
		Items:     append([]Item{}, c.Items...),
		Date:      c.Date.String(),
		Allergies: append([]string{}, c.Allergies...),
		Likes:     append([]string{}, c.Likes...),
		Birthday:  c.Birthday.String(),
		Note:      c.Note,
		UsualTime: c.UsualTime,
		Usual:     c.Usual,
		Dislikes:  c.Dislikes,
	}
	if c.UsualWeekday >= time.Sunday && c.UsualWeekday <= time.Saturday {
		out.UsualWeekday = strings.ToLower(c.UsualWeekday.String())
	}
	for _, f := range c.Remove {
		out.Remove = append(out.Remove, ContractFact{Kind: string(f.Kind), Value: f.Value})
	}
	if !c.Amount.IsZero() {
		m := c.Amount
		out.Amount = &m
	}
	if b := c.Booking; b != nil {
		cb := &ContractBooking{Date: b.Date.String(), Time: b.Time, What: b.What}
		if !b.End.IsZero() {
			cb.End = b.End.String()
		}
		if !b.Amount.IsZero() {
			m := b.Amount
			cb.Amount = &m
		}
		out.Booking = cb
		out.Date = cb.Date
	}
	return out
}

// flat returns the clause that the flat fields of r describe.
func (r Result) flat() Clause {
	if len(r.Clauses) > 0 {
		return r.Clauses[0]
	}
	return Clause{
		Customer: r.Customer, Items: r.Items, Date: r.Date, UsualWeekday: r.UsualWeekday,
		Allergies: r.Allergies, Likes: r.Likes, Dislikes: r.Dislikes, Birthday: r.Birthday,
		BirthYear: r.BirthYear, Context: r.Context, Amount: r.Amount, Note: r.Note,
	}
}

// Contract returns r in the printed JSON shape.
func (r Result) Contract() Contract {
	c := Contract{Intent: string(r.Intent), ContractClause: clauseContract(r.flat()), Unknown: r.Unknown, Spans: r.Spans}
	if len(r.Clauses) > 1 {
		for _, cl := range r.Clauses {
			c.Customers = append(c.Customers, clauseContract(cl))
		}
	}
	if x := r.Correction; x != nil {
		cc := &ContractCorrection{Qty: x.Qty, Item: x.Item, Was: x.Was, Customer: x.Customer}
		if !x.Date.IsZero() {
			cc.Date = x.Date.String()
		}
		c.Correction = cc
	}
	if q := r.Question; q != nil {
		c.Question = &ContractQuestion{Kind: string(q.Kind), From: q.From.String(), To: q.To.String()}
	}
	return c
}

// Parse reads one message. It never panics and always returns a Result
// whose Intent is one of the constants above.
func Parse(text string, opt Options) (r Result) {
	defer func() {
		// A reading that went wrong is no reading; the tests and the
		// fuzzer call parse directly, so a panic there still fails them.
		if recover() != nil {
			r = Result{Intent: IntentUnknown, Lang: "en", UsualWeekday: crm.NoWeekday}
		}
	}()
	return parse(text, opt)
}

// parse is Parse without the safety net.
func parse(text string, opt Options) Result {
	var s state
	var buf [24]token
	s.toks = buf[:0]
	s.init(opt)
	return s.run(text)
}

// state is one parse in progress.
type state struct {
	text   string
	opt    Options
	today  crm.Date
	nowMin int // minutes after midnight, shop time
	toks   []token
	res    Result

	question    bool // the message ends in (or is) a question
	lookup      bool // lookup words were found
	aheadSeen   bool // a day ahead or a clock time was written
	clVisitVerb bool // the clause being read has a purchase or visit verb
	facts       [12]factKey
	nfacts      int
	dates       [8]dateHit
	ndates      int
	custs       [8]custMark
	ncusts      int
	weak        [8]weakRun
	nweak       int
	modRuns     [4]weakRun
	nmodRuns    int
	unknown     [8][2]int
	nunknown    int
	itemPos     [16]int // first token of each item of the clause, in Items order
	nitemPos    int
	lastTok     int
	corrAt      int
	corr        corrState
	cl          *Clause
	clauses     []Clause
}

// factKey is a fact keyword found in the text.
type factKey struct {
	start, end int
	kind       factKind
	dir        factDir
	remove     bool // the fact is said to be wrong or gone
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
	lt := now.In(loc)
	s.nowMin = lt.Hour()*60 + lt.Minute()
	s.corrAt = -1
	s.corr.date = -1
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
	if q := s.passQuestion(); q != nil {
		r := s.only(IntentQuestion, "")
		r.Question = q
		return s.explain(r)
	}
	if in := s.precheck(); in != "" {
		s.res.Intent = in
		return s.explain(s.res)
	}
	s.passLookup()
	s.passGreeting()
	s.passLexicon()
	s.passBirthday()
	s.passAmount()
	s.passDates()
	s.passAmountBare()
	s.passTimes()
	if s.ndates == 0 {
		for i := range s.toks {
			if s.toks[i].role == rTime {
				s.aheadSeen = true
				break
			}
		}
	} else {
		for i := range s.toks {
			if s.toks[i].role == rTime {
				s.aheadSeen = s.aheadSeen || s.ndates > 0 && s.anyFuture()
				break
			}
		}
	}
	s.passUsualOrder()
	s.passFactKeys()
	s.passBooking()
	s.passContext()
	s.passQty()
	s.passCorrection()
	s.passKnownNames()
	s.passFillers()
	s.passMemo()
	s.passNames()
	s.assemble()
	return s.explain(s.finish())
}

// anyFuture reports a day phrase that lies ahead.
func (s *state) anyFuture() bool {
	for k := 0; k < s.ndates; k++ {
		if d, ok := s.dates[k].e.resolve(s.today, prefNearest); ok && d.After(s.today) {
			return true
		}
	}
	return false
}

// finish decides the intent and assembles the result.
func (s *state) finish() Result {
	r := &s.res
	if r.Intent == IntentCorrection {
		out := s.only(IntentCorrection, r.Correction.Customer)
		out.Correction = r.Correction
		return out
	}
	for k := 0; k < s.nunknown; k++ {
		u := s.unknown[k]
		r.Unknown = append(r.Unknown, strings.TrimSpace(s.text[s.toks[u[0]].start:s.toks[u[1]-1].end]))
	}
	var first Clause
	if len(s.clauses) > 0 {
		first = s.clauses[0]
	}
	r.Customer, r.Items, r.Date, r.UsualWeekday = first.Customer, first.Items, first.Date, first.UsualWeekday
	r.Allergies, r.Likes, r.Dislikes, r.Birthday = first.Allergies, first.Likes, first.Dislikes, first.Birthday
	r.BirthYear, r.Context, r.Amount, r.Note = first.BirthYear, first.Context, first.Amount, first.Note
	if r.UsualWeekday < time.Sunday || r.UsualWeekday > time.Saturday {
		r.UsualWeekday = crm.NoWeekday
	}
	hasFacts := len(first.Allergies)+len(first.Likes)+len(first.Dislikes)+len(first.Remove) > 0 ||
		!first.Birthday.IsZero() || first.BirthYear != 0 || first.UsualWeekday != crm.NoWeekday || first.UsualTime != ""

	switch {
	case s.question || s.lookup:
		if r.Customer != "" {
			return s.only(IntentLookup, r.Customer)
		}
		if s.question && s.asksHow() {
			return s.only(IntentHelp, "")
		}
		return s.only(IntentUnknown, "")
	}
	switch {
	case r.Customer == "":
		r.Intent = IntentUnknown
	case len(s.clauses) == 1 && len(r.Items) == 0 && !hasFacts && r.Date.IsZero() && len(r.Context) == 0 &&
		r.Amount.IsZero() && r.Note == "" && first.Booking == nil && !first.Usual && len(r.Unknown) == 0:
		return s.only(IntentLookup, r.Customer)
	default:
		r.Intent = IntentNote
	}
	if r.Intent == IntentNote {
		r.Clauses = s.clauses
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

// explain fills r.Spans when asked: every run of tokens with one role.
func (s *state) explain(r Result) Result {
	if !s.opt.Explain {
		return r
	}
	for i := 0; i < len(s.toks); i++ {
		t := &s.toks[i]
		if t.sep != 0 {
			continue
		}
		ro := spanRole(t, r.Intent)
		j := i
		for j+1 < len(s.toks) && s.toks[j+1].sep == 0 && spanRole(&s.toks[j+1], r.Intent) == ro && !s.toks[j+1].head && !(s.toks[j+1].role == rQty && s.toks[j+1].qk != qNone) {
			j++
		}
		r.Spans = append(r.Spans, Span{Start: t.start, End: s.toks[j].end, Text: s.text[t.start:s.toks[j].end], Role: ro})
		i = j
	}
	return r
}

func spanRole(t *token, in Intent) string {
	switch {
	case t.unknown:
		return "unknown"
	case in == IntentQuestion:
		return "question"
	case int(t.role) < len(roleNames):
		return roleNames[t.role]
	}
	return "none"
}

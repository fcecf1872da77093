// Package ruletext reads a journey rule an owner writes in plain words,
// Korean or English ("첫 방문 후 14일 동안 안 오면 10시에 ‘무리하지 말고
// 스트레칭부터’", "3 days before a booking send 'Here is the map'"), into
// the parts of a crm.Rule: its trigger, its action and its send time. It
// uses word tables, no language model and no network. What it cannot find
// it leaves zero and says so in Found, so that the caller can ask for the
// missing part, or amend only the parts an edit names.
package ruletext

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dangol/dangol/crm"
)

// Options is what the reader knows about the shop.
type Options struct {
	// Items are the shop's item names and aliases, to spot "croissant
	// regulars" or a salon's service.
	Items []string
}

// Found says which parts of a rule a text named.
type Found struct {
	Trigger bool // the trigger's kind (and its numbers)
	Text    bool // the message, question or staff line
	Time    bool // the send time
	Action  bool // staff line or question named (a message is the default)
	Purpose bool // an offer named
	Item    bool
	Before  bool
	Rain    bool
	Weekday bool
	Days    bool // a number of days
}

// Any reports whether the text named anything at all.
func (f Found) Any() bool {
	return f.Trigger || f.Text || f.Time || f.Action || f.Purpose || f.Item || f.Before || f.Rain || f.Weekday || f.Days
}

// Result is what a text says about a rule. Rule holds only the parts
// Found names (Action.Kind is message when nothing else was named).
type Result struct {
	Rule  crm.Rule
	Found Found
	// Days is the span of days named (negative when before something),
	// also when no trigger was: an edit "30일" changes the draft's number.
	Days int
}

// Default numbers when a trigger is named without one.
const (
	DefaultNewDays    = 14 // "new member who did not come back"
	DefaultAwayDays   = 60 // "hasn't been in for a while"
	DefaultRain       = 60 // "on rainy days"
	DefaultDueAhead   = 6  // "due this week"
	maxDays           = 3650
	maxTextRunes      = crm.MaxRuleText
	defaultAskTopicKo = "답"
)

// Read reads one text.
func Read(text string, opt Options) Result {
	var res Result
	r := &res.Rule
	r.Action.Kind = crm.ActionMessage
	msg, rest, quoted := extractText(text)
	if quoted {
		r.Action.Text, res.Found.Text = msg, msg != ""
	}
	cond := strings.ToLower(rest)
	sq := squash(cond)
	f := &res.Found

	// What to do.
	switch {
	case hasAny(sq, cond, staffWords):
		r.Action.Kind, f.Action = crm.ActionStaff, true
	case hasAny(sq, cond, askWords):
		r.Action.Kind, f.Action = crm.ActionAsk, true
	}
	if hasAny(sq, cond, offerWords) || hasAny(squash(strings.ToLower(msg)), strings.ToLower(msg), offerTextWords) {
		r.Action.Purpose, f.Purpose = crm.PurposeOffers, true
	}

	// Numbers.
	days, dir, hasDays := readDays(cond)
	if hasDays {
		f.Days = true
		res.Days = days
		if dir < 0 {
			res.Days = -days
		}
	}
	pct, hasPct := readPercent(cond)
	sendAt, before, hasTime, hasBefore := readTimes(cond)
	if hasTime {
		r.SendAt, f.Time = sendAt, true
	}
	if hasBefore {
		r.Trigger.Before, f.Before = before, true
	}
	if wd, ok := readWeekday(cond, sq); ok {
		r.Trigger.Weekday, f.Weekday = wd, true
	}
	if item, ok := readItem(cond, opt.Items); ok {
		r.Trigger.Item, f.Item = item, true
	}
	rain := hasAny(sq, cond, rainWords)
	if rain {
		f.Rain = true
		r.Trigger.Rain = DefaultRain
		if hasPct {
			r.Trigger.Rain = pct
		}
	}

	// The trigger: the most specific kind named wins.
	t := &r.Trigger
	set := func(k crm.TriggerKind) { t.Kind, f.Trigger = k, true }
	switch {
	case hasAny(sq, cond, bookingWords):
		set(crm.TriggerBooking)
		t.Anchor = crm.AnchorStart
		checkout := hasAny(sq, cond, checkoutWords)
		switch {
		case hasDays && dir < 0:
			t.Days = -days
		case hasDays && dir > 0:
			t.Days = days
			if hasAny(sq, cond, stayWords) || checkout {
				t.Anchor = crm.AnchorEnd // after a stay: from its last day
			}
		case hasDays:
			t.Days = -days // "D3"? a bare number before a booking reads as days before
		}
		if checkout {
			t.Anchor = crm.AnchorEnd
		}
	case hasAny(sq, cond, birthdayWords):
		set(crm.TriggerBirthday)
		if hasDays && dir < 0 {
			t.Days = days
		}
	case hasAny(sq, cond, newsWords):
		set(crm.TriggerAnnouncement)
	case hasAny(sq, cond, cycleWords):
		set(crm.TriggerCycle)
	case hasAny(sq, cond, firstWords):
		set(crm.TriggerAfterFirst)
		t.Days = DefaultNewDays
		if hasDays {
			t.Days = days
		}
	case hasAny(sq, cond, awayWords):
		set(crm.TriggerNoVisit)
		t.Days = DefaultAwayDays
		if hasDays {
			t.Days = days
		}
	case hasAny(sq, cond, dueWords):
		set(crm.TriggerDue)
		if rain || hasAny(sq, cond, weekAheadWords) {
			t.Ahead = DefaultDueAhead
		}
	case hasAny(strings.ReplaceAll(sq, "비오는날", ""), cond, weekdayWords) || f.Weekday || f.Before ||
		(f.Item && hasAny(sq, cond, regularWords)):
		set(crm.TriggerWeekday)
	case rain:
		set(crm.TriggerRain)
		if hasAny(sq, cond, regularWords) {
			set(crm.TriggerDue)
			t.Ahead = DefaultDueAhead
		}
	}
	// A reminder naming their last service is about their own cycle.
	if (t.Kind == crm.TriggerDue || t.Kind == "") && mentionsService(msg) {
		set(crm.TriggerCycle)
		t.Ahead = 0
	}
	if t.Kind == crm.TriggerBirthday && r.Action.Purpose == "" {
		r.Action.Purpose = crm.PurposeBirthday
	}
	if t.Days > maxDays || t.Days < -maxDays {
		t.Days = 0
		f.Days = false
	}
	return res
}

// mentionsService reports whether a message names the customer's last
// service ({지난 시술}, {last_service}).
func mentionsService(msg string) bool {
	m := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(msg, " ", ""), "_", ""))
	return strings.Contains(m, "{지난시술}") || strings.Contains(m, "{lastservice}")
}

// quotePairs are the quotes a message may be written in.
var quotePairs = [][2]rune{{'‘', '’'}, {'“', '”'}, {'「', '」'}, {'\'', '\''}, {'"', '"'}, {'«', '»'}}

// extractText takes the message out of a text: the part in quotes (from
// the first opening quote to the last matching closing one), else what
// follows a colon or an arrow. rest is the text without it.
func extractText(s string) (msg, rest string, ok bool) {
	from, inner, to, end := -1, 0, 0, 0
	for _, p := range quotePairs {
		open := -1
		for i, c := range s {
			if c == p[0] && (p[0] != p[1] || opensQuote(s, i)) {
				open = i
				break
			}
		}
		if open < 0 || (from >= 0 && open >= from) {
			continue
		}
		in := open + utf8.RuneLen(p[0])
		closeAt, after := len(s), len(s) // never closed: the rest is the message
		for i := len(s) - 1; i >= in; i-- {
			c, size := utf8.DecodeRuneInString(s[i:])
			if c == p[1] && (p[0] != p[1] || closesQuote(s, i+size)) {
				closeAt, after = i, i+size
				break
			}
		}
		from, inner, to, end = open, in, closeAt, after
	}
	if from >= 0 {
		return strings.TrimSpace(s[inner:to]), s[:from] + " " + s[end:], true
	}
	for _, sep := range []string{"→", "->", "=>", ":", "："} {
		for i := 0; i < len(s); {
			j := strings.Index(s[i:], sep)
			if j < 0 {
				break
			}
			a, b := s[:i+j], s[i+j+len(sep):]
			// A colon separates only when a space follows ("생일: 축하해요"),
			// not in a clock (10:00) or a link (https://…).
			spaced := sep != ":" || strings.HasPrefix(b, " ")
			if strings.TrimSpace(b) != "" && spaced && !clockColon(s, a) {
				return strings.TrimSpace(b), a, true
			}
			i += j + len(sep)
		}
	}
	return "", s, false
}

// clockColon reports whether the colon after a is a clock's ("10:00").
func clockColon(s, a string) bool {
	if len(a) == 0 || len(a)+1 >= len(s) {
		return false
	}
	prev := a[len(a)-1]
	next := s[len(a)+1]
	return prev >= '0' && prev <= '9' && next >= '0' && next <= '9'
}

// opensQuote: an ASCII quote opens when not preceded by a letter or digit
// ("don't" has none).
func opensQuote(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// closesQuote: an ASCII quote closes when not followed by a letter or
// digit.
func closesQuote(s string, after int) bool {
	if after >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[after:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// squash drops spaces, so "안 오면" and "안오면" read alike.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// hasAny reports whether one of words is in the text: Hangul words in the
// squashed text, others as whole words (or word starts ending in *) of the
// lower-case text.
func hasAny(sq, lower string, words []string) bool {
	for _, w := range words {
		if isHangulWord(w) {
			if strings.Contains(sq, squash(w)) {
				return true
			}
			continue
		}
		if containsWord(lower, w) {
			return true
		}
	}
	return false
}

func isHangulWord(w string) bool {
	for _, r := range w {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}

// containsWord finds w in s at word boundaries; a w ending in '*' may go
// on with letters ("rain*" matches "rainy").
func containsWord(s, w string) bool {
	prefix := strings.HasSuffix(w, "*")
	w = strings.TrimSuffix(w, "*")
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(w)
		okStart := at == 0 || !isWordRune(lastRune(s[:at]))
		okEnd := prefix || end == len(s) || !isWordRune(firstRune(s[end:]))
		if okStart && okEnd {
			return true
		}
		i = at + 1
	}
}

func isWordRune(r rune) bool  { return unicode.IsLetter(r) || unicode.IsDigit(r) }
func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }
func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }

// Word tables. Korean entries are matched without spaces.
var (
	staffWords = []string{"직원", "스태프", "스탭", "다이제스트", "준비해", "준비 메모", "카운터에", "staff", "team", "digest",
		"remind staff", "reminder to staff", "prepare", "prep"}
	askWords   = []string{"물어", "물어봐", "질문", "설문", "여쭤", "여쭙", "묻기", "ask", "survey", "question", "poll"}
	offerWords = []string{"광고", "혜택", "할인", "쿠폰", "이벤트", "프로모션", "offer", "discount", "coupon", "promo*", "deal",
		"advert*"}
	offerTextWords = []string{"할인", "쿠폰", "증정", "무료", "1+1", "이벤트", "선물", "사은품", "서비스로 드", "% off",
		"discount", "coupon", "free", "promo*", "voucher", "gift", "on the house", "welcome treat"}
	bookingWords = []string{"예약", "숙박", "투숙", "체크인", "체크아웃", "입실", "퇴실", "묵", "booking*", "reservation*",
		"booked", "stay", "stays", "check-in", "checkin", "check in", "checkout", "check-out", "check out", "arrival",
		"departure", "d-*", "d+*", "d−*", "디데이", "d-day"}
	checkoutWords = []string{"체크아웃", "퇴실", "떠나는", "나가는 날", "checkout", "check-out", "check out", "departure",
		"leave", "leaving"}
	stayWords     = []string{"숙박", "투숙", "묵", "stay", "stays"}
	birthdayWords = []string{"생일", "생신", "birthday*", "bday"}
	newsWords     = []string{"신간", "신메뉴", "새 메뉴", "새 책", "신상", "신제품", "공지", "소식", "출시", "나오면", "announce*",
		"new release*", "new book*", "new menu", "news", "launch*", "/new", "/신간", "favourite author", "favorite author"}
	cycleWords = []string{"시술 주기", "시술주기", "시술", "서비스 주기", "관리 주기", "머리 할", "머리할", "머리 하러", "다듬을",
		"service cycle", "own cycle", "service", "treatment*", "cycle", "trim"}
	firstWords = []string{"첫 방문", "첫방문", "처음 온", "처음 방문", "처음 오", "신규", "새 회원", "새 손님", "새로 온", "가입",
		"first visit", "new member*", "new customer*", "newcomer*", "joined", "first time", "signed up", "sign-up"}
	awayWords = []string{"안 오", "안 온", "안 와", "오지 않", "오지않", "방문 없", "방문이 없", "방문하지 않", "발길", "못 본",
		"안 보", "뜸", "오래", "without a visit", "no visit*", "hasn't been", "haven't been", "has not been", "not been in",
		"not visited", "hasn't come", "haven't come", "didn't come", "not come", "not coming", "don't come", "doesn't come",
		"do not come", "does not come", "don't visit", "doesn't visit", "haven't visited", "hasn't visited", "not seen", "away", "lapsed", "missing",
		"since their last visit", "since the last visit", "since last visit"}
	dueWords = []string{"주기", "리듬", "올 때가", "올 때 된", "올때가", "때가 된", "때가 됐", "때 된", "올 때쯤", "due",
		"rhythm", "pace", "usual gap", "about time"}
	weekAheadWords = []string{"이번 주", "이번주", "일주일 안", "일주일 내", "곧", "this week", "within a week", "soon"}
	regularWords   = []string{"단골", "regular*", "walk-in*", "walk in", "usual*"}
	weekdayWords   = []string{"요일", "매주", "평소 오는", "늘 오는", "오는 날", "usual day", "usually come*", "every week",
		"weekday", "regulars"}
	rainWords = []string{"비 오", "비가", "비 올", "비올", "비 소식", "비오는", "비 오는", "우천", "강수", "비 예보", "우산",
		"장마", "rain*", "wet day", "umbrella", "showers", "precipitation"}
)

var (
	reNum     = `(\d{1,4})`
	reDays    = regexp.MustCompile(reNum + `\s*(일|days?|d\b)`)
	reWeeks   = regexp.MustCompile(reNum + `\s*(주일?|weeks?|wks?)`)
	reMonths  = regexp.MustCompile(reNum + `\s*(개월|달|months?|mos?)`)
	reDNotate = regexp.MustCompile(`\bd\s*([-+−])\s*(\d{1,4})`)
	rePercent = regexp.MustCompile(reNum + `\s*(%|퍼센트|프로|percent)`)
)

// koCounts are Korean words for spans of days.
var koCounts = []struct {
	word string
	days int
}{{"일주일", 7}, {"이주일", 14}, {"한달", 30}, {"한 달", 30}, {"두달", 60}, {"두 달", 60}, {"세달", 90}, {"세 달", 90},
	{"석달", 90}, {"석 달", 90}, {"하루", 1}, {"이틀", 2}, {"사흘", 3}, {"나흘", 4}, {"a week", 7}, {"a month", 30},
	{"two weeks", 14}, {"two months", 60}, {"three months", 90}, {"a day", 1}, {"one day", 1}, {"three days", 3},
	{"a fortnight", 14}}

// readDays finds a span of days and its direction: −1 before (전, before,
// D−3), +1 after (후, 뒤, after, D+90), 0 unsaid.
func readDays(s string) (days, dir int, ok bool) {
	if m := reDNotate.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[2])
		d := 1
		if m[1] != "+" {
			d = -1
		}
		return n, d, true
	}
	type hit struct{ at, end, days int }
	var hits []hit
	add := func(re *regexp.Regexp, mult int) {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			n, _ := strconv.Atoi(s[m[2]:m[3]])
			hits = append(hits, hit{m[0], m[1], n * mult})
		}
	}
	add(reDays, 1)
	add(reWeeks, 7)
	add(reMonths, 30)
	for _, c := range koCounts {
		if i := strings.Index(s, c.word); i >= 0 {
			hits = append(hits, hit{i, i + len(c.word), c.days})
		}
	}
	for _, w := range []string{"전날", "전 날", "the day before", "day before", "the eve"} {
		if strings.Contains(s, w) {
			return 1, -1, true
		}
	}
	for _, w := range []string{"다음 날", "다음날", "이튿날", "그다음 날", "the day after", "day after", "next day"} {
		if strings.Contains(s, w) {
			return 1, 1, true
		}
	}
	if strings.Contains(s, "당일") || strings.Contains(s, "on the day") || strings.Contains(s, "day of") ||
		strings.Contains(s, "d-day") || strings.Contains(s, "디데이") {
		return 0, 0, true
	}
	if len(hits) == 0 {
		return 0, 0, false
	}
	slices.SortFunc(hits, func(a, b hit) int { return a.at - b.at })
	h := hits[0]
	after := s[h.end:]
	head := strings.TrimSpace(after)
	switch {
	case startsAny(head, "전", "이전", "before", "prior", "ahead", "earlier"):
		dir = -1
	case startsAny(head, "후", "뒤", "지나", "after", "later", "since", "past"):
		dir = 1
	case strings.Contains(s[:h.at], "before") || strings.Contains(s[:h.at], "ahead of"):
		dir = -1
	case strings.Contains(s[:h.at], "after"):
		dir = 1
	}
	return h.days, dir, true
}

func startsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

func readPercent(s string) (int, bool) {
	m := rePercent.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	if n < 1 || n > 100 {
		return 0, false
	}
	return n, true
}

var (
	// 오전 10시, 아침 7시 반, 10시 30분, 10:00, 10am, 7:30 pm.
	reKoTime = regexp.MustCompile(`(오전|오후|아침|저녁|낮|밤|새벽)?\s*(\d{1,2})\s*시\s*(?:(\d{1,2})\s*분|(반))?`)
	reClock  = regexp.MustCompile(`\b(\d{1,2}):(\d{2})\s*(am|pm|a\.m\.|p\.m\.)?`)
	reAmPm   = regexp.MustCompile(`\b(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)`)
	reBefore = regexp.MustCompile(`^\s*(전|이전|before|earlier|or earlier|이전에|전에)`)
)

// readTimes finds the send time and a "usual time before" condition
// ("8시 전에 오는", "who come before 8am").
func readTimes(s string) (sendAt, before string, hasSend, hasBefore bool) {
	type found struct {
		at, end int
		hhmm    string
	}
	var all []found
	for _, m := range reKoTime.FindAllStringSubmatchIndex(s, -1) {
		h, _ := strconv.Atoi(s[m[4]:m[5]])
		mm := 0
		if m[6] >= 0 {
			mm, _ = strconv.Atoi(s[m[6]:m[7]])
		}
		if m[8] >= 0 {
			mm = 30
		}
		if m[2] >= 0 {
			switch s[m[2]:m[3]] {
			case "오후", "저녁", "밤":
				if h < 12 {
					h += 12
				}
			case "낮":
				if h < 7 {
					h += 12
				}
			}
		}
		if hhmm, ok := clock(h, mm); ok {
			all = append(all, found{m[0], m[1], hhmm})
		}
	}
	for _, m := range reClock.FindAllStringSubmatchIndex(s, -1) {
		h, _ := strconv.Atoi(s[m[2]:m[3]])
		mm, _ := strconv.Atoi(s[m[4]:m[5]])
		if m[6] >= 0 {
			h = ampm(h, s[m[6]:m[7]])
		}
		if hhmm, ok := clock(h, mm); ok {
			all = append(all, found{m[0], m[1], hhmm})
		}
	}
	for _, m := range reAmPm.FindAllStringSubmatchIndex(s, -1) {
		h, _ := strconv.Atoi(s[m[2]:m[3]])
		if hhmm, ok := clock(ampm(h, s[m[4]:m[5]]), 0); ok {
			all = append(all, found{m[0], m[1], hhmm})
		}
	}
	slices.SortFunc(all, func(a, b found) int { return a.at - b.at })
	last := -1
	for _, f := range all {
		if f.at < last {
			continue // inside an earlier match
		}
		last = f.end
		prefix := s[:f.at]
		if reBefore.MatchString(s[f.end:]) || strings.HasSuffix(strings.TrimSpace(prefix), "before") ||
			strings.HasSuffix(strings.TrimSpace(prefix), "earlier than") {
			if !hasBefore {
				before, hasBefore = f.hhmm, true
			}
			continue
		}
		if !hasSend {
			sendAt, hasSend = f.hhmm, true
		}
	}
	return sendAt, before, hasSend, hasBefore
}

func ampm(h int, suffix string) int {
	pm := strings.HasPrefix(suffix, "p")
	switch {
	case pm && h < 12:
		return h + 12
	case !pm && h == 12:
		return 0
	}
	return h
}

func clock(h, m int) (string, bool) {
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return "", false
	}
	return strconv.Itoa(100 + h)[1:] + ":" + strconv.Itoa(100 + m)[1:], true
}

// weekdayNames name weekdays, 1 Monday … 7 Sunday.
var weekdayNames = []struct {
	words []string
	iso   int
}{
	{[]string{"월요일", "monday", "mondays", "mon"}, 1},
	{[]string{"화요일", "tuesday", "tuesdays", "tue", "tues"}, 2},
	{[]string{"수요일", "wednesday", "wednesdays", "wed"}, 3},
	{[]string{"목요일", "thursday", "thursdays", "thu", "thur", "thurs"}, 4},
	{[]string{"금요일", "friday", "fridays", "fri"}, 5},
	{[]string{"토요일", "saturday", "saturdays", "sat"}, 6},
	{[]string{"일요일", "sunday", "sundays", "sun"}, 7},
}

func readWeekday(s, sq string) (int, bool) {
	for _, w := range weekdayNames {
		if hasAny(sq, s, w.words) {
			return w.iso, true
		}
	}
	return 0, false
}

// readItem finds the longest of the shop's item names in the text.
func readItem(s string, items []string) (string, bool) {
	best := ""
	for _, it := range items {
		low := strings.ToLower(strings.TrimSpace(it))
		if low == "" || len(low) <= len(best) {
			continue
		}
		if isHangulWord(low) {
			if strings.Contains(squash(s), squash(low)) {
				best = it
			}
			continue
		}
		if containsWord(s, low) || containsWord(s, low+"s") {
			best = it
		}
	}
	return best, best != ""
}

// Weekday returns the time.Weekday of an ISO weekday number (1 Monday …
// 7 Sunday).
func Weekday(iso int) time.Weekday { return time.Weekday(iso % 7) }

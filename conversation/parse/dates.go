package parse

import (
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// Day phrases. A phrase is read into a dateExpr, which names a day relative
// to today; resolve turns it into a calendar day. Some phrases fix the day
// ("yesterday", "next Tuesday", "2026-11-24", "3주 전"); others leave the
// direction open ("Tuesday", "Nov 24", "the 20th", "15일"): those are
// resolved by the note around them (see pref).
type dateKind uint8

const (
	dkNone     dateKind = iota
	dkOffset            // off days from today
	dkMonths            // off months from today
	dkYears             // off years from today
	dkWeekday           // weekday wd, with mod (and week for wdWeek)
	dkCalendar          // month m, day d, year y (0 when not written)
	dkDay               // day d of month m (0: of the month mOff from this one when rel; else open)
	dkNth               // the nth weekday wd (nth -1: the last) of a month
	dkLastDay           // the nth last day of a month (nth 1: the last day)
	dkNthWd             // the off-th weekday wd from today (off < 0: back)
	dkVague             // a period without a day: next week, 지난달 (never a visit date)
)

// Weekday modifiers.
const (
	wdBare      = iota // most recent (or, ahead, the coming) such day, today included
	wdWeek             // that day of the week `week` weeks from this one (weeks start Monday)
	wdPast             // the most recent such day before today: "this past Monday"
	wdComing           // the next such day after today: "this coming Friday"
	wdAfterNext        // the one after the coming one: "Friday after next"
)

type dateExpr struct {
	kind    dateKind
	off     int
	wd      time.Weekday
	mod     uint8
	week    int
	nth     int
	y, m, d int
	rel     bool // dkDay, dkNth, dkLastDay: the month is mOff months from this one
	mOff    int
	wdCheck bool   // a weekday written with a calendar day: it must agree
	usual   bool   // "every Thursday", "목요일마다": a habit, not a date
	past    bool   // dkVague: the period lies behind
	forward bool   // led by "for", "by", "until": a day the note looks ahead to
	ctx     string // a time of day carried by the same word: 어젯밤, tonight
}

// pref says which way an open phrase ("Tuesday", "Nov 24") is read.
type pref uint8

const (
	prefNearest pref = iota // the nearest such day; a tie goes to the past
	prefPast                // the most recent such day, today included
	prefFuture              // the next such day, today included
	prefClosest             // the nearest such day, however far ahead
)

// fixed reports a phrase that names its day whatever the note says.
func (e dateExpr) fixed() bool {
	switch e.kind {
	case dkOffset, dkMonths, dkYears, dkNthWd:
		return true
	case dkWeekday:
		return e.mod != wdBare
	case dkCalendar:
		return e.y != 0
	case dkDay, dkNth, dkLastDay:
		return e.rel || e.y != 0
	}
	return false
}

// daysIn returns the number of days in month m of year y.
func daysIn(m, y int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// validMD reports whether m-d exists in some year (02-29 allowed).
func validMD(m, d int) bool { return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(m, 2024) }

func mkDate(y, m, d int) (crm.Date, bool) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return crm.Date{}, false
	}
	return crm.Date{Year: y, Month: time.Month(m), Day: d}, true
}

// addMonths moves d by n months, keeping the day where the month has it
// (Mar 31 − 1 month is Feb 28/29).
func addMonths(d crm.Date, n int) crm.Date {
	y, m := monthAdd(d.Year, int(d.Month), n)
	day := d.Day
	if dm := daysIn(m, y); day > dm {
		day = dm
	}
	return crm.Date{Year: y, Month: time.Month(m), Day: day}
}

func monthAdd(y, m, n int) (int, int) {
	k := y*12 + (m - 1) + n
	return k / 12, k%12 + 1
}

// fullYear reads a written year: 2026, 26 → 2026, 90 → 1990.
func fullYear(y, thisYear int) int {
	switch {
	case y >= 1000:
		return y
	case y >= 0 && y < 100:
		// Two digits: the nearest century that puts the year at most ten
		// years ahead (15 → 2015, 74 → 1974, 90 → 1990).
		if 2000+y <= thisYear+10 {
			return 2000 + y
		}
		return 1900 + y
	}
	return 0
}

// pick chooses among the candidate days gen(lo..hi) by p.
func pick(today crm.Date, p pref, lo, hi int, gen func(k int) (crm.Date, bool)) (crm.Date, bool) {
	var past, fut, near crm.Date
	nearDist := -1
	for k := lo; k <= hi; k++ {
		d, ok := gen(k)
		if !ok {
			continue
		}
		if !d.After(today) {
			if past.IsZero() || d.After(past) {
				past = d
			}
		}
		if !d.Before(today) {
			if fut.IsZero() || d.Before(fut) {
				fut = d
			}
		}
		dist := d.DaysSince(today)
		if dist < 0 {
			dist = -dist
		}
		if nearDist < 0 || dist < nearDist || dist == nearDist && d.Before(near) {
			near, nearDist = d, dist
		}
	}
	switch {
	case nearDist < 0:
		return crm.Date{}, false
	case p == prefPast && !past.IsZero():
		return past, true
	case p == prefFuture && !fut.IsZero():
		return fut, true
	case p == prefNearest && !past.IsZero() && !fut.IsZero():
		// The nearer one; a day ahead only within the horizon of a
		// pre-order, so "May 3" in November is last May.
		ahead, back := fut.DaysSince(today), today.DaysSince(past)
		if ahead < back && ahead <= nearHorizon {
			return fut, true
		}
		return past, true
	}
	if p == prefClosest {
		return near, true
	}
	if !past.IsZero() {
		return past, true
	}
	return fut, true
}

// nearHorizon is how far ahead (in days) an open day phrase may be read
// as a day ahead without a booking word.
const nearHorizon = 120

// resolve turns a date expression into the calendar day it names.
func (e dateExpr) resolve(today crm.Date, p pref) (crm.Date, bool) {
	tw := int(today.Weekday())
	switch e.kind {
	case dkOffset:
		return today.AddDays(e.off), true
	case dkMonths:
		return addMonths(today, e.off), true
	case dkYears:
		return addMonths(today, 12*e.off), true
	case dkNthWd:
		if e.off > 0 {
			ahead := (int(e.wd) - tw + 7) % 7
			if ahead == 0 {
				ahead = 7
			}
			return today.AddDays(ahead + 7*(e.off-1)), true
		}
		back := (tw - int(e.wd) + 7) % 7
		if back == 0 {
			back = 7
		}
		return today.AddDays(-back + 7*(e.off+1)), true
	case dkWeekday:
		back := (tw - int(e.wd) + 7) % 7
		ahead := (int(e.wd) - tw + 7) % 7
		switch e.mod {
		case wdBare:
			if p == prefFuture {
				return today.AddDays(ahead), true
			}
			return today.AddDays(-back), true
		case wdPast:
			if back == 0 {
				back = 7
			}
			return today.AddDays(-back), true
		case wdComing, wdAfterNext:
			if ahead == 0 {
				ahead = 7
			}
			if e.mod == wdAfterNext {
				ahead += 7
			}
			return today.AddDays(ahead), true
		}
		mon := today.AddDays(-((tw + 6) % 7))
		return mon.AddDays(7*e.week + (int(e.wd)+6)%7), true
	case dkCalendar:
		if e.y != 0 {
			return mkDate(e.y, e.m, e.d)
		}
		span := 1
		if e.wdCheck {
			span = 11
		}
		if e.wdCheck && p == prefNearest {
			p = prefClosest
		}
		return pick(today, p, -span, span, func(k int) (crm.Date, bool) {
			d, ok := mkDate(today.Year+k, e.m, e.d)
			return d, ok && (!e.wdCheck || d.Weekday() == e.wd)
		})
	case dkDay, dkNth, dkLastDay:
		return e.resolveInMonth(today, p)
	}
	return crm.Date{}, false
}

// resolveInMonth resolves the day-in-a-month kinds.
func (e dateExpr) resolveInMonth(today crm.Date, p pref) (crm.Date, bool) {
	day := func(y, m int) (crm.Date, bool) {
		switch e.kind {
		case dkDay:
			d, ok := mkDate(y, m, e.d)
			return d, ok && (!e.wdCheck || d.Weekday() == e.wd)
		case dkLastDay:
			return mkDate(y, m, daysIn(m, y)-(e.nth-1))
		}
		if e.nth < 0 {
			last := daysIn(m, y)
			d, ok := mkDate(y, m, last)
			if !ok {
				return d, false
			}
			back := (int(d.Weekday()) - int(e.wd) + 7) % 7
			return d.AddDays(-back), true
		}
		first, ok := mkDate(y, m, 1)
		if !ok {
			return first, false
		}
		ahead := (int(e.wd) - int(first.Weekday()) + 7) % 7
		dd := 1 + ahead + 7*(e.nth-1)
		return mkDate(y, m, dd)
	}
	if e.rel {
		y, m := monthAdd(today.Year, int(today.Month), e.mOff)
		return day(y, m)
	}
	if e.m != 0 {
		if e.y != 0 {
			return day(e.y, e.m)
		}
		return pick(today, p, -1, 1, func(k int) (crm.Date, bool) { return day(today.Year+k, e.m) })
	}
	span := 1
	if e.wdCheck {
		span = 14
		if p == prefNearest {
			p = prefClosest
		}
	}
	return pick(today, p, -span, span, func(k int) (crm.Date, bool) {
		y, m := monthAdd(today.Year, int(today.Month), k)
		return day(y, m)
	})
}

// --- Token helpers ---

// word returns the token at i if it is an unassigned word.
func (s *state) word(i int) *token {
	if i < 0 || i >= len(s.toks) {
		return nil
	}
	t := &s.toks[i]
	if t.sep != 0 || t.role != rNone {
		return nil
	}
	return t
}

// lowAt returns the lower-case text of the unassigned word at i, or "".
func (s *state) lowAt(i int) string {
	if t := s.word(i); t != nil {
		return t.low
	}
	return ""
}

// sepAt returns the separator at i, or 0.
func (s *state) sepAt(i int) byte {
	if i < 0 || i >= len(s.toks) {
		return 0
	}
	return s.toks[i].sep
}

// firstWord returns the index of the first word token, or -1.
func (s *state) firstWord() int {
	for i := range s.toks {
		if s.toks[i].sep == 0 {
			return i
		}
	}
	return -1
}

// endAt reports whether nothing but separators or the end follow at i.
func (s *state) endAt(i int) bool {
	return i >= len(s.toks) || s.toks[i].sep != 0 && s.toks[i].sep != ':'
}

// --- Numbers in dates ---

// numDate reads a date written in digits: 2026-11-24, 2026/11/24,
// 2026.11.24, 11/24, 11/24/2026, 10-31-74, 10.31.1974, 24/11 (when the
// first number cannot be a month), 26/11/24 in Korean (year first). A
// year of two digits is returned as -(yy+1). loose also accepts 3.14 and
// 03-14 for birthdays; dates accept 11.24 and 11-24 too.
func numDate(w string, ko bool) (y, m, d int, ok bool) {
	var parts [3]string
	np := 0
	sep := byte(0)
	start := 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == '-' || c == '/' || c == '.' {
			if sep == 0 {
				sep = c
			} else if c != sep {
				return
			}
			if np >= 2 {
				return
			}
			parts[np] = w[start:i]
			np++
			start = i + 1
		} else if !isDigitASCII(rune(c)) {
			return
		}
	}
	if np == 0 {
		return
	}
	parts[np] = w[start:]
	np++
	a, okA := atoiSmall(parts[0], 4)
	b, okB := atoiSmall(parts[1], 2)
	if !okA || !okB {
		return
	}
	if np == 3 {
		c, okC := atoiSmall(parts[2], 4)
		if !okC || len(parts[2]) == 3 || len(parts[2]) == 1 && len(parts[0]) != 4 {
			return
		}
		switch {
		case len(parts[0]) == 4:
			y, m, d = a, b, c
		case len(parts[0]) == 3:
			return
		case len(parts[2]) == 4:
			m, d, y = a, b, c
			if m > 12 && d <= 12 {
				m, d = d, m
			}
		case ko && validMD(b, c):
			y, m, d = -a-1, b, c
		case validMD(a, b):
			m, d, y = a, b, -c-1
		case validMD(b, a):
			m, d, y = b, a, -c-1
		default:
			y, m, d = -a-1, b, c
		}
	} else {
		if len(parts[0]) > 2 || len(parts[1]) == 0 {
			return
		}
		m, d = a, b
		if m > 12 && d <= 12 {
			m, d = d, m
		}
	}
	if !validMD(m, d) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// yearOf turns numDate's year into a full year (0 when none was written).
func (s *state) yearOf(y int) int {
	if y < 0 {
		return fullYear(-y-1, s.today.Year)
	}
	return y
}

// koDateTails may follow a Korean date word: 24일에, 14일이, 3일생.
var koDateTails = map[string]bool{
	"": true, "에": true, "엔": true, "에는": true, "은": true, "는": true, "이": true, "도": true,
	"날": true, "날에": true, "생": true, "부터": true, "까지": true, "이었음": true, "쯤": true,
	"이래요": true, "이래": true, "이에요": true, "이예요": true, "입니다": true, "이라고": true,
	"이라네요": true, "이라고함": true, "이래여": true, "이야": true, "임": true, "이고": true, "이랑": true,
	"에만": true, "경": true, "쯤에": true, "께": true, "이었어요": true, "로": true, "으로": true,
}

// koNumUnit reads "24일", "11월", "2026년" with an optional tail.
func koNumUnit(w, unit string) (v int, tail string, ok bool) {
	k := 0
	for k < len(w) && isDigitASCII(rune(w[k])) {
		k++
	}
	if k == 0 || k > 4 || !strings.HasPrefix(w[k:], unit) {
		return 0, "", false
	}
	v, _ = atoiSmall(w[:k], 4)
	tail = w[k+len(unit):]
	return v, tail, true
}

// koSinoNum reads a Sino-Korean number at the start of w: 삼, 십이, 이천십오.
func koSinoNum(w string) (v int, rest string, ok bool) {
	rest = w
	total, cur := 0, 0
	any := false
	for rest != "" {
		r, sz := firstRuneSize(rest)
		if dv, isD := koSinoDigits[r]; isD {
			if cur != 0 {
				break
			}
			cur = dv
			rest = rest[sz:]
			any = true
			continue
		}
		mult := 0
		switch r {
		case '십':
			mult = 10
		case '백':
			mult = 100
		case '천':
			mult = 1000
		}
		if mult == 0 {
			break
		}
		if cur == 0 {
			cur = 1
		}
		total += cur * mult
		cur = 0
		rest = rest[sz:]
		any = true
	}
	return total + cur, rest, any
}

// koMonthWord reads a month: 11월, 삼월, 유월, 시월 (with tail).
func koMonthWord(w string) (m int, tail string, ok bool) {
	if v, tail, ok := koNumUnit(w, "월"); ok {
		return v, tail, v >= 1 && v <= 12
	}
	switch {
	case strings.HasPrefix(w, "유월"):
		return 6, w[len("유월"):], true
	case strings.HasPrefix(w, "시월"):
		return 10, w[len("시월"):], true
	}
	v, rest, ok := koSinoNum(w)
	if !ok || !strings.HasPrefix(rest, "월") || v < 1 || v > 12 {
		return 0, "", false
	}
	return v, rest[len("월"):], true
}

// koDayWord reads a day of the month: 24일, 삼일 (sino only when sino).
func koDayWord(w string, sino bool) (d int, tail string, ok bool) {
	if v, tail, ok := koNumUnit(w, "일"); ok {
		return v, tail, v >= 1 && v <= 31
	}
	if !sino {
		return 0, "", false
	}
	v, rest, ok := koSinoNum(w)
	if !ok || !strings.HasPrefix(rest, "일") || v < 1 || v > 31 {
		return 0, "", false
	}
	return v, rest[len("일"):], true
}

// koYearWord reads a year: 2015년, 15년, 이천십오년.
func (s *state) koYearWord(w string) (int, bool) {
	if v, tail, ok := koNumUnit(w, "년"); ok && (tail == "" || tail == "도") {
		return fullYear(v, s.today.Year), true
	}
	v, rest, ok := koSinoNum(w)
	if ok && v >= 1000 && (rest == "년" || rest == "년도") {
		return v, true
	}
	return 0, false
}

// enDay reads a day number: 24, 24th, 1st.
func enDay(w string) (int, bool) {
	d, ok := atoiSmall(trimOrdinal(w), 2)
	return d, ok && d >= 1 && d <= 31
}

func enYear(w string) (int, bool) {
	if len(w) != 4 {
		return 0, false
	}
	return atoiSmall(w, 4)
}

// enCount reads a small count: digits or a number word.
func enCount(w string) (int, bool) {
	if v, ok := atoiSmall(w, 3); ok {
		return v, v > 0
	}
	switch w {
	case "a", "an":
		return 1, true
	case "dozen", "single", "pair":
		return 0, false
	}
	v, ok := enNumbers[w]
	return v, ok
}

// enDayAt reads a day of the month at i: "24", "24th", "twentieth",
// "twenty first", "twenty-first". ord reports an ordinal form.
func (s *state) enDayAt(i int) (d, n int, ord bool) {
	w := s.lowAt(i)
	if w == "" {
		return 0, 0, false
	}
	if v, ok := enDay(w); ok {
		return v, 1, trimOrdinal(w) != w
	}
	if v, ok := enOrdinals[w]; ok {
		return v, 1, true
	}
	if w == "twenty" || w == "thirty" {
		if v, ok := enOrdinals[s.lowAt(i+1)]; ok && v < 10 {
			base := 20
			if w == "thirty" {
				base = 30
			}
			if base+v <= 31 {
				return base + v, 2, true
			}
		}
	}
	return 0, 0, false
}

// enUnit reads a time unit: day(s), week(s), fortnight(s), month(s), year(s).
func enUnit(w string) (days int, months int, ok bool) {
	switch w {
	case "day", "days":
		return 1, 0, true
	case "week", "weeks", "wk", "wks":
		return 7, 0, true
	case "fortnight", "fortnights":
		return 14, 0, true
	case "month", "months", "mo", "mos", "mth", "mths":
		return 0, 1, true
	case "year", "years", "yr", "yrs":
		return 0, 12, true
	}
	return 0, 0, false
}

func countExpr(n, days, months, sign int) dateExpr {
	if months != 0 {
		if months%12 == 0 {
			return dateExpr{kind: dkYears, off: sign * n * months / 12}
		}
		return dateExpr{kind: dkMonths, off: sign * n * months}
	}
	return dateExpr{kind: dkOffset, off: sign * n * days}
}

// enWeekRef reads "last week", "this week", "next week", "the following
// week", "the week after next" at i: the week offset and tokens used.
func (s *state) enWeekRef(i int) (week, n int, ok bool) {
	j := i
	if s.lowAt(j) == "the" {
		j++
	}
	var w int
	switch s.lowAt(j) {
	case "last", "previous", "past", "prior":
		w = -1
	case "this", "current":
		w = 0
	case "next", "following", "coming":
		w = 1
	default:
		return 0, 0, false
	}
	switch s.lowAt(j + 1) {
	case "week", "week's":
		return w, j + 2 - i, true
	}
	return 0, 0, false
}

// enMonthRef reads the month of "of/in …": "October", "October 2014",
// "this month", "the month", "last month", "the next month".
func (s *state) enMonthRef(i int, e *dateExpr) int {
	j := i
	if s.lowAt(j) == "the" {
		j++
	}
	w := trimDot(s.lowAt(j))
	if m, ok := enMonths[w]; ok {
		e.m = int(m)
		if y, ok := enYear(s.lowAt(j + 1)); ok {
			e.y = y
			return j + 2 - i
		}
		return j + 1 - i
	}
	off, rel := 0, true
	switch w {
	case "this", "current":
	case "last", "previous", "past", "prior":
		off = -1
	case "next", "following", "coming":
		off = 1
	case "month":
		if j > i {
			e.rel, e.mOff = true, 0
			return j + 1 - i
		}
		rel = false
	default:
		rel = false
	}
	if !rel || s.lowAt(j+1) != "month" && s.lowAt(j+1) != "month's" {
		return 0
	}
	e.rel, e.mOff = true, off
	return j + 2 - i
}

// matchDate reads a day phrase starting at token i. It returns the
// expression and the number of tokens it spans.
func (s *state) matchDate(i int) (dateExpr, int) {
	t := s.word(i)
	if t == nil {
		return dateExpr{}, 0
	}
	if t.hangul {
		return s.matchDateKo(i, t)
	}
	e, n := s.matchDateEn(i, t)
	if n > 0 {
		// "… week ago Monday", "…, 2026" are read inside; a trailing
		// time-of-day word stays for the context pass.
		return e, n
	}
	return dateExpr{}, 0
}

// enDateWords may open an English day phrase (with numbers, ordinals,
// months and weekdays, which enDateStart checks too).
var enDateWords = map[string]bool{
	"on": true, "for": true, "by": true, "around": true, "about": true, "circa": true, "since": true,
	"from": true, "until": true, "till": true, "at": true, "in": true, "within": true, "today": true,
	"now": true, "tonight": true, "tonite": true, "today's": true, "right": true, "just": true,
	"yesterday": true, "yday": true, "yest": true, "yesterday's": true, "ystd": true, "tomorrow": true,
	"tomorrows": true, "tomorrow's": true, "tmrw": true, "tmr": true, "tmrow": true, "tomorow": true,
	"tommorow": true, "tommorrow": true, "2moro": true, "2morrow": true, "the": true, "day": true,
	"last": true, "past": true, "previous": true, "this": true, "next": true, "coming": true,
	"upcoming": true, "every": true, "each": true, "a": true, "an": true, "christmas": true, "xmas": true,
	"christmas's": true, "new": true, "valentine's": true, "valentines": true, "valentine": true,
	"halloween": true, "easter": true,
}

// enDateStart reports a word that may open an English day phrase.
func enDateStart(t *token) bool {
	w := t.low
	if t.digit || enDateWords[w] {
		return true
	}
	if _, ok := enNumbers[w]; ok {
		return true
	}
	if _, ok := enOrdinals[w]; ok {
		return true
	}
	if _, ok := enWeekdays[w]; ok {
		return true
	}
	k := 0
	for k < len(w) && w[k] >= 'a' && w[k] <= 'z' {
		k++
	}
	_, ok := enMonths[trimDot(w[:k])]
	return ok || k < len(w) && w[k] == '.' && k > 0
}

func (s *state) matchDateEn(i int, t *token) (dateExpr, int) {
	w := t.low
	if !enDateStart(t) {
		return dateExpr{}, 0
	}
	next := s.lowAt(i + 1)
	switch w {
	case "on", "for", "by", "around", "about", "circa", "since", "from", "until", "till", "at", "in", "within":
		switch w {
		case "in", "within":
			// in 3 days, in a week, within a week.
			if c, ok := enCount(next); ok {
				j := i + 2
				if next == "a" && s.lowAt(j) == "couple" {
					c, j = 2, j+1
					if s.lowAt(j) == "of" {
						j++
					}
				}
				if days, months, ok := enUnit(s.lowAt(j)); ok {
					if s.lowAt(j+1) == "time" {
						j++
					}
					return countExpr(c, days, months, 1), j + 1 - i
				}
			}
			return dateExpr{}, 0
		case "at":
			if next == "this" && s.lowAt(i+2) == "time" {
				return dateExpr{kind: dkOffset}, 3
			}
			return dateExpr{}, 0
		}
		// "on the 24th", "on Monday", "on 11/24": the preposition belongs to the phrase.
		if e, n := s.matchDate(i + 1); n > 0 && !e.usual {
			switch w {
			case "for", "by", "until", "till":
				e.forward = true // "cake for Saturday"
			}
			return e, n + 1
		}
		if w == "on" {
			if wi, ok := enWeekdays[next]; ok && wi.plural {
				return dateExpr{kind: dkWeekday, wd: wi.wd, usual: true}, 2
			}
		}
		return dateExpr{}, 0
	case "today", "now", "tonight", "tonite", "today's":
		e := dateExpr{kind: dkOffset}
		if w == "tonight" || w == "tonite" {
			e.ctx = "evening"
		}
		return e, 1
	case "right", "just":
		if next == "now" {
			return dateExpr{kind: dkOffset}, 2
		}
		return dateExpr{}, 0
	case "yesterday", "yday", "yest", "yesterday's", "ystd":
		return dateExpr{kind: dkOffset, off: -1}, 1
	case "tomorrow", "tomorrows", "tomorrow's", "tmrw", "tmr", "tmrow", "tomorow", "tommorow", "tommorrow", "2moro", "2morrow":
		return dateExpr{kind: dkOffset, off: 1}, 1
	case "the", "day":
		j := i
		if w == "the" {
			j++
		}
		if s.lowAt(j) == "day" {
			switch s.lowAt(j + 1) {
			case "before":
				if s.lowAt(j+2) == "yesterday" {
					return dateExpr{kind: dkOffset, off: -2}, j + 3 - i
				}
			case "after":
				if s.lowAt(j+2) == "tomorrow" {
					return dateExpr{kind: dkOffset, off: 2}, j + 3 - i
				}
			}
		}
	case "last", "past", "previous", "this", "next", "coming", "upcoming":
		if w == "last" {
			if e, n := s.enNthOfMonth(i); n > 0 {
				return e, n
			}
		}
		if e, n := s.enUpcoming(i); n > 0 {
			return e, n
		}
		if e, n := s.enRelWeekday(i); n > 0 {
			return e, n
		}
	case "every", "each":
		if wi, ok := enWeekdays[next]; ok {
			return dateExpr{kind: dkWeekday, wd: wi.wd, usual: true}, 2
		}
		return dateExpr{}, 0
	case "a", "an", "one":
		// "a week ago", "a week from today" fall through to the counts.
	}
	if e, n := s.enHoliday(i); n > 0 {
		return e, n
	}
	if e, n := s.enCountPhrase(i); n > 0 {
		return e, n
	}
	if e, n := s.enNthOfMonth(i); n > 0 {
		return e, n
	}
	if e, n := s.enWeekdayPhrase(i); n > 0 {
		return e, n
	}
	if e, n := s.enDayOfMonthRef(i); n > 0 {
		return e, n
	}
	if e, n := s.enCalendar(i); n > 0 {
		return e, n
	}
	// the 24th, the 24, 24th; not a bare "24" or "first".
	j := i
	if w == "the" {
		j++
		if e, n := s.enWeekdayPhrase(j); n > 1 && (e.mod == wdAfterNext || e.kind == dkNthWd) {
			return e, n + 1
		}
	}
	if d, n, ord := s.enDayAt(j); n > 0 {
		if j > i && (ord || s.dayEnds(j+n)) || j == i && ord && s.toks[j].digit {
			return dateExpr{kind: dkDay, d: d}, j + n - i
		}
	}
	return dateExpr{}, 0
}

// dayEnds reports whether a bare day number at i-1 ends its phrase: the
// end, a separator, a time, or a word that is no noun ("the 24 at 3pm").
func (s *state) dayEnds(i int) bool {
	if s.endAt(i) {
		return true
	}
	t := &s.toks[i]
	if t.role != rNone {
		return t.role != rQty
	}
	if t.upper && t.latin {
		return true // a name follows: "the 24 Kim croissant"
	}
	switch t.low {
	case "at", "for", "in", "on", "please", "pls", "pickup", "pick-up", "and":
		return true
	}
	if _, ok := clockWord(t.low); ok {
		return true
	}
	return false
}

// enRelWeekday reads last/this/next/coming + weekday or week, and
// "next month's 5th".
func (s *state) enRelWeekday(i int) (dateExpr, int) {
	w, next := s.lowAt(i), s.lowAt(i+1)
	if next == "month's" {
		off := map[string]int{"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}
		if o, ok := off[w]; ok {
			if d, n, _ := s.enDayAt(i + 2); n > 0 {
				return dateExpr{kind: dkDay, d: d, rel: true, mOff: o}, 2 + n
			}
		}
	}
	switch w {
	case "last", "previous":
		if next == "night" {
			return dateExpr{kind: dkOffset, off: -1, ctx: "night"}, 2
		}
		if wi, ok := enWeekdays[next]; ok && !wi.plural {
			return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdWeek, week: -1}, 2
		}
		if next == "week" || next == "week's" {
			if wi, ok := enWeekdays[s.lowAt(i+2)]; ok && !wi.plural {
				return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdWeek, week: -1}, 3
			}
			if next == "week" {
				return dateExpr{kind: dkVague, past: true}, 2
			}
		}
		if next == "month" || next == "year" {
			return dateExpr{kind: dkVague, past: true}, 2
		}
	case "past":
		if wi, ok := enWeekdays[next]; ok && !wi.plural {
			return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdPast}, 2
		}
	case "this":
		switch next {
		case "morning", "afternoon", "evening", "am", "a.m.":
			return dateExpr{kind: dkOffset}, 1
		case "past":
			if wi, ok := enWeekdays[s.lowAt(i+2)]; ok && !wi.plural {
				return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdPast}, 3
			}
		case "coming", "upcoming":
			if wi, ok := enWeekdays[s.lowAt(i+2)]; ok && !wi.plural {
				return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdComing}, 3
			}
		case "week", "week's":
			if wi, ok := enWeekdays[s.lowAt(i+2)]; ok && !wi.plural {
				return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdWeek}, 3
			}
			if next == "week" {
				return dateExpr{kind: dkVague}, 2
			}
		case "month", "year", "weekend":
			return dateExpr{kind: dkVague}, 2
		}
		if wi, ok := enWeekdays[next]; ok && !wi.plural {
			return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdWeek}, 2
		}
	case "next":
		if wi, ok := enWeekdays[next]; ok && !wi.plural {
			return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdWeek, week: 1}, 2
		}
		if next == "week" || next == "week's" {
			if wi, ok := enWeekdays[s.lowAt(i+2)]; ok && !wi.plural {
				return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdWeek, week: 1}, 3
			}
			if next == "week" {
				return dateExpr{kind: dkVague}, 2
			}
		}
		if next == "month" || next == "year" || next == "weekend" || next == "time" {
			return dateExpr{kind: dkVague}, 2
		}
	case "coming", "upcoming":
		if wi, ok := enWeekdays[next]; ok && !wi.plural {
			return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdComing}, 2
		}
	}
	return dateExpr{}, 0
}

// enCountPhrase reads "3 days ago", "a fortnight ago", "three months ago",
// "2 thursdays ago", "in 2 weeks" (see matchDateEn), "a week from today",
// "3 fridays from now", "one week hence", "two weeks later".
func (s *state) enCountPhrase(i int) (dateExpr, int) {
	w := s.lowAt(i)
	// "a few days ago", "several weeks back": a period, no day.
	if w == "few" || w == "several" || w == "a" && s.lowAt(i+1) == "few" {
		j := i + 1
		if w == "a" {
			j++
		}
		if _, _, ok := enUnit(s.lowAt(j)); ok {
			switch s.lowAt(j + 1) {
			case "ago", "back", "before", "earlier":
				return dateExpr{kind: dkVague, past: true}, j + 2 - i
			case "later", "hence", "from":
				return dateExpr{kind: dkVague}, j + 2 - i
			}
		}
	}
	c, ok := enCount(w)
	j := i + 1
	if w == "a" && (s.lowAt(j) == "couple" || s.lowAt(j) == "pair") {
		c, ok, j = 2, true, j+1
		if s.lowAt(j) == "of" {
			j++
		}
	}
	if !ok || c > 400 {
		return dateExpr{}, 0
	}
	u := s.lowAt(j)
	if u == "upcoming" || u == "coming" || u == "next" {
		// "2 upcoming days": the last of them.
		if days, months, ok := enUnit(s.lowAt(j + 1)); ok {
			return countExpr(c, days, months, 1), j + 2 - i
		}
	}
	days, months, isUnit := enUnit(u)
	wi, isWd := enWeekdays[u]
	if !isUnit && !isWd {
		return dateExpr{}, 0
	}
	if isWd && (w == "a" || w == "an") {
		return dateExpr{}, 0
	}
	k := j + 1
	sign := 0
	from := 0
	switch s.lowAt(k) {
	case "ago", "back", "before", "earlier", "prior":
		sign = -1
		k++
	case "hence", "later", "after", "out":
		sign = 1
		k++
	case "from":
		switch s.lowAt(k + 1) {
		case "now", "today":
			sign, k = 1, k+2
		case "tomorrow":
			sign, from, k = 1, 1, k+2
		case "yesterday":
			sign, from, k = 1, -1, k+2
		}
	}
	if sign == 0 {
		return dateExpr{}, 0
	}
	if isWd {
		if c > 52 {
			return dateExpr{}, 0
		}
		return dateExpr{kind: dkNthWd, wd: wi.wd, off: sign * c}, k - i
	}
	e := countExpr(c, days, months, sign)
	if from != 0 && e.kind == dkOffset {
		e.off += from
	}
	// "a week ago Monday": the weekday of that week.
	if wi, ok := enWeekdays[s.lowAt(k)]; ok && !wi.plural && e.kind == dkOffset && e.off%7 == 0 {
		return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdWeek, week: e.off / 7}, k + 1 - i
	}
	return e, k - i
}

// enNthOfMonth reads "the first Monday of this month", "last Friday of
// October", "third Tuesday of September 2014", "the last day of October",
// "fifth last day of May", "third day of October".
func (s *state) enNthOfMonth(i int) (dateExpr, int) {
	j := i
	if s.lowAt(j) == "the" {
		j++
	}
	w := s.lowAt(j)
	nth := 0
	if w == "last" {
		nth = -1
	} else if v, ok := enOrdinals[w]; ok && v <= 5 {
		nth = v
	} else if v, ok := enDay(w); ok && trimOrdinal(w) != w && v <= 5 {
		nth = v
	}
	if nth == 0 {
		return dateExpr{}, 0
	}
	j++
	var e dateExpr
	switch {
	case s.lowAt(j) == "last" && s.lowAt(j+1) == "day" && nth > 0:
		e = dateExpr{kind: dkLastDay, nth: nth}
		j += 2
	case s.lowAt(j) == "day":
		if nth < 0 {
			e = dateExpr{kind: dkLastDay, nth: 1}
		} else {
			e = dateExpr{kind: dkDay, d: nth}
		}
		j++
	default:
		wi, ok := enWeekdays[s.lowAt(j)]
		if !ok || wi.plural {
			return dateExpr{}, 0
		}
		e = dateExpr{kind: dkNth, nth: nth, wd: wi.wd}
		j++
	}
	if p := s.lowAt(j); p != "of" && p != "in" {
		return dateExpr{}, 0
	}
	n := s.enMonthRef(j+1, &e)
	if n == 0 {
		return dateExpr{}, 0
	}
	if e.kind == dkDay && e.m != 0 && !e.rel {
		e.kind = dkCalendar
		if !validMD(e.m, e.d) {
			return dateExpr{}, 0
		}
	}
	return e, j + 1 + n - i
}

// enDayOfMonthRef reads "the 20th of last month", "20 of next month",
// "20th day of the current month".
func (s *state) enDayOfMonthRef(i int) (dateExpr, int) {
	j := i
	if s.lowAt(j) == "the" {
		j++
	}
	d, n, _ := s.enDayAt(j)
	if n == 0 {
		return dateExpr{}, 0
	}
	j += n
	if s.lowAt(j) == "day" {
		j++
	}
	if s.lowAt(j) != "of" {
		return dateExpr{}, 0
	}
	e := dateExpr{kind: dkDay, d: d}
	m := s.enMonthRef(j+1, &e)
	if m == 0 || !e.rel {
		return dateExpr{}, 0
	}
	return e, j + 1 + m - i
}

// enWeekdayPhrase reads weekday-first phrases: "Monday", "Monday last
// week", "Sunday from last week", "Wednesday of next week", "Friday after
// next", "Monday, Feb 18", "Tuesday the 19th", "Thu 15th", "Mondays".
func (s *state) enWeekdayPhrase(i int) (dateExpr, int) {
	t := s.word(i)
	if t == nil {
		return dateExpr{}, 0
	}
	wi, ok := enWeekdays[t.low]
	if !ok {
		return dateExpr{}, 0
	}
	if wi.plural {
		return dateExpr{kind: dkWeekday, wd: wi.wd, usual: true}, 1
	}
	// "Sun bought a latte": an abbreviation opening the note is a name.
	if wi.abbr && t.upper && i == s.firstWord() && s.word(i+1) != nil && !s.dateWordAt(i+1) {
		return dateExpr{}, 0
	}
	j := i + 1
	switch s.lowAt(j) {
	case "after":
		if s.lowAt(j+1) == "next" {
			return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdAfterNext}, 3
		}
	case "before":
		if s.lowAt(j+1) == "last" {
			return dateExpr{kind: dkNthWd, wd: wi.wd, off: -2}, 3
		}
	case "of", "from", "in":
		if week, n, ok := s.enWeekRef(j + 1); ok {
			return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdWeek, week: week}, j + 1 + n - i
		}
	case "last", "this", "next", "the":
		if week, n, ok := s.enWeekRef(j); ok {
			return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdWeek, week: week}, j + n - i
		}
	}
	// A calendar day with the weekday: "Monday, Feb 18", "Tuesday the 19th".
	k := j
	if s.sepAt(k) == ',' {
		k++
	}
	if e, n := s.enCalendar(k); n > 0 {
		e.wd, e.wdCheck = wi.wd, true
		return e, k + n - i
	}
	kk := k
	if s.lowAt(kk) == "the" {
		kk++
	}
	if d, n, ord := s.enDayAt(kk); n > 0 && (ord || kk > k) {
		return dateExpr{kind: dkDay, d: d, wd: wi.wd, wdCheck: true}, kk + n - i
	}
	return dateExpr{kind: dkWeekday, wd: wi.wd}, 1
}

// dateWordAt reports a word that continues a date phrase.
func (s *state) dateWordAt(i int) bool {
	w := s.lowAt(i)
	if _, ok := enMonths[trimDot(w)]; ok {
		return true
	}
	switch w {
	case "last", "next", "this", "of", "after", "the":
		return true
	}
	_, ok := enDay(w)
	return ok
}

// enCalendar reads an explicit calendar date at i: "Nov 24", "November
// 24th, 2026", "24 Nov", "the 20th of October", "March first", "Feb13",
// "14april 2015", "11/24", "10/31/1974", "31/Oct/1974", "2 / 15", with a
// trailing weekday ("Jul 18, Fri").
func (s *state) enCalendar(i int) (dateExpr, int) {
	e, n := s.enCalendarCore(i)
	if n == 0 {
		return e, 0
	}
	k := i + n
	if s.sepAt(k) == ',' {
		k++
	}
	if wi, ok := enWeekdays[s.lowAt(k)]; ok && !wi.plural && e.y == 0 {
		e.wd, e.wdCheck = wi.wd, true
		n = k + 1 - i
	}
	return e, n
}

func (s *state) enCalendarCore(i int) (dateExpr, int) {
	t := s.word(i)
	if t == nil {
		return dateExpr{}, 0
	}
	w := t.low
	cal := func(y, m, d int) dateExpr { return dateExpr{kind: dkCalendar, y: y, m: m, d: d} }
	if t.digit {
		if y, m, d, ok := numDate(w, s.res.Lang == "ko"); ok {
			return cal(s.yearOf(y), m, d), 1
		}
		// 2 / 15, 31/Oct/1974.
		if a, ok := atoiSmall(w, 2); ok && i+2 < len(s.toks) && (s.toks[i+1].raw == "/" || s.toks[i+1].raw == "-") {
			sep := s.toks[i+1].raw
			if b, ok := atoiSmall(s.lowAt(i+2), 2); ok && s.toks[i+2].start-s.toks[i+1].end <= 1 {
				m, d := a, b
				if m > 12 {
					m, d = d, m
				}
				if validMD(m, d) && !(sep == "-" && s.word(i+3) != nil && !s.toks[i+3].upper) {
					return cal(0, m, d), 3
				}
			}
			if mm, ok := enMonths[s.lowAt(i+2)]; ok && validMD(int(mm), a) {
				if i+4 < len(s.toks) && s.toks[i+3].raw == sep {
					if y, ok := atoiSmall(s.lowAt(i+4), 4); ok && (len(s.lowAt(i+4)) == 4 || len(s.lowAt(i+4)) == 2) {
						return cal(fullYear(y, s.today.Year), int(mm), a), 5
					}
				}
				return cal(0, int(mm), a), 3
			}
		}
		// 31 10 1974, 10 31 1974: three numbers ending in a year.
		if a, ok := atoiSmall(w, 2); ok {
			if b, ok := atoiSmall(s.lowAt(i+1), 2); ok {
				if y, ok := enYear(s.lowAt(i + 2)); ok && y > 1900 && y < 2200 {
					switch {
					case validMD(a, b):
						return cal(y, a, b), 3
					case validMD(b, a):
						return cal(y, b, a), 3
					}
				}
			}
		}
		// 31-oct-74 (one token), 14april, 24th.
		if e, ok := s.glued(w); ok {
			n := 1
			if e.y == 0 {
				if y, ok := enYear(s.lowAt(i + 1)); ok {
					e.y, n = y, 2
				}
			}
			return e, n
		}
	} else if e, ok := s.glued(w); ok {
		n := 1
		if e.y == 0 {
			if y, ok := enYear(s.lowAt(i + 1)); ok {
				e.y, n = y, 2
			}
		}
		return e, n
	}
	// Month first: Nov 24, November the 24th, March first, Nov 24 2026.
	if mm, ok := enMonths[trimDot(w)]; ok {
		j := i + 1
		if s.lowAt(j) == "the" {
			j++
		}
		if d, n, _ := s.enDayAt(j); n > 0 && validMD(int(mm), d) {
			// "Jun 2 croissants": a month that is also a first name,
			// opening the note and followed by a count and a noun, is a name.
			if j == i+1 && n == 1 && t.upper && enMonthNames[w] && i == s.firstWord() {
				if nt := s.word(j + 1); nt != nil && nt.latin && !nt.upper {
					return dateExpr{}, 0
				}
			}
			j += n
			if y, n := s.yearAfter(j); n > 0 {
				return cal(y, int(mm), d), j + n - i
			}
			return cal(0, int(mm), d), j - i
		}
		return dateExpr{}, 0
	}
	// Day first: 24 Nov, 24th of November, the 20th of October [2026].
	j := i
	if w == "the" {
		j++
	}
	d, n, ord := s.enDayAt(j)
	if n == 0 {
		return dateExpr{}, 0
	}
	k := j + n
	if s.lowAt(k) == "of" {
		k++
	}
	mm, ok := enMonths[trimDot(s.lowAt(k))]
	if !ok || !validMD(int(mm), d) {
		return dateExpr{}, 0
	}
	if j == i && !ord && !t.digit {
		return dateExpr{}, 0
	}
	k++
	if y, n := s.yearAfter(k); n > 0 {
		return cal(y, int(mm), d), k + n - i
	}
	return cal(0, int(mm), d), k - i
}

// yearAfter reads a year after a month and day: "2026", ", 2026", "15" at
// the end of a phrase.
func (s *state) yearAfter(j int) (int, int) {
	k := j
	if s.sepAt(k) == ',' {
		k++
	}
	w := s.lowAt(k)
	if y, ok := enYear(w); ok {
		return y, k + 1 - j
	}
	if len(w) == 2 && k == j && (s.endAt(k+1) || s.toks[k+1].upper && s.toks[k+1].latin) {
		if y, ok := atoiSmall(w, 2); ok {
			return fullYear(y, s.today.Year), 1
		}
	}
	return 0, 0
}

// glued reads a month and day written as one word: feb13, 14april,
// 31-oct-74, 24th (a bare ordinal is no calendar date).
func (s *state) glued(w string) (dateExpr, bool) {
	if strings.Count(w, "-") == 2 {
		a, rest, _ := strings.Cut(w, "-")
		mo, y, _ := strings.Cut(rest, "-")
		d, ok1 := atoiSmall(a, 2)
		mm, ok2 := enMonths[mo]
		yy, ok3 := atoiSmall(y, 4)
		if ok1 && ok2 && ok3 && (len(y) == 2 || len(y) == 4) && validMD(int(mm), d) {
			return dateExpr{kind: dkCalendar, y: fullYear(yy, s.today.Year), m: int(mm), d: d}, true
		}
		return dateExpr{}, false
	}
	k := 0
	for k < len(w) && isDigitASCII(rune(w[k])) {
		k++
	}
	if k > 0 {
		d, _ := atoiSmall(w[:k], 2)
		rest := w[k:]
		switch {
		case strings.HasPrefix(rest, "st"), strings.HasPrefix(rest, "nd"), strings.HasPrefix(rest, "rd"), strings.HasPrefix(rest, "th"):
			if len(rest) > 2 {
				rest = rest[2:]
			}
		}
		if mm, ok := enMonths[rest]; ok && validMD(int(mm), d) {
			return dateExpr{kind: dkCalendar, m: int(mm), d: d}, true
		}
		return dateExpr{}, false
	}
	for k < len(w) && w[k] >= 'a' && w[k] <= 'z' {
		k++
	}
	if k == 0 || k == len(w) {
		return dateExpr{}, false
	}
	mm, ok := enMonths[w[:k]]
	if !ok {
		return dateExpr{}, false
	}
	if d, ok := enDay(w[k:]); ok && validMD(int(mm), d) {
		return dateExpr{kind: dkCalendar, m: int(mm), d: d}, true
	}
	return dateExpr{}, false
}

// enHoliday reads a few fixed and movable feasts: Christmas, New Year's
// Day, Valentine's Day, Halloween, Easter, with an offset ("three days
// after Easter", "the day after Christmas") and a year.
func (s *state) enHoliday(i int) (dateExpr, int) {
	off, j := 0, i
	nthWd, wdRel := 0, time.Sunday
	if v, ok := enOrdinals[s.lowAt(j)]; ok && v <= 5 {
		if wi, ok := enWeekdays[s.lowAt(j+1)]; ok {
			switch s.lowAt(j + 2) {
			case "after":
				nthWd, wdRel, j = v, wi.wd, j+3
			case "before":
				nthWd, wdRel, j = -v, wi.wd, j+3
			}
		}
	}
	if c, ok := enCount(s.lowAt(j)); ok && nthWd == 0 {
		if wi, ok := enWeekdays[s.lowAt(j+1)]; ok {
			switch s.lowAt(j + 2) {
			case "after":
				nthWd, wdRel, j = c, wi.wd, j+3
			case "before":
				nthWd, wdRel, j = -c, wi.wd, j+3
			}
		}
	}
	if c, ok := enCount(s.lowAt(j)); ok && nthWd == 0 {
		if days, months, ok := enUnit(s.lowAt(j + 1)); ok && months == 0 {
			switch s.lowAt(j + 2) {
			case "after":
				off, j = c*days, j+3
			case "before":
				off, j = -c*days, j+3
			}
		}
	} else if s.lowAt(j) == "the" && s.lowAt(j+1) == "day" {
		switch s.lowAt(j + 2) {
		case "after":
			off, j = 1, j+3
		case "before":
			off, j = -1, j+3
		}
	}
	w := s.lowAt(j)
	m, d, n := 0, 0, 1
	easter := false
	switch w {
	case "christmas", "xmas", "christmas's":
		m, d = 12, 25
		if s.lowAt(j+1) == "eve" {
			d, n = 24, 2
		} else if s.lowAt(j+1) == "day" {
			n = 2
		}
	case "new":
		if s.lowAt(j+1) == "year's" || s.lowAt(j+1) == "years" || s.lowAt(j+1) == "year" {
			m, d, n = 1, 1, 2
			switch s.lowAt(j + 2) {
			case "day":
				n = 3
			case "eve":
				m, d, n = 12, 31, 3
			}
		}
	case "valentine's", "valentines", "valentine":
		m, d = 2, 14
		if s.lowAt(j+1) == "day" {
			n = 2
		}
	case "halloween":
		m, d = 10, 31
	case "easter":
		easter = true
		if s.lowAt(j+1) == "sunday" {
			n = 2
		}
	default:
		return dateExpr{}, 0
	}
	if m == 0 && !easter {
		return dateExpr{}, 0
	}
	j += n
	y := 0
	if yy, ok := enYear(s.lowAt(j)); ok {
		y = yy
		j++
	}
	if y == 0 {
		y = s.today.Year
		if !easter && off == 0 && nthWd == 0 {
			return dateExpr{kind: dkCalendar, m: m, d: d}, j - i
		}
	}
	if easter {
		m, d = easterDay(y)
	}
	base, ok := mkDate(y, m, d)
	if !ok {
		return dateExpr{}, 0
	}
	if off == 0 && nthWd == 0 && y == s.today.Year && !easter {
		return dateExpr{kind: dkCalendar, m: m, d: d}, j - i
	}
	day := base.AddDays(off)
	if nthWd != 0 {
		e := dateExpr{kind: dkNthWd, wd: wdRel, off: nthWd}
		day, _ = e.resolve(base, prefNearest)
	}
	return dateExpr{kind: dkCalendar, y: day.Year, m: int(day.Month), d: day.Day}, j - i
}

// easterDay returns the month and day of (Western) Easter in year y.
func easterDay(y int) (int, int) {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return month, day
}

// enMonthNames are months that are also first names.
var enMonthNames = map[string]bool{"may": true, "june": true, "jun": true, "april": true, "august": true, "july": true}

// enUpcoming reads "upcoming two days", "the next 3 days", "coming 2
// weeks": the last day of the period.
func (s *state) enUpcoming(i int) (dateExpr, int) {
	w := s.lowAt(i)
	if w != "upcoming" && w != "next" && w != "coming" {
		return dateExpr{}, 0
	}
	c, ok := enCount(s.lowAt(i + 1))
	if !ok || c > 400 || s.lowAt(i+1) == "a" || s.lowAt(i+1) == "an" {
		return dateExpr{}, 0
	}
	days, months, ok := enUnit(s.lowAt(i + 2))
	if !ok {
		return dateExpr{}, 0
	}
	return countExpr(c, days, months, 1), 3
}

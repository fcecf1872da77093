package parse

import (
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// Date expressions.
type dateKind uint8

const (
	dkNone     dateKind = iota
	dkOffset            // days from today: today, yesterday, 그저께, 3 days ago
	dkWeekday           // a weekday, maybe of last or this week
	dkCalendar          // month and day, maybe a year
	dkDay               // day of this month: 24일, the 24th
	dkFuture            // a day ahead: next Tuesday, 다음 주 화요일 (a plan, kept as text)
)

// Weekday modifiers.
const (
	wdBare = iota // most recent such day, today included
	wdLast        // that day of the previous calendar week (weeks start Monday)
	wdThis        // that day of this calendar week (most recent if still ahead)
)

type dateExpr struct {
	kind  dateKind
	off   int
	wd    time.Weekday
	mod   int
	usual bool // "every Thursday", "목요일마다": a habit, not a date
	y, m  int
	d     int
	ctx   string // a time of day carried by the same word: 어젯밤, tonight
}

// daysIn returns the number of days in month m of year y.
func daysIn(m, y int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// validMD reports whether m-d exists in some year (02-29 allowed).
func validMD(m, d int) bool { return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(m, 2024) }

// fullYear reads a written year: 2026, 26 → 2026, 90 → 1990.
func fullYear(y, thisYear int) int {
	switch {
	case y >= 1000:
		return y
	case y < 100:
		if 2000+y <= thisYear+1 {
			return 2000 + y
		}
		return 1900 + y
	}
	return 0
}

// resolve turns a date expression into the calendar day it names, relative
// to today. Dates without a year that would lie in the future are last
// year's; a day of the month still ahead is last month's.
func resolve(e dateExpr, today crm.Date) (crm.Date, bool) {
	switch e.kind {
	case dkOffset:
		return today.AddDays(e.off), true
	case dkWeekday:
		tw := int(today.Weekday())
		back := (tw - int(e.wd) + 7) % 7
		bare := today.AddDays(-back)
		if e.mod == wdBare {
			return bare, true
		}
		monday := today.AddDays(-((tw + 6) % 7))
		d := monday.AddDays((int(e.wd) + 6) % 7)
		if e.mod == wdLast {
			return d.AddDays(-7), true
		}
		if d.After(today) {
			return bare, true
		}
		return d, true
	case dkCalendar:
		if !validMD(e.m, e.d) {
			return crm.Date{}, false
		}
		y := e.y
		if y == 0 {
			y = today.Year
			if (crm.Date{Year: y, Month: time.Month(e.m), Day: e.d}).After(today) {
				y--
			}
		}
		if y < 1 || y > 9999 || e.d > daysIn(e.m, y) {
			return crm.Date{}, false
		}
		return crm.Date{Year: y, Month: time.Month(e.m), Day: e.d}, true
	case dkDay:
		y, m := today.Year, int(today.Month)
		if e.d > today.Day {
			m--
			if m == 0 {
				m, y = 12, y-1
			}
		}
		if e.d < 1 || e.d > daysIn(m, y) {
			return crm.Date{}, false
		}
		return crm.Date{Year: y, Month: time.Month(m), Day: e.d}, true
	}
	return crm.Date{}, false
}

// numDate reads a date written in digits: 2026-11-24, 2026/11/24,
// 2026.11.24, 11/24, 11/24/2026, 24/11 (when the first number cannot be a
// month). loose also accepts 3.14 and 03-14, for birthdays.
func numDate(w string, loose bool) (y, m, d int, ok bool) {
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
	if np == 0 || np > 2 {
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
		if !okC {
			return
		}
		if len(parts[0]) == 4 {
			y, m, d = a, b, c
		} else if sep == '/' && len(parts[0]) <= 2 && (len(parts[2]) == 4 || len(parts[2]) == 2) {
			m, d, y = a, b, c
			if len(parts[2]) == 2 {
				y = -y - 1 // two-digit year, resolved by the caller
			}
		} else {
			return
		}
	} else {
		if len(parts[0]) > 2 {
			return
		}
		switch sep {
		case '/':
		case '.', '-':
			if !loose {
				return
			}
		}
		m, d = a, b
	}
	if m > 12 && d <= 12 && np == 2 {
		m, d = d, m
	}
	if !validMD(m, d) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// koDateTails may follow a Korean date word: 24일에, 14일이, 3일생.
var koDateTails = map[string]bool{
	"": true, "에": true, "엔": true, "에는": true, "은": true, "는": true, "이": true, "도": true,
	"날": true, "날에": true, "생": true, "부터": true, "까지": true, "이었음": true, "쯤": true,
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

// matchCalendar reads an explicit calendar date starting at token i and
// returns it with the number of tokens used.
func (s *state) matchCalendar(i int, loose bool) (y, m, d, n int) {
	t := s.word(i)
	if t == nil {
		return
	}
	w := t.low
	if t.digit {
		// Digits with a Korean tail: 11/24에, 12/25생.
		core := w
		if t.hangul {
			k := 0
			for k < len(w) && w[k] < 0x80 {
				k++
			}
			if !koDateTails[w[k:]] {
				core = ""
			} else {
				core = w[:k]
			}
		}
		if yy, mm, dd, ok := numDate(core, loose); ok {
			if yy < 0 {
				yy = fullYear(-yy-1, s.today.Year)
			}
			return yy, mm, dd, 1
		}
		// Korean: [YYYY년] M월 D일.
		j := i
		if v, tail, ok := koNumUnit(w, "년"); ok && tail == "" {
			y = fullYear(v, s.today.Year)
			j++
		}
		if mt := s.word(j); mt != nil {
			if mv, tail, ok := koNumUnit(mt.low, "월"); ok && tail == "" && mv >= 1 && mv <= 12 {
				if dt := s.word(j + 1); dt != nil {
					if dv, tail, ok := koNumUnit(dt.low, "일"); ok && koDateTails[tail] && validMD(mv, dv) {
						if nt := s.word(j + 2); nt != nil && (nt.low == "전" || nt.low == "전에") {
							return 0, 0, 0, 0
						}
						return y, mv, dv, j + 2 - i
					}
					if dv, ok := atoiSmall(dt.low, 2); ok && validMD(mv, dv) {
						return y, mv, dv, j + 2 - i
					}
				}
			}
		}
		// English: 24 Nov, 24th of November [2026].
		if dd, ok := enDay(w); ok {
			j := i + 1
			if s.lowAt(j) == "of" {
				j++
			}
			if mm, ok := enMonths[trimDot(s.lowAt(j))]; ok && validMD(int(mm), dd) {
				j++
				if yy, ok := enYear(s.lowAt(j)); ok {
					return yy, int(mm), dd, j + 1 - i
				}
				return 0, int(mm), dd, j - i
			}
		}
		return 0, 0, 0, 0
	}
	// English: Nov 24, November 24th [, 2026].
	if mm, ok := enMonths[trimDot(w)]; ok {
		if dd, ok := enDay(s.lowAt(i + 1)); ok && validMD(int(mm), dd) {
			j := i + 2
			if j < len(s.toks) && s.toks[j].sep == ',' {
				if yy, ok := enYear(s.lowAt(j + 1)); ok {
					return yy, int(mm), dd, j + 2 - i
				}
			}
			if yy, ok := enYear(s.lowAt(j)); ok {
				return yy, int(mm), dd, j + 1 - i
			}
			return 0, int(mm), dd, 2
		}
	}
	return 0, 0, 0, 0
}

// koWeekday reads a Korean weekday word: 목요일, 목요일에, 목욜, 목, 목요일마다.
func koWeekday(w string) (wd time.Weekday, usual, short, ok bool) {
	r, sz := firstRuneSize(w)
	wd, ok = koWeekdayRunes[r]
	if !ok {
		return 0, false, false, false
	}
	rest := w[sz:]
	switch {
	case strings.HasPrefix(rest, "요일"):
		rest = rest[len("요일"):]
	case strings.HasPrefix(rest, "욜"):
		rest = rest[len("욜"):]
	case rest == "" && r != '일':
		return wd, false, true, true
	default:
		return 0, false, false, false
	}
	if !koWeekdayTails[rest] {
		return 0, false, false, false
	}
	return wd, rest == "마다", false, true
}

// matchDate reads a date or usual-weekday expression starting at token i.
// It returns the expression and the number of tokens it spans.
func (s *state) matchDate(i int) (dateExpr, int) {
	t := s.word(i)
	if t == nil {
		return dateExpr{}, 0
	}
	w := t.low
	if t.hangul {
		return s.matchDateKo(i, t)
	}
	if off, ok := enRelDays[w]; ok {
		e := dateExpr{kind: dkOffset, off: off}
		if w == "tonight" || w == "tonite" {
			e.ctx = "evening"
		}
		return e, 1
	}
	next := s.lowAt(i + 1)
	switch w {
	case "next":
		if _, ok := enWeekdays[next]; ok {
			return dateExpr{kind: dkFuture}, 2
		}
		if next == "week" || next == "month" || next == "year" {
			return dateExpr{kind: dkFuture}, 2
		}
	case "last":
		if next == "night" {
			return dateExpr{kind: dkOffset, off: -1, ctx: "night"}, 2
		}
		if wi, ok := enWeekdays[next]; ok && !wi.plural {
			return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdLast}, 2
		}
	case "this":
		switch next {
		case "morning", "afternoon", "evening":
			return dateExpr{kind: dkOffset}, 1
		}
		if wi, ok := enWeekdays[next]; ok && !wi.plural {
			return dateExpr{kind: dkWeekday, wd: wi.wd, mod: wdThis}, 2
		}
	case "the":
		if next == "day" && s.lowAt(i+2) == "before" && s.lowAt(i+3) == "yesterday" {
			return dateExpr{kind: dkOffset, off: -2}, 4
		}
		if d, ok := enDay(next); ok && trimOrdinal(next) != next {
			return dateExpr{kind: dkDay, d: d}, 2
		}
	case "day":
		if next == "before" && s.lowAt(i+2) == "yesterday" {
			return dateExpr{kind: dkOffset, off: -2}, 3
		}
	case "every", "each":
		if wi, ok := enWeekdays[next]; ok {
			return dateExpr{kind: dkWeekday, wd: wi.wd, usual: true}, 2
		}
	case "on":
		if wi, ok := enWeekdays[next]; ok {
			return dateExpr{kind: dkWeekday, wd: wi.wd, usual: wi.plural}, 2
		}
		if next == "the" {
			if d, ok := enDay(s.lowAt(i + 2)); ok && trimOrdinal(s.lowAt(i+2)) != s.lowAt(i+2) {
				return dateExpr{kind: dkDay, d: d}, 3
			}
		}
	case "a", "an", "one":
		if (next == "week" || next == "wk") && s.lowAt(i+2) == "ago" {
			return dateExpr{kind: dkOffset, off: -7}, 3
		}
		if next == "day" && s.lowAt(i+2) == "ago" {
			return dateExpr{kind: dkOffset, off: -1}, 3
		}
	}
	// N days ago.
	if n, ok := enCount(w); ok && n <= 60 {
		unit := next
		if s.lowAt(i+2) == "ago" {
			switch unit {
			case "day", "days":
				return dateExpr{kind: dkOffset, off: -n}, 3
			case "week", "weeks":
				return dateExpr{kind: dkOffset, off: -7 * n}, 3
			}
		}
	}
	if wi, ok := enWeekdays[w]; ok {
		// "Sun bought a latte": an abbreviation opening the note is a name.
		if wi.abbr && t.upper && i == s.firstWord() && s.word(i+1) != nil {
			return dateExpr{}, 0
		}
		return dateExpr{kind: dkWeekday, wd: wi.wd, usual: wi.plural}, 1
	}
	if y, m, d, n := s.matchCalendar(i, false); n > 0 {
		// "Jun 2 croissants": a month that is also a first name, opening
		// the note and followed by a count and a noun, is a name.
		if n == 2 && t.upper && enMonthNames[w] && i == s.firstWord() {
			if nt := s.word(i + 2); nt != nil && nt.latin && !nt.upper {
				return dateExpr{}, 0
			}
		}
		return dateExpr{kind: dkCalendar, y: y, m: m, d: d}, n
	}
	return dateExpr{}, 0
}

// enMonthNames are months that are also first names.
var enMonthNames = map[string]bool{"may": true, "june": true, "jun": true, "april": true, "august": true, "july": true}

// enCount reads a small count: digits or a number word.
func enCount(w string) (int, bool) {
	if v, ok := atoiSmall(w, 2); ok {
		return v, v > 0
	}
	v, ok := enNumbers[w]
	return v, ok
}

func (s *state) matchDateKo(i int, t *token) (dateExpr, int) {
	w := t.low
	// 오늘, 어제는, 그저께; 어젯밤, 어제저녁.
	if w == "어젯밤" || w == "어젯저녁" {
		return dateExpr{kind: dkOffset, off: -1, ctx: strings.TrimPrefix(strings.TrimPrefix(w, "어젯"), "어제")}, 1
	}
	for _, rel := range koRelOrder {
		if strings.HasPrefix(w, rel) {
			off := koRelDays[rel]
			rest := w[len(rel):]
			if koRelTails[rest] {
				return dateExpr{kind: dkOffset, off: off}, 1
			}
			if r2, _ := stripKo(rest, false); koTimes[r2] {
				return dateExpr{kind: dkOffset, off: off, ctx: r2}, 1
			}
		}
	}
	next := s.lowAt(i + 1)
	// 이틀 전, 3일 전, 3일전.
	if n, ok := koRelCount[w]; ok && (next == "전" || next == "전에") {
		return dateExpr{kind: dkOffset, off: -n}, 2
	}
	if strings.HasSuffix(w, "전") || strings.HasSuffix(w, "전에") {
		core := strings.TrimSuffix(strings.TrimSuffix(w, "에"), "전")
		if n, ok := koRelCount[core]; ok {
			return dateExpr{kind: dkOffset, off: -n}, 1
		}
		if v, tail, ok := koNumUnit(core, "일"); ok && tail == "" && v <= 60 {
			return dateExpr{kind: dkOffset, off: -v}, 1
		}
		if v, tail, ok := koNumUnit(core, "주"); ok && tail == "" && v <= 8 {
			return dateExpr{kind: dkOffset, off: -7 * v}, 1
		}
	}
	if v, tail, ok := koNumUnit(w, "일"); ok && tail == "" && v <= 60 && (next == "전" || next == "전에") {
		return dateExpr{kind: dkOffset, off: -v}, 2
	}
	if v, tail, ok := koNumUnit(w, "주"); ok && tail == "" && v <= 8 && (next == "전" || next == "전에") {
		return dateExpr{kind: dkOffset, off: -7 * v}, 2
	}
	// 다음 주 화요일, 내일: plans.
	if w == "다음주" || w == "담주" || w == "다음" && next == "주" {
		j := i + 1
		if w == "다음" {
			j++
		}
		if nt := s.word(j); nt != nil {
			if _, _, _, ok := koWeekday(nt.low); ok {
				return dateExpr{kind: dkFuture}, j + 1 - i
			}
		}
		return dateExpr{kind: dkFuture}, j - i
	}
	// 지난주 금요일, 지난 주 금요일, 이번 주 월요일, 매주 목요일.
	mod, lead := -1, false
	switch {
	case koLastWeek[w]:
		mod = wdLast
	case koThisWeek[w]:
		mod = wdThis
	case w == "매주" || w == "매":
		mod, lead = wdBare, true
	}
	if mod >= 0 {
		j := i + 1
		if s.lowAt(j) == "주" || s.lowAt(j) == "주에" {
			j++
		}
		if nt := s.word(j); nt != nil {
			if wd, usual, _, ok := koWeekday(nt.low); ok {
				e := dateExpr{kind: dkWeekday, wd: wd, mod: mod, usual: usual || lead}
				if e.usual {
					e.mod = wdBare
				}
				return e, j + 1 - i
			}
		}
		return dateExpr{}, 0
	}
	if wd, usual, short, ok := koWeekday(w); ok {
		if short && i > 0 {
			// "할 수 있음": 수 after a verb in ㄹ is no Wednesday.
			if p := s.toks[i-1]; p.sep == 0 && jong(lastRune(p.raw)) == jongRieul {
				return dateExpr{}, 0
			}
		}
		e := dateExpr{kind: dkWeekday, wd: wd, usual: usual}
		if next == "마다" {
			e.usual = true
			return e, 2
		}
		return e, 1
	}
	if y, m, d, n := s.matchCalendar(i, false); n > 0 {
		return dateExpr{kind: dkCalendar, y: y, m: m, d: d}, n
	}
	// 24일: this month.
	if v, tail, ok := koNumUnit(w, "일"); ok && koDateTails[tail] && tail != "생" && v >= 1 && v <= 31 {
		if next == "전" || next == "전에" || next == "동안" || next == "간" {
			return dateExpr{}, 0
		}
		return dateExpr{kind: dkDay, d: v}, 1
	}
	return dateExpr{}, 0
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

// passDates marks visit dates and usual weekdays. The first date that is
// not a habit becomes the candidate visit date.
func (s *state) passDates() {
	for i := 0; i < len(s.toks); i++ {
		e, n := s.matchDate(i)
		if n == 0 {
			continue
		}
		if e.kind == dkWeekday && s.habitAround(i, i+n) {
			e.usual, e.mod = true, wdBare
		}
		if e.kind == dkFuture {
			s.future = true
			s.mark(i, i+n, rFree)
			i += n - 1
			continue
		}
		if e.usual {
			if !s.usualSet {
				s.usualSet = true
				s.res.UsualWeekday = e.wd
			}
			s.mark(i, i+n, rUsual)
			i += n - 1
			continue
		}
		if e.ctx != "" {
			s.addContext(e.ctx)
		}
		s.mark(i, i+n, rDate)
		if !s.visitSet {
			if d, ok := resolve(e, s.today); ok {
				s.visitSet = true
				s.visitDate = d
				s.dateFrom, s.dateTo = i, i+n
			}
		}
		i += n - 1
	}
}

// habitAround reports whether the weekday at [a, b) is a habit: "usually
// comes on Thursday", "보통 목요일에 와요", "목요일에 자주". The habit words
// are marked as part of the expression.
func (s *state) habitAround(a, b int) bool {
	// Look back over at most three words.
	found, verb := -1, false
	for j, k := a-1, 0; j >= 0 && k < 3; j, k = j-1, k+1 {
		t := s.word(j)
		if t == nil {
			break
		}
		if enHabit[t.low] || koHabitBefore[t.low] {
			found = j
			break
		}
		if enHabitVerb[t.low] {
			verb = true
			continue
		}
		if !enHabitGap[t.low] {
			break
		}
	}
	if found >= 0 {
		for j := found; j < a; j++ {
			if l := s.toks[j].low; enHabit[l] || koHabitBefore[l] || l == "on" || l == "week" {
				s.toks[j].role = rUsual
			}
		}
		return true
	}
	if verb {
		return true
	}
	for j, k := b, 0; j < len(s.toks) && k < 2; j, k = j+1, k+1 {
		t := s.word(j)
		if t == nil {
			break
		}
		if koHabitAfter[t.low] || t.low == "weekly" {
			if t.low == "자주" || t.low == "주로" || t.low == "weekly" {
				t.role = rUsual
			}
			return true
		}
	}
	return false
}

// passBirthday finds a birthday word with a date before or after it.
func (s *state) passBirthday() {
	for i := 0; i < len(s.toks); i++ {
		t := s.word(i)
		if t == nil {
			continue
		}
		kw := 1
		switch {
		case enBirthday[t.low]:
			if t.low == "birth" {
				if s.lowAt(i+1) != "day" && s.lowAt(i+1) != "date" {
					continue
				}
				kw = 2
			}
		case t.hangul:
			stem := t.low
			if r := firstRune(stem); r == '생' || r == '탄' {
				stem, _ = stripKo(t.low, false)
			} else if !t.digit {
				continue
			}
			if !koBirthday[stem] && !koBirthday[t.low] {
				// 1990년생, 90년생: a birth year alone.
				if v, tail, ok := koNumUnit(t.low, "년생"); ok && tail == "" {
					s.res.BirthYear = fullYear(v, s.today.Year)
					t.role = rBirthday
				}
				// 5월 3일생.
				if mv, tail, ok := koNumUnit(t.low, "월"); ok && tail == "" {
					if dt := s.word(i + 1); dt != nil {
						if dv, tail, ok := koNumUnit(dt.low, "일생"); ok && tail == "" && validMD(mv, dv) {
							s.res.Birthday = crm.MonthDay{Month: time.Month(mv), Day: dv}
							s.mark(i, i+2, rBirthday)
						}
					}
				}
				continue
			}
		default:
			continue
		}
		// Forward: birthday [is|on|:] DATE.
		j := i + kw
		for k := 0; k < 2 && j < len(s.toks); k++ {
			if s.toks[j].sep == ':' || s.toks[j].sep == ',' && k == 0 {
				j++
				continue
			}
			if w := s.word(j); w != nil && enBirthdayGap[w.low] {
				j++
				continue
			}
			break
		}
		if s.birthdayAt(j) {
			s.mark(i, j, rBirthday)
			continue
		}
		// Backward: DATE birthday, 3월 14일이 생일, 오늘 생일.
		if p := s.word(i - 1); p != nil {
			stem, _ := stripKo(p.low, false)
			off, ok := koRelDays[stem]
			if !ok {
				off, ok = enRelDays[p.low]
			}
			if stem == "내일" || p.low == "tomorrow" {
				off, ok = 1, true
			}
			if ok {
				d := s.today.AddDays(off)
				s.setBirthday(0, int(d.Month), d.Day)
				s.mark(i-1, i+kw, rBirthday)
				continue
			}
		}
		for a := max(i-4, 0); a < i; a++ {
			if y, m, d, n := s.matchCalendar(a, true); n > 0 && a+n == i {
				s.setBirthday(y, m, d)
				s.mark(a, i+kw, rBirthday)
				break
			}
		}
	}
}

// birthdayAt reads a birthday date at token j and records it.
func (s *state) birthdayAt(j int) bool {
	if y, m, d, n := s.matchCalendar(j, true); n > 0 {
		s.setBirthday(y, m, d)
		s.mark(j, j+n, rBirthday)
		return true
	}
	t := s.word(j)
	if t == nil {
		return false
	}
	off, ok := enRelDays[t.low]
	if !ok {
		stem, _ := stripKo(t.low, false)
		off, ok = koRelDays[stem]
	}
	if !ok {
		switch t.low {
		case "tomorrow", "내일", "내일이":
			off, ok = 1, true
		}
	}
	if ok {
		d := s.today.AddDays(off)
		s.setBirthday(0, int(d.Month), d.Day)
		t.role = rBirthday
		return true
	}
	return false
}

func (s *state) setBirthday(y, m, d int) {
	if !s.res.Birthday.IsZero() || !validMD(m, d) {
		return
	}
	s.res.Birthday = crm.MonthDay{Month: time.Month(m), Day: d}
	if y > 0 {
		s.res.BirthYear = y
	}
}

// mark gives the tokens [a, b) a role, leaving separators alone.
func (s *state) mark(a, b int, r role) {
	if a < 0 {
		a = 0
	}
	if b > len(s.toks) {
		b = len(s.toks)
	}
	for k := a; k < b; k++ {
		if s.toks[k].sep == 0 {
			s.toks[k].role = r
		}
	}
}

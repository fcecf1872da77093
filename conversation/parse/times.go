package parse

import (
	"strconv"
	"strings"
)

// A clock time read from a note: "3시", "오후 2시 30분", "3pm", "15:00",
// "at 3", "noon". Hours written without am/pm or a time-of-day word follow
// a shop-hours rule: 1–7 o'clock is afternoon (3시 → 15:00), 8–11 is
// morning, 12 is noon; a 24-hour form (15:00, 0:30, 18시) is taken as is.
type clock struct {
	h, m int
	half int8 // 1 am, 2 pm, 0 unknown
	h24  bool
}

// minutes returns the minutes after midnight (shop time).
func (c clock) minutes() int {
	h := c.h
	switch {
	case c.h24 || h >= 13:
	case c.half == 2 && h < 12:
		h += 12
	case c.half == 1 && h == 12:
		h = 0
	case c.half == 0 && h >= 1 && h <= 7:
		h += 12
	}
	if h >= 24 {
		h = 0
	}
	return h*60 + c.m
}

// hhmm formats minutes after midnight as "15:00".
func hhmm(min int) string {
	var b [5]byte
	h, m := min/60, min%60
	b[0], b[1], b[2], b[3], b[4] = byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10)
	return string(b[:])
}

// koHalf is the half of the day a Korean time-of-day word names.
var koHalf = map[string]int8{
	"오전": 1, "아침": 1, "새벽": 1, "오후": 2, "저녁": 2, "밤": 2, "낮": 2, "점심": 2, "점심때": 2,
	"저녁때": 2, "아침때": 1, "오전중": 1, "퇴근길": 2, "출근길": 1, "밤늦게": 2, "아침일찍": 1,
}

// enHalf is the half of the day an English word names.
var enHalf = map[string]int8{
	"morning": 1, "mornings": 1, "afternoon": 2, "afternoons": 2, "evening": 2, "evenings": 2,
	"night": 2, "tonight": 2, "lunch": 2, "lunchtime": 2, "dinner": 2, "breakfast": 1,
}

// clockWord reads one English token: "3pm", "3:30pm", "15:00", "7a.m.", "noon".
func clockWord(w string) (clock, bool) {
	switch w {
	case "noon", "midday":
		return clock{h: 12, half: 2}, true
	case "midnight":
		return clock{h: 0, h24: true}, true
	}
	k := 0
	for k < len(w) && (isDigitASCII(rune(w[k])) || w[k] == ':' || w[k] == '.') {
		k++
	}
	if k == 0 {
		return clock{}, false
	}
	num, suf := w[:k], w[k:]
	c, ok := clockNum(strings.ReplaceAll(num, ".", ":"))
	if !ok {
		return clock{}, false
	}
	switch suf {
	case "am", "a.m", "a.m.", "a":
		if c.h > 12 || c.h == 0 {
			return clock{}, false
		}
		c.half = 1
		return c, true
	case "pm", "p.m", "p.m.", "p":
		if c.h > 12 || c.h == 0 {
			return clock{}, false
		}
		c.half = 2
		return c, true
	case "h", "hrs":
		c.h24 = true
		return c, true
	case "":
		if strings.IndexByte(num, ':') > 0 && strings.IndexByte(w, '.') < 0 {
			if num[0] == '0' || c.h >= 13 {
				c.h24 = true
			}
			return c, true
		}
	}
	return clock{}, false
}

// clockNum reads "7", "7:30", "19:30".
func clockNum(num string) (clock, bool) {
	h, m, hasM := num, "", false
	if c := strings.IndexByte(num, ':'); c >= 0 {
		h, m, hasM = num[:c], num[c+1:], true
	}
	hv, ok := atoiSmall(h, 2)
	if !ok || hv > 24 {
		return clock{}, false
	}
	c := clock{h: hv}
	if hasM {
		mv, ok := atoiSmall(m, 2)
		if !ok || len(m) != 2 || mv >= 60 {
			return clock{}, false
		}
		c.m = mv
	}
	return c, true
}

// timeAt reads a clock time at token i. It returns the time, how many
// tokens it spans and how it reads as context ("7am", "오후 3시").
func (s *state) timeAt(i int) (clock, int, string) {
	t := s.word(i)
	if t == nil {
		return clock{}, 0, ""
	}
	if t.hangul || t.digit && strings.ContainsRune(t.low, '시') {
		return s.timeKo(i, t)
	}
	return s.timeEn(i, t)
}

func (s *state) timeEn(i int, t *token) (clock, int, string) {
	w := t.low
	next := s.lowAt(i + 1)
	switch w {
	case "half", "quarter":
		// half past 3, quarter to 4.
		if next == "past" || next == "after" || next == "to" {
			if c, ok := clockNum(s.lowAt(i + 2)); ok && c.h <= 12 && c.m == 0 {
				switch {
				case w == "half" && next != "to":
					c.m = 30
				case w == "quarter" && next != "to":
					c.m = 15
				case w == "quarter":
					c.h, c.m = (c.h+11)%12, 45
					if c.h == 0 {
						c.h = 12
					}
				default:
					return clock{}, 0, ""
				}
				n := 3
				if h, ok := s.halfAfter(i + 3); ok {
					c.half, n = h, 4
				}
				return c, n, strings.ToLower(s.text[t.start:s.toks[i+n-1].end])
			}
		}
		return clock{}, 0, ""
	case "at", "@", "around", "by", "for", "from":
		// at 3, at 7:30, around 8 (the preposition goes with the time).
		c, n, v := s.timeEn2(i + 1)
		if n > 0 {
			return c, n + 1, v
		}
		if w == "for" || w == "from" {
			return clock{}, 0, ""
		}
		if c, ok := clockNum(next); ok && c.h >= 1 && c.h <= 12 && s.clockEnds(i+2) {
			return c, 2, next
		}
		return clock{}, 0, ""
	}
	return s.timeEn2(i)
}

func (s *state) timeEn2(i int) (clock, int, string) {
	t := s.word(i)
	if t == nil {
		return clock{}, 0, ""
	}
	w := t.low
	if c, ok := clockWord(w); ok {
		if h, ok := s.halfAfter(i + 1); ok && c.half == 0 && !c.h24 {
			c.half = h
		}
		switch {
		case c.half == 1 && strings.HasPrefix(strings.TrimLeft(w, "0123456789:"), "a"):
			return c, 1, clockText(w, "am")
		case c.half == 2 && strings.HasPrefix(strings.TrimLeft(w, "0123456789:"), "p"):
			return c, 1, clockText(w, "pm")
		}
		return c, 1, w
	}
	if !t.digit {
		return clock{}, 0, ""
	}
	c, ok := clockNum(w)
	if !ok {
		return clock{}, 0, ""
	}
	switch next := s.lowAt(i + 1); next {
	case "am", "a.m", "a.m.", "pm", "p.m", "p.m.":
		if c.h > 12 || c.h == 0 {
			return clock{}, 0, ""
		}
		c.half = 1
		if next[0] == 'p' {
			c.half = 2
		}
		return c, 2, w + next[:1] + "m"
	case "o'clock", "oclock":
		if c.m != 0 {
			return clock{}, 0, ""
		}
		return c, 2, w + " o'clock"
	}
	return clock{}, 0, ""
}

func clockText(w, suf string) string {
	k := strings.IndexFunc(w, func(r rune) bool { return r != ':' && !isDigitASCII(r) })
	if k < 0 {
		return w
	}
	return w[:k] + suf
}

// halfAfter reads "in the morning", "in the afternoon", "at night" after a time.
func (s *state) halfAfter(i int) (int8, bool) {
	j := i
	if w := s.lowAt(j); w == "in" || w == "at" {
		j++
	}
	if s.lowAt(j) == "the" {
		j++
	}
	if h, ok := enHalf[s.lowAt(j)]; ok && j > i {
		return h, true
	}
	return 0, false
}

// clockEnds reports whether a bare hour at i-1 ("at 3") ends there.
func (s *state) clockEnds(i int) bool {
	if s.endAt(i) {
		return true
	}
	t := &s.toks[i]
	if t.role != rNone && t.role != rQty {
		return true
	}
	if t.role == rQty {
		return false
	}
	if _, ok := enRelDaysAll[t.low]; ok {
		return true
	}
	_, isWd := enWeekdays[t.low]
	return isWd || enHalf[t.low] != 0 || t.low == "for" || t.low == "on" || t.low == "tomorrow" || t.low == "today"
}

// enRelDaysAll are English day words that may follow a time.
var enRelDaysAll = map[string]int{"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}

func (s *state) timeKo(i int, t *token) (clock, int, string) {
	w := t.low
	stem, _ := stripKo(w, false)
	if h, ok := koHalf[stem]; ok {
		c, n, txt := s.clockKo(i + 1)
		if n == 0 {
			return clock{}, 0, ""
		}
		if c.h <= 12 && !c.h24 {
			c.half = h
			if stem == "밤" && c.h == 12 {
				c.half = 1
			}
			if (stem == "낮" || stem == "점심" || stem == "점심때") && c.h >= 8 && c.h <= 11 {
				c.half = 1
			}
		}
		return c, n + 1, stem + " " + txt
	}
	switch stem {
	case "정오":
		return clock{h: 12, half: 2}, 1, "정오"
	case "자정":
		return clock{h: 0, h24: true}, 1, "자정"
	}
	return s.clockKo(i)
}

// clockKo reads "3시", "3시에", "3시 반", "7시30분", "3시쯤", "세시", "15시".
func (s *state) clockKo(i int) (clock, int, string) {
	t := s.word(i)
	if t == nil {
		return clock{}, 0, ""
	}
	v, rest, _, sino, ok := koNumeral(t.low)
	if !ok || sino || !strings.HasPrefix(rest, "시") || v > 24 {
		return clock{}, 0, ""
	}
	tail := rest[len("시"):]
	c := clock{h: v, h24: v >= 13 || v == 0}
	out := t.low[:len(t.low)-len(tail)]
	n := 1
	switch tail {
	case "", "에", "쯤", "경", "쯤에", "경에", "까지", "부터", "에요", "예약", "정각", "반", "반에", "반쯤", "반까지":
		if strings.HasPrefix(tail, "반") {
			c.m = 30
			out += " 반"
		}
	default:
		mv, mt, ok := koNumUnit(tail, "분")
		if !ok || mv >= 60 || mt != "" && mt != "에" && mt != "쯤" && mt != "까지" {
			return clock{}, 0, ""
		}
		c.m = mv
		out += " " + tail[:len(tail)-len(mt)]
	}
	if tail == "" || tail == "쯤" {
		if nx := s.lowAt(i + 1); nx == "반" || nx == "반에" || nx == "반쯤" || nx == "반까지" {
			c.m = 30
			out += " 반"
			n++
		} else if mv, mt, ok := koNumUnit(nx, "분"); ok && mv < 60 && (mt == "" || mt == "에" || mt == "쯤" || mt == "까지") {
			c.m = mv
			out += " " + nx[:len(nx)-len(mt)]
			n++
		}
	}
	return c, n, out
}

// itoa is strconv.Itoa, kept short at call sites.
func itoa(n int) string { return strconv.Itoa(n) }

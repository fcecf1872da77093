package parse

import (
	"strings"
	"time"
)

// Tagging passes for dates, bookings, the usual order and memos.

// passDates marks day phrases and usual weekdays, and joins two days into
// a stay: "12/20–12/22", "12월 20일부터 22일까지", "Dec 20 to Dec 22".
func (s *state) passDates() {
	for i := 0; i < len(s.toks); i++ {
		e, n := s.matchDate(i)
		if n == 0 {
			// 2박, 3 nights: the length of a stay.
			if t := s.word(i); t != nil {
				if v, ok := s.nightsAt(i); ok {
					t.role, t.head, t.aux, t.num = rBooking, true, 1, int64(v)
					t.generic = true
					if nx := s.word(i + 1); nx != nil && strings.HasPrefix(nx.low, itoa(v+1)+"일") {
						nx.role, nx.generic = rBooking, true
					}
				}
			}
			continue
		}
		if e.kind == dkWeekday && (e.mod == wdBare || e.usual) && s.habitAround(i, i+n) {
			e.usual, e.mod = true, wdBare
		}
		if e.usual {
			s.mark(i, i+n, rUsual)
			s.toks[i].head, s.toks[i].aux = true, int(e.wd)
			i += n - 1
			continue
		}
		if s.ndates == len(s.dates) {
			s.mark(i, i+n, rFree)
			i += n - 1
			continue
		}
		k := s.ndates
		s.dates[k] = dateHit{from: i, to: i + n, e: e, end: -1}
		s.ndates++
		s.mark(i, i+n, rDate)
		s.toks[i].head, s.toks[i].aux = true, k
		if e.kind != dkVague {
			if d, ok := e.resolve(s.today, prefFuture); ok && (!e.fixed() || d.After(s.today)) {
				s.aheadSeen = true // a day that is (or may be) ahead
			}
		} else if !e.past {
			s.aheadSeen = true
		}
		i += n - 1
		s.stayEnd(k)
		if s.dates[k].end >= 0 {
			i = s.dates[s.dates[k].end].to - 1
		}
	}
}

// nightsAt reads the nights of a stay: 2박, "3 nights".
func (s *state) nightsAt(i int) (int, bool) {
	t := s.word(i)
	if v, tail, ok := koNumUnit(t.low, "박"); ok && v > 0 && v < 100 && (tail == "" || koQtyTails[tail]) {
		return v, true
	}
	if v, ok := enCount(t.low); ok && v < 100 && (s.lowAt(i+1) == "nights" || s.lowAt(i+1) == "night") {
		s.toks[i+1].role, s.toks[i+1].generic = rBooking, true
		return v, true
	}
	return 0, false
}

// stayEnd joins the date k with a following last day.
func (s *state) stayEnd(k int) {
	h := &s.dates[k]
	j := h.to
	last := &s.toks[h.to-1]
	joined := strings.HasSuffix(last.low, "부터") || strings.HasSuffix(last.low, "에서")
	if j < len(s.toks) {
		t := &s.toks[j]
		switch {
		case t.sep != 0 && (t.raw == "-" || t.raw == "–" || t.raw == "—" || t.raw == "~" || t.raw == "〜"):
			j++
			joined = true
		case t.sep == 0 && t.role == rNone && (t.low == "to" || t.low == "until" || t.low == "till" || t.low == "through" || t.low == "thru"):
			j++
			joined = true
		}
	}
	if !joined || s.ndates == len(s.dates) {
		return
	}
	e2, n2 := s.matchDate(j)
	if n2 == 0 {
		// 12/20~22, Dec 20-22: the day alone.
		t := s.word(j)
		if t == nil {
			return
		}
		d, ok := enDay(t.low)
		if !ok {
			dv, tail, ok2 := koNumUnit(t.low, "일")
			d, ok = dv, ok2 && (tail == "" || tail == "까지") && dv >= 1 && dv <= 31
		}
		if !ok || (h.e.kind != dkCalendar && h.e.kind != dkDay) {
			return
		}
		e2 = h.e
		e2.d = d
		n2 = 1
	}
	if e2.kind == dkDay && h.e.kind == dkCalendar {
		e2.kind, e2.m, e2.y = dkCalendar, h.e.m, h.e.y
	}
	k2 := s.ndates
	s.dates[k2] = dateHit{from: j, to: j + n2, e: e2, end: -1}
	s.ndates++
	s.mark(h.to, j+n2, rDate)
	s.dates[k].end = k2
}

// habitAround reports whether the weekday at [a, b) is a habit: "usually
// comes on Thursday", "보통 목요일에 와요", "목요일에 자주". The habit words
// are marked as part of the expression.
func (s *state) habitAround(a, b int) bool {
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

// weekdayOf turns a stored weekday back into time.Weekday.
func weekdayOf(v int) time.Weekday { return time.Weekday(v) }

// passBooking marks booking words: 예약, 픽업, pickup, booking, stay.
func (s *state) passBooking() {
	for i := range s.toks {
		t := s.word(i)
		if t == nil {
			continue
		}
		var bw bookWord
		ok := false
		if t.hangul {
			bw, ok = koBooking[t.low]
			if !ok {
				stem, _ := stripKo(t.low, false)
				bw, ok = koBooking[stem]
			}
			if !ok {
				for _, st := range koBookingStems {
					if strings.HasPrefix(t.low, st) && len(t.low) > len(st) {
						rest := t.low[len(st):]
						if strings.HasPrefix(rest, "하") || strings.HasPrefix(rest, "했") || strings.HasPrefix(rest, "할") ||
							strings.HasPrefix(rest, "해") || strings.HasPrefix(rest, "함") || strings.HasPrefix(rest, "예정") {
							bw, ok = koBooking[st]
							break
						}
					}
				}
			}
		} else {
			bw, ok = enBooking[t.low]
			if ok && t.low == "book" && s.lowAt(i-1) != "to" && !s.endAt(i+1) {
				ok = false // "a book": an item
			}
			if ok && t.low == "table" {
				if s.lowAt(i+1) != "for" && s.lowAt(i+1) != "of" {
					ok = false // only "table for 4" books anything
				} else if _, num := enCount(s.lowAt(i + 2)); num {
					s.mark(i+1, i+3, rBooking)
				}
			}
			switch t.low {
			case "check", "checking", "checks", "checked":
				if s.lowAt(i+1) == "in" {
					bw, ok = bookWord{strong: true}, true
					s.toks[i+1].role = rBooking
				}
			}
		}
		if !ok {
			continue
		}
		t.role, t.head, t.generic = rBooking, true, bw.generic
		if bw.strong {
			t.aux = 1
		}
		if t.hangul {
			if f, ok := koFillerOf(t.low); ok && f&fVisit != 0 {
				t.visit = true
			}
		} else if f := enFillers[t.low]; f&fVisit != 0 {
			t.visit = true
		}
	}
}

// passUsualOrder marks "the usual", "늘 먹던 거", "항상 먹는 걸로".
func (s *state) passUsualOrder() {
	for i := 0; i < len(s.toks); i++ {
		t := s.word(i)
		if t == nil {
			continue
		}
		n := 0
		if t.hangul {
			switch {
			case koUsualWords[t.low]:
				n = 1
			case koUsualLead[t.low]:
				v := s.lowAt(i + 1)
				switch {
				case koUsualVerb[v] && koUsualThing[s.lowAt(i+2)]:
					n = 3
				case koUsualVerb[v] && s.endAt(i+2):
					n = 2
				default:
					for verb := range koUsualVerb {
						if strings.HasPrefix(v, verb) && koUsualThing[v[len(verb):]] {
							n = 2
							break
						}
					}
				}
			}
		} else {
			for _, seq := range enUsualOrder {
				if s.matchWords(i, seq) {
					if len(seq) == 1 && !s.endAt(i+1) && s.lowAt(i+1) != "order" {
						continue
					}
					n = len(seq)
					break
				}
			}
		}
		if n == 0 {
			continue
		}
		s.mark(i, i+n, rUsualOrder)
		t.head = true
		i += n - 1
	}
}

// passMemo keeps stamp and coupon remarks whole: "쿠폰 10개 다 채움",
// "stamp card full".
func (s *state) passMemo() {
	for i := 0; i < len(s.toks); i++ {
		t := s.word(i)
		if t == nil {
			continue
		}
		stem := t.low
		if t.hangul {
			stem, _ = stripKo(t.low, false)
		}
		if !memoHeads[stem] && !memoHeads[t.low] {
			continue
		}
		a := i
		if p := &s.toks[max(i-1, 0)]; i > 0 && p.role == rQty {
			a = i - 1
		}
		b := i + 1
		for b < len(s.toks) {
			u := &s.toks[b]
			if u.sep != 0 {
				break
			}
			if u.role != rNone && u.role != rQty && u.role != rFiller && u.role != rIgnore {
				break
			}
			b++
		}
		s.mark(a, b, rMemo)
		i = b - 1
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

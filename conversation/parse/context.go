package parse

import "strings"

// Context: takeout or dine-in, times of day, companions, how they paid.

// passTimes marks clock times: "3시", "오후 2시", "3pm", "at 7".
func (s *state) passTimes() {
	for i := 0; i < len(s.toks); i++ {
		c, n, txt := s.timeAt(i)
		if n == 0 {
			continue
		}
		if c.half == 0 && !c.h24 {
			c.half = s.halfBefore(i)
		}
		s.mark(i, i+n, rTime)
		t := &s.toks[i]
		t.head, t.num, t.val = true, int64(c.minutes()), txt
		if c.half != 0 || c.h24 {
			t.aux = 1
		}
		s.absorbLead(i)
		i += n - 1
	}
}

// halfBefore reads a time of day a few words before a clock: "every
// morning at 7", "저녁에 7시".
func (s *state) halfBefore(i int) int8 {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		t := &s.toks[j]
		if t.sep == ';' {
			break
		}
		if h, ok := enHalf[t.low]; ok {
			return h
		}
		if t.hangul {
			stem, _ := stripKo(t.low, false)
			if h, ok := koHalf[stem]; ok {
				return h
			}
		}
	}
	return 0
}

// passContext marks takeout/dine-in, times of day, companions and payment.
func (s *state) passContext() {
	for i := 0; i < len(s.toks); i++ {
		t := s.word(i)
		if t == nil {
			continue
		}
		if n := s.contextAt(i, t); n > 0 {
			i += n - 1
		}
	}
}

// setContext marks [i, i+n) as context with value v.
func (s *state) setContext(i, n int, v string) {
	s.mark(i, i+n, rContext)
	s.toks[i].head, s.toks[i].val = true, v
}

// absorbLead marks the words before i that lead a time of day: "in the
// morning", "at 7am".
func (s *state) absorbLead(i int) {
	for j, k := i-1, 0; j >= 0 && k < 2; j, k = j-1, k+1 {
		t := s.word(j)
		if t == nil || !enTimeLead[t.low] && t.low != "쯤" {
			return
		}
		t.role = rContext
	}
}

func (s *state) contextAt(i int, t *token) int {
	w := t.low
	if t.hangul {
		return s.contextKo(i, t)
	}
	next := s.lowAt(i + 1)
	if v, ok := enContext2[[2]string{w, next}]; ok {
		if w == "to" {
			if nt := s.word(i + 2); nt != nil && nt.latin && !enToGoNext[nt.low] {
				return 0 // "wants to go home"
			}
		}
		s.setContext(i, 2, v)
		return 2
	}
	if v, ok := enContext[w]; ok {
		if _, b := enBooking[w]; b && s.bookingAhead() {
			return 0 // "cake pickup tomorrow" is a booking
		}
		s.setContext(i, 1, v)
		return 1
	}
	if v, ok := enTimes[w]; ok {
		s.setContext(i, 1, v)
		s.absorbLead(i)
		return 1
	}
	switch w {
	case "by", "with", "via", "in", "paid":
		// paid by card, with cash.
		j := i + 1
		if w == "paid" && (next == "by" || next == "with" || next == "in" || next == "via") {
			j++
		}
		if w == "paid" && j == i+1 {
			if v, ok := enPayment[next]; ok {
				t.visit = true
				s.setContext(i, 2, v) // "paid cash"
				return 2
			}
		}
		if v, ok := enPayment[s.lowAt(j)]; ok && (w != "paid" || j > i+1) {
			n := j + 1 - i
			if w == "paid" {
				t.visit = true
			}
			s.setContext(i, n, v)
			return n
		}
	}
	if v, ok := enPayment[w]; ok && (w == "card" || w == "cash") && (s.word(i-1) == nil || s.toks[i-1].role != rNone) {
		s.setContext(i, 1, v)
		return 1
	}
	if w == "with" || w == "and" || w == "&" || w == "plus" {
		j := i + 1
		for k := 0; k < 2 && enRelationDet[s.lowAt(j)]; k++ {
			j++
		}
		if enRelations[s.lowAt(j)] && (w == "with" || j > i+1) {
			// "with her dog Max": the companion's name goes with them;
			// "and her husband" is company too.
			if nt := s.word(j + 1); nt != nil && nt.upper && nt.latin && !s.notNameEn(j+1) {
				j++
			}
			s.setContext(i, j+1-i, strings.ToLower(s.text[t.start:s.toks[j].end]))
			return j + 1 - i
		}
	}
	return 0
}

// bookingAhead reports whether the note has a day ahead or a clock time,
// which makes "pickup" a booking rather than context.
func (s *state) bookingAhead() bool { return s.aheadSeen }

func (s *state) contextKo(i int, t *token) int {
	w := t.low
	next := s.lowAt(i + 1)
	if v, ok := koContext2[[2]string{w, next}]; ok {
		s.setContext(i, 2, v)
		return 2
	}
	stem, cls := stripKo(w, false)
	for _, k := range [2]string{w, stem} {
		if v, ok := koContext[k]; ok {
			if _, b := koBooking[k]; b && s.bookingAhead() {
				return 0
			}
			s.setContext(i, 1, v)
			return 1
		}
		if v, ok := koPayment[k]; ok {
			n := 1
			if nx := s.lowAt(i + 1); nx == "결제" || nx == "결제함" || nx == "계산" || nx == "결제했어요" {
				n = 2
			}
			s.setContext(i, n, v)
			return n
		}
	}
	if koTimes[stem] || koTimes[w] {
		s.setContext(i, 1, stem)
		return 1
	}
	// Companions: 아이랑, 친구와 같이, 가족 동반, 친구 2명이랑.
	base := strings.TrimSuffix(stem, "들")
	if koRelations[stem] || koRelations[base] {
		if nt := s.word(i + 1); nt != nil && cls == 0 {
			if r, ok := koQtyTok(nt.low); ok && (r.counter == "명" || r.counter == "분") {
				n := 2
				if koWith[s.lowAt(i+2)] {
					n = 3
				}
				s.setContext(i, n, strings.TrimSpace(s.text[t.start:s.toks[i+n-1].end]))
				return n
			}
		}
		if cls&pcAnd != 0 {
			n := 1
			if koWith[next] {
				n = 2
			}
			s.setContext(i, n, w)
			return n
		}
		if koWith[next] {
			s.setContext(i, 2, w+" "+next)
			return 2
		}
	}
	return 0
}

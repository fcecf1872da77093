package parse

// --- Quantities ---

func (s *state) passQty() {
	for i := 0; i < len(s.toks); i++ {
		t := s.word(i)
		if t == nil {
			continue
		}
		// "box of 6 macarons": the box is how they came.
		if enContainers[t.low] && s.lowAt(i+1) == "of" {
			if _, ok := enCount(s.lowAt(i + 2)); ok && s.lowAt(i+2) != "a" && s.lowAt(i+2) != "an" {
				s.mark(i, i+2, rIgnore)
				i++
				continue
			}
		}
		var n int
		if t.hangul || t.digit && s.koCounterAfter(i) {
			n = s.koQtyAt(i, t)
		} else {
			n = s.enQtyAt(i, t)
		}
		if n > 0 && t.role == rQty {
			// "2 days", "3 hours": a length of time, no item.
			if u := s.word(i + n); u != nil && enTimeUnits[u.low] {
				s.mark(i, i+n+1, rFree)
				n++
			}
		}
		if n > 1 {
			i += n - 1
		}
	}
}

// enContainers hold a counted number of items: "box of 6".
var enContainers = map[string]bool{"box": true, "bag": true, "pack": true, "tray": true, "carton": true, "set": true, "tin": true, "jar": true, "basket": true, "platter": true}

// enTimeUnits follow a number as a length of time, never an item.
var enTimeUnits = map[string]bool{
	"day": true, "days": true, "week": true, "weeks": true, "month": true, "months": true, "year": true,
	"years": true, "hour": true, "hours": true, "hr": true, "hrs": true, "minute": true, "minutes": true,
	"min": true, "mins": true, "fortnight": true, "fortnights": true, "times": true, "visits": true,
}

// koCounterAfter reports whether the word after i is a Korean counter.
func (s *state) koCounterAfter(i int) bool {
	nt := s.word(i + 1)
	if nt == nil || !nt.hangul {
		return false
	}
	_, _, ok := koCounterTok(nt.low)
	return ok
}

func (s *state) setQty(i, n, v int, k qkind, counter string) {
	t := &s.toks[i]
	switch counter {
	case "개입":
		return // a pack size: a modifier (6개입)
	case "명", "분", "회", "번째":
		// People and times are no quantity of an item.
		s.mark(i, i+n, rIgnore)
		return
	}
	if v > 9999 {
		v = 9999
	}
	t.role, t.qty, t.qk, t.val = rQty, v, k, counter
	for j := i + 1; j < i+n; j++ {
		s.toks[j].role, s.toks[j].qk = rQty, qNone
	}
}

func (s *state) koQtyAt(i int, t *token) int {
	r, ok := koQtyTok(t.low)
	if ok && r.v == 0 {
		t.role = rIgnore // "0잔"
		return 1
	}
	if !ok {
		if jamoOnly(t.low) {
			t.role = rIgnore
		}
		return 0
	}
	if r.needs || r.bare && t.digit {
		// 세 잔, 2 개.
		if nt := s.word(i + 1); nt != nil {
			if c, link, ok := koCounterTok(nt.low); ok {
				if _, _, _, sino, _ := koNumeral(t.low); sino && !koSinoCounters[c] {
					return 0
				}
				s.setQty(i, 2, r.v, qCounted, c)
				nt.link = link
				return 2
			}
		}
		if r.needs {
			return 0
		}
	}
	switch {
	case r.counter != "":
		s.setQty(i, 1, r.v, qCounted, r.counter)
	case t.digit:
		s.setQty(i, 1, r.v, qBare, "")
	default:
		s.setQty(i, 1, r.v, qKoBare, "")
	}
	t.link = r.link
	return 1
}

func (s *state) enQtyAt(i int, t *token) int {
	w := t.low
	next := s.lowAt(i + 1)
	switch w {
	case "half":
		if next == "a" && s.lowAt(i+2) == "dozen" {
			s.setQty(i, 3, 6, qWord, "")
			return 3
		}
		if next == "dozen" {
			s.setQty(i, 2, 6, qWord, "")
			return 2
		}
		return 0
	case "a", "an":
		switch next {
		case "couple", "pair":
			n := 2
			if s.lowAt(i+2) == "of" {
				n = 3
			}
			s.setQty(i, n, 2, qWord, "")
			return n
		case "dozen":
			n := 2
			if s.lowAt(i+2) == "of" {
				n = 3
			}
			s.setQty(i, n, 12, qWord, "")
			return n
		}
		s.setQty(i, 1, 1, qArticle, "")
		return 1
	case "x", "×":
		if v, ok := atoiSmall(next, 3); ok && v > 0 {
			s.setQty(i, 2, v, qMult, "")
			return 2
		}
		return 0
	}
	if v, ok := enNumbers[w]; ok {
		n := 1
		if w == "couple" || w == "pair" {
			if next != "of" {
				return 0
			}
		}
		if next == "dozen" {
			v *= 12
			n = 2
		}
		if s.lowAt(i+n) == "of" && (w == "couple" || w == "pair" || w == "dozen" || next == "dozen") {
			n++
		}
		s.setQty(i, n, v, qWord, "")
		return n
	}
	if t.digit {
		if v, ok := atoiSmall(w, 3); ok && v > 0 {
			n := 1
			if next == "dozen" {
				v *= 12
				n = 2
			} else if enQtyUnits[next] {
				n = 2
			}
			s.setQty(i, n, v, qBare, "")
			return n
		}
		k := 0
		for k < len(w) && isDigitASCII(rune(w[k])) {
			k++
		}
		if enQtyUnits[w[k:]] && k > 0 {
			if v, ok := atoiSmall(w[:k], 3); ok && v > 0 {
				s.setQty(i, 1, v, qMult, "")
				return 1
			}
		}
	}
	if v, ok := enMultQty(w); ok {
		if v == 0 {
			t.role = rIgnore // "x0"
			return 1
		}
		s.setQty(i, 1, v, qMult, "")
		return 1
	}
	return 0
}

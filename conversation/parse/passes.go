package parse

import (
	"strings"
	"unicode/utf8"
)

// --- Known names and items (Options) ---

// nextField returns the next space-separated field of s from pos.
func nextField(s string, pos int) (string, int) {
	for pos < len(s) && (s[pos] == ' ' || s[pos] == '\t') {
		pos++
	}
	start := pos
	for pos < len(s) && s[pos] != ' ' && s[pos] != '\t' {
		pos++
	}
	return s[start:pos], pos
}

// phraseAt reports how many tokens from i spell the known phrase p
// (case-insensitive for Latin; a Korean last word may carry particles and
// honorifics; an English last word may be a plural or possessive).
func (s *state) phraseAt(i int, p string, name bool) int {
	k := i
	pos := 0
	for {
		w, next := nextField(p, pos)
		if w == "" {
			break
		}
		pos = next
		rest, _ := nextField(p, pos)
		lastWord := rest == ""
		if k >= len(s.toks) {
			return 0
		}
		t := &s.toks[k]
		if t.sep != 0 || t.role != rNone && t.role != rQty {
			return 0
		}
		if !wordMatches(t, w, lastWord, name) {
			return 0
		}
		k++
	}
	return k - i
}

func wordMatches(t *token, w string, last, name bool) bool {
	w = trimDot(w)
	raw := trimDot(t.raw)
	if strings.EqualFold(raw, w) {
		return true
	}
	if !last {
		return false
	}
	if t.hangul {
		if !strings.HasPrefix(raw, w) {
			return false
		}
		stem, _ := stripKo(raw, name)
		return stem == w
	}
	if strings.HasSuffix(t.low, "'s") && strings.EqualFold(t.low[:len(t.low)-2], w) {
		return true
	}
	return !name && strings.EqualFold(singular(t.low), w)
}

// bestPhrase finds the longest known phrase in the text: the earliest of
// the longest wins.
func (s *state) bestPhrase(list []string, name bool) (idx, at, n int) {
	idx, at = -1, -1
	// Quick filter: first bytes (lower-cased) of the words in the text.
	var first [256]bool
	for i := range s.toks {
		if t := &s.toks[i]; t.sep == 0 && t.low != "" {
			first[t.low[0]] = true
		}
	}
	bestLen := 0
	for li, p := range list {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		c := p[0]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if !first[c] {
			continue
		}
		for i := range s.toks {
			m := s.phraseAt(i, p, name)
			if m == 0 {
				continue
			}
			if m > n || m == n && len(p) > bestLen {
				idx, at, n, bestLen = li, i, m, len(p)
			}
			break
		}
	}
	return idx, at, n
}

// passKnownNames matches the shop's known customer names first.
func (s *state) passKnownNames() {
	if len(s.opt.Names) == 0 {
		return
	}
	idx, at, n := s.bestPhrase(s.opt.Names, true)
	if idx < 0 {
		return
	}
	// "May 3" is a date even when a customer is called May.
	if n == 1 {
		if _, ok := enMonths[s.toks[at].low]; ok {
			if _, ok := enDay(s.lowAt(at + 1)); ok {
				return
			}
		}
	}
	s.res.Customer = strings.TrimSpace(s.opt.Names[idx])
	s.mark(at, at+n, rName)
	s.absorbHonorific(at + n)
}

// passKnownItems marks every occurrence of the shop's known items.
func (s *state) passKnownItems() {
	if len(s.opt.Items) == 0 {
		return
	}
	for i := 0; i < len(s.toks); i++ {
		if s.word(i) == nil {
			continue
		}
		best, bestN := "", 0
		for _, p := range s.opt.Items {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if m := s.phraseAt(i, p, false); m > bestN || m == bestN && m > 0 && len(p) > len(best) {
				best, bestN = p, m
			}
		}
		if bestN == 0 {
			continue
		}
		for k := i; k < i+bestN; k++ {
			s.toks[k].role = rKnownItem
			s.toks[k].cont = k > i
		}
		s.toks[i].val = best
		if last := &s.toks[i+bestN-1]; last.hangul {
			if _, cls := stripKo(last.raw, false); cls&pcAnd != 0 {
				last.link = true
			}
		}
		i += bestN - 1
	}
}

// --- Context ---

func (s *state) addContext(v string) {
	if v == "" {
		return
	}
	for _, c := range s.res.Context {
		if c == v {
			return
		}
	}
	s.res.Context = append(s.res.Context, v)
}

// passContext marks takeout/dine-in, times of day and companions.
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
	if t.hangul || t.digit && strings.ContainsRune(w, '시') {
		return s.contextKo(i, t)
	}
	next := s.lowAt(i + 1)
	if v, ok := enContext2[[2]string{w, next}]; ok {
		if w == "to" {
			if nt := s.word(i + 2); nt != nil && nt.latin && !enToGoNext[nt.low] {
				return 0 // "wants to go home"
			}
		}
		s.addContext(v)
		s.mark(i, i+2, rContext)
		return 2
	}
	if v, ok := enContext[w]; ok {
		s.addContext(v)
		t.role = rContext
		return 1
	}
	if v, ok := enTimes[w]; ok {
		s.addContext(v)
		t.role = rContext
		s.absorbLead(i)
		return 1
	}
	if t.digit {
		if v, n := s.clockEn(i); n > 0 {
			s.addContext(v)
			s.mark(i, i+n, rContext)
			s.absorbLead(i)
			return n
		}
	}
	if w == "with" {
		j := i + 1
		for k := 0; k < 2 && enRelationDet[s.lowAt(j)]; k++ {
			j++
		}
		if enRelations[s.lowAt(j)] {
			s.addContext(strings.ToLower(s.text[t.start:s.toks[j].end]))
			s.mark(i, j+1, rContext)
			return j + 1 - i
		}
	}
	return 0
}

// clockEn reads "7am", "7:30pm", "7 am", "7 a.m.", "19:30".
func (s *state) clockEn(i int) (string, int) {
	w := s.toks[i].low
	k := 0
	for k < len(w) && (isDigitASCII(rune(w[k])) || w[k] == ':') {
		k++
	}
	num, suf := w[:k], w[k:]
	if !validClock(num) {
		return "", 0
	}
	switch suf {
	case "am", "pm", "a.m", "p.m", "a.m.", "p.m.":
		return num + suf[:1] + "m", 1
	case "":
		switch s.lowAt(i + 1) {
		case "am", "pm", "a.m", "p.m", "a.m.", "p.m.":
			return num + s.lowAt(i + 1)[:1] + "m", 2
		case "o'clock", "oclock":
			return num + " o'clock", 2
		}
		if strings.IndexByte(num, ':') > 0 {
			return num, 1
		}
	}
	return "", 0
}

func validClock(num string) bool {
	h, m, hasM := num, "", false
	if c := strings.IndexByte(num, ':'); c >= 0 {
		h, m, hasM = num[:c], num[c+1:], true
	}
	hv, ok := atoiSmall(h, 2)
	if !ok || hv > 24 {
		return false
	}
	if hasM {
		mv, ok := atoiSmall(m, 2)
		return ok && len(m) == 2 && mv < 60
	}
	return true
}

func (s *state) contextKo(i int, t *token) int {
	w := t.low
	next := s.lowAt(i + 1)
	if v, ok := koContext2[[2]string{w, next}]; ok {
		s.addContext(v)
		s.mark(i, i+2, rContext)
		return 2
	}
	stem, cls := stripKo(w, false)
	if v, ok := koContext[w]; ok {
		s.addContext(v)
		t.role = rContext
		return 1
	}
	if v, ok := koContext[stem]; ok {
		s.addContext(v)
		t.role = rContext
		return 1
	}
	// Times: 아침, 오후 3시, 3시 반, 7시30분.
	if koTimes[stem] || koTimes[w] {
		v := stem
		n := 1
		if c, m := s.clockKo(i + 1); m > 0 {
			v += " " + c
			n += m
		}
		s.addContext(v)
		s.mark(i, i+n, rContext)
		return n
	}
	if t.digit {
		if c, m := s.clockKo(i); m > 0 {
			s.addContext(c)
			s.mark(i, i+m, rContext)
			return m
		}
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
				s.addContext(strings.TrimSpace(s.text[t.start:s.toks[i+n-1].end]))
				s.mark(i, i+n, rContext)
				return n
			}
		}
		if cls&pcAnd != 0 {
			n := 1
			if koWith[next] {
				n = 2
			}
			s.addContext(w)
			s.mark(i, i+n, rContext)
			return n
		}
		if koWith[next] {
			s.addContext(w + " " + next)
			s.mark(i, i+2, rContext)
			return 2
		}
	}
	return 0
}

// clockKo reads "3시", "3시에", "3시 반", "7시30분", "3시쯤".
func (s *state) clockKo(i int) (string, int) {
	t := s.word(i)
	if t == nil || !t.digit {
		return "", 0
	}
	v, tail, ok := koNumUnit(t.low, "시")
	if !ok || v > 24 {
		return "", 0
	}
	out := t.low[:len(t.low)-len(tail)]
	n := 1
	switch tail {
	case "", "에", "쯤", "경", "쯤에", "경에":
	case "반", "반에", "반쯤":
		out += " 반"
	default:
		mv, mt, ok := koNumUnit(tail, "분")
		if !ok || mv >= 60 || mt != "" && mt != "에" && mt != "쯤" {
			return "", 0
		}
		out += " " + tail[:len(tail)-len(mt)]
	}
	if tail == "" || tail == "쯤" {
		if nx := s.lowAt(i + 1); nx == "반" || nx == "반에" || nx == "반쯤" {
			out += " 반"
			n++
		} else if mv, mt, ok := koNumUnit(nx, "분"); ok && mv < 60 && (mt == "" || mt == "에" || mt == "쯤") {
			out += " " + nx[:len(nx)-len(mt)]
			n++
		}
	}
	return out, n
}

// --- Amounts ---

// passAmount reads "₩5,000", "5000원", "5천원", "1만5천원", "$12", "12달러".
func (s *state) passAmount() {
	for i := range s.toks {
		t := s.word(i)
		if t == nil {
			continue
		}
		w := t.low
		var v int64
		ok := false
		switch {
		case strings.HasPrefix(w, "$") || strings.HasPrefix(w, "€") || strings.HasPrefix(w, "£") ||
			strings.HasPrefix(w, "₩") || strings.HasPrefix(w, "￦") || strings.HasPrefix(w, "¥"):
			_, sz := utf8.DecodeRuneInString(w)
			v, ok = moneyDigits(w[sz:])
		case t.digit:
			num, unit := splitDigits(w)
			switch unit {
			case "원", "원어치", "원치", "달러", "불", "usd", "krw", "won":
				v, ok = moneyDigits(num)
			case "":
				switch s.lowAt(i + 1) {
				case "원", "won", "krw", "dollars", "dollar", "bucks", "usd", "달러", "불":
					if v, ok = moneyDigits(num); ok {
						s.toks[i+1].role = rAmount
					}
				}
			default:
				if t.hangul {
					v, ok = koMoney(w)
				}
			}
		case t.hangul && (strings.HasPrefix(w, "만") || strings.HasPrefix(w, "천")):
			v, ok = koMoney(w)
		}
		if ok && v > 0 && t.hangul && !strings.HasSuffix(w, "원") && !strings.HasSuffix(w, "원어치") {
			// "1만 5천원": a number in 만/천 needs 원 on it or on the next word.
			ok = false
			if nt := s.word(i + 1); nt != nil && nt.hangul {
				if v2, ok2 := koMoney(nt.low); ok2 && (strings.HasSuffix(nt.low, "원") || nt.low == "원") {
					ok = true
					v += v2
					nt.role = rAmount
				}
			}
		}
		if ok && v > 0 {
			t.role = rAmount
			if s.res.Amount.IsZero() {
				s.res.Amount = Money{Minor: v, Currency: s.currency()}
			}
		}
	}
}

// currency is the currency of a bare amount.
func (s *state) currency() string {
	switch {
	case s.opt.Currency != "":
		return s.opt.Currency
	case s.res.Lang == "ko":
		return "KRW"
	}
	return "USD"
}

// splitDigits splits "5,000원" into "5,000" and "원".
func splitDigits(w string) (string, string) {
	k := 0
	for k < len(w) && (isDigitASCII(rune(w[k])) || w[k] == ',' || w[k] == '.') {
		k++
	}
	return w[:k], w[k:]
}

// moneyDigits reads "5,000", "12.50" (fractions dropped).
func moneyDigits(w string) (int64, bool) {
	if w == "" {
		return 0, false
	}
	var v int64
	digits := 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= '0' && c <= '9':
			if digits >= 15 {
				return 0, false
			}
			v = v*10 + int64(c-'0')
			digits++
		case c == ',':
		case c == '.':
			rest := w[i+1:]
			if _, ok := atoiSmall(rest, 2); !ok || digits == 0 {
				return 0, false
			}
			return v, true
		default:
			return 0, false
		}
	}
	return v, digits > 0
}

// koMoney reads "5천원", "1만5천원", "만원", "3만", "12,000원".
func koMoney(w string) (int64, bool) {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "어치"), "정도")
	won := strings.HasSuffix(w, "원")
	w = strings.TrimSuffix(w, "원")
	var total, cur int64
	units := false
	for w != "" {
		num, rest := splitDigits(w)
		var n int64 = 1
		if num != "" {
			v, ok := moneyDigits(num)
			if !ok {
				return 0, false
			}
			n = v
		}
		switch {
		case strings.HasPrefix(rest, "만"):
			total += (cur + n) * 10000
			cur = 0
			w = rest[len("만"):]
			units = true
		case strings.HasPrefix(rest, "천"):
			cur += n * 1000
			w = rest[len("천"):]
			units = true
		case strings.HasPrefix(rest, "백"):
			cur += n * 100
			w = rest[len("백"):]
			units = true
		case rest == "" && num != "":
			cur += n
			w = ""
		default:
			return 0, false
		}
		if total > 1e13 || cur > 1e13 {
			return 0, false
		}
	}
	if !units && !won {
		return 0, false
	}
	return total + cur, true
}

// --- Quantities ---

func (s *state) passQty() {
	for i := 0; i < len(s.toks); i++ {
		t := s.word(i)
		if t == nil {
			continue
		}
		var n int
		if t.hangul || t.digit && s.koCounterAfter(i) {
			n = s.koQtyAt(i, t)
		} else {
			n = s.enQtyAt(i, t)
		}
		if n > 1 {
			i += n - 1
		}
	}
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

// --- Fillers ---

func (s *state) passFillers() {
	for i := range s.toks {
		t := s.word(i)
		if t == nil {
			continue
		}
		var f uint8
		var ok bool
		if t.hangul {
			f, ok = koFillerOf(t.low)
		} else {
			f, ok = enFillers[t.low]
			if !ok && t.low == "as" && s.lowAt(i+1) == "usual" {
				t.role = rFiller
				s.toks[i+1].role = rFiller
				continue
			}
		}
		if !ok {
			continue
		}
		t.role = rFiller
		if f&fConj != 0 {
			t.conj = true
			t.link = true
		}
		if f&fVisit != 0 {
			s.visitVerb = true
			if nt := s.word(i + 1); nt != nil && enVisitParticles[nt.low] {
				nt.role = rFiller
			}
		}
	}
}

func koFillerOf(w string) (uint8, bool) {
	if f, ok := koFillers[w]; ok {
		return f, true
	}
	for _, stem := range koVerbStems {
		if strings.HasPrefix(w, stem) {
			rest := w[len(stem):]
			if koPastEnds[rest] {
				return fVisit, true
			}
			if koPresentEnds[rest] {
				return fHabit, true
			}
		}
	}
	stem, _ := stripKo(w, false)
	if stem != w {
		if f, ok := koFillers[stem]; ok && f&fConj == 0 {
			return f, true
		}
	}
	return 0, false
}

// --- Facts ---

func (s *state) addFactKey(a, b int, k factKind, d factDir) {
	if s.nfacts == len(s.facts) {
		return
	}
	s.facts[s.nfacts] = factKey{start: a, end: b, kind: k, dir: d}
	s.nfacts++
	s.mark(a, b, rFactKey)
}

// passFactKeys finds allergy, like and dislike keywords.
func (s *state) passFactKeys() {
	for i := 0; i < len(s.toks); i++ {
		t := s.word(i)
		if t == nil {
			continue
		}
		if t.hangul {
			w := t.low
			if f, ok := koFactKeys[w]; ok {
				s.addFactKey(i, i+1, f.kind, f.dir)
				continue
			}
			if stem, _ := stripKo(w, false); stem != w {
				if f, ok := koFactKeys[stem]; ok {
					s.addFactKey(i, i+1, f.kind, f.dir)
					continue
				}
			}
			next := s.lowAt(i + 1)
			if koFactSecond[next] {
				switch w {
				case "못":
					s.addFactKey(i, i+2, factAllergy, dirBack)
					i++
				case "안":
					s.addFactKey(i, i+2, factDislike, dirBack)
					i++
				case "즐겨":
					s.addFactKey(i, i+2, factLike, dirBack)
					i++
				}
			}
			continue
		}
		for _, p := range enFactPats[t.low] {
			if s.matchWords(i, p.words) {
				s.addFactKey(i, i+len(p.words), p.kind, p.dir)
				i += len(p.words) - 1
				break
			}
		}
	}
}

// passFacts collects the values of the fact keywords.
func (s *state) passFacts() {
	for k := 0; k < s.nfacts; k++ {
		f := s.facts[k]
		dir := f.dir
		if dir == dirEither {
			dir = dirFwd
			if p := s.word(f.start - 1); p != nil && !s.isMarker(f.start-1) {
				dir = dirBack
			}
		}
		if dir == dirBack {
			s.collectBack(f)
		} else {
			s.collectFwd(f)
		}
	}
}

func (s *state) addFact(kind factKind, v string) {
	if v == "" {
		return
	}
	var list *[]string
	switch kind {
	case factAllergy:
		list = &s.res.Allergies
	case factLike:
		list = &s.res.Likes
	default:
		list = &s.res.Dislikes
	}
	for _, x := range *list {
		if x == v {
			return
		}
	}
	*list = append(*list, v)
}

// collectBack reads the value before a keyword: "새우 알레르기",
// "새우랑 게 알레르기", "nut allergy".
func (s *state) collectBack(f factKey) {
	j := f.start - 1
	for j >= 0 {
		t := &s.toks[j]
		if t.sep == ',' || t.sep == 0 && t.conj {
			j--
			continue
		}
		if t.sep != 0 || t.role != rNone && !(t.role == rQty && t.qk == qArticle) || s.isMarker(j) {
			break
		}
		j--
	}
	s.collectRange(j+1, f.start, f.kind)
}

// collectFwd reads the value after a keyword: "allergic to walnuts and
// peanuts", "loves cinnamon rolls", "allergy: nuts, dairy".
func (s *state) collectFwd(f factKey) {
	j := f.end
	if j < len(s.toks) && s.toks[j].sep == ':' {
		j++
	}
	start := j
	for j < len(s.toks) {
		t := &s.toks[j]
		if t.sep == ',' || t.sep == 0 && t.conj {
			if !s.chunkOK(j + 1) {
				break
			}
			j++
			continue
		}
		if t.sep != 0 {
			break
		}
		if t.role == rQty && t.qk == qArticle || t.role == rNone && enDeterminers[t.low] {
			j++
			continue
		}
		if t.role != rNone || s.isMarker(j) {
			break
		}
		j++
	}
	s.collectRange(start, j, f.kind)
}

// chunkOK reports whether the list entry starting at j can continue a fact
// value: plain words only, no quantity or other role.
func (s *state) chunkOK(j int) bool {
	words := 0
	for ; j < len(s.toks); j++ {
		t := &s.toks[j]
		if t.sep != 0 || t.conj {
			break
		}
		if t.role == rQty && t.qk == qArticle || t.role == rNone && enDeterminers[t.low] {
			continue
		}
		if t.role != rNone || s.isMarker(j) {
			return false
		}
		words++
	}
	return words > 0 && words <= 4
}

// collectRange turns tokens [a, b) into fact values, split at separators
// and list particles.
func (s *state) collectRange(a, b int, kind factKind) {
	from := -1
	flush := func(end int) {
		if from >= 0 {
			s.addFact(kind, s.phraseName(from, end))
		}
		from = -1
	}
	for k := a; k < b; k++ {
		t := &s.toks[k]
		if t.sep != 0 || t.conj {
			flush(k)
			continue
		}
		if t.role == rQty && t.qk == qArticle || enDeterminers[t.low] && !t.hangul {
			t.role = rFact
			if from >= 0 {
				flush(k)
			}
			continue
		}
		t.role = rFact
		if from < 0 {
			from = k
		}
		if t.hangul {
			if _, cls := stripKo(t.raw, false); cls&pcAnd != 0 {
				flush(k + 1)
			}
		}
	}
	flush(b)
}

// phraseName builds a normalised name from the words [a, b): lower-case
// Latin, last English word singular (or the word before "of"), Korean
// particles stripped from the last word.
func (s *state) phraseName(a, b int) string {
	// Skip leading determiners.
	for a < b && !s.toks[a].hangul && enDeterminers[s.toks[a].low] {
		a++
	}
	if a >= b {
		return ""
	}
	of := -1
	for k := a + 1; k < b-1; k++ {
		if s.toks[k].low == "of" {
			of = k
			break
		}
	}
	var sb strings.Builder
	for k := a; k < b; k++ {
		t := &s.toks[k]
		if t.sep != 0 {
			continue
		}
		w := t.low
		if t.hangul {
			w = t.raw
			if k == b-1 {
				w, _ = stripKo(w, false)
			}
		} else if k == b-1 && of < 0 || k == of-1 {
			w = singular(w)
		}
		if w == "" {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(w)
	}
	return sb.String()
}

// isMarker reports a word that makes its phrase free text.
func (s *state) isMarker(k int) bool {
	t := &s.toks[k]
	if t.hangul {
		return koMarker(t.raw)
	}
	if t.latin {
		return enMarker(t.low)
	}
	return false
}

// --- Customer name ---

func (s *state) absorbHonorific(i int) {
	if t := s.word(i); t != nil && koHonorTokens[t.low] {
		t.role = rName
	}
}

// passName finds the customer when no known name matched: capitalised
// words opening an English note ("Kim", "May Kim", "Mrs. Lee"), a Hangul
// name opening a Korean note (김민지님, 박서준이), else a Hangul word with an
// honorific anywhere.
func (s *state) passName() {
	if s.res.Customer != "" {
		return
	}
	i := -1
	for k := range s.toks {
		t := &s.toks[k]
		if t.sep != 0 {
			continue
		}
		if t.role == rNone {
			i = k
			break
		}
		if t.role == rQty || t.role == rKnownItem || t.role == rFactKey {
			break
		}
	}
	if i >= 0 {
		t := &s.toks[i]
		switch {
		case t.hangul:
			if s.koNameAt(i, false) {
				return
			}
		case t.latin:
			if s.enNameAt(i) {
				return
			}
		}
	}
	// A Hangul word with an honorific anywhere: "라떼 2잔 김민지님".
	for k := range s.toks {
		if t := s.word(k); t != nil && t.hangul && s.koNameAt(k, true) {
			return
		}
	}
	// "… for Kim".
	for k := range s.toks {
		if t := s.word(k); t != nil && (t.low == "for" || t.low == "from") {
			if nt := s.word(k + 1); nt != nil && nt.latin && nt.upper && !s.notNameEn(k+1) {
				s.res.Customer = nt.raw
				nt.role = rName
				t.role = rFiller
				return
			}
		}
	}
}

// notNameEn reports an English word that cannot be (part of) a name.
func (s *state) notNameEn(i int) bool {
	t := &s.toks[i]
	w := trimDot(t.low)
	if enNotName[w] || enFillers[w] != 0 || commonItems[singular(w)] || greetCore[w] || thanksCore[w] {
		return true
	}
	if _, ok := enNumbers[w]; ok {
		return true
	}
	if wi, ok := enWeekdays[w]; ok && !wi.abbr {
		return true
	}
	if v, ok := enMarkers[w]; ok && v && w != "may" {
		// "Will bought a latte": a capitalised word opening the note and
		// followed by a verb is a name after all.
		if !(t.upper && i == s.firstWord() && s.verbAt(i+1)) {
			return true
		}
	}
	return !isNameWord(t.raw)
}

// verbAt reports a visit verb, habit verb or fact keyword at i.
func (s *state) verbAt(i int) bool {
	if i >= len(s.toks) || s.toks[i].sep != 0 {
		return false
	}
	t := &s.toks[i]
	switch t.role {
	case rFactKey, rBirthday:
		return true
	case rFiller:
		return !t.conj
	}
	return false
}

// isNameWord reports a word made of letters, apostrophes, hyphens and a
// final period only.
func isNameWord(w string) bool {
	w = trimDot(w)
	if w == "" {
		return false
	}
	for _, r := range w {
		if !(r == '\'' || r == '-' || isWordRune(r) && !isDigitASCII(r)) {
			return false
		}
	}
	return true
}

func (s *state) enNameAt(i int) bool {
	t := &s.toks[i]
	title := enTitles[t.low]
	if !t.upper && !title {
		// Lower-case fallback: "kim bought 3 bagels", "hana allergic to nuts".
		nt := i + 1
		if nt < len(s.toks) && s.toks[nt].sep == 0 && !s.notNameEn(i) {
			switch s.toks[nt].role {
			case rFactKey, rFiller, rUsual, rBirthday:
				if !s.toks[nt].conj && s.backFactAt(nt) == false {
					s.res.Customer = strings.TrimSuffix(t.raw, "'s")
					t.role = rName
					return true
				}
			}
		}
		return false
	}
	if !title && s.notNameEn(i) {
		return false
	}
	// A lone word followed by a value-first keyword is the value: "Nut allergy".
	if !title && s.backFactAt(i+1) {
		return false
	}
	end := i + 1
	for end < len(s.toks) && end-i < 3 {
		nt := s.word(end)
		if nt == nil || !nt.latin || !nt.upper || s.notNameEn(end) {
			break
		}
		end++
	}
	if title && end == i+1 {
		return false
	}
	name := strings.TrimSpace(s.text[t.start:s.toks[end-1].end])
	name = strings.TrimSuffix(name, "'s")
	s.res.Customer = name
	s.mark(i, end, rName)
	return true
}

// backFactAt reports a fact keyword at k whose value comes before it.
func (s *state) backFactAt(k int) bool {
	if k >= len(s.toks) || s.toks[k].role != rFactKey {
		return false
	}
	for f := 0; f < s.nfacts; f++ {
		if s.facts[f].start == k {
			d := s.facts[f].dir
			if d == dirEither {
				return !(k+1 < len(s.toks) && s.toks[k+1].sep == ':')
			}
			return d == dirBack
		}
	}
	return false
}

// koNameAt reads a Korean name at i. With honorOnly, only a word with an
// honorific (님, 씨, 고객님) counts.
func (s *state) koNameAt(i int, honorOnly bool) bool {
	t := &s.toks[i]
	stem, cls := stripKo(t.raw, true)
	honor := cls&pcHonor != 0
	nt := s.word(i + 1)
	if nt != nil && koHonorTokens[nt.low] {
		honor = true
	}
	if honorOnly && !honor {
		return false
	}
	if !allSyllables(stem) {
		return false
	}
	n := utf8.RuneCountInString(stem)
	if n < 2 || n > 4 && !(honor && n <= 5) {
		return false
	}
	if !honor {
		if s.notNameKo(stem) || s.notNameKo(t.raw) {
			return false
		}
		if cls == 0 {
			// A word followed by a quantity is an item (소금빵 2개), unless
			// the quantity leads the next word: 김민지 2개 소금빵.
			if i+1 < len(s.toks) && s.toks[i+1].role == rQty && !s.qtyLeads(i+1) {
				return false
			}
			if s.backFactAt(i + 1) {
				return false
			}
			for _, suf := range koItemSuffixes {
				if strings.HasSuffix(stem, suf) && stem != suf && !koSurnames[firstRune(stem)] {
					return false
				}
			}
		}
		if cls&pcPlace != 0 {
			return false
		}
	}
	s.res.Customer = stem
	t.role = rName
	s.absorbHonorific(i + 1)
	return true
}

// qtyLeads reports whether the quantity at k is followed by a word that has
// no quantity of its own: "2개 소금빵".
func (s *state) qtyLeads(k int) bool {
	j := k + 1
	for j < len(s.toks) && s.toks[j].role == rQty && s.toks[j].qk == qNone {
		j++
	}
	if s.word(j) == nil {
		return false
	}
	for j < len(s.toks) && s.word(j) != nil {
		j++
	}
	return j >= len(s.toks) || s.toks[j].role != rQty
}

func (s *state) notNameKo(w string) bool {
	if commonItems[w] || koMarkerRule(w, false) || koFillers[w] != 0 || greetCore[w] || thanksCore[w] ||
		koRelations[w] || koTimes[w] || koBirthday[w] || koLookupTail[w] {
		return true
	}
	if _, ok := koFactKeys[w]; ok {
		return true
	}
	if _, ok := koContext[w]; ok {
		return true
	}
	if _, ok := koRelDays[w]; ok {
		return true
	}
	if _, ok := koQtyTok(w); ok {
		return true
	}
	return false
}

// --- Items ---

// passItems groups the remaining words into items and free text.
func (s *state) passItems() {
	for i := 0; i < len(s.toks); {
		if !s.itemish(i) {
			i++
			continue
		}
		j := i
		for j < len(s.toks) && s.itemish(j) {
			j++
		}
		s.segment(i, j)
		i = j
	}
}

func (s *state) itemish(i int) bool {
	t := &s.toks[i]
	return t.sep == 0 && (t.role == rNone || t.role == rQty || t.role == rKnownItem)
}

// phrase is an item being built: words [from, to) and a quantity.
type phrase struct {
	from, to int
	qty      int
	hasQty   bool
	suffix   bool // the quantity follows the words
	known    string
}

// segment reads the run [a, b) of words and quantities. A run with a
// quantity or a known item is an item list. A run without one is an item
// when it has at most three words and no marker (verb, function word),
// otherwise free text. Inside an item list, English markers start free
// text up to the next quantity; a Korean marker makes the words before it
// free text (the verb closes a Korean clause).
func (s *state) segment(a, b int) {
	words, strong, marker := 0, false, false
	for k := a; k < b; k++ {
		t := &s.toks[k]
		switch t.role {
		case rQty:
			// "a cake for her mom": an article opening the run counts.
			if t.qk != qArticle && t.qk != qNone || t.qk == qArticle && k == a {
				strong = true
			}
		case rKnownItem:
			strong = true
		case rNone:
			words++
			if s.markerIn(k, a) || !isItemWord(t) {
				marker = true
			}
		}
	}
	if !strong && (marker || words > 3) {
		for k := a; k < b; k++ {
			s.toks[k].role = rFree
		}
		return
	}
	var cur phrase
	cur.from = -1
	free := false
	for k := a; k < b; k++ {
		t := &s.toks[k]
		switch t.role {
		case rQty:
			if t.qk == qNone {
				continue
			}
			if free && t.qk == qArticle {
				t.role = rFree
				continue
			}
			free = false
			if s.suffixQty(k, b, &cur) {
				cur.qty, cur.hasQty, cur.suffix = t.qty, true, true
				s.flush(&cur)
				continue
			}
			if t.val == "번" {
				t.role = rIgnore
				continue
			}
			s.flush(&cur)
			cur.qty, cur.hasQty = t.qty, true
		case rKnownItem:
			if t.cont {
				continue
			}
			free = false
			if cur.from >= 0 || cur.known != "" {
				s.flush(&cur)
			}
			cur.known = t.val
			cur.from = k
			cur.to = k + 1
			for cur.to < b && s.toks[cur.to].role == rKnownItem && s.toks[cur.to].cont {
				cur.to++
			}
			if s.toks[cur.to-1].link {
				s.flush(&cur)
			}
		case rNone:
			if s.markerIn(k, a) || !isItemWord(t) {
				if t.hangul {
					// The verb closes a Korean clause: the words before it
					// are part of the remark.
					if cur.from >= 0 {
						for x := cur.from; x < cur.to; x++ {
							s.toks[x].role = rFree
						}
						cur = phrase{from: -1}
					}
					t.role = rFree
					continue
				}
				s.flush(&cur)
				free = true
			}
			if free {
				t.role = rFree
				continue
			}
			if cur.known != "" {
				s.flush(&cur)
			}
			if cur.from < 0 {
				cur.from = k
			}
			cur.to = k + 1
			if t.hangul {
				if _, cls := stripKo(t.raw, false); cls&pcAnd != 0 {
					s.flush(&cur)
				}
			}
		}
	}
	s.flush(&cur)
	// Quantities left without a noun are free text ("Kim 2").
	for k := a; k < b; k++ {
		if t := &s.toks[k]; t.role == rQty && t.qk != qNone && !t.used {
			t.role = rFree
			for j := k + 1; j < b && s.toks[j].role == rQty && s.toks[j].qk == qNone; j++ {
				s.toks[j].role = rFree
			}
		}
	}
}

// markerIn is isMarker for the run starting at a, where a determiner that
// opens the run or follows a quantity belongs to the item: "the lemon tart".
func (s *state) markerIn(k, a int) bool {
	t := &s.toks[k]
	if !t.hangul && enDeterminers[t.low] && (k == a || s.toks[k-1].role == rQty) {
		return false
	}
	return s.isMarker(k)
}

// isItemWord reports a word that can be part of an item name. People
// ("her son", "딸") are not items.
func isItemWord(t *token) bool {
	if t.hangul {
		if stem, _ := stripKo(t.raw, false); koRelations[stem] || koRelations[t.raw] {
			return false
		}
		return !jamoOnly(t.raw)
	}
	return t.latin && !enRelations[t.low]
}

// suffixQty decides whether the quantity at k belongs to the phrase before
// it ("소금빵 2개", "croissant x2") rather than to the words after it
// ("3 bagels").
func (s *state) suffixQty(k, b int, cur *phrase) bool {
	if cur.from < 0 && cur.known == "" || cur.hasQty {
		return false
	}
	t := &s.toks[k]
	switch t.qk {
	case qCounted, qKoBare, qMult:
		return true
	case qBare, qWord:
		prev := &s.toks[cur.to-1]
		if prev.hangul {
			return true
		}
		// English: "croissant 2" at the end, but "latte 2 croissants".
		end := k + 1
		for end < b && s.toks[end].role == rQty && s.toks[end].qk == qNone {
			end++
		}
		return end >= b || s.toks[end].role != rNone
	}
	return false
}

// flush turns the phrase into an item and starts a new one.
func (s *state) flush(p *phrase) {
	done := *p
	*p = phrase{from: -1}
	s.addPhrase(&done)
}

func (s *state) addPhrase(p *phrase) {
	if p.from < 0 && p.known == "" {
		return
	}
	qty := 1
	if p.hasQty && p.qty > 0 {
		qty = p.qty
	}
	// Mark the quantity tokens next to the phrase as used.
	name := p.known
	if name == "" {
		name = s.phraseName(p.from, p.to)
	}
	for k := p.from; k >= 0 && k < p.to; k++ {
		if s.toks[k].role == rNone {
			s.toks[k].role = rItem
		}
	}
	if p.hasQty {
		s.useQty(p.from, p.to, p.suffix)
	}
	if name == "" {
		return
	}
	s.addItem(name, qty)
}

// useQty marks the quantity tokens before (or, with suffix, after) the
// words [from, to) as used so they do not end up in the note.
func (s *state) useQty(from, to int, suffix bool) {
	if !suffix {
		for k := from - 1; k >= 0 && s.toks[k].role == rQty; k-- {
			s.toks[k].used = true
			if s.toks[k].qk != qNone {
				break
			}
		}
		return
	}
	for k := to; k < len(s.toks) && s.toks[k].role == rQty; k++ {
		if k > to && s.toks[k].qk != qNone {
			break
		}
		s.toks[k].used = true
	}
}

func (s *state) addItem(name string, qty int) {
	for i := range s.res.Items {
		if s.res.Items[i].Name == name {
			s.res.Items[i].Qty += qty
			if s.res.Items[i].Qty > 9999 {
				s.res.Items[i].Qty = 9999
			}
			return
		}
	}
	s.res.Items = append(s.res.Items, Item{Name: name, Qty: qty})
}

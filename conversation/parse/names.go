package parse

import (
	"strings"
	"unicode/utf8"
)

// --- Customer names ---

func (s *state) absorbHonorific(i int) {
	if t := s.word(i); t != nil && koHonorTokens[t.low] {
		t.role = rName
	}
}

// setName marks [i, i+n) as the customer name v.
func (s *state) setName(i, n int, v string) {
	s.mark(i, i+n, rName)
	s.toks[i].head, s.toks[i].val = true, v
	s.absorbHonorific(i + n)
}

// passNames finds the customers: the first one (capitalised words opening
// an English note, a Hangul name opening a Korean note, a word with an
// honorific anywhere, "… for Kim"), then every further one that starts a
// clause ("Tom 2 croissants, Sarah 1 latte") or joins a group ("김민지랑
// 박서준", "Sarah and Tom").
func (s *state) passNames() {
	if !s.hasNameBefore(len(s.toks)) {
		s.firstName()
	} else if i := s.openingWord(); i >= 0 && !s.hasNameBefore(i) {
		// A known name later on does not hide the one opening the note.
		t := &s.toks[i]
		if t.hangul && !s.itemOnly(t) {
			s.koNameAt(i, false)
		} else if t.latin && !s.itemOnly(t) {
			s.enNameAt(i)
		}
	}
	s.moreNames()
	s.joinKnownNames()
	s.ncusts = 0
	for i := range s.toks {
		t := &s.toks[i]
		if t.role != rName || !t.head || s.ncusts == len(s.custs) {
			continue
		}
		g := 0
		if s.ncusts > 0 {
			g = s.custs[s.ncusts-1].group
			if !t.cont {
				g++
			}
		}
		s.custs[s.ncusts] = custMark{tok: i, name: t.val, group: g}
		s.ncusts++
	}
}

// hasNameBefore reports a customer name before token i.
func (s *state) hasNameBefore(i int) bool {
	for k := 0; k < i && k < len(s.toks); k++ {
		if s.toks[k].role == rName && s.toks[k].head {
			return true
		}
	}
	return false
}

// openingWord returns the first unassigned word of the note if nothing
// but dates, times, greetings and the like precede it; else -1.
func (s *state) openingWord() int {
	for k := range s.toks {
		t := &s.toks[k]
		if t.sep != 0 {
			continue
		}
		switch t.role {
		case rNone:
			return k
		case rQty, rKnownItem, rFactKey, rName, rFact, rCorr:
			return -1
		}
	}
	return -1
}

func (s *state) firstName() {
	if i := s.openingWord(); i >= 0 {
		t := &s.toks[i]
		switch {
		case s.itemOnly(t):
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
			if nt := s.word(k + 1); nt != nil && nt.latin && nt.upper && !s.notNameEn(k+1) && !s.itemOnly(nt) {
				s.setName(k+1, 1, nt.raw)
				t.role = rFiller
				return
			}
		}
	}
}

// moreNames finds the customers after the first: a name joined to the one
// before ("김민지랑 박서준", "Sarah and Tom", "김민지, 박서준") joins its
// group; a name opening a clause after a separator and followed by what
// it bought, a fact or a verb starts a clause of its own.
func (s *state) moreNames() {
	for k := 0; k < len(s.toks); k++ {
		t := s.word(k)
		if t == nil {
			continue
		}
		prev := k - 1
		for prev >= 0 && s.toks[prev].sep == 0 && s.toks[prev].role == rName && !s.toks[prev].head {
			prev-- // an honorific after the name before
		}
		join, afterSep := false, false
		if prev >= 0 {
			p := &s.toks[prev]
			switch {
			case p.role == rName:
				if _, cls := stripKo(p.raw, true); cls&pcAnd != 0 {
					join = true
				}
			case p.sep == ',' || p.sep == ';' || p.sep == 0 && p.conj:
				afterSep = true
				pp := prev - 1
				for pp >= 0 && s.toks[pp].sep == 0 && s.toks[pp].role == rName && !s.toks[pp].head {
					pp--
				}
				if p.sep != ';' && pp >= 0 && s.toks[pp].role == rName {
					join = true
				}
			}
		}
		if !join && !afterSep {
			if t.hangul && s.koNameAt(k, true) && s.toks[k].role == rName {
				s.toks[k].cont = false
				continue
			}
			// "Sam 1 latte Jo 1 tea": a capitalised name between one item
			// and the next quantity.
			if t.latin && t.upper && prev >= 0 && s.hasNameBefore(k) &&
				(s.toks[prev].role == rNone || s.toks[prev].role == rQty) && k+1 < len(s.toks) && s.toks[k+1].role == rQty && s.toks[k+1].qk != qArticle {
				if name, n, ok := s.strictName(k); ok && n == 1 {
					s.setName(k, n, name)
				}
			}
			continue
		}
		name, n, ok := s.strictName(k)
		if !ok {
			continue
		}
		sentence := prev >= 0 && s.toks[prev].sep == ';'
		if !join && !s.clauseFollows(k+n, t.hangul || sentence) && !s.tooAfter(k, n) {
			continue
		}
		s.setName(k, n, name)
		s.toks[k].cont = join
		k += n - 1
	}
}

// joinKnownNames joins a known customer to the name before it the way
// moreNames joins the names it finds: "김민지랑 박서준", "Kim and Lee",
// "김민지, 박서준" are one group when the shop knows both.
func (s *state) joinKnownNames() {
	for k := range s.toks {
		t := &s.toks[k]
		if t.role != rName || !t.head || t.cont {
			continue
		}
		prev := s.nameStart(k - 1)
		if prev < 0 {
			continue
		}
		p := &s.toks[prev]
		switch {
		case p.role == rName:
			if _, cls := stripKo(p.raw, true); cls&pcAnd != 0 {
				t.cont = true
			}
		case p.sep == ',' || p.sep == 0 && p.conj:
			if pp := s.nameStart(prev - 1); pp >= 0 && s.toks[pp].role == rName {
				t.cont = true
			}
		}
	}
}

// nameStart steps back from i over the honorifics after a name.
func (s *state) nameStart(i int) int {
	for i >= 0 && s.toks[i].sep == 0 && s.toks[i].role == rName && !s.toks[i].head {
		i--
	}
	return i
}

// clauseFollows reports whether what follows a name at i makes a clause:
// a quantity (English), an item word, a fact, a date, a visit verb.
func (s *state) clauseFollows(i int, ko bool) bool {
	for i < len(s.toks) && s.toks[i].sep == 0 && s.toks[i].role == rName {
		i++
	}
	if i >= len(s.toks) || s.toks[i].sep != 0 {
		return false
	}
	t := &s.toks[i]
	switch t.role {
	case rQty:
		return !ko || s.qtyLeads(i)
	case rNone:
		// English needs more than a word after a capitalised word:
		// "…, Earl Grey tea" is an item (a new sentence is enough, and so
		// is a quantity after the word: "…, Lee latte 1").
		if ko {
			return true
		}
		return i+1 < len(s.toks) && s.toks[i+1].role == rQty && s.toks[i+1].qk != qArticle

	case rFactKey, rDate, rTime, rBooking, rAmount, rUsualOrder, rContext, rBirthday, rMemo, rKnownItem, rFact, rUsual:
		return true
	case rFiller:
		return !t.conj
	}
	return false
}

// tooAfter reports a name that only says "the same": "박서준도", "Lee too".
func (s *state) tooAfter(k, n int) bool {
	t := &s.toks[k]
	if t.hangul {
		_, cls := stripKo(t.raw, true)
		return cls&pcCase != 0 && strings.HasSuffix(t.raw, "도") && s.endAt(k+n)
	}
	w := s.lowLoose(k + n)
	return (w == "too" || w == "also" || w == "as" && s.lowLoose(k+n+1) == "well") && s.endAt(k+n+1+btoi(w == "as"))
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// strictName reads a name at k that may start a further clause: a
// capitalised English name or a Korean surname-first name of three
// syllables (any length with an honorific).
func (s *state) strictName(k int) (string, int, bool) {
	t := &s.toks[k]
	if s.itemOnly(t) {
		return "", 0, false
	}
	if t.latin {
		if !t.upper || s.notNameEn(k) || !isNameWord(t.raw) || utf8.RuneCountInString(t.raw) < 2 {
			return "", 0, false
		}
		end := k + 1
		for end < len(s.toks) && end-k < 3 {
			nt := s.word(end)
			if nt == nil || !nt.latin || !nt.upper || s.notNameEn(end) || s.itemOnly(nt) {
				break
			}
			end++
		}
		return strings.TrimSuffix(strings.TrimSpace(s.text[t.start:s.toks[end-1].end]), "'s"), end - k, true
	}
	if !t.hangul {
		return "", 0, false
	}
	stem, cls := stripKo(t.raw, true)
	honor := cls&pcHonor != 0
	if nt := s.word(k + 1); nt != nil && koHonorTokens[nt.low] {
		honor = true
	}
	if !allSyllables(stem) || cls&pcPlace != 0 {
		return "", 0, false
	}
	n := utf8.RuneCountInString(stem)
	switch {
	case honor && n >= 2 && n <= 5:
	case n == 3 && koSurnames[firstRune(stem)]:
		if s.notNameKo(stem) || commonItems[stem] || koItemWord(stem) {
			return "", 0, false
		}
	default:
		return "", 0, false
	}
	return stem, 1, true
}

// koItemWord reports a word ending like an item (쑥빵, 말차라떼).
func koItemWord(stem string) bool {
	for _, suf := range koItemSuffixes {
		if strings.HasSuffix(stem, suf) && stem != suf {
			return true
		}
	}
	return false
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
	if _, ok := dietWords[w]; ok {
		return true
	}
	if wi, ok := enWeekdays[w]; ok && !wi.abbr {
		return true
	}
	if _, ok := enBooking[w]; ok {
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
		// Lower-case fallback: "kim bought 3 bagels", "hana allergic to
		// nuts", "jane doe allergic to soy".
		for n := 1; n <= 2; n++ {
			nt := i + n
			if nt >= len(s.toks) || s.toks[nt-1].sep != 0 || s.notNameEn(nt-1) || n == 2 && s.word(i+1) == nil {
				return false
			}
			if s.toks[nt].sep != 0 {
				return false
			}
			switch s.toks[nt].role {
			case rFactKey, rFiller, rUsual, rBirthday, rFact:
				if !s.toks[nt].conj && !s.backFactAt(nt) {
					s.setName(i, n, strings.TrimSuffix(strings.TrimSpace(s.text[t.start:s.toks[nt-1].end]), "'s"))
					return true
				}
				return false
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
		if nt == nil || !nt.latin || !nt.upper || s.notNameEn(end) || s.itemOnly(nt) {
			break
		}
		end++
	}
	if title && end == i+1 {
		return false
	}
	name := strings.TrimSpace(s.text[t.start:s.toks[end-1].end])
	s.setName(i, end-i, strings.TrimSuffix(name, "'s"))
	return true
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
		if s.notNameKo(stem) || cls == 0 && s.notNameKo(t.raw) {
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
	s.setName(i, 1, stem)
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
		koRelations[w] || koTimes[w] || koBirthday[w] || koLookupTail[w] || memoHeads[w] || koMods[w] {
		return true
	}
	if _, ok := koFactKeys[w]; ok {
		return true
	}
	if _, ok := koContext[w]; ok {
		return true
	}
	if _, ok := koPayment[w]; ok {
		return true
	}
	if _, ok := koRelDays[w]; ok {
		return true
	}
	if _, ok := koBooking[w]; ok {
		return true
	}
	if _, ok := dietWords[w]; ok {
		return true
	}
	if _, ok := koQtyTok(w); ok {
		return true
	}
	return false
}

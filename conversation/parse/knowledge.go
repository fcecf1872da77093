package parse

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// What the shop knows (Options.Names, Options.Items, Options.Lexicon)
// resolves names and items; it never changes a phrase's role. A word the
// shop knows both as a customer and as an item gives no hint at all: the
// grammar alone decides.

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
		if stem, _ := stripKo(raw, name); stem == w {
			return true
		}
		// A known name before a particle that could belong to a name
		// (김민 + 이): the known customer is preferred.
		stem, cls := stripKoOpt(raw, name, false)
		return name && stem == w && cls != 0
	}
	if strings.HasSuffix(t.low, "'s") && strings.EqualFold(t.low[:len(t.low)-2], w) {
		return true
	}
	return !name && strings.EqualFold(singular(t.low), w)
}

// knownIn reports whether phrase p (case-insensitive) is in list.
func knownIn(list []string, p string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), p) {
			return true
		}
	}
	return false
}

// itemOnly reports a word the shop knows as an item and not as a
// customer (or taught as an item).
func (s *state) itemOnly(t *token) bool {
	if len(s.opt.Items) == 0 && len(s.opt.Lexicon) == 0 {
		return false
	}
	w := t.raw
	if t.hangul {
		w, _ = stripKo(t.raw, false)
	}
	if s.lexRole(strings.ToLower(w)) == LexItem {
		return true
	}
	if !s.knownItem(w) && !(t.latin && s.knownItem(singular(t.low))) {
		return false
	}
	name := t.raw
	if t.hangul {
		name, _ = stripKo(t.raw, true)
	}
	return !s.knownName(name) && !s.knownName(w)
}

// nameOnly reports a phrase the shop knows as a customer and not as an item.
func (s *state) nameOnly(p string) bool {
	return !s.knownItem(p) && !s.knownItem(singular(strings.ToLower(p)))
}

// lexRole returns what the shop taught about a lower-cased word.
func (s *state) lexRole(w string) string {
	if len(s.opt.Lexicon) == 0 {
		return ""
	}
	return s.opt.Lexicon[w]
}

// passLexicon applies the words the shop taught: items, memo words and
// words to ignore.
func (s *state) passLexicon() {
	if len(s.opt.Lexicon) == 0 {
		return
	}
	for i := 0; i < len(s.toks); i++ {
		t := s.word(i)
		if t == nil {
			continue
		}
		// Phrases first: "pain au chocolat".
		best, bestN := "", 0
		for k, role := range s.opt.Lexicon {
			if strings.IndexByte(k, ' ') < 0 || role == "" {
				continue
			}
			if m := s.phraseAt(i, k, false); m > bestN {
				best, bestN = k, m
			}
		}
		key := t.low
		n := 1
		if bestN > 1 {
			key, n = best, bestN
		}
		role := s.opt.Lexicon[key]
		val := key
		if role == "" && t.hangul {
			if stem, _ := stripKo(t.raw, false); stem != t.raw {
				role, val = s.opt.Lexicon[strings.ToLower(stem)], stem
			}
		}
		if role == "" && t.latin {
			if sg := singular(t.low); sg != t.low {
				role, val = s.opt.Lexicon[sg], sg
			}
		}
		switch role {
		case LexIgnore:
			s.mark(i, i+n, rIgnore)
		case LexMemo:
			s.mark(i, i+n, rMemo)
		case LexItem:
			for k := i; k < i+n; k++ {
				s.toks[k].role = rKnownItem
				s.toks[k].cont = k > i
			}
			t.val = val
			if last := &s.toks[i+n-1]; last.hangul {
				if _, cls := stripKo(last.raw, false); cls&pcAnd != 0 {
					last.link = true
				}
			}
		default:
			continue
		}
		i += n - 1
	}
}

// splitKnownNames splits a word that starts with a known Korean name
// written without a space: "김민지크루아상" → "김민지" "크루아상".
func (s *state) splitKnownNames() {
	for i := 0; i < len(s.toks); i++ {
		t := &s.toks[i]
		if t.sep != 0 || !t.hangul || t.role != rNone {
			continue
		}
		names := s.opt.Names
		if k := s.known(); k != nil {
			// Only the names that start the word can.
			names = names[:0:0]
			var idx []int32
			for n := 6; n < len(t.raw); n++ {
				idx = append(idx, k.nameWhole[t.raw[:n]]...)
			}
			slices.Sort(idx)
			for _, li := range idx {
				names = append(names, s.opt.Names[li])
			}
		}
		for _, p := range names {
			p = strings.TrimSpace(p)
			if len(p) < 6 || len(p) >= len(t.raw) || !strings.HasPrefix(t.raw, p) || strings.IndexByte(p, ' ') >= 0 {
				continue
			}
			rest := t.raw[len(p):]
			if stem, _ := stripKo(t.raw, true); stem == p {
				break // particles only: phraseAt reads it
			}
			if r, _ := utf8.DecodeRuneInString(rest); !isSyllable(r) || s.knownName(t.raw) || s.knownItem(t.raw) {
				continue
			}
			// One syllable more may be part of another name: 정하 + 은.
			if stem, _ := stripKo(rest, false); utf8.RuneCountInString(stem) < 2 {
				continue
			}
			// Honorifics and particles after the name stay with it: 김민지님라떼.
			cut := len(p)
			for _, h := range [...]string{"고객님", "님", "씨"} {
				if strings.HasPrefix(rest, h) && len(rest) > len(h) {
					cut += len(h)
					break
				}
			}
			second := newToken(s.text, t.start+cut, t.end)
			first := newToken(s.text, t.start, t.start+cut)
			s.toks = append(s.toks, token{})
			copy(s.toks[i+2:], s.toks[i+1:])
			s.toks[i], s.toks[i+1] = first, second
			break
		}
	}
}

// passKnownNames marks the shop's known customers wherever a name may
// stand: not inside a fact ("우유 알레르기" stays an allergy even for a
// customer called 우유), not where the phrase is also a known item.
func (s *state) passKnownNames() {
	if len(s.opt.Names) == 0 {
		return
	}
	s.splitKnownNames()
	var first [256]bool
	for i := range s.toks {
		if t := &s.toks[i]; t.sep == 0 && t.low != "" {
			first[t.low[0]] = true
		}
	}
	k := s.known()
	var cands []int32
	for i := 0; i < len(s.toks); i++ {
		if s.word(i) == nil && !s.openingQty(i) {
			continue
		}
		bestIdx, bestN, bestLen := -1, 0, 0
		if k != nil {
			// The names this token can start, in list order: by its
			// first word, or written with a space ("김 민지").
			cands = phraseCandidates(k.nameFirst, &s.toks[i], cands)
			if t, nt := s.word(i), s.word(i+1); t != nil && nt != nil {
				stem, _ := stripKo(nt.raw, true)
				cands = append(cands, k.nameWhole[t.raw+nt.raw]...)
				cands = append(cands, k.nameWhole[t.raw+stem]...)
				slices.Sort(cands)
				cands = slices.Compact(cands)
			}
		}
		for li, p := range s.opt.Names {
			if k != nil {
				if len(cands) == 0 {
					break
				}
				li, p = int(cands[0]), s.opt.Names[cands[0]]
				cands = cands[1:]
			}
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
			m := s.phraseAt(i, p, true)
			if m == 0 {
				m = s.spacedName(i, p)
			}
			if m > bestN || m == bestN && m > 0 && len(p) > bestLen {
				bestIdx, bestN, bestLen = li, m, len(p)
			}
		}
		if bestIdx < 0 {
			continue
		}
		name := strings.TrimSpace(s.opt.Names[bestIdx])
		if !s.nameOnly(name) || s.factValueAt(i, i+bestN) {
			continue
		}
		// "May 3" is a date even when a customer is called May.
		if bestN == 1 {
			if _, ok := enMonths[s.toks[i].low]; ok {
				if _, ok := enDay(s.lowAt(i + 1)); ok {
					continue
				}
			}
		}
		s.mark(i, i+bestN, rName)
		s.toks[i].head, s.toks[i].val = true, name
		s.absorbHonorific(i + bestN)
		i += bestN - 1
	}
}

// openingQty reports a number word opening the note ("하나 딸기 알레르기"):
// a known customer of that name is meant, not a quantity.
func (s *state) openingQty(i int) bool {
	if i >= len(s.toks) || s.toks[i].role != rQty || s.toks[i].qk == qNone {
		return false
	}
	for k := 0; k < i; k++ {
		if s.toks[k].sep == 0 {
			return false
		}
	}
	return true
}

// spacedName matches a Korean name written with a space: "김 민지".
func (s *state) spacedName(i int, p string) int {
	t := s.word(i)
	nt := s.word(i + 1)
	if t == nil || nt == nil || !t.hangul || !nt.hangul || strings.IndexByte(p, ' ') >= 0 {
		return 0
	}
	if !strings.HasPrefix(p, t.raw) || len(t.raw) >= len(p) {
		return 0
	}
	rest := p[len(t.raw):]
	if nt.raw == rest {
		return 2
	}
	if stem, _ := stripKo(nt.raw, true); stem == rest {
		return 2
	}
	return 0
}

// factValueAt reports whether tokens [a, b) stand where a fact keyword
// expects its value: just before "알레르기", just after "allergic to".
func (s *state) factValueAt(a, b int) bool {
	if b < len(s.toks) && s.backFactAt(b) {
		return true
	}
	for f := 0; f < s.nfacts; f++ {
		fk := s.facts[f]
		if fk.end == a && fk.dir != dirBack {
			return true
		}
	}
	return false
}

// markKnownItems marks the shop's known items among the words [a, b).
func (s *state) markKnownItems(a, b int) {
	if len(s.opt.Items) == 0 {
		return
	}
	k := s.known()
	var cands []int32
	for i := a; i < b; i++ {
		if s.word(i) == nil {
			continue
		}
		best, bestN := "", 0
		if k != nil {
			cands = phraseCandidates(k.itemFirst, &s.toks[i], cands)
		}
		for _, p := range s.opt.Items {
			if k != nil {
				if len(cands) == 0 {
					break
				}
				p = s.opt.Items[cands[0]]
				cands = cands[1:]
			}
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if m := s.phraseAt(i, p, false); m > bestN || m == bestN && m > 0 && len(p) > len(best) {
				best, bestN = p, m
			}
		}
		if bestN == 0 || i+bestN > b || s.knownName(best) {
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

package parse

import (
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// --- Fillers and visit verbs ---

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
			if !ok && (t.low == "감" || t.low == "가심" || t.low == "갔음") && s.endAt(i+1) && i > 0 &&
				(s.toks[i-1].role == rFiller || s.toks[i-1].role == rContext) {
				f, ok = fPlain, true // "마시고 감": and left
			}
		} else {
			f, ok = enFillers[t.low]
			if !ok && t.low == "as" && s.lowAt(i+1) == "usual" {
				t.role = rFiller
				s.toks[i+1].role = rFiller
				continue
			}
			if !ok && (t.low == "was" || t.low == "were") && (s.lowAt(i+1) == "in" || s.lowAt(i+1) == "here") {
				f, ok = fVisit, true
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
			t.visit = true
			if nt := s.word(i + 1); nt != nil && enVisitParticles[nt.low] {
				nt.role = rFiller
			}
		}
		if f&fHabit != 0 {
			t.habit = true
		}
	}
}

func koFillerOf(w string) (uint8, bool) {
	if f, ok := koFillers[w]; ok {
		return f, true
	}
	if !koVerbFirst(firstRune(w)) {
		stem, _ := stripKo(w, false)
		if stem != w {
			if f, ok := koFillers[stem]; ok && f&fConj == 0 {
				return f, true
			}
		}
		return 0, false
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
	if koBuyVerb(w) {
		return fVisit, true // 마시고, 먹고, 샀어
	}
	// Past forms of visit verbs: 왔었어, 다녀갔어, 사가셨네요.
	for _, stem := range koVisitStems {
		if strings.HasPrefix(w, stem) && len(w) > len(stem) || w == stem {
			return fVisit, true
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

// koVerbFirst reports a syllable that opens one of the verb stems below.
func koVerbFirst(r rune) bool {
	switch r {
	case '방', '구', '주', '결', '픽', '마', '먹', '사', '샀', '시', '드', '가', '왔', '오', '다', '들', '포', '했', '하', '받', '함':
		return true
	}
	return false
}

// --- Facts ---

func (s *state) addFactKey(a, b int, k factKind, d factDir, remove bool) {
	if s.nfacts == len(s.facts) {
		return
	}
	s.facts[s.nfacts] = factKey{start: a, end: b, kind: k, dir: d, remove: remove}
	s.nfacts++
	s.mark(a, b, rFactKey)
}

// enRemovePats are English removals: "not allergic to X", "no longer likes X".
var enRemovePats = map[string][]factPat{
	"not":     {{[]string{"not", "allergic", "to"}, factAllergy, dirFwd}, {[]string{"not", "allergic"}, factAllergy, dirFwd}},
	"isn't":   {{[]string{"isn't", "allergic", "to"}, factAllergy, dirFwd}},
	"isnt":    {{[]string{"isnt", "allergic", "to"}, factAllergy, dirFwd}},
	"is":      {{[]string{"is", "not", "allergic", "to"}, factAllergy, dirFwd}, {[]string{"is", "no", "longer", "allergic", "to"}, factAllergy, dirFwd}},
	"no":      {{[]string{"no", "longer", "allergic", "to"}, factAllergy, dirFwd}, {[]string{"no", "longer", "likes"}, factLike, dirFwd}, {[]string{"no", "longer", "loves"}, factLike, dirFwd}, {[]string{"no", "longer", "into"}, factLike, dirFwd}, {[]string{"no", "longer", "a", "fan", "of"}, factLike, dirFwd}, {[]string{"no", "longer", "likes"}, factLike, dirFwd}, {[]string{"no", "longer", "hates"}, factDislike, dirFwd}, {[]string{"no", "longer", "dislikes"}, factDislike, dirFwd}},
	"doesn't": {{[]string{"doesn't", "like", "anymore"}, factLike, dirBack}},
	"remove":  {{[]string{"remove", "allergy", "to"}, factAllergy, dirFwd}, {[]string{"remove", "allergy"}, factAllergy, dirEither}, {[]string{"remove", "like"}, factLike, dirFwd}},
	"delete":  {{[]string{"delete", "allergy", "to"}, factAllergy, dirFwd}, {[]string{"delete", "allergy"}, factAllergy, dirEither}},
	"never":   {{[]string{"never", "was", "allergic", "to"}, factAllergy, dirFwd}},
}

// passFactKeys finds allergy, like and dislike keywords, removals and diets.
func (s *state) passFactKeys() {
	for i := range s.toks {
		if t := s.word(i); t != nil && (t.low == "anymore" || t.low == "any" && s.lowAt(i+1) == "more") {
			t.role = rNeg
			if t.low == "any" {
				s.toks[i+1].role = rNeg
			}
		}
	}
	for i := 0; i < len(s.toks); i++ {
		t := s.word(i)
		if t == nil {
			continue
		}
		if v, ok := dietWords[t.low]; ok && s.dietFact(i) {
			t.role, t.head, t.val = rFact, true, v
			continue
		}
		if conditionWords[t.low] && s.dietFact(i) {
			t.role, t.head, t.val, t.aux = rFact, true, t.low, int(factAllergy)
			continue
		}
		if t.hangul {
			i += s.koFactKeyAt(i, t)
			continue
		}
		if pats, ok := enRemovePats[t.low]; ok {
			done := false
			for _, p := range pats {
				if s.matchWords(i, p.words) {
					s.addFactKey(i, i+len(p.words), p.kind, p.dir, true)
					i += len(p.words) - 1
					done = true
					break
				}
			}
			if done {
				continue
			}
		}
		for _, p := range enFactPats[t.low] {
			if s.matchWords(i, p.words) {
				remove := false
				// "remove the nut allergy", "delete allergy" before it.
				for j := i - 1; j >= 0 && j >= i-3; j-- {
					pw := s.word(j)
					if pw == nil {
						break
					}
					if enRemoveBefore[pw.low] {
						pw.role, remove = rNeg, true
						break
					}
				}
				s.addFactKey(i, i+len(p.words), p.kind, p.dir, remove)
				i += len(p.words) - 1
				break
			}
		}
	}
	// "nut allergy removed", "allergy to nuts: gone", "doesn't like it anymore".
	for f := 0; f < s.nfacts; f++ {
		fk := &s.facts[f]
		if fk.remove {
			continue
		}
		for j := fk.end; j < len(s.toks) && j <= fk.end+4; j++ {
			t := &s.toks[j]
			if t.sep == ';' {
				break
			}
			if t.sep != 0 || t.role != rNone && t.role != rNeg {
				continue
			}
			if (enRemoveAfter[t.low] || t.role == rNeg && (t.low == "anymore" || t.low == "more")) && (t.low != "no" || s.endAt(j+1)) {
				if t.low == "anymore" && fk.kind == factDislike {
					fk.kind = factLike
				}
				t.role, fk.remove = rNeg, true
				break
			}
			if j > fk.end+1 {
				break
			}
		}
	}
}

// dietFact reports whether the diet word at i is a fact ("Alex vegan",
// "Alex is vegetarian") rather than part of an item ("vegan cake 2").
func (s *state) dietFact(i int) bool {
	if nt := s.word(i + 1); nt != nil && !s.isMarker(i+1) && (nt.latin || nt.hangul) {
		if _, isDiet := dietWords[nt.low]; !isDiet && !enFillers2(nt.low) {
			return false
		}
	}
	if p := &s.toks[max(i-1, 0)]; i > 0 && p.role == rQty {
		return false
	}
	return true
}

// enFillers2 reports words after a diet word that still leave it a fact.
func enFillers2(w string) bool {
	switch w {
	case "and", "now", "too", "also", "since", "these", "so", "이고", "이에요", "임", "이래요", "라서", "이라서":
		return true
	}
	return false
}

// koIntensifiers may stand between a fact's value and its keyword:
// "시나몬롤 진짜 좋아하심".
var koIntensifiers = map[string]bool{
	"진짜": true, "정말": true, "너무": true, "완전": true, "엄청": true, "되게": true, "아주": true, "매우": true,
	"특히": true, "제일": true, "가장": true, "많이": true, "무척": true, "꽤": true, "좀": true, "심한": true,
	"심하게": true, "약간": true, "살짝": true, "조금": true, "극도로": true,
}

// koFactKeyAt reads a Korean fact keyword at i and returns the extra
// tokens it used.
func (s *state) koFactKeyAt(i int, t *token) int {
	w := t.low
	key, ok := koFactKeys[w]
	if !ok {
		if stem, _ := stripKo(w, false); stem != w {
			key, ok = koFactKeys[stem]
		}
	}
	if !ok {
		// 알레르기아님, 알러지없음: the removal glued on.
		for _, k := range [...]string{"알레르기", "알러지"} {
			if strings.HasPrefix(w, k) && koRemoval(w[len(k):]) {
				s.addFactKey(i, i+1, factAllergy, dirEither, true)
				return 0
			}
		}
	}
	used := 0
	if !ok {
		next := s.lowAt(i + 1)
		if !koFactSecond[next] {
			return 0
		}
		switch w {
		case "못":
			key = koFact{factAllergy, dirBack}
		case "안":
			key = koFact{factDislike, dirBack}
		case "즐겨":
			key = koFact{factLike, dirBack}
		default:
			return 0
		}
		used = 1
	}
	remove := false
	// "더 이상 안 좋아함", "이제 안 먹음": a like that is gone.
	if key.kind == factDislike && s.noLonger(i) {
		key.kind, remove = factLike, true
	}
	s.addFactKey(i, i+1+used, key.kind, key.dir, remove)
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		if p := s.word(j); p != nil && koIntensifiers[p.low] {
			p.role = rIgnore
			continue
		}
		break
	}
	// 딸기 알레르기 아님, 알레르기 없음, 알레르기 삭제.
	if nt := s.word(i + 1 + used); nt != nil && koRemoval(nt.low) {
		nt.role = rNeg
		s.facts[s.nfacts-1].remove = true
		used++
	}
	return used
}

// koRemoval reports a word saying a fact is wrong or gone: 아님,
// 없어졌대요, 삭제해주세요, 지워줘.
func koRemoval(w string) bool {
	if koRemoveAfter[w] {
		return true
	}
	for _, p := range [...]string{"없", "아니", "아님", "삭제", "지워", "지움", "빼줘", "빼주", "취소", "해제", "제거", "나았", "완치"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// noLonger reports "더 이상", "더이상", "이제", "이젠" just before i.
func (s *state) noLonger(i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		t := s.word(j)
		if t == nil {
			continue
		}
		switch t.low {
		case "더이상", "이젠", "이제는", "이제":
			t.role = rNeg
			return true
		case "이상":
			if s.lowAt(j-1) == "더" {
				t.role, s.toks[j-1].role = rNeg, rNeg
				return true
			}
		}
	}
	return false
}

// collectFacts collects the values of the fact keywords in [a, b).
func (s *state) collectFacts(a, b int) {
	for k := 0; k < s.nfacts; k++ {
		f := s.facts[k]
		if f.start < a || f.start >= b {
			continue
		}
		dir := f.dir
		if dir == dirEither {
			dir = dirFwd
			if p := s.word(f.start - 1); p != nil && !s.isMarker(f.start-1) && f.start-1 >= a {
				dir = dirBack
			} else if f.end < b && s.toks[f.end].sep == ':' {
				dir = dirFwd
			}
		}
		if dir == dirBack {
			s.collectBack(f, a)
		} else {
			s.collectFwd(f, b)
		}
	}
	for i := a; i < b; i++ {
		if t := &s.toks[i]; t.role == rFact && t.head && t.val != "" {
			kind := factLike
			if t.aux == int(factAllergy) {
				kind = factAllergy
			}
			s.addFact(kind, t.val, false)
		}
	}
}

func (s *state) addFact(kind factKind, v string, remove bool) {
	if v == "" {
		return
	}
	c := s.cl
	if remove {
		fk := crm.FactAllergy
		switch kind {
		case factLike:
			fk = crm.FactLike
		case factDislike:
			fk = crm.FactDislike
		}
		for _, x := range c.Remove {
			if x.Kind == fk && x.Value == v {
				return
			}
		}
		c.Remove = append(c.Remove, FactRef{Kind: fk, Value: v})
		return
	}
	var list *[]string
	switch kind {
	case factAllergy:
		list = &c.Allergies
	case factLike:
		list = &c.Likes
	default:
		list = &c.Dislikes
	}
	for _, x := range *list {
		if x == v {
			return
		}
	}
	*list = append(*list, v)
}

// factStop reports a token that ends a fact value.
func (s *state) factStop(j int) bool {
	t := &s.toks[j]
	return t.role != rNone && !(t.role == rQty && t.qk == qArticle) && t.role != rKnownItem || s.isMarker(j)
}

// collectBack reads the value before a keyword: "새우 알레르기",
// "새우랑 게 알레르기", "nut allergy".
func (s *state) collectBack(f factKey, a int) {
	end := f.start
	for end-1 >= a && s.toks[end-1].role == rIgnore && s.toks[end-1].sep == 0 {
		end-- // "시나몬롤 진짜 좋아하심"
	}
	j := end - 1
	for j >= a {
		t := &s.toks[j]
		if t.sep == ',' || t.sep == 0 && t.conj {
			j--
			continue
		}
		if t.sep != 0 || s.factStop(j) {
			break
		}
		j--
	}
	s.collectRange(j+1, end, f)
}

// collectFwd reads the value after a keyword: "allergic to walnuts and
// peanuts", "loves cinnamon rolls", "allergy: nuts, dairy".
func (s *state) collectFwd(f factKey, b int) {
	j := f.end
	if j < b && s.toks[j].sep == ':' {
		j++
	}
	start := j
	for j < b {
		t := &s.toks[j]
		if t.sep == ',' || t.sep == 0 && t.conj {
			if !s.chunkOK(j+1, b) {
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
		if s.factStop(j) {
			break
		}
		j++
	}
	s.collectRange(start, j, f)
}

// chunkOK reports whether the list entry starting at j can continue a fact
// value: plain words only, no quantity or other role.
func (s *state) chunkOK(j, b int) bool {
	words := 0
	for ; j < b; j++ {
		t := &s.toks[j]
		if t.sep != 0 || t.conj {
			break
		}
		if t.role == rQty && t.qk == qArticle || t.role == rNone && enDeterminers[t.low] {
			continue
		}
		if s.factStop(j) {
			return false
		}
		words++
	}
	return words > 0 && words <= 4
}

// collectRange turns tokens [a, b) into fact values, split at separators
// and list particles.
func (s *state) collectRange(a, b int, f factKey) {
	from := -1
	flush := func(end int) {
		if from >= 0 {
			s.addFact(f.kind, s.phraseName(from, end), f.remove)
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

// backFactAt reports a fact keyword at k whose value comes before it.
func (s *state) backFactAt(k int) bool {
	if k >= len(s.toks) || s.toks[k].role != rFactKey {
		return false
	}
	for f := 0; f < s.nfacts; f++ {
		if s.facts[f].start == k {
			d := s.facts[f].dir
			if d == dirEither {
				return !(s.facts[f].end < len(s.toks) && s.toks[s.facts[f].end].sep == ':')
			}
			return d == dirBack
		}
	}
	return false
}

// matchWords reports whether the unassigned words from i on are seq.
func (s *state) matchWords(i int, seq []string) bool {
	for k, w := range seq {
		if s.lowAt(i+k) != w {
			return false
		}
	}
	return true
}

// --- Birthdays ---

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
				stem = trimCopula(stem)
			} else if !t.digit {
				continue
			}
			if !koBirthday[stem] && !koBirthday[t.low] {
				// 1990년생, 90년생: a birth year alone.
				if v, tail, ok := koNumUnit(t.low, "년생"); ok && (tail == "" || koDateTails[tail]) {
					t.role, t.head, t.num = rBirthday, true, int64(fullYear(v, s.today.Year))
				}
				continue
			}
		default:
			continue
		}
		// "생일 케이크", "birthday party": a thing for a birthday, no fact.
		if nt := s.word(i + kw); nt != nil && birthdayThing(nt) {
			continue
		}
		// "40th birthday", "30번째 생일": the age goes with the birthday.
		if p := s.word(i - 1); p != nil && p.digit && trimOrdinal(p.low) != p.low {
			p.role = rBirthday
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
		if m, d, y, n := s.birthdayDate(j); n > 0 {
			s.setBirthday(i, j+n, y, m, d)
			continue
		}
		// Backward: DATE birthday, 3월 14일이 생일, 오늘 생일.
		done := false
		for a := max(i-5, 0); a < i && !done; a++ {
			if m, d, y, n := s.birthdayDate(a); n > 0 && a+n == i {
				s.setBirthday(a, i+kw, y, m, d)
				done = true
			}
		}
		if !done && s.endAt(i+kw) && t.hangul {
			// "김민지 생일" alone: a remark.
			s.mark(i, i+kw, rFree)
		}
	}
}

// birthdayThing reports a word that makes "birthday" part of a thing:
// 생일 케이크, birthday cake, birthday party.
func birthdayThing(t *token) bool {
	stem := t.low
	if t.hangul {
		stem, _ = stripKo(t.raw, false)
	}
	switch stem {
	case "파티", "선물", "축하", "초", "꽃", "케익", "party", "present", "gift", "card", "candles", "candle", "dinner", "lunch", "treat":
		return true
	}
	return commonItems[stem] || commonItems[singular(stem)] || t.hangul && koItemWord(stem)
}

// trimCopula drops 이래요, 이에요, 인, 임 from 생일이래요, 생일인.
func trimCopula(w string) string {
	for _, c := range [...]string{"이래요", "이에요", "이라고", "입니다", "이래", "이야", "인", "임", "이고", "이었음"} {
		if strings.HasSuffix(w, c) && len(w) > len(c) {
			return w[:len(w)-len(c)]
		}
	}
	return w
}

// birthdayDate reads a birthday's date at j: a calendar day ("3월 14일",
// "Oct 9", "7/21", "1990-05-03", "0314") or a relative day ("오늘",
// "tomorrow").
func (s *state) birthdayDate(j int) (m, d, y, n int) {
	t := s.word(j)
	if t == nil {
		return
	}
	// 0314: month and day in four digits.
	if t.digit && len(t.low) >= 4 {
		core := t.low
		k := 0
		for k < len(core) && isDigitASCII(rune(core[k])) {
			k++
		}
		if k == 4 && (k == len(core) || koDateTails[core[k:]]) {
			mm, _ := atoiSmall(core[:2], 2)
			dd, _ := atoiSmall(core[2:4], 2)
			if validMD(mm, dd) {
				return mm, dd, 0, 1
			}
		}
		if k == 8 && k == len(core) {
			yy, _ := atoiSmall(core[:4], 4)
			mm, _ := atoiSmall(core[4:6], 2)
			dd, _ := atoiSmall(core[6:8], 2)
			if validMD(mm, dd) && yy > 1900 {
				return mm, dd, yy, 1
			}
		}
	}
	e, n := s.matchDate(j)
	if n == 0 {
		return 0, 0, 0, 0
	}
	switch e.kind {
	case dkCalendar:
		return e.m, e.d, e.y, n
	case dkVague, dkMonths, dkYears:
		return 0, 0, 0, 0
	}
	// 오늘, tomorrow, 다음주 금요일: the day it falls on.
	if day, ok := e.resolve(s.today, prefFuture); ok && day.DaysSince(s.today) <= 366 && s.today.DaysSince(day) <= 31 {
		return int(day.Month), day.Day, 0, n
	}
	return 0, 0, 0, 0
}

// setBirthday marks [a, b) as a birthday of m-d (year y when written).
func (s *state) setBirthday(a, b, y, m, d int) {
	if !validMD(m, d) {
		return
	}
	s.mark(a, b, rBirthday)
	t := &s.toks[a]
	t.head, t.qty, t.num = true, m*100+d, int64(y)
}

// birthdayOf reads the payload of a birthday token.
func birthdayOf(t *token) (crm.MonthDay, int) {
	if t.qty == 0 {
		return crm.MonthDay{}, int(t.num)
	}
	return crm.MonthDay{Month: time.Month(t.qty / 100), Day: t.qty % 100}, int(t.num)
}

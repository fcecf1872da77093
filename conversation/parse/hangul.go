package parse

import (
	"strings"
	"unicode/utf8"
)

// Hangul syllables are composed as 0xAC00 + (initial*21 + medial)*28 + final;
// the final consonant (받침) decides which particle form follows a word.
const (
	hangulFirst = 0xAC00
	hangulLast  = 0xD7A3
	jongRieul   = 8  // ㄹ
	jongMieum   = 16 // ㅁ
	jongSsang   = 20 // ㅆ (past tense: 했, 갔, 왔)
)

func isSyllable(r rune) bool { return r >= hangulFirst && r <= hangulLast }

func isHangul(r rune) bool {
	return isSyllable(r) || r >= 0x1100 && r <= 0x11FF || r >= 0x3130 && r <= 0x318F ||
		r >= 0xA960 && r <= 0xA97F || r >= 0xD7B0 && r <= 0xD7FF
}

// jong returns the final consonant index of a syllable (0 = none), or -1 for
// anything that is not a Hangul syllable.
func jong(r rune) int {
	if !isSyllable(r) {
		return -1
	}
	return int(r-hangulFirst) % 28
}

// allSyllables reports whether s is made of Hangul syllables only.
func allSyllables(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isSyllable(r) {
			return false
		}
	}
	return true
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// Particle classes.
type pclass uint8

const (
	pcHonor pclass = 1 << iota // 님, 씨, 고객님
	pcCase                     // 이/가, 은/는, 을/를, 도, 의, 만 …
	pcAnd                      // 이랑/랑, 과/와, 하고: "and"
	pcPlace                    // 에, 에서, 으로/로, 에게, 한테: a sentence, not a list
)

// Particle conditions on the syllable before it.
const (
	needAny     = iota
	needBatchim // 은, 이, 을, 과, 이랑: after a final consonant
	needOpen    // 는, 가, 를, 와, 랑: after an open syllable
	needOpenL   // 로: open syllable or ㄹ
	needBatNotL // 으로: final consonant other than ㄹ
)

type koSuffix struct {
	s     string
	need  uint8
	class pclass
	name  bool // may be stripped from a name
}

// koSuffixes are tried longest first.
var koSuffixes = []koSuffix{
	{"고객님", needAny, pcHonor, true}, {"선생님", needAny, pcHonor, true}, {"사장님", needAny, pcHonor, true},
	{"손님", needAny, pcHonor, true}, {"께서는", needAny, pcCase, true}, {"께서", needAny, pcCase, true},
	{"에게서", needAny, pcPlace, true}, {"에게", needAny, pcPlace, true}, {"한테", needAny, pcPlace, true},
	{"에서", needAny, pcPlace, false}, {"까지", needAny, pcCase, false}, {"부터", needAny, pcCase, false},
	{"에는", needAny, pcPlace, false}, {"이랑", needBatchim, pcAnd, true}, {"하고", needAny, pcAnd, true},
	{"으로", needBatNotL, pcPlace, false}, {"이가", needBatchim, pcCase, true},
	{"님", needAny, pcHonor, true}, {"씨", needAny, pcHonor, true},
	{"은", needBatchim, pcCase, true}, {"는", needOpen, pcCase, true}, {"이", needBatchim, pcCase, true},
	{"가", needOpen, pcCase, true}, {"을", needBatchim, pcCase, true}, {"를", needOpen, pcCase, true},
	{"과", needBatchim, pcAnd, true}, {"와", needOpen, pcAnd, true}, {"랑", needOpen, pcAnd, true},
	{"로", needOpenL, pcPlace, false}, {"엔", needAny, pcPlace, false}, {"도", needAny, pcCase, true},
	{"의", needAny, pcCase, true}, {"에", needAny, pcPlace, true}, {"만", needAny, pcCase, false},
	{"께", needAny, pcPlace, true},
}

// particleEnd reports a syllable that some particle or honorific ends with.
func particleEnd(r rune) bool {
	switch r {
	case '님', '서', '는', '게', '테', '지', '터', '랑', '고', '로', '가', '씨', '은', '이', '을', '를',
		'과', '와', '엔', '도', '의', '에', '만', '께':
		return true
	}
	return false
}

// protect3 are particles that a three-syllable name keeps: 이정은 and 김지은
// are names, not 이정 + 은.
var protect3 = map[string]bool{"은": true, "이": true, "을": true, "과": true, "도": true, "의": true}

// stripKo removes particles and honorifics from the end of a Hangul word,
// using the final consonant of the syllable before them: 김민지가 → 김민지,
// 크루아상을 → 크루아상, 한지민님은 → 한지민, but 정하은 stays (하 has no
// final consonant, so 은 cannot be a particle there). At most one particle
// and then one honorific are removed. name selects the rules for names.
func stripKo(w string, name bool) (string, pclass) { return stripKoOpt(w, name, true) }

// stripKoOpt is stripKo; without protect a three-syllable name may lose
// a final 은/이/을 too (for a known shorter name: 김민 + 이).
func stripKoOpt(w string, name, protect bool) (string, pclass) {
	var got pclass
	for step := 0; step < 2; step++ {
		if !particleEnd(lastRune(w)) || koNoStrip[w] {
			break
		}
		matched := false
		for k := range koSuffixes {
			sf := &koSuffixes[k]
			if len(w) <= len(sf.s) || w[len(w)-1] != sf.s[len(sf.s)-1] || !strings.HasSuffix(w, sf.s) {
				continue
			}
			if got != 0 && sf.class != pcHonor {
				continue // the particle comes last; only an honorific may precede it
			}
			if name && !sf.name {
				continue
			}
			stem := w[:len(w)-len(sf.s)]
			j := jong(lastRune(stem))
			if j < 0 {
				continue
			}
			switch sf.need {
			case needBatchim:
				if j == 0 {
					continue
				}
			case needOpen:
				if j != 0 {
					continue
				}
			case needOpenL:
				if j != 0 && j != jongRieul {
					continue
				}
			case needBatNotL:
				if j == 0 || j == jongRieul {
					continue
				}
			}
			if sf.s == "씨" && (utf8.RuneCountInString(stem) < 2 || koNoStrip[w]) {
				continue
			}
			if protect && name && got == 0 && protect3[sf.s] && utf8.RuneCountInString(w) == 3 && koSurnames[firstRune(w)] {
				continue
			}
			w, got, matched = stem, got|sf.class, true
			break
		}
		if !matched || got&pcHonor != 0 {
			break
		}
	}
	return w, got
}

// koNumeral reads a numeral at the start of s: digits, a native Korean
// number (하나, 두, 열두, 스무) or a Sino-Korean one (삼, 이십삼). pre
// reports a form that needs a counter; sino reports a Sino-Korean numeral.
func koNumeral(s string) (v int, rest string, pre, sino, ok bool) {
	if s == "" {
		return
	}
	if isDigitASCII(rune(s[0])) {
		k := 0
		for k < len(s) && isDigitASCII(rune(s[k])) {
			if k >= 4 {
				return 0, "", false, false, false
			}
			v = v*10 + int(s[k]-'0')
			k++
		}
		return v, s[k:], false, false, true
	}
	if !koNumFirst(firstRune(s)) {
		return
	}
	// Native: [tens][unit].
	rest = s
	var tens koNum
	for _, t := range koNativeTens {
		if strings.HasPrefix(rest, t.s) {
			tens = t
			rest = rest[len(t.s):]
			break
		}
	}
	var unit koNum
	if tens.v == 0 || !tens.pre {
		for _, u := range koNativeUnits {
			if strings.HasPrefix(rest, u.s) {
				unit = u
				rest = rest[len(u.s):]
				break
			}
		}
	}
	if tens.v+unit.v > 0 {
		pre = unit.pre || unit.v == 0 && tens.pre
		return tens.v + unit.v, rest, pre, false, true
	}
	// Sino-Korean: [d]십[d] or d.
	rest = s
	a, sz := firstRuneSize(rest)
	da, isD := koSinoDigits[a]
	if isD {
		rest = rest[sz:]
	}
	if strings.HasPrefix(rest, "십") {
		if !isD {
			da = 1
		}
		v = da * 10
		rest = rest[len("십"):]
		if b, sz := firstRuneSize(rest); koSinoDigits[b] > 0 {
			v += koSinoDigits[b]
			rest = rest[sz:]
		}
		return v, rest, true, true, true
	}
	if isD {
		return da, rest, true, true, true
	}
	return 0, "", false, false, false
}

// koNumFirst reports a syllable that may open a Korean numeral.
func koNumFirst(r rune) bool {
	switch r {
	case '하', '한', '둘', '두', '셋', '세', '석', '넷', '네', '넉', '다', '여', '일', '아', '열', '스', '서', '마',
		'쉰', '이', '삼', '사', '오', '육', '칠', '팔', '구', '십':
		return true
	}
	return false
}

func firstRuneSize(s string) (rune, int) {
	if s == "" {
		return 0, 0
	}
	return utf8.DecodeRuneInString(s)
}

// koCounterPrefix returns the counter that s starts with, or "".
func koCounterPrefix(s string) string {
	for _, c := range koCounters {
		if strings.HasPrefix(s, c) {
			return c
		}
	}
	return ""
}

// koQtyResult is a Korean quantity read from one token.
type koQtyResult struct {
	v       int
	counter string // "" when none
	needs   bool   // a prenoun numeral waiting for a counter word: 세 (잔)
	link    bool   // ends in 랑/와/과/하고
	bare    bool   // a standalone numeral without counter: 하나, 2
}

// koQtyTok reads a whole token as a Korean quantity: "2개", "세잔",
// "열두개랑", "하나", "삼잔".
func koQtyTok(s string) (koQtyResult, bool) {
	v, rest, pre, sino, ok := koNumeral(s)
	if !ok || v < 0 {
		return koQtyResult{}, false
	}
	if rest == "" {
		if pre {
			return koQtyResult{v: v, needs: true}, true
		}
		return koQtyResult{v: v, bare: true}, true
	}
	c := koCounterPrefix(rest)
	if c == "" {
		if !pre && !sino && koLinkTails[rest] {
			return koQtyResult{v: v, bare: true, link: true}, true
		}
		if !sino && (rest == "씩" || rest == "씩이요" || rest == "씩요") {
			return koQtyResult{v: v, bare: true}, true
		}
		return koQtyResult{}, false
	}
	if sino && !koSinoCounters[c] {
		return koQtyResult{}, false
	}
	tail := rest[len(c):]
	if !koQtyTails[tail] {
		return koQtyResult{}, false
	}
	return koQtyResult{v: v, counter: c, link: koLinkTails[tail]}, true
}

// koCounterTok reads a token that is a counter alone: "잔", "개랑".
func koCounterTok(s string) (counter string, link, ok bool) {
	c := koCounterPrefix(s)
	if c == "" || !koQtyTails[s[len(c):]] {
		return "", false, false
	}
	return c, koLinkTails[s[len(c):]], true
}

// jamoOnly reports a token of bare consonants or vowels: ㅋㅋ, ㅠㅠ.
func jamoOnly(s string) bool {
	for _, r := range s {
		if !(r >= 0x3130 && r <= 0x318F) {
			return false
		}
	}
	return s != ""
}

// koMarker reports a Korean word that makes its phrase a sentence rather
// than a list of items: verbs (이사 감, 바쁨, 했어요), adverbs and time words.
func koMarker(w string) bool { return koMarkerRule(w, true) }

// koMarkerRule is koMarker; without mieum the ㅁ-final rule (바쁨, 이사 감)
// is left out, for names such as 김보람.
func koMarkerRule(w string, mieum bool) bool {
	if koMarkers[w] {
		return true
	}
	if commonItems[w] {
		return false // 펌, 잼: nouns that look like verbs
	}
	if koMarkerOK[w] || !allSyllables(w) {
		return false
	}
	n := utf8.RuneCountInString(w)
	last := lastRune(w)
	if n >= 2 && (last == '요' || last == '다' || last == '죠' || last == '네' && n >= 3) {
		return true
	}
	if mieum && jong(last) == jongMieum && !koMarkerLast[last] {
		return true
	}
	for _, r := range w {
		if jong(r) == jongSsang {
			return true
		}
	}
	if n >= 2 && last == '고' && !strings.HasSuffix(w, "망고") {
		return true
	}
	for _, end := range [...]string{"는데", "지만", "려고", "니까", "면서", "어서", "아서", "해서", "셔서", "여서", "하는", "하러", "으러", "다가", "라서", "해야", "할"} {
		if strings.HasSuffix(w, end) && len(w) > len(end) || w == "할" {
			return true
		}
	}
	if _, cls := stripKo(w, false); cls&pcPlace != 0 {
		return true
	}
	return false
}

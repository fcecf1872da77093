package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxInput bounds the text that is read. Notes are chat messages; anything
// past this is ignored so a pasted document costs no more than a long note.
const maxInput = 4096

// role is what a token was understood as.
type role uint8

const (
	rNone       role = iota // not understood yet
	rName                   // part of the customer's name
	rDate                   // part of a date expression
	rUsual                  // part of a usual-weekday expression
	rBirthday               // part of a birthday
	rContext                // a context word
	rFiller                 // a verb or filler word, dropped
	rLookup                 // a lookup word: "who is", "정보"
	rFactKey                // a fact keyword: "allergic to", "좋아함"
	rFact                   // part of a fact's value
	rAmount                 // an amount paid
	rQty                    // a quantity
	rItem                   // part of an item name
	rKnownItem              // a known item (Options.Items)
	rFree                   // free text, goes to Result.Note
	rIgnore                 // dropped silently
	rTime                   // a clock time: 3시, 3pm
	rBooking                // a booking word: 예약, pickup
	rNeg                    // a removal or negation: 아님, 삭제, not
	rCorr                   // a correction marker: 아니, oh wait, I meant
	rUsualOrder             // "the usual", 늘 먹던 거
	rMod                    // an item modifier: iced, 샷추가
	rMemo                   // a remark kept whole in Note: stamps, coupons, lexicon memo words
	rQuestion               // part of a counter question
)

// roleNames are the roles as --explain prints them.
var roleNames = [...]string{
	rNone: "none", rName: "name", rDate: "date", rUsual: "usual", rBirthday: "birthday",
	rContext: "context", rFiller: "filler", rLookup: "lookup", rFactKey: "fact", rFact: "fact_value",
	rAmount: "amount", rQty: "qty", rItem: "item", rKnownItem: "item", rFree: "note", rIgnore: "ignore",
	rTime: "time", rBooking: "booking", rNeg: "negation", rCorr: "correction", rUsualOrder: "usual_order",
	rMod: "mod", rMemo: "memo", rQuestion: "question",
}

// qkind tells how a quantity token is written, which decides whether it
// belongs to the noun before or after it.
type qkind uint8

const (
	qNone    qkind = iota // continuation of a multi-token quantity
	qBare                 // digits alone: "3 bagels", "라떼 2"
	qWord                 // English number word: "three bagels"
	qArticle              // "a", "an": a weak 1
	qMult                 // "x2", "×2", "2x"
	qCounted              // Korean number with counter: "2개", "세 잔"
	qKoBare               // Korean standalone numeral: "하나", "둘"
)

// token is one word or separator of the note.
type token struct {
	raw, low   string // as written; lower-cased
	val        string // normalised value (known item, counter …)
	start, end int    // byte offsets in the text
	qty        int
	sep        byte // ',' list, ';' clause, '?' question, ':' colon; 0 for words
	role       role
	qk         qkind
	hangul     bool  // has Hangul
	latin      bool  // has a Latin letter
	upper      bool  // starts with an upper-case letter
	digit      bool  // starts with an ASCII digit
	link       bool  // ends a list entry (Korean 랑/와/과, English "and")
	conj       bool  // is a conjunction word ("and", "그리고")
	cont       bool  // continues the previous token's known item
	used       bool  // a quantity that was given to an item
	head       bool  // first token of a tagged span that carries a payload
	visit      bool  // a visit verb: came in, 샀어요
	habit      bool  // a present-tense habit verb: comes, 와요
	unknown    bool  // free text the parser could not place
	generic    bool  // a booking word left out of Booking.What: 예약, booking
	num        int64 // payload: amount (minor units), birth year, minutes of a time
	aux        int   // payload: index into state tables, weekday
}

func isDigitASCII(r rune) bool { return r >= '0' && r <= '9' }

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if r == utf8.RuneError {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isLeadRune may start a word although it is no letter: "$12", "×2".
func isLeadRune(r rune) bool {
	switch r {
	case '×', '*', '$', '₩', '￦', '€', '£', '¥':
		return true
	}
	return false
}

func isSpaceRune(r rune) bool {
	if r == ' ' || r == '\t' {
		return true
	}
	switch r {
	case 0xFEFF, 0x200B, 0x200C, 0x200D, 0x2060, 0x00AD, utf8.RuneError:
		return true
	}
	return unicode.IsSpace(r) || unicode.IsControl(r)
}

// sepKind returns the separator a rune stands for, 0 for none.
func sepKind(r rune) byte {
	switch r {
	case ',', '，', '、', '(', ')', '[', ']', '{', '}', '·', '•', '|', '/', '~', '〜', '&', '+',
		'＆', '＋', '-', '—', '–', '‐', '‑', '=', '（', '）', '「', '」', '『', '』', '<', '>', '＝':
		return ','
	case ';', '；', '.', '。', '…', '!', '！', '\n', '\r', 0x2028, 0x2029:
		return ';'
	case '?', '？':
		return '?'
	case ':', '：':
		return ':'
	}
	return 0
}

// sanitize bounds and repairs the text: at most maxInput bytes, valid
// UTF-8, typographic apostrophes made plain.
func sanitize(s string) string {
	if len(s) > maxInput {
		k := maxInput
		for k > 0 && !utf8.RuneStart(s[k]) {
			k--
		}
		s = s[:k]
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	if strings.ContainsRune(s, '’') {
		s = strings.ReplaceAll(s, "’", "'")
	}
	return s
}

// tokenize splits s into words and separators.
func tokenize(s string, toks []token) []token {
	n := len(s)
	for i := 0; i < n; {
		r, sz := utf8.DecodeRuneInString(s[i:])
		if k := sepKind(r); k != 0 {
			// A newline or repeated separator collapses into one.
			if len(toks) > 0 && toks[len(toks)-1].sep != 0 && toks[len(toks)-1].end == i {
				last := &toks[len(toks)-1]
				if k == '?' || k == ';' && last.sep == ',' {
					last.sep = k
				}
				last.end = i + sz
			} else {
				toks = append(toks, token{raw: s[i : i+sz], low: s[i : i+sz], start: i, end: i + sz, sep: k})
			}
			i += sz
			continue
		}
		if isSpaceRune(r) || !isWordRune(r) && !isLeadRune(r) {
			i += sz
			continue
		}
		j := i
		var prev rune
		words := 0
		for j < n {
			r, sz := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r) {
				if prev != 0 && isDigitASCII(r) && isHangul(prev) {
					break
				}
				if prev != 0 && isLeadRune(prev) && j > i && !isDigitASCII(r) && prev != '×' && prev != '*' {
					// "$abc": the sign was not a lead after all.
					break
				}
				prev, j = r, j+sz
				words++
				continue
			}
			if j == i && isLeadRune(r) {
				prev, j = r, j+sz
				continue
			}
			if prev != 0 && inWord(s, i, j, prev, r, sz) {
				prev, j = r, j+sz
				continue
			}
			break
		}
		if j == i {
			i += sz
			continue
		}
		if words == 0 {
			i = j
			continue
		}
		toks = append(toks, newToken(s, i, j))
		i = j
	}
	return toks
}

// inWord reports whether the punctuation r at s[j] belongs to the word that
// started at s[i]: "take-out", "a.m.", "5,000", "11/24", "7:30", "Mrs.".
func inWord(s string, i, j int, prev, r rune, sz int) bool {
	var next rune
	if j+sz < len(s) {
		next, _ = utf8.DecodeRuneInString(s[j+sz:])
	}
	switch r {
	case '\'':
		return unicode.IsLetter(prev) && unicode.IsLetter(next)
	case '-', '‐', '‑':
		return isWordRune(prev) && isWordRune(next)
	case '.':
		if isWordRune(prev) && isWordRune(next) && !isHangul(prev) && !isHangul(next) {
			return true
		}
		return !isWordRune(next) && enAbbrevDot[strings.ToLower(s[i:j])]
	case ',':
		if !isDigitASCII(prev) {
			return false
		}
		k := j + 1
		for d := 0; d < 3; d++ {
			if k+d >= len(s) || !isDigitASCII(rune(s[k+d])) {
				return false
			}
		}
		return k+3 >= len(s) || !isDigitASCII(rune(s[k+3]))
	case '/', ':':
		return isDigitASCII(prev) && isDigitASCII(next)
	case '×', '*':
		return isDigitASCII(prev) && !isWordRune(next)
	}
	return false
}

func newToken(s string, i, j int) token {
	raw := s[i:j]
	t := token{raw: raw, start: i, end: j}
	first := true
	for _, r := range raw {
		if first {
			t.upper = unicode.IsUpper(r)
			t.digit = isDigitASCII(r)
			first = false
		}
		if isHangul(r) {
			t.hangul = true
		} else if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				t.latin = true
			}
		} else if unicode.Is(unicode.Latin, r) {
			t.latin = true
		}
	}
	t.low = strings.ToLower(raw)
	return t
}

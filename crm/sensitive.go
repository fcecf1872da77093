package crm

import (
	"regexp"
	"strings"
	"unicode"
)

// Kinds of detail a memo should rather not keep (MemoScreen.Kind).
const (
	SensitivePhone   = "phone"
	SensitiveEmail   = "email"
	SensitiveAddress = "address"
	SensitiveHealth  = "health"
)

// MemoScreen tells memos the shop had better not keep (Kind). Make one
// with NewMemoScreen; it is safe for concurrent use.
type MemoScreen struct {
	email, digits, date, koAddress, enAddress *regexp.Regexp
}

// NewMemoScreen compiles the screen's patterns.
func NewMemoScreen() *MemoScreen {
	return &MemoScreen{
		email: regexp.MustCompile(`[^\s@]+@[^\s@]+\.[^\s@.]{2,}`),
		// Runs of digits with the separators phone numbers are written with.
		digits: regexp.MustCompile(`\+?\(?\d[\d\s().\-]{5,}\d`),
		date:   regexp.MustCompile(`^\d{4}[\-./]\d{1,2}[\-./]\d{1,2}$`),
		// Korean addresses: 시/도 + 구/군, a road with a number (연남로 12,
		// not 커피로 2잔), a neighbourhood with a lot number (연남동 123-4),
		// a flat (101동 1203호).
		koAddress: regexp.MustCompile(`\p{Hangul}+(시|도)\s*\p{Hangul}+(구|군)(\s|$)|` +
			`\p{Hangul}{2,}(로|길)\s*\d+(-\d+)?(\s|$|,|번길|길)|\p{Hangul}+동\s*\d+(-\d+|번지)|\d+\s*동\s*\d+\s*호`),
		// English addresses: a number and a street ("12 Baker Street").
		enAddress: regexp.MustCompile(`(?i)\b\d+\w*\s+(\w+\s+){0,3}(street|st|avenue|ave|road|rd|lane|ln|boulevard|blvd|terrace|crescent)\b`),
	}
}

// sensitiveWords are words (lowercase) that give a memo away as a phone
// number, an address or a health detail, by kind. Allergies are not here:
// the shop keeps them on purpose, to keep the customer safe.
var sensitiveWords = map[string][]string{
	SensitivePhone: {"전화", "연락처", "연락", "핸드폰", "휴대폰", "폰번호", "번호", "phone", "mobile", "cell", "tel.", "call", "contact", "number"},
	SensitiveAddress: {"주소", "사는 곳", "사는곳", "아파트", "빌라", "오피스텔", "번지", "우편번호",
		"address", "lives at", "lives on", "apt", "apartment", "flat ", "zip", "postcode", "post code"},
	SensitiveHealth: {
		"임신", "임산부", "출산", "당뇨", "혈압", "고지혈", "항암", "투병", "암 진단", "암진단", "암 환자", "암환자",
		"위암", "폐암", "간암", "유방암", "대장암", "갑상선", "수술", "입원", "퇴원", "병원", "치료", "진단", "질환",
		"환자", "우울", "공황", "불안장애", "장애", "치매", "정신과", "상담 치료", "복용", "약 먹", "약먹", "투석",
		"천식", "아토피", "심장", "간염", "뇌졸중", "중풍", "편찮", "아파서", "아파요", "아프다", "아프셔", "아픔",
		"몸이 안 좋", "몸살", "다쳤", "다침", "부상",
		"깁스", "감기", "독감", "코로나", "장염", "편두통", "시험관", "난임", "생리", "휠체어", "청각", "시각장애",
		"pregnan", "diabet", "blood pressure", "cancer", "chemo", "tumor", "tumour", "surgery", "operation",
		"hospital", "illness", "sick", "disease", "diagnos", "depress", "anxiety", "panic", "disab", "dementia",
		"alzheimer", "medication", "medicine", "pills", "therapy", "asthma", "eczema", "heart condition",
		"stroke", "injur", "broken leg", "broken arm", "wheelchair", "hiv", "adhd", "autis", "epilep", "migraine",
		"covid", "flu", "ivf", "miscarr", "celiac", "coeliac", "insulin", "psychiatr",
	},
}

// Kind returns what a memo about a customer looks like it contains that
// the shop had better not keep: a phone number (SensitivePhone), an e-mail
// address, a home address or a health detail (allergies aside); "" for
// none. It errs on the side of asking.
func (m *MemoScreen) Kind(memo string) string {
	lower := strings.ToLower(memo)
	if m.email.MatchString(memo) {
		return SensitiveEmail
	}
	for _, run := range m.digits.FindAllString(memo, -1) {
		run = strings.TrimSpace(run)
		digits := countDigits(run)
		if m.date.MatchString(run) {
			continue
		}
		if digits >= 10 || digits >= 9 && (strings.HasPrefix(run, "0") || strings.HasPrefix(run, "+")) {
			return SensitivePhone
		}
	}
	for _, kind := range []string{SensitivePhone, SensitiveAddress, SensitiveHealth} {
		for _, w := range sensitiveWords[kind] {
			if strings.Contains(lower, w) {
				if kind == SensitivePhone && countDigits(memo) < 4 {
					continue // "prefers a phone call": no number
				}
				if kind == SensitiveHealth && isASCII(w) && !wordAt(lower, w) {
					continue
				}
				return kind
			}
		}
	}
	if m.koAddress.MatchString(memo) || m.enAddress.MatchString(memo) {
		return SensitiveAddress
	}
	return ""
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// wordAt reports whether w occurs in s at the start of a word, so "flu"
// does not match "fluffy" only because it starts it… unless the word is a
// stem (then any word starting with it counts). Short words must stand
// alone.
func wordAt(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isWordByte(s[j-1])
		end := j + len(w)
		after := end == len(s) || !isWordByte(s[end])
		if before && (after || len(w) >= 5) {
			return true
		}
		i = j + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80
}

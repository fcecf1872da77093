package parse

import (
	"strings"
	"unicode/utf8"
)

// Amounts paid: "15000원", "1만5천원", "3만원", "₩4,500", "$12", "£3.50",
// "€4", "12 dollars", "paid 12.50", "12000원어치". They are kept in the
// minor unit of their currency and are never items or quantities.

// minorDigits is how many minor-unit digits a currency has.
func minorDigits(cur string) int {
	switch cur {
	case "KRW", "JPY", "VND", "CLP", "ISK", "HUF", "TWD":
		return 0
	}
	return 2
}

// currency is the currency of a bare amount.
func (s *state) currency() string {
	switch {
	case s.opt.Currency != "":
		return strings.ToUpper(s.opt.Currency)
	case s.res.Lang == "ko":
		return "KRW"
	}
	return "USD"
}

var signCurrency = map[rune]string{'$': "USD", '€': "EUR", '£': "GBP", '₩': "KRW", '￦': "KRW", '¥': "JPY"}

// unitCurrency are words (or word endings) naming a currency after a number.
var unitCurrency = map[string]string{
	"원": "KRW", "원어치": "KRW", "원치": "KRW", "원짜리": "KRW", "원정도": "KRW", "원이요": "KRW", "원결제": "KRW",
	"won": "KRW", "krw": "KRW", "달러": "USD", "불": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
	"bucks": "USD", "buck": "USD", "eur": "EUR", "euro": "EUR", "euros": "EUR", "유로": "EUR", "gbp": "GBP",
	"pounds": "GBP", "pound": "GBP", "quid": "GBP", "엔": "JPY", "yen": "JPY", "jpy": "JPY", "파운드": "GBP",
	"원에": "KRW", "원은": "KRW", "원을": "KRW", "원이": "KRW", "원으로": "KRW", "원에요": "KRW",
}

// moneyLead are words before a bare amount that make it money: "paid 12.50".
var moneyLead = map[string]bool{
	"paid": true, "pay": true, "pays": true, "total": true, "totaling": true, "totalling": true, "spent": true,
	"결제": true, "결제함": true, "총": true, "금액": true, "합계": true, "계산": true, "지불": true, "총액": true,
}

// parseAmount reads "12", "12.50", "4,500" into minor units of cur.
func parseAmount(w, cur string) (int64, bool) {
	if w == "" {
		return 0, false
	}
	digits := minorDigits(cur)
	var v int64
	n := 0
	frac, fracDigits := int64(0), -1
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= '0' && c <= '9':
			if n >= 13 {
				return 0, false
			}
			if fracDigits >= 0 {
				if fracDigits >= 2 {
					return 0, false
				}
				frac = frac*10 + int64(c-'0')
				fracDigits++
				continue
			}
			v = v*10 + int64(c-'0')
			n++
		case c == ',' && fracDigits < 0:
		case c == '.' && fracDigits < 0 && n > 0:
			fracDigits = 0
		default:
			return 0, false
		}
	}
	if n == 0 || fracDigits == 0 {
		return 0, false
	}
	for k := 0; k < digits; k++ {
		v *= 10
	}
	if fracDigits > 0 && digits > 0 {
		if fracDigits == 1 {
			frac *= 10
		}
		if digits == 2 {
			v += frac
		}
	}
	return v, true
}

// splitDigits splits "5,000원" into "5,000" and "원".
func splitDigits(w string) (string, string) {
	k := 0
	for k < len(w) && (isDigitASCII(rune(w[k])) || w[k] == ',' || w[k] == '.') {
		k++
	}
	return w[:k], w[k:]
}

// koMoney reads "5천원", "1만5천원", "만원", "3만", "12,000원" in won.
func koMoney(w string) (int64, bool) {
	for _, suf := range [...]string{"어치", "정도", "짜리", "이요", "결제", "에", "은", "을", "이", "으로"} {
		if strings.HasSuffix(w, suf) && strings.Contains(w, "원") {
			w = strings.TrimSuffix(w, suf)
			break
		}
	}
	won := strings.HasSuffix(w, "원")
	w = strings.TrimSuffix(w, "원")
	var total, cur int64
	units := false
	for w != "" {
		num, rest := splitDigits(w)
		var n int64 = 1
		has := num != ""
		if has {
			v, ok := parseAmount(num, "KRW")
			if !ok {
				return 0, false
			}
			n = v
		} else if r, sz := firstRuneSize(rest); koSinoDigits[r] > 0 && len(rest) > sz {
			// 오천원, 삼만원: Sino-Korean digits.
			if nx, _ := firstRuneSize(rest[sz:]); nx == '만' || nx == '천' || nx == '백' || nx == '십' {
				n, has, rest = int64(koSinoDigits[r]), true, rest[sz:]
			}
		}
		switch {
		case strings.HasPrefix(rest, "만"):
			if has || cur == 0 {
				cur += n
			}
			total += cur * 10000
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
		case strings.HasPrefix(rest, "십"):
			cur += n * 10
			w = rest[len("십"):]
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

// passAmount marks amounts paid.
func (s *state) passAmount() {
	for i := 0; i < len(s.toks); i++ {
		t := s.word(i)
		if t == nil {
			continue
		}
		m, n := s.amountAt(i, t)
		if n == 0 || m.Minor <= 0 {
			continue
		}
		s.mark(i, i+n, rAmount)
		t.head, t.num, t.val = true, m.Minor, m.Currency
		// "for £3.50", "paid $12": the lead word goes with the amount.
		if p := s.word(i - 1); p != nil && (p.low == "for" || p.low == "at" || p.low == "of") {
			p.role = rAmount
		}
		i += n - 1
	}
}

// amountAt reads an amount at token i.
func (s *state) amountAt(i int, t *token) (Money, int) {
	w := t.low
	r, sz := utf8.DecodeRuneInString(w)
	if cur, ok := signCurrency[r]; ok {
		v, ok := parseAmount(w[sz:], cur)
		if !ok {
			return Money{}, 0
		}
		return Money{Minor: v, Currency: cur}, 1
	}
	if t.digit {
		num, unit := splitDigits(w)
		if cur, ok := unitCurrency[unit]; ok {
			if v, ok := parseAmount(num, cur); ok {
				return Money{Minor: v, Currency: cur}, 1
			}
			return Money{}, 0
		}
		if unit == "" {
			if cur, ok := unitCurrency[s.lowAt(i+1)]; ok {
				if v, ok := parseAmount(num, cur); ok {
					return Money{Minor: v, Currency: cur}, 2
				}
			}
			// paid 12.50, 결제 15000: a bare amount after a pay word.
			if p := s.word(i - 1); p != nil && moneyLead[p.low] || s.lowAt(i-2) == "paid" && s.lowAt(i-1) == "" {
				if v, ok := parseAmount(num, s.currency()); ok && (s.currency() != "KRW" || v >= 100) {
					return Money{Minor: v, Currency: s.currency()}, 1
				}
			}
			return Money{}, 0
		}
	}
	if t.hangul && (t.digit || strings.HasPrefix(w, "만") || strings.HasPrefix(w, "천") || koSinoDigits[firstRune(w)] > 0 && strings.ContainsAny(w, "만천백")) {
		v, ok := koMoney(w)
		if !ok || v <= 0 {
			return Money{}, 0
		}
		if strings.Contains(w, "원") {
			return Money{Minor: v, Currency: "KRW"}, 1
		}
		// "1만 5천원": a number in 만/천 needs 원 on it or on the next word.
		if nt := s.word(i + 1); nt != nil && nt.hangul {
			if v2, ok := koMoney(nt.low); ok && strings.Contains(nt.low, "원") {
				return Money{Minor: v + v2, Currency: "KRW"}, 2
			}
			if nt.low == "원" || unitCurrency[nt.low] == "KRW" {
				return Money{Minor: v, Currency: "KRW"}, 2
			}
		}
		if p := s.word(i - 1); p != nil && moneyLead[p.low] {
			return Money{Minor: v, Currency: "KRW"}, 1
		}
	}
	return Money{}, 0
}

// passAmountBare reads amounts written without a currency where nothing
// else fits: "4.50" (no date), "15000" in a Korean note.
func (s *state) passAmountBare() {
	for i := range s.toks {
		t := s.word(i)
		if t == nil || !t.digit || t.hangul {
			continue
		}
		num, unit := splitDigits(t.low)
		if unit != "" || num != t.low {
			continue
		}
		cur := s.currency()
		ok := false
		if dot := strings.IndexByte(num, '.'); dot > 0 && len(num)-dot == 3 && strings.Count(num, ".") == 1 {
			_, _, _, isDate := numDate(num, false)
			ok = !isDate && minorDigits(cur) == 2
		} else if strings.IndexByte(num, '.') < 0 && s.res.Lang == "ko" && cur == "KRW" {
			v, okv := parseAmount(num, cur)
			ok = okv && v >= 1000 && v%100 == 0
		}
		if !ok {
			continue
		}
		if v, okv := parseAmount(num, cur); okv && v > 0 {
			t.role, t.head, t.num, t.val = rAmount, true, v, cur
		}
	}
}

package ledger

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// errRange is a real date outside the years a ledger can hold.
var errRange = errors.New("ledger: date out of range")

// ParseDate reads YYYY-MM-DD, YYYY.MM.DD or YYYY/MM/DD (one-digit months
// and days too, and a trailing dot as in 2026.11.24.).
func ParseDate(s string) (crm.Date, error) { return parseDate(s, false) }

// parseDate reads a date cell: year first (2026-11-20, 2026.11.20.,
// 2026/11/20, 2026년 11월 20일), with a time after it ignored
// (2026-11-20 14:30); otherwise month first when us (11/20/2026,
// 11/20/26) and day first when not (20.11.2026); or an Excel date serial
// number (46346).
func parseDate(s string, us bool) (crm.Date, error) {
	bad := func(why string) (crm.Date, error) {
		return crm.Date{}, fmt.Errorf("ledger: date %q%s: %w", s, why, crm.ErrInvalidInput)
	}
	t := strings.TrimSpace(s)
	if n, err := strconv.Atoi(t); err == nil && len(t) == 5 {
		// Excel counts days from 1899-12-30 (its 1900 leap-year bug
		// included for serials after February 1900).
		return crm.DateOf(time.Date(1899, 12, 30, 12, 0, 0, 0, time.UTC).AddDate(0, 0, n), time.UTC), nil
	}
	if strings.ContainsAny(t, "년월일") {
		t = strings.NewReplacer("년", "-", "월", "-", "일", "").Replace(t)
	}
	if i := strings.IndexAny(t, "T"); i >= 8 {
		t = t[:i]
	}
	f := strings.FieldsFunc(t, func(r rune) bool { return r == '-' || r == '.' || r == '/' || r == ' ' })
	if len(f) > 3 && strings.Contains(f[3], ":") {
		f = f[:3] // a time of day
	}
	if len(f) == 4 && (f[3] == "오전" || f[3] == "오후" || strings.EqualFold(f[3], "am") || strings.EqualFold(f[3], "pm")) {
		f = f[:3]
	}
	if len(f) == 5 && strings.Contains(f[4], ":") {
		f = f[:3] // "2026. 11. 20. 오후 2:30"
	}
	if len(f) != 3 {
		return bad("")
	}
	n := [3]int{}
	for i, p := range f {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return bad("")
		}
		n[i] = v
	}
	var y, m, d int
	switch {
	case len(f[0]) == 4:
		y, m, d = n[0], n[1], n[2]
	case len(f[2]) != 4 && len(f[2]) != 2:
		return bad("")
	case us:
		m, d, y = n[0], n[1], n[2]
	default:
		d, m, y = n[0], n[1], n[2]
	}
	if len(f[0]) != 4 && len(f[2]) == 2 {
		y += 2000
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return bad("")
	}
	date := crm.NewDate(y, time.Month(m), d)
	if date.Day != d {
		return bad(": no such day")
	}
	return date, nil
}

// checkRange refuses days before 1900 and, when today is known, after
// tomorrow.
func checkRange(d, today crm.Date) error {
	if d.Year < 1900 || !today.IsZero() && d.After(today.AddDays(1)) {
		return fmt.Errorf("%w: %s", errRange, d)
	}
	return nil
}

func parseBirthday(s string) (crm.MonthDay, error) {
	s = strings.TrimSpace(strings.NewReplacer("월", "-", "일", "").Replace(s))
	if len(s) >= 8 && strings.Count(s, "-")+strings.Count(s, ".")+strings.Count(s, "/") >= 2 {
		d, err := ParseDate(s)
		if err != nil {
			return crm.MonthDay{}, err
		}
		return crm.MonthDay{Month: d.Month, Day: d.Day}, nil
	}
	return crm.ParseMonthDay(strings.NewReplacer("/", "-", ".", "-", " ", "").Replace(strings.TrimSuffix(s, ".")))
}

// MinorDigits is how many digits of a currency's amounts follow the
// decimal point: 0 for KRW and JPY, 2 for most others.
func MinorDigits(currency string) int {
	switch strings.ToUpper(currency) {
	case "KRW", "JPY", "VND", "CLP", "ISK", "TWD":
		return 0
	}
	return 2
}

// currencyMarks are the symbols, words and codes an amount may carry, and
// the currency each names.
var currencyMarks = []struct{ mark, currency string }{
	{"US$", "USD"}, {"USD", "USD"}, {"$", "USD"}, {"달러", "USD"},
	{"KRW", "KRW"}, {"₩", "KRW"}, {"￦", "KRW"}, {"원", "KRW"},
	{"EUR", "EUR"}, {"€", "EUR"}, {"GBP", "GBP"}, {"£", "GBP"},
	{"JPY", "JPY"}, {"円", "JPY"}, {"¥", "JPY"},
}

// ParseAmount reads an amount in currency ("4500", "4,500", "₩4,500",
// "4,500원", "$4.50", "4.50 USD") into its minor unit (cents for USD,
// won for KRW). Empty and "-" are 0. An amount marked with another
// currency, a negative one, or one with more decimals than the currency
// has, is refused.
func ParseAmount(s, currency string) (int64, error) {
	bad := func() (int64, error) {
		return 0, fmt.Errorf("ledger: amount %q: %w", s, crm.ErrInvalidInput)
	}
	t := strings.TrimSpace(s)
	if t == "" || t == "-" {
		return 0, nil
	}
	upper := strings.ToUpper(t)
	for _, cm := range currencyMarks {
		if i := strings.Index(upper, cm.mark); i >= 0 {
			if !strings.EqualFold(cm.currency, currency) {
				return bad()
			}
			upper = upper[:i] + upper[i+len(cm.mark):]
		}
	}
	t = strings.Map(func(r rune) rune {
		if r == ',' || r == ' ' || r == '\u00a0' || r == '\'' {
			return -1
		}
		return r
	}, upper)
	whole, frac, hasFrac := strings.Cut(t, ".")
	if whole == "" && !hasFrac || !digitsOnly(whole) || hasFrac && (!digitsOnly(frac) || frac == "") {
		return bad()
	}
	digits := MinorDigits(currency)
	if len(frac) > digits {
		if strings.Trim(frac[digits:], "0") != "" {
			return bad()
		}
		frac = frac[:digits]
	}
	frac += strings.Repeat("0", digits-len(frac))
	if whole == "" {
		whole = "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || len(whole) > 15 {
		return bad()
	}
	return n, nil
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatAmount writes an amount kept in currency's minor unit in its major
// unit: 450 USD → "4.50", 4500 KRW → "4500".
func FormatAmount(minor int64, currency string) string {
	digits := MinorDigits(currency)
	if digits == 0 {
		return strconv.FormatInt(minor, 10)
	}
	s := fmt.Sprintf("%0*d", digits+1, minor)
	return s[:len(s)-digits] + "." + s[len(s)-digits:]
}

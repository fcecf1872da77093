package conversation

import (
	"strconv"
	"strings"

	"github.com/dangol/dangol/crm"
)

// currencySymbols are the signs amounts are written with; other
// currencies are written with their code ("CHF 12.50").
var currencySymbols = map[string]string{
	"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "CNY": "CN¥", "AUD": "A$", "CAD": "CA$", "HKD": "HK$",
	"NZD": "NZ$", "SGD": "S$", "TWD": "NT$", "INR": "₹", "VND": "₫", "THB": "฿", "PHP": "₱", "ILS": "₪",
	"TRY": "₺", "UAH": "₴", "NGN": "₦", "MXN": "MX$", "BRL": "R$",
}

// money writes an amount in its currency the way people of lang read it:
// "15,000원" and "₩15,000", "£3.50", "$12.00". currency "" is KRW.
func (e *Engine) money(lang string, minor int64, currency string) string {
	if currency == "" {
		currency = "KRW"
	}
	n := groupedMinor(minor, crm.CurrencyDigits(currency))
	if currency == "KRW" {
		return e.cat.T(lang, "money.krw", map[string]any{"N": n})
	}
	sym, ok := currencySymbols[currency]
	if !ok {
		sym = currency + " "
	}
	return e.cat.T(lang, "money.other", map[string]any{"Symbol": sym, "N": n})
}

// groupedMinor writes an amount of minor units with its decimal digits
// and thousands separated by commas: 1500000 → "1,500,000" (0 digits),
// 350 → "3.50" (2 digits).
func groupedMinor(minor int64, digits int) string {
	neg := minor < 0
	if neg {
		minor = -minor
	}
	s := strconv.FormatInt(minor, 10)
	if len(s) <= digits {
		s = strings.Repeat("0", digits-len(s)+1) + s
	}
	whole, frac := s[:len(s)-digits], s[len(s)-digits:]
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if digits > 0 {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

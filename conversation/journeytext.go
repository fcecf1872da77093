package conversation

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dangol/dangol/locales"
)

// Placeholders a rule's text may hold, in either language, and what each
// stands for.
var placeholderNames = map[string]string{
	"이름": "name", "고객": "name", "손님": "name", "고객명": "name", "name": "name", "customer": "name",
	"좋아하는것": "likes", "취향": "likes", "likes": "likes", "like": "likes",
	"예약일": "booking_date", "예약날짜": "booking_date", "예약날": "booking_date", "bookingdate": "booking_date", "date": "booking_date",
	"늘먹던거": "usual", "늘먹는거": "usual", "단골메뉴": "usual", "usual": "usual", "theusual": "usual",
	"지난시술": "last_service", "시술": "last_service", "lastservice": "last_service", "service": "last_service",
	"소식": "news", "신간": "news", "news": "news",
	"품목": "item", "item": "item",
	"시각": "time", "time": "time",
	"가게": "shop", "shop": "shop",
}

// placeholderKey normalises what is written between braces.
func placeholderKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '_' || r == '-' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// placeholders returns the kinds of placeholder a text uses, and what it
// has between braces that is none.
func placeholders(text string) (used map[string]bool, unknown []string) {
	used = map[string]bool{}
	for rest := text; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return used, unknown
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return used, unknown
		}
		inner := rest[i+1 : i+j]
		if k, ok := placeholderNames[placeholderKey(inner)]; ok {
			used[k] = true
		} else {
			unknown = append(unknown, "{"+inner+"}")
		}
		rest = rest[i+j+1:]
	}
}

// josaPairs are the particles that follow a placeholder and agree with it.
var josaPairs = []struct{ with, without string }{
	{"으로", "로"}, {"이", "가"}, {"을", "를"}, {"은", "는"}, {"과", "와"}, {"이랑", "랑"},
}

// fillPlaceholders puts values in for the text's placeholders (unknown ones
// stay as written) and makes a Korean particle right after a value agree
// with it: "{품목}이" is "크루아상이" and "바게트가".
func fillPlaceholders(text string, values map[string]string) string {
	var b strings.Builder
	for rest := text; ; {
		i := strings.IndexByte(rest, '{')
		j := -1
		if i >= 0 {
			j = strings.IndexByte(rest[i:], '}')
		}
		if i < 0 || j < 0 {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(rest[:i])
		inner := rest[i+1 : i+j]
		k, ok := placeholderNames[placeholderKey(inner)]
		if !ok {
			b.WriteString(rest[i : i+j+1])
			rest = rest[i+j+1:]
			continue
		}
		v := values[k]
		rest = rest[i+j+1:]
		b.WriteString(withParticle(v, &rest))
	}
}

// withParticle returns v followed by the particle *rest starts with, made
// to agree with v, and takes that particle off *rest.
func withParticle(v string, rest *string) string {
	if v == "" {
		return v
	}
	for _, p := range josaPairs {
		for _, written := range []string{p.with, p.without} {
			after, found := strings.CutPrefix(*rest, written)
			if !found || startsHangul(after) {
				continue
			}
			fixed := locales.Josa(v, p.with+"/"+p.without)
			if strings.Contains(fixed, "(") { // the value's sound is unknown: keep what was written
				fixed = v + written
			}
			*rest = after
			return fixed
		}
	}
	return v
}

func startsHangul(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.Is(unicode.Hangul, r)
}

package crm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hidden reports whether r is a character that changes how text shows
// without being seen: control characters, zero-width spaces, byte-order
// marks, soft hyphens and the bidirectional controls that can make a name
// display as something else. The zero-width (non-)joiners that emoji and
// some scripts need are not hidden.
func Hidden(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == '\u00ad', r == '\u061c', r == '\u180e', r == '\u200b', r == '\u200e', r == '\u200f',
		r >= '\u202a' && r <= '\u202e', r >= '\u2060' && r <= '\u2064', r >= '\u2066' && r <= '\u206f',
		r == '\ufeff', r >= '\ufff9' && r <= '\ufffb':
		return true
	}
	return false
}

// CleanText makes a piece of text fit to keep and show: invalid UTF-8 is
// dropped, line and paragraph breaks and tabs become spaces, hidden
// characters go, runs of white space fold to one space and the ends are
// trimmed.
func CleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			return ' '
		case Hidden(r):
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// CleanLines is CleanText for text that may hold several lines, such as a
// note: each line is cleaned on its own and the line breaks are kept
// (\r\n and \r become \n); blank lines at the ends go.
func CleanLines(s string) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = CleanText(l)
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

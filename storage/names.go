package storage

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/dangol/dangol/crm"
)

// maxName is the longest customer, item or alias name kept, in runes.
const maxName = 100

// cleanName trims name, folds runs of white space to one space and checks
// it is non-empty and at most maxName runes long.
func cleanName(what, name string) (string, error) {
	n := strings.Join(strings.Fields(name), " ")
	switch {
	case n == "":
		return "", fmt.Errorf("empty %s: %w", what, crm.ErrInvalidInput)
	case utf8.RuneCountInString(n) > maxName:
		return "", fmt.Errorf("%s longer than %d characters: %w", what, maxName, crm.ErrInvalidInput)
	}
	return n, nil
}

// foldKey folds ASCII letters to lower case, as SQLite's NOCASE collation
// and LIKE do, so that Go-side comparisons agree with the database's.
func foldKey(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// isHangulSyllable reports whether r is a precomposed Hangul syllable.
func isHangulSyllable(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// givenNames returns the parts of a customer's name a shop owner may use
// alone: for a Hangul name of three or four syllables, the name without
// its one-syllable family name (김민지 → 민지), and for four syllables also
// without a two-syllable family name (남궁민수 → 민수); for a name of
// several words, each word (Kim Minji → Kim, Minji).
func givenNames(name string) []string {
	words := strings.Fields(name)
	if len(words) > 1 {
		return words
	}
	runes := []rune(name)
	if n := len(runes); n == 3 || n == 4 {
		for _, r := range runes {
			if !isHangulSyllable(r) {
				return nil
			}
		}
		out := []string{string(runes[1:])}
		if n == 4 {
			out = append(out, string(runes[2:]))
		}
		return out
	}
	return nil
}

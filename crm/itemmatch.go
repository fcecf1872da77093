package crm

import (
	"strings"
	"unicode"
)

// SimilarItemNames reports whether a and b look like two spellings of the
// same catalog item, so that the owner can be asked whether they are.
//
// Names are compared after lowercasing and dropping spaces and hyphens.
// Latin names are similar within a Levenshtein distance of 2 when both have
// at least 5 letters (1 for 3 or 4 letters), or when one is the other plus
// "s" or "es". Hangul names are decomposed into jamo (initial, medial and
// final) and are similar within 2 jamo edits when both have at least 3
// syllables, 1 edit for 2 syllables: 크로와상 and 크루아상, or 라떼 and
// 라테, are similar; 소금빵 and 식빵 are not.
func SimilarItemNames(a, b string) bool {
	_, ok := itemDistance(a, b)
	return ok
}

// ClosestItemName returns the name among names that looks most like name
// (see SimilarItemNames), the first one on a tie, and whether there is one.
// Names equal to name, ignoring case, are skipped.
func ClosestItemName(name string, names []string) (string, bool) {
	best, bestDist := "", -1
	for _, n := range names {
		if strings.EqualFold(strings.TrimSpace(n), strings.TrimSpace(name)) {
			continue
		}
		if d, ok := itemDistance(name, n); ok && (bestDist < 0 || d < bestDist) {
			best, bestDist = n, d
		}
	}
	return best, bestDist >= 0
}

// itemDistance is the edit distance between two item names, in letters or
// jamo, and whether it is small enough for them to look alike.
func itemDistance(a, b string) (int, bool) {
	na, nb := normItemName(a), normItemName(b)
	if len(na) == 0 || len(nb) == 0 {
		return 0, false
	}
	if string(na) == string(nb) {
		return 0, true
	}
	ha, hb := allHangul(na), allHangul(nb)
	switch {
	case ha && hb:
		short := min(len(na), len(nb))
		limit := 0
		switch {
		case short >= 3:
			limit = 2
		case short == 2:
			limit = 1
		}
		d := levenshtein(jamo(na), jamo(nb))
		return d, limit > 0 && d <= limit
	case ha || hb:
		return 0, false
	}
	d := levenshtein(na, nb)
	if pluralOf(na, nb) || pluralOf(nb, na) {
		return d, true
	}
	short := min(len(na), len(nb))
	limit := 0
	switch {
	case short >= 5:
		limit = 2
	case short >= 3:
		limit = 1
	}
	return d, limit > 0 && d <= limit
}

// normItemName lowercases s and drops spaces and hyphens.
func normItemName(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range strings.ToLower(s) {
		if unicode.IsSpace(r) || r == '-' || r == '‐' || r == '‑' {
			continue
		}
		out = append(out, r)
	}
	return out
}

// pluralOf reports whether p is s plus "s" or "es".
func pluralOf(p, s []rune) bool {
	if len(s) < 2 || len(p) <= len(s) || string(p[:len(s)]) != string(s) {
		return false
	}
	rest := string(p[len(s):])
	return rest == "s" || rest == "es"
}

const (
	hangulFirst = 0xAC00
	hangulLast  = 0xD7A3
)

func allHangul(rs []rune) bool {
	for _, r := range rs {
		if r < hangulFirst || r > hangulLast {
			return false
		}
	}
	return true
}

// jamo decomposes Hangul syllables into initial, medial and (when there is
// one) final jamo, each kind numbered apart so they never compare equal.
func jamo(rs []rune) []rune {
	out := make([]rune, 0, len(rs)*3)
	for _, r := range rs {
		i := r - hangulFirst
		initial, medial, final := i/(21*28), i%(21*28)/28, i%28
		out = append(out, 0x1100+initial, 0x1161+medial)
		if final > 0 {
			out = append(out, 0x11A7+final)
		}
	}
	return out
}

// levenshtein is the number of single-rune insertions, deletions and
// substitutions that turn a into b.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

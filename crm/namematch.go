package crm

import (
	"strings"
	"unicode"
)

// SimilarCustomerName reports whether typed looks like a slip of the
// finger for the known customer name known, or for a part of it an owner
// uses alone (민지 of 김민지, Sarah of Sarah Lee), so that the owner is
// asked before a new customer is made.
//
// Names are compared lower-cased without spaces, counting an insertion,
// deletion, substitution or swap of two neighbours as one edit. Hangul
// names are compared jamo by jamo and are similar within one edit when
// both have at least two syllables (김민치 ~ 김민지, 민치 ~ 민지); Latin names
// within one edit when both have at least four letters (Sarha ~ Sarah),
// two edits from seven letters on. Equal names are not similar: they are
// the same name.
func SimilarCustomerName(typed, known string) bool {
	for _, k := range nameParts(known) {
		if nameDistanceOK(typed, k) {
			return true
		}
	}
	return false
}

// ClosestCustomerName returns the known name that typed most likely
// misspells (see SimilarCustomerName), the first one on a tie, and whether
// there is one.
func ClosestCustomerName(typed string, known []string) (string, bool) {
	best, bestDist := "", -1
	for _, n := range known {
		for _, part := range nameParts(n) {
			d, ok := nameDistance(typed, part)
			if ok && (bestDist < 0 || d < bestDist) {
				best, bestDist = n, d
			}
		}
	}
	return best, bestDist >= 0
}

// nameParts returns a name and the parts of it used alone: each word of a
// name of several words, and a Hangul name of three or four syllables
// without its one-syllable family name.
func nameParts(name string) []string {
	out := []string{name}
	if words := strings.Fields(name); len(words) > 1 {
		return append(out, words...)
	}
	rs := []rune(name)
	if (len(rs) == 3 || len(rs) == 4) && allHangul(rs) {
		out = append(out, string(rs[1:]))
	}
	return out
}

func nameDistanceOK(a, b string) bool {
	_, ok := nameDistance(a, b)
	return ok
}

// nameDistance is the edit distance of two names and whether it is small
// enough for one to be a typo of the other.
func nameDistance(a, b string) (int, bool) {
	na, nb := normName(a), normName(b)
	if len(na) == 0 || len(nb) == 0 || string(na) == string(nb) {
		return 0, false
	}
	ha, hb := allHangul(na), allHangul(nb)
	switch {
	case ha && hb:
		if min(len(na), len(nb)) < 2 {
			return 0, false
		}
		d := osaDistance(jamo(na), jamo(nb))
		return d, d <= 1
	case ha || hb:
		return 0, false
	}
	for _, r := range append(na, nb...) {
		if !unicode.IsLetter(r) {
			return 0, false
		}
	}
	short := min(len(na), len(nb))
	limit := 0
	switch {
	case short >= 7:
		limit = 2
	case short >= 4:
		limit = 1
	}
	d := osaDistance(na, nb)
	return d, limit > 0 && d <= limit
}

// normName lowercases s and drops white space.
func normName(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range strings.ToLower(s) {
		if !unicode.IsSpace(r) {
			out = append(out, r)
		}
	}
	return out
}

// osaDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of two neighbouring runes.
func osaDistance(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

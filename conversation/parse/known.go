package parse

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Known is a shop's customer names and item names prepared for reading
// many notes: what the parser looks up in Options.Names and Options.Items
// it finds by key instead of by going through the lists, so that a shop
// of 10,000 customers reads a note as fast as one of 300. Build it once per
// version of the lists (NewKnown) and pass it in Options.Known with the
// same lists; a note reads exactly the same with it as without. Known is
// read-only once built and safe for concurrent use.
type Known struct {
	names, items []string // the lists it was built from
	nameSet      map[string]struct{}
	itemSet      map[string]struct{}
	// First words (case folded, a trailing dot dropped) and whole names
	// (trimmed, exactly as written) → indexes in the list, ascending.
	nameFirst map[string][]int32
	itemFirst map[string][]int32
	nameWhole map[string][]int32
}

// NewKnown prepares a shop's customer names and item names (the lists of
// Options.Names and Options.Items) for reading notes.
func NewKnown(names, items []string) *Known {
	k := &Known{names: names, items: items,
		nameSet: make(map[string]struct{}, len(names)), itemSet: make(map[string]struct{}, len(items)),
		nameFirst: make(map[string][]int32, len(names)), itemFirst: make(map[string][]int32, len(items)),
		nameWhole: make(map[string][]int32, len(names))}
	for i, p := range names {
		p = strings.TrimSpace(p)
		k.nameSet[foldCase(p)] = struct{}{}
		if p == "" {
			continue
		}
		w, _ := nextField(p, 0)
		f := foldCase(trimDot(w))
		k.nameFirst[f] = append(k.nameFirst[f], int32(i))
		k.nameWhole[p] = append(k.nameWhole[p], int32(i))
	}
	for i, p := range items {
		p = strings.TrimSpace(p)
		k.itemSet[foldCase(p)] = struct{}{}
		if p == "" {
			continue
		}
		w, _ := nextField(p, 0)
		f := foldCase(trimDot(w))
		k.itemFirst[f] = append(k.itemFirst[f], int32(i))
	}
	return k
}

// known returns the options' Known when it was built from their lists.
func (s *state) known() *Known {
	k := s.opt.Known
	if k == nil || !sameList(k.names, s.opt.Names) || !sameList(k.items, s.opt.Items) {
		return nil
	}
	return k
}

// sameList reports whether a and b are the same slice.
func sameList(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// knownName reports whether p is one of the shop's customer names
// (ignoring case), as knownIn(s.opt.Names, p).
func (s *state) knownName(p string) bool {
	if k := s.known(); k != nil {
		_, ok := k.nameSet[foldCase(p)]
		return ok
	}
	return knownIn(s.opt.Names, p)
}

// knownItem reports whether p is one of the shop's item names (ignoring
// case), as knownIn(s.opt.Items, p).
func (s *state) knownItem(p string) bool {
	if k := s.known(); k != nil {
		_, ok := k.itemSet[foldCase(p)]
		return ok
	}
	return knownIn(s.opt.Items, p)
}

// phraseCandidates returns, ascending, the indexes in the list behind
// first of every phrase whose first word token t may spell (phraseAt):
// the word itself, any start of it (a Korean word with particles after
// the name), without a possessive 's, or its singular.
func phraseCandidates(first map[string][]int32, t *token, out []int32) []int32 {
	out = out[:0]
	add := func(key string) {
		out = append(out, first[foldCase(key)]...)
	}
	raw := trimDot(t.raw)
	add(raw)
	for i := 1; i < len(raw); i++ {
		add(raw[:i])
	}
	if strings.HasSuffix(t.low, "'s") {
		add(t.low[:len(t.low)-2])
	}
	add(singular(t.low))
	slices.Sort(out)
	return slices.Compact(out)
}

// foldCase maps s to one spelling of its case-insensitive class: two
// strings are strings.EqualFold exactly when their foldCase are equal.
// Each rune becomes the least rune of its simple case folding orbit, an
// ASCII letter in lower case (an invalid byte the replacement character,
// as EqualFold reads it).
func foldCase(s string) string {
	canonical := true
	for _, r := range s {
		if r == utf8.RuneError || foldRune(r) != r {
			canonical = false
			break
		}
	}
	if canonical {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune returns the least rune of r's simple case folding orbit.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	// The Kelvin sign folds with k, the long s with s: an ASCII letter
	// is written in lower case, as above.
	if 'A' <= least && least <= 'Z' {
		least += 'a' - 'A'
	}
	return least
}

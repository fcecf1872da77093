// Package fonts holds the font Dangol draws pictures with: a subset of Noto
// Sans KR Regular (SIL Open Font License 1.1, see OFL.txt) with Latin-1,
// common punctuation, ₩ ✓ · and all 11,172 Hangul syllables, in TrueType
// outlines, embedded gzipped. scripts/font-subset.sh regenerates it.
//
// Characters outside the subset (emoji, Hanja) have no glyph: callers
// leave them out of what they draw (see Covers).
package fonts

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"unicode"
)

//go:embed NotoSansKR-Regular-subset.ttf.gz
var notoSansKR []byte

// NotoSansKR returns the TrueType font file, unpacked (about 2.4 MB). Each
// call unpacks it anew; callers that draw often keep the result.
func NotoSansKR() ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(notoSansKR))
	if err != nil {
		return nil, fmt.Errorf("fonts: %w", err)
	}
	defer zr.Close()
	ttf, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("fonts: %w", err)
	}
	return ttf, nil
}

// Covers reports whether the subset has a glyph for r, by the ranges the
// subset script keeps. Spaces and controls count as covered.
func Covers(r rune) bool {
	switch {
	case r < 0x20 || unicode.IsSpace(r):
		return true
	case r <= 0x7E, r >= 0xA0 && r <= 0xFF:
		return true
	case r >= 0x2010 && r <= 0x2027:
		return r != 0x2017 && r != 0x201B && r != 0x201F && r != 0x2023 && r != 0x2024
	case r >= 0x2030 && r <= 0x203B:
		return r != 0x2031 && (r < 0x2034 || r > 0x2038) || r == 0x2035
	case r == 0x20A9, r >= 0x2190 && r <= 0x2193, r == 0x2713, r == 0x26A0:
		return true
	case r >= 0x3000 && r <= 0x3003, r >= 0x3008 && r <= 0x3011, r == 0x301C,
		r >= 0x3131 && r <= 0x318E, r >= 0xAC00 && r <= 0xD7A3, r == 0xFF5E:
		return true
	}
	return false
}

// Drawable returns s without the characters the subset lacks (emoji and
// their variation selectors, Hanja), with runs of spaces left by them
// closed up.
func Drawable(s string) string {
	var b []rune
	for _, r := range s {
		if !Covers(r) {
			continue
		}
		if r == ' ' && (len(b) == 0 || b[len(b)-1] == ' ') {
			continue
		}
		b = append(b, r)
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

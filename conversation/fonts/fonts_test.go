package fonts

import (
	"testing"

	"golang.org/x/image/font/sfnt"
)

func TestSubsetCoversWhatItSays(t *testing.T) {
	ttf, err := NotoSansKR()
	if err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(ttf)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	has := func(r rune) bool {
		i, err := f.GlyphIndex(&buf, r)
		return err == nil && i != 0
	}
	// Every Hangul syllable, not just the KS X 1001 ones.
	for r := rune(0xAC00); r <= 0xD7A3; r++ {
		if !has(r) {
			t.Fatalf("no glyph for %q", r)
		}
	}
	for _, r := range "똠믜 ₩✓·é→…“”ㅋ" {
		if !has(r) || !Covers(r) {
			t.Errorf("%q: glyph %v, Covers %v", r, has(r), Covers(r))
		}
	}
	for _, r := range "🎂漢" {
		if Covers(r) {
			t.Errorf("Covers(%q) = true", r)
		}
	}
	// Covers never claims a glyph the font lacks.
	for r := rune(0x21); r < 0x10000; r++ {
		if Covers(r) && !unicodeSpace(r) && !has(r) {
			t.Fatalf("Covers(%U) but no glyph", r)
		}
	}
}

func unicodeSpace(r rune) bool {
	return r < 0x20 || r == 0x85 || r == 0xA0 || r >= 0x2000 && r <= 0x200A || r >= 0x2028 && r <= 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000 || r == 0x1680
}

func TestDrawable(t *testing.T) {
	for in, want := range map[string]string{
		"오늘 생일 🎂":      "오늘 생일",
		"🎉 축하해요 🎉 김민지": "축하해요 김민지",
		"₩12,000 ✓":    "₩12,000 ✓",
	} {
		if got := Drawable(in); got != want {
			t.Errorf("Drawable(%q) = %q, want %q", in, got, want)
		}
	}
}

package parse

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

// TestKnownReadsTheSame: every note of the tables reads exactly the same
// with the shop's names prepared (Options.Known) as without, with the
// case's own names, with every word of the note known, and among
// thousands of other customers.
func TestKnownReadsTheSame(t *testing.T) {
	crowd := manyNames(1200)
	cases := allCases()
	// Names written apart, with particles, without a space before what
	// follows, in other cases of letters.
	for _, in := range []string{"김 민지님 라떼 2잔", "김 민지가 크루아상 샀어", "남궁 민수 왔어", "김민지님라떼 하나",
		"김민지크루아상2개", "KIM minji latte", "kim's latte", "Mrs. Lee 2 croissants", "mrs lee bagels", "김 민지", "정하은 소금빵"} {
		cases = append(cases, parseCase{in: in, names: []string{"김민지", "남궁민수", "Kim Minji", "Mrs. Lee", "정하"},
			items: []string{"라떼", "크루아상", "croissant", "bagel", "소금빵"}})
	}
	for _, c := range cases {
		now := c.now
		if now.IsZero() {
			now = thu
		}
		words := wordsOf(c.in)
		for _, lists := range [][2][]string{
			{c.names, c.items},
			{words, words},
			{append(append([]string{}, crowd...), c.names...), append([]string{"  ", "Latte.", "oat  latte"}, c.items...)},
			{append(append([]string{}, words...), crowd...), words},
		} {
			opt := Options{Now: now, Loc: seoul, Names: lists[0], Items: lists[1], Lexicon: c.lex, Explain: true}
			plain := parse(c.in, opt)
			opt.Known = NewKnown(opt.Names, opt.Items)
			if known := parse(c.in, opt); !reflect.DeepEqual(plain, known) {
				t.Fatalf("%q (%d names): with Known\n%+v\nwithout\n%+v", c.in, len(opt.Names), known, plain)
			}
		}
	}
}

// A Known built from other lists is not used.
func TestKnownOfOtherLists(t *testing.T) {
	names := []string{"김민지"}
	opt := Options{Now: thu, Loc: seoul, Names: names, Known: NewKnown([]string{"박서준"}, nil)}
	if r := Parse("김민지크루아상 2개", opt); r.Customer != "김민지" {
		t.Fatalf("customer %q", r.Customer)
	}
}

// foldCase agrees with strings.EqualFold.
func TestFoldCase(t *testing.T) {
	var runes []rune
	for r := rune(0); r < 0x2200; r++ {
		if unicode.IsLetter(r) {
			runes = append(runes, r)
		}
	}
	runes = append(runes, 'K', 0x212A, 'ſ', 0xFFFD, '가', '1')
	for _, a := range runes {
		for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
			if foldCase(string(a)) != foldCase(string(f)) {
				t.Fatalf("foldCase(%q) = %q, foldCase(%q) = %q", a, foldCase(string(a)), f, foldCase(string(f)))
			}
		}
	}
	for _, p := range [][2]string{{"KIM", "kim"}, {"\u212Aim", "kIM"}, {"\xff", "\xfe"}, {"\xff", "\ufffd"}, {"ſam", "SAM"}, {"Kim", "Kin"}} {
		if got, want := foldCase(p[0]) == foldCase(p[1]), strings.EqualFold(p[0], p[1]); got != want {
			t.Fatalf("%q ~ %q: foldCase says %v, EqualFold %v", p[0], p[1], got, want)
		}
	}
}

// manyNames returns n customer names as shops have them: Korean names of
// three syllables, some of four, English first and last names.
func manyNames(n int) []string {
	family := []string{"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황", "남궁"}
	syl := []string{"민", "지", "서", "준", "도", "윤", "하", "은", "수", "연", "현", "우", "예", "진", "유", "재", "나"}
	first := []string{"Tom", "Sarah", "Mina", "Jun", "Alex", "Chris", "Dana", "Hana", "Kim", "Lee", "May", "Ray"}
	var out []string
	for i := 0; len(out) < n; i++ {
		if i%5 == 4 {
			out = append(out, fmt.Sprintf("%s %c.", first[i%len(first)], 'A'+rune(i/5%26)))
			continue
		}
		out = append(out, family[i%len(family)]+syl[i/len(family)%len(syl)]+syl[i/len(family)/len(syl)%len(syl)])
	}
	return out
}

package chart

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/go-analyze/charts"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

func sample() Weekly {
	return Weekly{
		Title:     "똠믜 빵집 주간",
		VisitsTop: "요일별 방문",
		Days:      [7]string{"월", "화", "수", "목", "금", "토", "일"},
		This:      [7]int{12, 15, 9, 20, 25, 31, 7},
		Last:      [7]int{10, 11, 13, 18, 22, 28, 5},
		ThisName:  "이번 주", LastName: "지난주",
		RatesTop: "다시 온 비율",
		Kinds:    []string{"단골 요일", "올 때가 된 손님", "인사 보내기 🎂"},
		Exposed:  []float64{0.45, 0.32, 0.5}, HeldOut: []float64{0.40, 0, -1},
		ExposedName: "보여 준 손님", HeldOutName: "비교군",
	}
}

func render(t testing.TB, w Weekly) (image.Image, *truetype.Font) {
	t.Helper()
	f, err := Font()
	if err != nil {
		t.Fatal(err)
	}
	data, err := Render(w, f)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("png: %v", err)
	}
	if b := img.Bounds(); b.Dx() != Width || b.Dy() != Height {
		t.Fatalf("size %v", b)
	}
	return img, f
}

// TestTitleHangulHasInkInEveryGlyph sets a known Hangul title and looks
// inside each glyph's box: every one has ink, and no two look alike, as
// they would if the font lacked them and drew its missing-glyph box.
func TestTitleHangulHasInkInEveryGlyph(t *testing.T) {
	w := sample()
	img, f := render(t, w)
	// The title is set at x 30, baseline 48, 26 pt at the renderer's 96 dpi.
	face := truetype.NewFace(f, &truetype.Options{Size: 26, DPI: 96})
	x := fixed.I(30)
	asc := face.Metrics().Ascent.Ceil()
	seen := map[string]bool{}
	glyphs := 0
	for _, r := range w.Title {
		adv, ok := face.GlyphAdvance(r)
		if !ok {
			t.Fatalf("no advance for %q", r)
		}
		if r != ' ' {
			var sig strings.Builder
			ink := 0
			for py := 48 - asc; py < 48; py++ {
				for px := x.Floor(); px < (x + adv).Ceil(); px++ {
					if g := color.GrayModel.Convert(img.At(px, py)).(color.Gray); g.Y < 128 {
						sig.WriteByte('#')
						ink++
					} else {
						sig.WriteByte('.')
					}
				}
			}
			if ink < sig.Len()/20 {
				t.Errorf("%q: %d of %d pixels inked", r, ink, sig.Len())
			}
			if seen[sig.String()] {
				t.Errorf("%q looks like another glyph: tofu?", r)
			}
			seen[sig.String()] = true
			glyphs++
		}
		x += adv
	}
	if glyphs != 6 {
		t.Fatalf("%d glyphs", glyphs)
	}
	_ = font.Face(face)
}

// column counts, per x, the pixels of colour c in rows y0 … y1.
func column(img image.Image, c color.Color, y0, y1 int) []int {
	r0, g0, b0, _ := c.RGBA()
	out := make([]int, Width)
	for x := range Width {
		for y := y0; y < y1; y++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == r0>>8 && g>>8 == g0>>8 && b>>8 == b0>>8 {
				out[x]++
			}
		}
	}
	return out
}

// TestTheBarsAreThere finds the bars by their colours: seven of this
// week's, tallest on Saturday, in the upper chart; the held-out bars of
// the lower one only where a rate was given.
func TestTheBarsAreThere(t *testing.T) {
	img, _ := render(t, sample())
	theme := charts.GetTheme(charts.ThemeLight)
	last, this := theme.GetSeriesColor(0), theme.GetSeriesColor(1)
	upper := column(img, this, 70, 535)
	// Bars: runs of columns with colour, and the tallest.
	runs, tallest, at := 0, 0, 0
	for x := range Width {
		if upper[x] > 0 && (x == 0 || upper[x-1] == 0) {
			runs++
		}
		if upper[x] > tallest {
			tallest, at = upper[x], x
		}
	}
	// Seven bars and the legend's swatch.
	if runs != 8 {
		t.Errorf("%d runs of this week's colour", runs)
	}
	if slot := at * 7 / Width; slot != 5 {
		t.Errorf("tallest bar at x %d (slot %d), want Saturday", at, slot)
	}
	if c := column(img, last, 70, 535); c[at] != 0 && tallest <= c[at] {
		t.Errorf("Saturday: this week not taller than last")
	}
	// Lower chart: exposed bars for all three kinds, held-out for one
	// (0% draws no bar; −1 draws none).
	// Rows below the legend.
	exposed, held := column(img, last, 620, Height), column(img, this, 620, Height)
	count := func(c []int) int {
		n := 0
		for x := range Width {
			if c[x] > 3 && (x == 0 || c[x-1] <= 3) {
				n++
			}
		}
		return n
	}
	if n := count(exposed); n != 3 {
		t.Errorf("%d exposed bars", n)
	}
	if n := count(held); n != 1 {
		t.Errorf("%d held-out bars", n)
	}
}

func TestNoRatesYet(t *testing.T) {
	w := sample()
	w.Kinds, w.Exposed, w.HeldOut = nil, nil, nil
	w.NoRates = "아직 셀 만한 노출이 없어요"
	render(t, w)
}

func BenchmarkRender(b *testing.B) {
	f, err := Font()
	if err != nil {
		b.Fatal(err)
	}
	w := sample()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(w, f); err != nil {
			b.Fatal(err)
		}
	}
}

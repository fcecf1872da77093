package poster

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/dangol/dangol/conversation/fonts"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// decode reads the QR code back from a poster.
func decode(t *testing.T, data []byte) (string, image.Image) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("png: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return res.GetText(), img
}

func TestPosterDecodesToTheLink(t *testing.T) {
	for _, tt := range []struct{ title, line, link string }{
		{"Test Bakery", "Join for a birthday treat", "https://t.me/DangolBot?start=ab12cd34"},
		{"단골 빵집", "가입하면 생일 선물을 드려요", "https://t.me/DangolBot?start=zz99yy88"},
	} {
		data, err := Draw(tt.title, tt.line, tt.link)
		if err != nil {
			t.Fatal(err)
		}
		got, img := decode(t, data)
		if got != tt.link {
			t.Errorf("decoded %q, want %q", got, tt.link)
		}
		if b := img.Bounds(); b.Dx() != width || b.Dy() < width {
			t.Errorf("poster is %v", b)
		}
	}
}

// glyphInk returns, for each character of s set at baseline y and
// centred on the poster in face, the dark pixels inside its box (its
// advance wide, from the ascent to the baseline) as a bitmap signature.
func glyphInk(img image.Image, f font.Face, s string, y int) []string {
	adv := font.MeasureString(f, s)
	x := (fixed.I(width) - adv) / 2
	asc := f.Metrics().Ascent.Ceil()
	var out []string
	for _, r := range s {
		a, _ := f.GlyphAdvance(r)
		if r != ' ' {
			var sig strings.Builder
			for py := y - asc; py < y; py++ {
				for px := x.Floor(); px < (x + a).Ceil(); px++ {
					if g := color.GrayModel.Convert(img.At(px, py)).(color.Gray); g.Y < 128 {
						sig.WriteByte('#')
					} else {
						sig.WriteByte('.')
					}
				}
			}
			out = append(out, sig.String())
		}
		x += a
	}
	return out
}

func TestPosterSetsHangulWithInkInEveryGlyph(t *testing.T) {
	title := "똠믜 빵집"
	data, err := Draw(title, "QR을 찍고 가입하면 소식을 받아요", "https://t.me/b?start=x")
	if err != nil {
		t.Fatal(err)
	}
	_, img := decode(t, data)
	ttf, _ := fonts.NotoSansKR()
	f, _ := opentype.Parse(ttf)
	fc, _ := face(f, titleSize)
	sigs := glyphInk(img, fc, title, margin+fc.Metrics().Ascent.Ceil())
	if len(sigs) != 4 {
		t.Fatalf("%d glyph boxes", len(sigs))
	}
	seen := map[string]bool{}
	for i, sig := range sigs {
		ink := strings.Count(sig, "#")
		if ink < len(sig)/20 {
			t.Errorf("glyph %d of %q has little ink: %d of %d pixels", i, title, ink, len(sig))
		}
		// Tofu draws the same box for every missing glyph: four different
		// syllables must look different.
		if seen[sig] {
			t.Errorf("glyph %d looks like another: tofu?", i)
		}
		seen[sig] = true
	}
}

func TestPosterLeavesOutWhatTheFontLacks(t *testing.T) {
	with, err := Draw("햇살 베이커리 🥐", "생일 축하해요 🎂\n언제든 멈출 수 있어요", "https://t.me/b?start=x")
	if err != nil {
		t.Fatal(err)
	}
	without, err := Draw("햇살 베이커리", "생일 축하해요\n언제든 멈출 수 있어요", "https://t.me/b?start=x")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(with, without) {
		t.Error("emoji changed the poster")
	}
	// Two lines under the name, and a long one wrapped: taller posters.
	one, _ := Draw("햇살 베이커리", "생일 축하해요", "https://t.me/b?start=x")
	long, _ := Draw("햇살 베이커리", strings.Repeat("아주 긴 문장이에요 ", 12), "https://t.me/b?start=x")
	hOne, hTwo, hLong := height(t, one), height(t, without), height(t, long)
	if hTwo <= hOne || hLong <= hTwo {
		t.Errorf("heights: one line %d, two %d, wrapped %d", hOne, hTwo, hLong)
	}
}

func height(t *testing.T, data []byte) int {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img.Bounds().Dy()
}

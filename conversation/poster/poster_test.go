package poster

import (
	"bytes"
	"image"
	"image/png"
	"testing"

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

func TestPosterLeavesOffLinesItCannotDraw(t *testing.T) {
	latin, err := Draw("Test Bakery", "Join for a birthday treat", "https://t.me/b?start=x")
	if err != nil {
		t.Fatal(err)
	}
	hangul, err := Draw("단골 빵집", "가입하면 생일 선물을 드려요", "https://t.me/b?start=x")
	if err != nil {
		t.Fatal(err)
	}
	li, _ := png.Decode(bytes.NewReader(latin))
	hi, _ := png.Decode(bytes.NewReader(hangul))
	if hi.Bounds().Dy() >= li.Bounds().Dy() {
		t.Fatalf("the Hangul lines were drawn: %v vs %v", hi.Bounds(), li.Bounds())
	}
}

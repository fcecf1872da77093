// Package poster draws the counter poster a shop prints so customers can
// join: the shop's name, one line on what joining gives, and a QR code of
// the join link, as a PNG.
//
// Text is set in the Go fonts, which cover Latin, Greek and Cyrillic only;
// a line with characters they lack (Hangul, for one) is left off the
// poster rather than drawn as boxes. The chat message that carries the
// poster says the same in the shop's language.
package poster

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"rsc.io/qr"
)

// Poster geometry, in pixels.
const (
	width      = 800
	margin     = 60
	quietZone  = 4 // QR modules of white around the code, as the standard asks
	titleSize  = 52
	lineSize   = 32
	linkSize   = 20
	lineGap    = 28
	maxQRWidth = width - 2*margin
)

// Draw returns the PNG poster for a shop called title, with line under
// the name, and a QR code of link.
func Draw(title, line, link string) ([]byte, error) {
	code, err := qr.Encode(link, qr.M)
	if err != nil {
		return nil, fmt.Errorf("poster: qr code: %w", err)
	}
	bold, err := face(gobold.TTF, titleSize)
	if err != nil {
		return nil, err
	}
	regular, err := face(goregular.TTF, lineSize)
	if err != nil {
		return nil, err
	}
	small, err := face(goregular.TTF, linkSize)
	if err != nil {
		return nil, err
	}
	type text struct {
		s    string
		face font.Face
	}
	var above, below []text
	if drawable(bold, title) {
		above = append(above, text{title, bold})
	}
	if drawable(regular, line) {
		above = append(above, text{line, regular})
	}
	if drawable(small, link) {
		below = append(below, text{link, small})
	}

	modules := code.Size + 2*quietZone
	scale := max(1, maxQRWidth/modules)
	qrSide := modules * scale
	height := margin
	for _, t := range above {
		height += t.face.Metrics().Height.Ceil() + lineGap
	}
	height += qrSide + lineGap
	for _, t := range below {
		height += t.face.Metrics().Height.Ceil() + lineGap
	}
	height += margin

	img := image.NewGray(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	y := margin
	put := func(t text) {
		m := t.face.Metrics()
		d := font.Drawer{Dst: img, Src: image.Black, Face: t.face}
		x := (fixed.I(width) - d.MeasureString(t.s)) / 2
		d.Dot = fixed.Point26_6{X: x, Y: fixed.I(y) + m.Ascent}
		d.DrawString(t.s)
		y += m.Height.Ceil() + lineGap
	}
	for _, t := range above {
		put(t)
	}
	x0 := (width - qrSide) / 2
	black := color.Gray{Y: 0}
	for my := 0; my < code.Size; my++ {
		for mx := 0; mx < code.Size; mx++ {
			if !code.Black(mx, my) {
				continue
			}
			r := image.Rect(x0+(mx+quietZone)*scale, y+(my+quietZone)*scale,
				x0+(mx+quietZone+1)*scale, y+(my+quietZone+1)*scale)
			draw.Draw(img, r, &image.Uniform{C: black}, image.Point{}, draw.Src)
		}
	}
	y += qrSide + lineGap
	for _, t := range below {
		put(t)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("poster: png: %w", err)
	}
	return buf.Bytes(), nil
}

func face(ttf []byte, size float64) (font.Face, error) {
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("poster: font: %w", err)
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("poster: font: %w", err)
	}
	return fc, nil
}

// drawable reports whether s is non-empty, fits the poster's width and
// has a glyph for every character.
func drawable(f font.Face, s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r == ' ' {
			continue
		}
		if _, ok := f.GlyphAdvance(r); !ok {
			return false
		}
	}
	return font.MeasureString(f, s) <= fixed.I(width-margin)
}

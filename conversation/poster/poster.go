// Package poster draws the counter poster a shop prints so customers can
// join: the shop's name, a few lines on what joining gives, and a QR code
// of the join link, as a PNG.
//
// Text is set in the embedded Noto Sans KR subset (conversation/fonts):
// Korean and Latin alike. Characters it lacks (emoji, Hanja) are left out
// rather than drawn as boxes; a line too wide for the poster is wrapped at
// spaces (and, failing that, between characters). The chat message that
// carries the poster says the same in the shop's language.
package poster

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"rsc.io/qr"

	"github.com/dangol/dangol/conversation/fonts"
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

// Draw returns the PNG poster for a shop called title, with line (one or
// more lines, separated by "\n") under the name, and a QR code of link.
func Draw(title, line, link string) ([]byte, error) {
	code, err := qr.Encode(link, qr.M)
	if err != nil {
		return nil, fmt.Errorf("poster: qr code: %w", err)
	}
	ttf, err := fonts.NotoSansKR()
	if err != nil {
		return nil, fmt.Errorf("poster: %w", err)
	}
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("poster: font: %w", err)
	}
	bold, err := face(f, titleSize)
	if err != nil {
		return nil, err
	}
	regular, err := face(f, lineSize)
	if err != nil {
		return nil, err
	}
	small, err := face(f, linkSize)
	if err != nil {
		return nil, err
	}
	type text struct {
		s    string
		face font.Face
	}
	var above, below []text
	for _, s := range wrap(bold, fonts.Drawable(title)) {
		above = append(above, text{s, bold})
	}
	for _, l := range strings.Split(line, "\n") {
		for _, s := range wrap(regular, fonts.Drawable(l)) {
			above = append(above, text{s, regular})
		}
	}
	for _, s := range wrap(small, link) {
		below = append(below, text{s, small})
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

func face(f *opentype.Font, size float64) (font.Face, error) {
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("poster: font: %w", err)
	}
	return fc, nil
}

// wrap breaks s into lines that fit the poster's width: at spaces, and
// between characters within a word too long for a line. An empty s is no
// line.
func wrap(f font.Face, s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	limit := fixed.I(width - 2*margin)
	fits := func(s string) bool { return font.MeasureString(f, s) <= limit }
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		next := w
		if cur != "" {
			next = cur + " " + w
		}
		if fits(next) {
			cur = next
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = ""
		for _, r := range w {
			if cur != "" && !fits(cur+string(r)) {
				lines = append(lines, cur)
				cur = ""
			}
			cur += string(r)
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

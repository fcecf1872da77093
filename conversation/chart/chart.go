// Package chart draws the weekly report's picture: visits per day this
// week against the week before, and the follow-up rate of exposed
// customers against held-out ones, per kind, as one PNG. Text is set in
// the embedded Noto Sans KR subset (conversation/fonts); characters it
// lacks, such as emoji, are left out. The picture never stands alone: the
// caller sends a text summary with it.
package chart

import (
	"fmt"
	"math"

	"github.com/go-analyze/charts"
	"github.com/golang/freetype/truetype"

	"github.com/dangol/dangol/conversation/fonts"
)

// Picture size, in pixels.
const (
	Width  = 900
	Height = 1000
)

// Weekly is what the picture shows, every label already in the shop's
// language.
type Weekly struct {
	Title     string    // above everything, e.g. "주간 리포트 2026-W47"
	VisitsTop string    // the first chart's title
	Days      [7]string // Monday first
	This      [7]int    // visits per day this week
	Last      [7]int    // … and the week before
	ThisName  string    // legend of This
	LastName  string    // legend of Last

	RatesTop    string    // the second chart's title
	Kinds       []string  // one label per kind
	Exposed     []float64 // follow-up rate of the exposed, 0 … 1, by kind
	HeldOut     []float64 // … of the held out; below 0 for a kind with no held-out group
	ExposedName string
	HeldOutName string
	NoRates     string // said in place of the second chart when Kinds is empty
}

// Font parses the embedded font for Render. Parse it once and reuse it.
func Font() (*truetype.Font, error) {
	ttf, err := fonts.NotoSansKR()
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	f, err := truetype.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("chart: font: %w", err)
	}
	return f, nil
}

// Render draws w as a Width × Height PNG in font (see Font).
func Render(w Weekly, font *truetype.Font) ([]byte, error) {
	if font == nil {
		return nil, fmt.Errorf("chart: no font")
	}
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: Width, Height: Height, Font: font},
		charts.PainterThemeOption(charts.GetTheme(charts.ThemeLight)))
	p.FilledRect(0, 0, Width, Height, charts.ColorWhite, charts.ColorWhite, 0)
	dark := charts.Color{R: 40, G: 40, B: 40, A: 255}
	p.Text(fonts.Drawable(w.Title), 30, 48, 0, charts.FontStyle{FontSize: 26, FontColor: dark, Font: font})

	const top = 70
	half := (Height - top) / 2
	visits := p.Child(charts.PainterBoxOption(charts.NewBox(0, top, Width, top+half)))
	if err := visits.BarChart(visitsOption(w, font)); err != nil {
		return nil, fmt.Errorf("chart: visits: %w", err)
	}
	rates := p.Child(charts.PainterBoxOption(charts.NewBox(0, top+half, Width, Height)))
	if len(w.Kinds) == 0 {
		style := charts.FontStyle{FontSize: 20, FontColor: dark, Font: font}
		rates.Text(fonts.Drawable(w.RatesTop), 30, top+half+40, 0, style)
		rates.Text(fonts.Drawable(w.NoRates), 30, top+half+90, 0, charts.FontStyle{FontSize: 18, FontColor: charts.ColorGray, Font: font})
	} else if err := rates.BarChart(ratesOption(w, font)); err != nil {
		return nil, fmt.Errorf("chart: rates: %w", err)
	}
	png, err := p.Bytes()
	if err != nil {
		return nil, fmt.Errorf("chart: png: %w", err)
	}
	return png, nil
}

func labels(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fonts.Drawable(s)
	}
	return out
}

func visitsOption(w Weekly, font *truetype.Font) charts.BarChartOption {
	this, last := make([]float64, 7), make([]float64, 7)
	top := 0.0
	for i := range 7 {
		this[i], last[i] = float64(w.This[i]), float64(w.Last[i])
		top = max(top, this[i], last[i])
	}
	opt := charts.NewBarChartOptionWithData([][]float64{last, this})
	opt.Padding = charts.NewBox(20, 20, 30, 20)
	opt.Title = charts.TitleOption{Text: fonts.Drawable(w.VisitsTop), FontStyle: charts.FontStyle{FontSize: 20, Font: font}}
	opt.Legend = charts.LegendOption{SeriesNames: labels([]string{w.LastName, w.ThisName}), Offset: charts.OffsetRight,
		FontStyle: charts.FontStyle{FontSize: 15, Font: font}}
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: labels(w.Days[:]), LabelCount: 7, LabelFontStyle: charts.FontStyle{FontSize: 15, Font: font}}
	// The bar chart draws from the axis minimum: without Min 0 the lowest
	// bar would look empty.
	opt.ValueAxis = []charts.ValueAxisOption{{Min: charts.Ptr(0.0), Max: charts.Ptr(niceMax(top)), LabelCount: 6,
		PreferNiceIntervals: charts.Ptr(false), LabelFontStyle: charts.FontStyle{FontSize: 14, Font: font}, ValueFormatter: whole}}
	opt.SeriesList[0].Label = charts.SeriesLabel{Show: charts.Ptr(false)}
	opt.SeriesList[1].Label = charts.SeriesLabel{Show: charts.Ptr(true), FontStyle: charts.FontStyle{FontSize: 13, Font: font}, ValueFormatter: whole}
	opt.ValueFormatter = whole
	return opt
}

func ratesOption(w Weekly, font *truetype.Font) charts.BarChartOption {
	exp, held := make([]float64, len(w.Kinds)), make([]float64, len(w.Kinds))
	for i := range w.Kinds {
		if i < len(w.Exposed) {
			exp[i] = math.Round(100 * w.Exposed[i])
		}
		if i < len(w.HeldOut) && w.HeldOut[i] > 0 {
			held[i] = math.Round(100 * w.HeldOut[i])
		}
	}
	opt := charts.NewBarChartOptionWithData([][]float64{exp, held})
	opt.Padding = charts.NewBox(20, 20, 30, 20)
	opt.Title = charts.TitleOption{Text: fonts.Drawable(w.RatesTop), FontStyle: charts.FontStyle{FontSize: 20, Font: font}}
	opt.Legend = charts.LegendOption{SeriesNames: labels([]string{w.ExposedName, w.HeldOutName}), Offset: charts.OffsetRight,
		FontStyle: charts.FontStyle{FontSize: 15, Font: font}}
	// Every kind keeps its label.
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: labels(w.Kinds), LabelCount: len(w.Kinds),
		LabelFontStyle: charts.FontStyle{FontSize: 14, Font: font}}
	opt.ValueAxis = []charts.ValueAxisOption{{Min: charts.Ptr(0.0), Max: charts.Ptr(100.0), LabelCount: 6,
		PreferNiceIntervals: charts.Ptr(false), LabelFontStyle: charts.FontStyle{FontSize: 14, Font: font}, ValueFormatter: percent}}
	style := charts.FontStyle{FontSize: 13, Font: font}
	opt.SeriesList[0].Label = charts.SeriesLabel{Show: charts.Ptr(true), FontStyle: style, ValueFormatter: percent}
	// A kind with no held-out group (sends a person asked for) has no
	// held-out bar: a dash, not 0%.
	// The formatter is handed the series' index, not the point's: the
	// points come in order, so count them.
	point := 0
	opt.SeriesList[1].Label = charts.SeriesLabel{Show: charts.Ptr(true), FontStyle: style,
		LabelFormatter: func(_ int, _ string, v float64) (string, *charts.LabelStyle) {
			i := point
			point++
			if i < len(w.HeldOut) && w.HeldOut[i] < 0 {
				return "—", nil
			}
			return percent(v), nil
		}}
	opt.ValueFormatter = percent
	return opt
}

func whole(v float64) string   { return fmt.Sprintf("%.0f", v) }
func percent(v float64) string { return fmt.Sprintf("%.0f%%", v) }

// niceMax is a round top for an axis whose largest value is v (at least 5).
func niceMax(v float64) float64 {
	if v < 5 {
		return 5
	}
	mag := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= v*1.1 {
			return m * mag
		}
	}
	return 10 * mag
}

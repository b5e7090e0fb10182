package figure

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The house look: one panel size, one set of font sizes, one palette.
const (
	// PanelWidth and PanelHeight are the size of one panel.
	PanelWidth  = 12 * vg.Centimeter
	PanelHeight = 8.5 * vg.Centimeter
	// DPI is the resolution of the PNG files.
	DPI = 150

	titleSize = 11
	labelSize = 10
	tickSize  = 8.5
)

// Palette is the Okabe–Ito colour-blind-safe palette, in the order series
// take it. Series i uses Palette[i%len(Palette)].
var Palette = []color.Color{
	color.NRGBA{0x00, 0x72, 0xB2, 0xff}, // blue
	color.NRGBA{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	color.NRGBA{0x00, 0x9E, 0x73, 0xff}, // bluish green
	color.NRGBA{0xE6, 0x9F, 0x00, 0xff}, // orange
	color.NRGBA{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	color.NRGBA{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	color.NRGBA{0x00, 0x00, 0x00, 0xff}, // black
	color.NRGBA{0xF0, 0xE4, 0x42, 0xff}, // yellow
}

// Color returns the colour of series i.
func Color(i int) color.Color {
	if i < 0 {
		i = -i
	}
	return Palette[i%len(Palette)]
}

var dashes = [][]vg.Length{nil, {vg.Points(5), vg.Points(2)}, {vg.Points(1.5), vg.Points(1.5)}}

// NewPlot returns an empty panel with the house style: title and axis labels,
// a light grid, and the legend inside the top-right corner.
func NewPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = titleSize
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = labelSize
		a.Tick.Label.Font.Size = tickSize
	}
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = tickSize
	p.Legend.XOffs = -vg.Points(4)
	p.Legend.YOffs = -vg.Points(4)
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 225}
	g.Horizontal.Color = color.Gray{Y: 225}
	p.Add(g)
	return p
}

// LogY switches the panel's y axis to a base-10 logarithmic scale. Every
// plotted y value must then be positive.
func LogY(p *plot.Plot) {
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = decades{}
}

// decades labels powers of ten, every one when the range spans few decades
// and every second, third, ... one when it spans many, so the labels never
// crowd; unlabelled decades keep a minor tick.
type decades struct{}

func (decades) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	a, b := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	step := (b-a)/8 + 1
	var ticks []plot.Tick
	for e := a; e <= b; e++ {
		v := math.Pow(10, float64(e))
		if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
			continue
		}
		t := plot.Tick{Value: v}
		if e%step == 0 {
			t.Label = fmt.Sprintf("1e%d", e)
			if e >= 0 && e <= 3 {
				t.Label = fmt.Sprintf("%g", v)
			}
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// DecadeTicks labels the x axis of p at the given positions v with "1e<k>"
// where v = -k; for axes that plot -log10 of a quantity (such as ε).
func DecadeTicks(values []float64) plot.Ticker {
	ticks := make(plot.ConstantTicks, len(values))
	for i, v := range values {
		ticks[i] = plot.Tick{Value: v, Label: fmt.Sprintf("1e%d", int(math.Round(-v)))}
	}
	return ticks
}

// Line adds series i as a line through (xs[k], ys[k]) with the given legend
// label ("" for none). Series beyond the palette's length are dashed. It
// returns an error naming the series when the lengths differ or a value is
// NaN or infinite.
func Line(p *plot.Plot, label string, i int, xs, ys []float64) error {
	xy, err := points(p, label, xs, ys)
	if err != nil {
		return err
	}
	l, err := plotter.NewLine(xy)
	if err != nil {
		return fmt.Errorf("figure: series %q: %w", label, err)
	}
	l.Color = Color(i)
	l.Width = vg.Points(1.4)
	l.Dashes = dashes[(abs(i)/len(Palette))%len(dashes)]
	p.Add(l)
	if label != "" {
		p.Legend.Add(label, l)
	}
	return nil
}

// Points adds series i as unconnected markers (for training points, maxima
// and grids). It shares Line's checks through points; the rest only looks
// alike, each on its own plotter type.
func Points(p *plot.Plot, label string, i int, xs, ys []float64) error {
	xy, err := points(p, label, xs, ys)
	if err != nil {
		return err
	}
	s, err := plotter.NewScatter(xy)
	if err != nil {
		return fmt.Errorf("figure: series %q: %w", label, err)
	}
	s.GlyphStyle.Color = Color(i)
	s.GlyphStyle.Radius = vg.Points(3)
	s.GlyphStyle.Shape = shapes[abs(i)%len(shapes)]
	p.Add(s)
	if label != "" {
		p.Legend.Add(label, s)
	}
	return nil
}

var shapes = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{},
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

func points(p *plot.Plot, label string, xs, ys []float64) (plotter.XYs, error) {
	if p == nil {
		return nil, fmt.Errorf("figure: series %q: plot p is nil: need a plot from NewPlot", label)
	}
	if len(xs) != len(ys) {
		return nil, fmt.Errorf("figure: series %q has %d x values and %d y values: they must match", label, len(xs), len(ys))
	}
	xy := make(plotter.XYs, len(xs))
	for k := range xs {
		if !finite(xs[k]) || !finite(ys[k]) {
			return nil, fmt.Errorf("figure: series %q point %d is (%g, %g): values must be finite (clamp or drop them first)", label, k, xs[k], ys[k])
		}
		xy[k] = plotter.XY{X: xs[k], Y: ys[k]}
	}
	return xy, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

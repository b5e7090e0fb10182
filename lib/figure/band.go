package figure

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// Band adds a filled band between lo[k] and hi[k] over xs[k], in the colour
// of series i at a fifth of its opacity and without a legend entry: the
// spread of a series drawn with Line(p, label, i, xs, mean), such as the
// min-max range over seeds. Add it before the line so that the line stays on
// top. It returns an error when the lengths differ or a value is NaN or
// infinite.
func Band(p *plot.Plot, i int, xs, lo, hi []float64) error {
	if len(lo) != len(xs) || len(hi) != len(xs) {
		return fmt.Errorf("figure: band %d: %d xs, %d lows and %d highs: need as many", i, len(xs), len(lo), len(hi))
	}
	if len(xs) == 0 {
		return nil
	}
	xy := make(plotter.XYs, 0, 2*len(xs))
	for k := range xs {
		xy = append(xy, plotter.XY{X: xs[k], Y: hi[k]})
	}
	for k := len(xs) - 1; k >= 0; k-- {
		xy = append(xy, plotter.XY{X: xs[k], Y: lo[k]})
	}
	for _, v := range xy {
		if !finite(v.X) || !finite(v.Y) {
			return fmt.Errorf("figure: band %d: value (%v, %v) not finite", i, v.X, v.Y)
		}
	}
	poly, err := plotter.NewPolygon(xy)
	if err != nil {
		return fmt.Errorf("figure: band %d: %w", i, err)
	}
	r, g, b, _ := Color(i).RGBA()
	poly.Color = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0x40}
	poly.LineStyle.Width = 0
	p.Add(poly)
	return nil
}

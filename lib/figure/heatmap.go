package figure

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// Grid is a surface sampled on a tensor grid: Values[r*len(Xs)+c] is the
// value at (Xs[c], Ys[r]). It satisfies plotter.GridXYZ.
type Grid struct {
	Xs, Ys, Values []float64
}

var _ plotter.GridXYZ = Grid{}

// Dims returns the number of columns and rows.
func (g Grid) Dims() (c, r int) { return len(g.Xs), len(g.Ys) }

// Z returns the value at column c, row r.
func (g Grid) Z(c, r int) float64 { return g.Values[r*len(g.Xs)+c] }

// X returns the x coordinate of column c.
func (g Grid) X(c int) float64 { return g.Xs[c] }

// Y returns the y coordinate of row r.
func (g Grid) Y(r int) float64 { return g.Ys[r] }

// HeatMap adds a heat map of g to p, coloured from the minimum to the
// maximum of g.Values with a perceptually uniform palette (Moreland's extended
// black body), and returns the range it used so a caption can state it.
func HeatMap(p *plot.Plot, g Grid) (lo, hi float64, err error) {
	if len(g.Xs) < 2 || len(g.Ys) < 2 || len(g.Values) != len(g.Xs)*len(g.Ys) {
		return 0, 0, fmt.Errorf("figure: heat map grid is %d x %d with %d values: need at least 2 x 2 and len(Values) = len(Xs)*len(Ys)", len(g.Xs), len(g.Ys), len(g.Values))
	}
	if p == nil {
		return 0, 0, fmt.Errorf("figure: heat map: plot p is nil: need a plot from NewPlot")
	}
	for _, axis := range []struct {
		name string
		v    []float64
	}{{"Xs", g.Xs}, {"Ys", g.Ys}} {
		for i, v := range axis.v {
			if !finite(v) || (i > 0 && !(v > axis.v[i-1])) {
				return 0, 0, fmt.Errorf("figure: heat map %s[%d] = %g: need finite, strictly increasing coordinates", axis.name, i, v)
			}
		}
	}
	lo, hi = g.Values[0], g.Values[0]
	for i, z := range g.Values {
		if !finite(z) {
			return 0, 0, fmt.Errorf("figure: heat map value %d is %g: values must be finite", i, z)
		}
		lo, hi = min(lo, z), max(hi, z)
	}
	pal := moreland.ExtendedBlackBody()
	if hi == lo {
		hi = lo + 1
	}
	pal.SetMin(lo)
	pal.SetMax(hi)
	h := plotter.NewHeatMap(g, pal.Palette(255))
	h.Min, h.Max = lo, hi
	h.Rasterized = true // one image, not a rectangle per cell: smooth and small as SVG
	p.Add(h)
	return lo, hi, nil
}

package plots

import (
	"fmt"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"

	"pointwise/lib/adversarial"
	"pointwise/lib/figure"
)

// Transfer returns the figure of open question 2: one heat map per data
// set of rows, in their order, with the sources (clean first) as rows and
// the targets as columns, each cell the target's accuracy in percent,
// coloured from 0% (black) to 100% (white); its table is the rows. steps
// names the attack, PGD-<steps>.
func Transfer(id string, rows []adversarial.TransferRow, steps int) (*figure.Figure, error) {
	fig, err := newFigure(id, 2, adversarial.TransferColumns, rows)
	if err != nil {
		return nil, err
	}
	var sets []string
	for _, r := range rows {
		if r.Source == adversarial.CleanSource && !slices.Contains(sets, r.Dataset) {
			sets = append(sets, r.Dataset)
		}
	}
	for _, set := range sets {
		p, err := matrix(adversarial.TransferRowsOf(rows, set), set, steps)
		if err != nil {
			return nil, err
		}
		fig.Add(p)
	}
	return fig, nil
}

// matrix draws one data set's transfer matrix: rows clean then the sources
// top to bottom, targets left to right.
func matrix(rows []adversarial.TransferRow, name string, steps int) (*plot.Plot, error) {
	var names []string
	for _, r := range rows {
		if r.Source == adversarial.CleanSource {
			names = append(names, r.Target)
		}
	}
	sources := append([]string{adversarial.CleanSource}, names...)
	nr, nc := len(sources), len(names)
	g := figure.Grid{}
	var cells plotter.XYLabels
	for r := range nr {
		g.Ys = append(g.Ys, float64(r))
	}
	for c := range nc {
		g.Xs = append(g.Xs, float64(c))
	}
	for r := range nr {
		for c := range nc {
			a, _ := adversarial.TransferAccuracyOf(rows, sources[nr-1-r], names[c])
			g.Values = append(g.Values, a)
			cells.XYs = append(cells.XYs, plotter.XY{X: float64(c), Y: float64(r)})
			cells.Labels = append(cells.Labels, fmt.Sprintf("%.1f%%", 100*a))
		}
	}
	eps := adversarial.TransferEpsilon(rows, name)
	p := figure.NewPlot(fmt.Sprintf("%s: PGD-%d at eps = %g, accuracy of target", name, steps, eps), "target network", "source of the adversarial images")
	l, err := labels(cells, g.Values, 0.5)
	if err != nil {
		return nil, err
	}
	p.Add(heatMap(g, 0, 1), l)
	p.X.Tick.Marker = ticks(names, func(i int) float64 { return float64(i) })
	p.Y.Tick.Marker = ticks(sources, func(i int) float64 { return float64(nr - 1 - i) })
	p.Legend.Top = false
	return p, nil
}

// labels prints the numbers in the cells: white on the dark (low) cells,
// black on the light ones.
func labels(cells plotter.XYLabels, values []float64, mid float64) (*plotter.Labels, error) {
	l, err := plotter.NewLabels(cells)
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = text.XCenter, text.YCenter
		l.TextStyle[i].Font.Size = 9
		if values[i] < mid {
			l.TextStyle[i].Color = color.White
		}
	}
	return l, nil
}

// ticks places the labels names at the positions at(i).
func ticks(names []string, at func(int) float64) plot.ConstantTicks {
	var t plot.ConstantTicks
	for i, n := range names {
		t = append(t, plot.Tick{Value: at(i), Label: n})
	}
	return t
}

// heatMap colours the cells from lo to hi with figure.HeatMap's palette,
// one sharp rectangle per cell (figure.HeatMap draws a smoothed image, made
// for sampled surfaces, not for a matrix).
func heatMap(g figure.Grid, lo, hi float64) *plotter.HeatMap {
	pal := moreland.ExtendedBlackBody()
	pal.SetMin(lo)
	pal.SetMax(hi)
	h := plotter.NewHeatMap(g, pal.Palette(255))
	h.Min, h.Max = lo, hi
	return h
}

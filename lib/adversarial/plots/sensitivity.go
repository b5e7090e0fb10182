package plots

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"pointwise/lib/adversarial"
	"pointwise/lib/attack"
	"pointwise/lib/figure"
)

// Sensitivity returns the figure of open question 4 from a Sensitivity
// study's rows: three panels, the robust accuracy under the ensemble at
// ε_train eps (on its images), under PGD-<steps> at eps, and the clean
// accuracy, each against the heads' scale on a log2 axis, one line per
// initialisation (in the rows' order): the mean over seeds, with a band
// from the smallest to the largest seed when there are several. The
// small-scale limit is a point at the axis's left end, two octaves below
// the smallest scale and joined to it by a dashed line (the scale → 0 end
// of the curve), and standard training of each initialisation a dotted
// line across the panel; the first panel holds the legend. data names the
// data set in the titles. Its table is the rows.
func Sensitivity(id, data string, rows []adversarial.SensitivityRow, steps int, eps float64) (*figure.Figure, error) {
	cells, err := adversarial.SummarizeSensitivity(rows)
	if err != nil {
		return nil, err
	}
	fig, err := newFigure(id, 3, adversarial.SensitivityColumns, rows)
	if err != nil {
		return nil, err
	}
	ax, err := scaleAxis(cells)
	if err != nil {
		return nil, err
	}
	n, ensN := 0, 0
	if len(rows) > 0 {
		n, ensN = rows[0].N, rows[0].EnsembleN
	}
	for k, pn := range []struct {
		title string
		of    func(adversarial.SensitivityCell) adversarial.Stat
		fixed bool // the y axis spans 0 to 1.05
	}{
		{fmt.Sprintf("%s: ensemble at eps = %g (%d images)", data, eps, ensN), func(c adversarial.SensitivityCell) adversarial.Stat { return c.Ensemble }, true},
		{fmt.Sprintf("%s: PGD-%d at eps = %g (%d images)", data, steps, eps, n), func(c adversarial.SensitivityCell) adversarial.Stat { return c.PGD }, true},
		{fmt.Sprintf("%s: clean accuracy (%d images)", data, n), func(c adversarial.SensitivityCell) adversarial.Stat { return c.Clean }, false},
	} {
		p, err := sensitivityPanel(cells, ax, pn.title, pn.of, k == 0)
		if err != nil {
			return nil, err
		}
		if pn.fixed {
			p.Y.Min, p.Y.Max = 0, 1.05
		} else { // the data's range, and 5% of it beyond either end
			pad := 0.05 * (p.Y.Max - p.Y.Min)
			p.Y.Min, p.Y.Max = p.Y.Min-pad, p.Y.Max+pad
		}
		fig.Add(p)
	}
	return fig, nil
}

// axis places the heads levels on the x axis: x[level], with its ticks.
type axis struct {
	x      map[string]float64
	limit  string  // the limit level, "" if none
	least  string  // the level of the smallest scale, "" if none
	lo, hi float64 // the axis's range
	ticks  plot.ConstantTicks
}

// scaleAxis returns the axis of the hard-training levels of cells: a scale
// s at log2 s, the limit two octaves left of the smallest scale. A level
// that is neither a number nor the limit is an error.
func scaleAxis(cells []adversarial.SensitivityCell) (axis, error) {
	ax := axis{x: map[string]float64{}, lo: math.Inf(1), hi: math.Inf(-1)}
	for _, c := range cells {
		if _, seen := ax.x[c.Heads]; seen || c.Heads == adversarial.NoHeads || c.Heads == ax.limit {
			continue
		}
		if c.Heads == attack.HeadLimit.String() {
			ax.limit = c.Heads
			continue
		}
		s, err := strconv.ParseFloat(c.Heads, 64)
		if err != nil || !(s > 0) {
			return ax, fmt.Errorf("plots: heads level %q is neither a positive scale nor %q", c.Heads, attack.HeadLimit)
		}
		x := math.Log2(s)
		ax.x[c.Heads] = x
		if x < ax.lo {
			ax.least = c.Heads
		}
		ax.lo, ax.hi = min(ax.lo, x), max(ax.hi, x)
		ax.ticks = append(ax.ticks, plot.Tick{Value: x, Label: fraction(s)})
	}
	if ax.least == "" { // only the limit, or no hard training
		ax.lo, ax.hi = 2, 2
	}
	if ax.limit != "" {
		ax.lo -= 2
		ax.x[ax.limit] = ax.lo
		ax.ticks = append(ax.ticks, plot.Tick{Value: ax.lo, Label: ax.limit})
	}
	slices.SortFunc(ax.ticks, func(a, b plot.Tick) int { return cmp.Compare(a.Value, b.Value) })
	ax.lo, ax.hi = ax.lo-0.6, ax.hi+0.6
	return ax, nil
}

// fraction labels a scale: "1/16" for 0.0625, "4" for 4.
func fraction(s float64) string {
	if inv := 1 / s; s < 1 && inv == math.Round(inv) {
		return fmt.Sprintf("1/%d", int(inv))
	}
	return strconv.FormatFloat(s, 'g', -1, 64)
}

// dotted is the legend's sample of the standard-training lines, drawn in
// black with the dots of figure.Line's series 2·len(figure.Palette) + i.
func dotted() *plotter.Line {
	l := &plotter.Line{XYs: plotter.XYs{{}}}
	l.Color = color.Black
	l.Width = vg.Points(1.4)
	l.Dashes = []vg.Length{vg.Points(1.5), vg.Points(1.5)}
	return l
}

// sensitivityPanel draws one accuracy (of) of every initialisation against
// the heads' scale, with a legend if legend is set.
func sensitivityPanel(cells []adversarial.SensitivityCell, ax axis, title string, of func(adversarial.SensitivityCell) adversarial.Stat, legend bool) (*plot.Plot, error) {
	p := figure.NewPlot(title, "heads' scale (x the init's output-layer scale, log2)", "test accuracy")
	var inits []string
	for _, c := range cells {
		if !slices.Contains(inits, c.Init) {
			inits = append(inits, c.Init)
		}
	}
	dashed, dots := len(figure.Palette), 2*len(figure.Palette) // figure.Line's dashed and dotted series
	var errs []error
	for i, init := range inits {
		type point struct {
			x float64
			s adversarial.Stat
		}
		var pts []point
		var limit, least *adversarial.Stat
		for _, c := range cells {
			if c.Init != init {
				continue
			}
			s := of(c)
			switch c.Heads {
			case adversarial.NoHeads:
				errs = append(errs, figure.Line(p, "", i+dots, []float64{ax.lo, ax.hi}, []float64{s.Mean, s.Mean}))
				continue
			case ax.limit:
				limit = &s
				continue
			case ax.least:
				least = &s
			}
			pts = append(pts, point{ax.x[c.Heads], s})
		}
		slices.SortFunc(pts, func(a, b point) int { return cmp.Compare(a.x, b.x) })
		var xs, mean, lo, hi []float64
		for _, q := range pts {
			xs, mean, lo, hi = append(xs, q.x), append(mean, q.s.Mean), append(lo, q.s.Min), append(hi, q.s.Max)
		}
		if slices.ContainsFunc(cells, func(c adversarial.SensitivityCell) bool { return c.Init == init && of(c).Seeds > 1 }) {
			errs = append(errs, figure.Band(p, i, xs, lo, hi))
			if limit != nil {
				x := ax.x[ax.limit]
				errs = append(errs, figure.Band(p, i, []float64{x - 0.2, x + 0.2}, []float64{limit.Min, limit.Min}, []float64{limit.Max, limit.Max}))
			}
		}
		label := ""
		if legend {
			label = init
		}
		errs = append(errs, figure.Line(p, label, i, xs, mean), figure.Points(p, "", i, xs, mean))
		if limit != nil {
			x := ax.x[ax.limit]
			errs = append(errs, figure.Points(p, "", i, []float64{x}, []float64{limit.Mean}))
			if least != nil {
				errs = append(errs, figure.Line(p, "", i+dashed, []float64{x, ax.x[ax.least]}, []float64{limit.Mean, least.Mean}))
			}
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if legend {
		p.Legend.Add("standard training", dotted())
	}
	p.X.Tick.Marker = ax.ticks
	p.X.Min, p.X.Max = ax.lo, ax.hi
	return p, nil
}

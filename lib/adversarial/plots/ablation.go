package plots

import (
	"fmt"

	"gonum.org/v1/plot"

	"pointwise/lib/adversarial"
	"pointwise/lib/figure"
)

// Ablation returns the figure of open question 3: one panel per factor of
// the rows (in their order), the clean accuracy and the robust accuracy
// under PGD-<steps> at eps over the factor's levels, as points joined by
// lines, the mean over seeds with a band from the smallest to the largest
// when there are several; data names the data set in the titles. Its table
// is the rows.
func Ablation(id, data string, rows []adversarial.AblationRow, steps int, eps float64) (*figure.Figure, error) {
	levels, err := adversarial.SummarizeAblation(rows)
	if err != nil {
		return nil, err
	}
	fig, err := newFigure(id, 2, adversarial.AblationColumns, rows)
	if err != nil {
		return nil, err
	}
	var factors []string
	bands := false
	for _, l := range levels {
		if len(factors) == 0 || factors[len(factors)-1] != l.Factor {
			factors = append(factors, l.Factor)
		}
		bands = bands || l.Robust.Seeds > 1
	}
	robust := fmt.Sprintf("PGD-%d at eps = %g", steps, eps)
	for _, f := range factors {
		p, err := factor(levels, f, fmt.Sprintf("%s hard training: %s", data, f), robust, bands)
		if err != nil {
			return nil, err
		}
		fig.Add(p)
	}
	return fig, nil
}

// factor draws one factor's clean and robust accuracy over its levels.
func factor(levels []adversarial.AblationLevel, name, title, robustLabel string, bands bool) (*plot.Plot, error) {
	var xs, clean, robust, cLo, cHi, rLo, rHi []float64
	var ticks plot.ConstantTicks
	for _, l := range levels {
		if l.Factor == name {
			x := float64(len(xs))
			xs, clean, robust = append(xs, x), append(clean, l.Clean.Mean), append(robust, l.Robust.Mean)
			cLo, cHi, rLo, rHi = append(cLo, l.Clean.Min), append(cHi, l.Clean.Max), append(rLo, l.Robust.Min), append(rHi, l.Robust.Max)
			label := l.Value
			if l.Base {
				label += " (base)"
			}
			ticks = append(ticks, plot.Tick{Value: x, Label: label})
		}
	}
	p := figure.NewPlot(title, name, "test accuracy")
	var errs []error
	if bands {
		errs = append(errs, figure.Band(p, 0, xs, cLo, cHi), figure.Band(p, 1, xs, rLo, rHi))
	}
	errs = append(errs, figure.Line(p, "clean", 0, xs, clean), figure.Points(p, "", 0, xs, clean),
		figure.Line(p, robustLabel, 1, xs, robust), figure.Points(p, "", 1, xs, robust))
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	p.X.Tick.Marker = ticks
	p.X.Min, p.X.Max = -0.4, float64(len(xs))-0.6
	p.Y.Min, p.Y.Max = 0, 1.05
	p.Legend.Top, p.Legend.Left = false, true
	return p, nil
}

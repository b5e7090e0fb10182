// Package plots draws the figures of the notebooks that train and attack
// networks with package adversarial: Figure 6's accuracy against ε, the
// transfer matrices of open question 2, the ablation of open question 3,
// and adversarial examples for Figure 6's explorer. It is the display side
// of package adversarial, kept apart from it so that adversarial never
// imports GoNB (through package figure): the figures take the rows that
// adversarial computes, or that the notebooks read back from their CSVs.
package plots

import (
	"fmt"

	"gonum.org/v1/plot"

	"pointwise/lib/adversarial"
	"pointwise/lib/figure"
)

// valuer is a row of a figure's table: adversarial.Row, TransferRow,
// AblationRow, SensitivityRow.
type valuer interface{ Values() []any }

// newFigure returns an empty figure id laid out in cols columns, whose
// first table, <id>.csv, holds the rows under the given columns.
func newFigure[R valuer](id string, cols int, columns []string, rows []R) (*figure.Figure, error) {
	t, err := figure.NewTable("", columns...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if err := t.Append(r.Values()...); err != nil {
			return nil, err
		}
	}
	fig, err := figure.New(id)
	if err != nil {
		return nil, err
	}
	fig.Cols = cols
	return fig, fig.AddTable(t)
}

// Figure6 returns Figure 6's panel of one data set from a Study's rows and
// audits: the accuracy of the three trainings against ε (the grid eps)
// under FGSM, PGD-<steps> and the ensemble (on its subset of the test
// images), the mean over seeds with a band from the smallest to the
// largest seed when there are several; its tables are the rows (<id>.csv)
// and the audits (<id>_audit.csv).
func Figure6(id, data string, rows []adversarial.Row, audits []*adversarial.AuditTable, eps []float64, epsTrain float64, steps int) (*figure.Figure, error) {
	fig, err := newFigure(id, 3, adversarial.Columns, rows)
	if err != nil {
		return nil, err
	}
	aud, err := figure.NewTable("audit", adversarial.AuditColumns...)
	if err != nil {
		return nil, err
	}
	for _, a := range audits {
		for _, v := range a.Values() {
			if err := aud.Append(v...); err != nil {
				return nil, err
			}
		}
	}
	bands := len(adversarial.Seeds(rows)) > 1
	for _, attack := range adversarial.Figure6Attacks(steps) {
		p, err := accuracy(rows, data, attack, eps, epsTrain, bands)
		if err != nil {
			return nil, err
		}
		fig.Add(p)
	}
	return fig, fig.AddTable(aud)
}

// accuracy plots one attack's accuracy against ε for the three trainings;
// the ensemble's rows are those of its subset.
func accuracy(rows []adversarial.Row, data, attack string, eps []float64, epsTrain float64, bands bool) (*plot.Plot, error) {
	title, n := fmt.Sprintf("%s under %s (eps_train = %g)", data, attack, epsTrain), 0
	if attack == adversarial.AttackEnsemble {
		n = adversarial.SubsetN(rows)
		title = fmt.Sprintf("%s under the ensemble (%d images)", data, n)
	}
	p := figure.NewPlot(title, "epsilon (L-inf)", "test accuracy")
	for i, m := range adversarial.Methods {
		mean, lo, hi, err := adversarial.Curve(rows, m.String(), attack, eps, n)
		if err != nil {
			return nil, err
		}
		if bands {
			if err := figure.Band(p, i, eps, lo, hi); err != nil {
				return nil, err
			}
		}
		if err := figure.Line(p, m.String()+" training", i, eps, mean); err != nil {
			return nil, err
		}
	}
	p.Y.Min, p.Y.Max = 0, 1.05
	return p, nil
}

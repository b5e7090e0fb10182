package plots

import (
	"fmt"
	"slices"

	"gonum.org/v1/plot/vg"

	"pointwise/lib/adversarial"
	"pointwise/lib/figure"
)

// ExamplesFigure draws adversarial examples of trained networks, for Figure 6's
// explorer: the first Shown test images with the network's predictions
// (vermillion when wrong), their PGD adversarials at a radius with the
// predictions on them, and the perturbations (mid-grey 0, black −ε, white
// +ε), titled with the network's robust accuracy at that radius read from
// the figure's rows.
type ExamplesFigure struct {
	// ID names the figure whose rows these are, such as "fig6a" (the
	// examples' own is "fig6a-explore"); Data the data set in the title.
	ID, Data string
	// Test are the test images, Classes the names of their labels.
	Test    adversarial.Data
	Classes []string
	// Rows are the figure's rows, for the robust accuracy.
	Rows []adversarial.Row
	// Shown is the number of images drawn; Steps the PGD steps.
	Shown, Steps int
	// Models are the networks of the explorer's menu, one per training;
	// Epsilons the radii of its slider; Heads the K of the hard objectives
	// its menu offers after the network's own cross-entropy.
	Models   []*adversarial.Model
	Epsilons []float64
	Heads    []int
}

// objective names the attack objective of k heads (0: the network's own
// cross-entropy).
func objective(k int) string {
	if k == 0 {
		return "own cross-entropy"
	}
	return fmt.Sprintf("hard objective, K = %d", k)
}

// PNG returns the PNG of m's examples at radius eps against the objective
// of k heads (0: the network's own cross-entropy; see adversarial.Craft).
func (e ExamplesFigure) PNG(m *adversarial.Model, eps float64, k int) ([]byte, error) {
	ex, err := adversarial.Craft(m, e.Test, e.Shown, eps, k, e.Steps)
	if err != nil {
		return nil, err
	}
	d, cols := e.Test.Split.Dim(), e.Test.Split.Cols
	var tiles []figure.Tile
	for r, img := range [][]float32{ex.X, ex.Adv} {
		for i, p := range [][]int{ex.Clean, ex.Predicted}[r] {
			g, err := figure.Gray(img[i*d:(i+1)*d], cols, 0, 1)
			if err != nil {
				return nil, err
			}
			tiles = append(tiles, figure.Tile{Image: g, Caption: e.Classes[p], Alert: p != ex.Labels[i]})
		}
	}
	span := max(eps, 1e-6) // at eps = 0 every perturbation is 0, mid-grey
	delta := make([]float32, len(ex.X))
	for j := range delta {
		delta[j] = ex.Adv[j] - ex.X[j]
	}
	for i := range e.Shown {
		g, err := figure.Gray(delta[i*d:(i+1)*d], cols, -span, span)
		if err != nil {
			return nil, err
		}
		tiles = append(tiles, figure.Tile{Image: g})
	}
	acc, err := adversarial.Summarize(e.Rows, m.Config.Method.String(), adversarial.AttackPGD(e.Steps), eps, 0)
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf("%s, %s training, PGD-%d at eps = %g (%s): %d of %d shown misclassified\nrobust accuracy at eps = %g: %v (PGD-%d on the network's own cross-entropy, %s.csv)",
		e.Data, m.Config.Method, e.Steps, eps, objective(k), ex.Fooled(), e.Shown, eps, acc, e.Steps, e.ID)
	grid, err := figure.ImageGrid(title, e.Shown, []string{"clean", "adversarial", "perturbation"}, tiles)
	if err != nil {
		return nil, err
	}
	fig, err := figure.New(e.ID+"-explore", grid)
	if err != nil {
		return nil, err
	}
	fig.PanelWidth, fig.PanelHeight = 24*vg.Centimeter, 11*vg.Centimeter
	return fig.PNG()
}

// Controls are the widgets of Figure 6's explorer: a slider over Epsilons
// (starting at epsTrain), a menu of the Models' trainings and a menu of
// attack objectives, the network's own cross-entropy and then the hard
// objective with each K of Heads.
func (e ExamplesFigure) Controls(epsTrain float64) []figure.Control {
	var trainings []string
	for _, m := range e.Models {
		trainings = append(trainings, m.Config.Method.String())
	}
	objectives := []string{objective(0)}
	for _, k := range e.Heads {
		objectives = append(objectives, objective(k))
	}
	return []figure.Control{
		{Label: "eps", Max: len(e.Epsilons) - 1, Default: max(0, slices.Index(e.Epsilons, epsTrain)), Format: func(i int) string { return fmt.Sprint(e.Epsilons[i]) }},
		{Label: "training", Options: trainings},
		{Label: "attack objective", Options: objectives},
	}
}

// Draw returns the PNG for the values of Controls' widgets: the radius, the
// model and the objective, as figure.Explorer's Draw.
func (e ExamplesFigure) Draw(values []int) ([]byte, error) {
	if len(values) != 3 {
		return nil, fmt.Errorf("plots: %d control values: need 3 (radius, model, objective)", len(values))
	}
	k := 0
	if values[2] > 0 {
		k = e.Heads[values[2]-1]
	}
	return e.PNG(e.Models[values[1]], e.Epsilons[values[0]], k)
}

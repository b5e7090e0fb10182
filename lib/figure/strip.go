package figure

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
)

// StackTol is how close two points of one set must be for Strip to stack
// them: closer than this, they are drawn as one column of markers.
const StackTol = 1e-3

// StackStep is the height, in rows, between stacked markers.
const StackStep = 0.15

// Strip plots point sets as rows of markers on p, the first set at the top,
// set i in the colour and marker of series colors[i], with labels[i] as the
// y tick of its row: the positions that several methods find, compared at a
// glance. A point within StackTol of an earlier point of its set is drawn
// StackStep higher for each such point, so a column of k markers is a point
// repeated k times. The x range is left to the caller. It returns an error
// when the lengths of labels, sets and colors differ or a point is NaN or
// infinite.
func Strip(p *plot.Plot, labels []string, sets [][]float64, colors []int) error {
	if len(labels) != len(sets) || len(colors) != len(sets) {
		return fmt.Errorf("figure: strip: %d labels, %d sets and %d colours: need one of each per set", len(labels), len(sets), len(colors))
	}
	var ticks []plot.Tick
	for i, s := range sets {
		y := float64(len(sets) - 1 - i)
		if err := Points(p, "", colors[i], s, stack(s, y)); err != nil {
			return fmt.Errorf("figure: strip row %q: %w", labels[i], err)
		}
		ticks = append(ticks, plot.Tick{Value: y, Label: labels[i]})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.7, float64(len(sets))-0.3
	return nil
}

// stack returns the heights of the markers of s on the row at y: y plus
// StackStep for each earlier point of s within StackTol.
func stack(s []float64, y float64) []float64 {
	ys := make([]float64, len(s))
	for k, x := range s {
		n := 0
		for _, t := range s[:k] {
			if math.Abs(t-x) <= StackTol {
				n++
			}
		}
		ys[k] = y + StackStep*float64(n)
	}
	return ys
}

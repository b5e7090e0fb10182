package plots

import (
	"bytes"
	"image/png"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"pointwise/lib/adversarial"
)

// sensitivityRows returns a complete study of two inits at the levels
// 0.0625, 1 and the limit, with standard training, for the given seeds;
// its accuracies are sums of powers of two, exact in floating point.
func sensitivityRows(seeds ...uint64) []adversarial.SensitivityRow {
	var rows []adversarial.SensitivityRow
	for _, seed := range seeds {
		for i, init := range []string{"he", "pytorch"} {
			for j, l := range []string{adversarial.NoHeads, "0.0625", "1", "limit"} {
				tr, acc := "hard", 0.25+0.125*float64(i)+0.03125*float64(j)+0.015625*float64(seed)
				if l == adversarial.NoHeads {
					tr, acc = "standard", 0.015625
				}
				rows = append(rows, adversarial.SensitivityRow{Init: init, Heads: l, Training: tr, CleanAccuracy: 0.96875, PGDAccuracy: acc + 0.0625, N: 100,
					EnsembleAccuracy: acc, EnsemblePGDAccuracy: acc + 0.03125, EnsembleN: 50, Seed: seed})
			}
		}
	}
	return rows
}

func TestSensitivity(t *testing.T) {
	for _, seeds := range [][]uint64{{1}, {1, 2}} {
		rows := sensitivityRows(seeds...)
		fig, err := Sensitivity("ext9", "MNIST", rows, 20, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		out, err := fig.Render()
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"ext9.png", "ext9.svg", "ext9.csv"}; !slices.Equal(out.Names, want) {
			t.Fatalf("files %q, want %q", out.Names, want)
		}
		got := csvLines(out.Data[2])
		if len(got) != 1+len(rows) || got[0] != strings.Join(adversarial.SensitivityColumns, ",") || got[2] != "he,0.0625,hard,0.96875,0.359375,100,0.296875,0.328125,50,1" {
			t.Errorf("ext9.csv starts %q, want the header and %d rows", got[:3], len(rows))
		}
		img, err := png.Decode(bytes.NewReader(out.Data[0]))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() <= 2*b.Dy() {
			t.Errorf("ext9.png is %v: want three panels in a row", b)
		}
	}
	rows := sensitivityRows(1)
	rows[1].Heads = "K8"
	if _, err := Sensitivity("ext9", "MNIST", rows, 20, 0.1); err == nil || !strings.Contains(err.Error(), `heads level "K8"`) {
		t.Errorf("a level that is no scale: error %v", err)
	}
	if _, err := Sensitivity("ext9", "MNIST", append(sensitivityRows(1), sensitivityRows(1)[0]), 20, 0.1); err == nil {
		t.Error("a seed twice: no error")
	}
}

// The axis puts a scale s at log2 s and the limit two octaves left of the
// smallest scale, with 0.6 of margin on both sides.
func TestScaleAxis(t *testing.T) {
	cells, err := adversarial.SummarizeSensitivity(sensitivityRows(1))
	if err != nil {
		t.Fatal(err)
	}
	ax, err := scaleAxis(cells)
	if err != nil {
		t.Fatal(err)
	}
	want := plot.ConstantTicks{{Value: -6, Label: "limit"}, {Value: -4, Label: "1/16"}, {Value: 0, Label: "1"}}
	if !slices.Equal(ax.ticks, want) || ax.limit != "limit" || ax.least != "0.0625" || ax.lo != -6.6 || ax.hi != 0.6 {
		t.Errorf("axis %+v, want ticks %v from -6.6 to 0.6", ax, want)
	}
	for s, want := range map[float64]string{0.0625: "1/16", 0.25: "1/4", 1: "1", 4: "4", 0.3: "0.3", 1.5: "1.5"} {
		if got := fraction(s); got != want {
			t.Errorf("fraction(%g) = %q, want %q", s, got, want)
		}
	}
}

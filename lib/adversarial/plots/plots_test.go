package plots

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"pointwise/lib/adversarial"
	"pointwise/lib/attack"
	"pointwise/lib/dataset"
)

// csvLines returns the lines of a CSV file.
func csvLines(b []byte) []string { return strings.Split(strings.TrimSpace(string(b)), "\n") }

// fig6Rows returns the rows of a two-seed study of the three trainings on
// a grid of two ε: FGSM and PGD-20 on 100 images, the ensemble on 50.
func fig6Rows() []adversarial.Row {
	var rows []adversarial.Row
	for _, seed := range []uint64{1, 2} {
		for i, m := range adversarial.Methods {
			for _, a := range adversarial.Figure6Attacks(20) {
				n := 100
				if a == adversarial.AttackEnsemble {
					n = 50
				}
				for _, eps := range []float64{0, 0.1} {
					acc := 0.9 - eps*float64(3-i) - 0.01*float64(seed)
					rows = append(rows, adversarial.Row{Dataset: "MNIST", Training: m.String(), Attack: a, Epsilon: eps, Accuracy: acc, N: n, Seed: seed})
				}
			}
		}
	}
	return rows
}

func TestFigure6(t *testing.T) {
	rows := fig6Rows()
	audits := []*adversarial.AuditTable{{Dataset: "MNIST", Training: "hard", Seed: 1, Report: &attack.AuditReport{Rows: []attack.AuditRow{{Item: "chance", Passed: true, Detail: "d"}}}}}
	fig, err := Figure6("fig6x", "MNIST", rows, audits, []float64{0, 0.1}, 0.1, 20)
	if err != nil {
		t.Fatal(err)
	}
	out, err := fig.Render()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"fig6x.png", "fig6x.svg", "fig6x.csv", "fig6x_audit.csv"}; !slices.Equal(out.Names, want) {
		t.Fatalf("files %q, want %q", out.Names, want)
	}
	// The rows as they are, and a line per audit row, each under a header.
	if got := csvLines(out.Data[2]); len(got) != 1+len(rows) || got[0] != strings.Join(adversarial.Columns, ",") || got[1] != "MNIST,standard,FGSM,0,0.89,100,1" {
		t.Errorf("fig6x.csv starts %q, want the header and %d rows", got[:2], len(rows))
	}
	if got := csvLines(out.Data[3]); len(got) != 2 || got[1] != "MNIST,hard,1,chance,true,false,0,d" {
		t.Errorf("fig6x_audit.csv = %q", got)
	}
	// The PNG has three panels side by side: wider than tall.
	img, err := png.Decode(bytes.NewReader(out.Data[0]))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() <= b.Dy() {
		t.Errorf("fig6x.png is %v: want three panels in a row", b)
	}
	// A grid point without rows is an error naming it.
	if _, err := Figure6("fig6x", "MNIST", rows, nil, []float64{0, 0.2}, 0.1, 20); err == nil || !strings.Contains(err.Error(), "ε = 0.2") {
		t.Errorf("missing ε: error %v", err)
	}
}

func TestTransfer(t *testing.T) {
	var rows []adversarial.TransferRow
	names := []string{"standard", "pgd"}
	for _, set := range []string{"MNIST", "Fashion-MNIST"} {
		for _, n := range names {
			rows = append(rows, adversarial.TransferRow{Dataset: set, Source: adversarial.CleanSource, Target: n, Accuracy: 0.9, N: 10})
		}
		for _, s := range names {
			for _, n := range names {
				rows = append(rows, adversarial.TransferRow{Dataset: set, Source: s, Target: n, Epsilon: 0.1, Accuracy: 0.4, N: 10})
			}
		}
	}
	fig, err := Transfer("ext9", rows, 20)
	if err != nil {
		t.Fatal(err)
	}
	out, err := fig.Render()
	if err != nil {
		t.Fatal(err)
	}
	if got := csvLines(out.Data[2]); out.Names[2] != "ext9.csv" || len(got) != 1+len(rows) || got[3] != "MNIST,standard,standard,0.1,0.4,10" {
		t.Errorf("%s = %q", out.Names[2], got)
	}
}

func TestAblation(t *testing.T) {
	var rows []adversarial.AblationRow
	for _, seed := range []uint64{1, 2} {
		for _, l := range []struct{ f, v string }{{"K", "1"}, {"K", "8"}, {"heads", "fresh"}, {"heads", "fixed"}} {
			rows = append(rows, adversarial.AblationRow{Factor: l.f, Value: l.v, CleanAccuracy: 0.9, RobustAccuracy: 0.3 + 0.1*float64(seed), N: 10, Seed: seed, Base: l.v == "8" || l.v == "fresh"})
		}
	}
	fig, err := Ablation("ext9", "MNIST", rows, 20, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	out, err := fig.Render()
	if err != nil {
		t.Fatal(err)
	}
	if got := csvLines(out.Data[2]); len(got) != 1+len(rows) || got[1] != "K,1,0.9,0.4,10,1" {
		t.Errorf("ext9.csv = %q", got)
	}
	if _, err := Ablation("ext9", "MNIST", append(rows, rows[0]), 20, 0.1); err == nil {
		t.Error("a seed twice: no error")
	}
}

// blobs returns n images of 4×4 pixels in [0, 1], class c a fixed random
// centre plus noise.
func blobs(n int, seed uint64) *dataset.Split {
	rnd, centres := rand.New(rand.NewPCG(seed, seed)), rand.New(rand.NewPCG(1, 2))
	c := make([]float64, 10*16)
	for i := range c {
		c[i] = 0.2 + 0.6*centres.Float64()
	}
	s := &dataset.Split{X: make([]float32, n*16), Y: make([]int, n), N: n, Rows: 4, Cols: 4}
	for i := range n {
		s.Y[i] = i % 10
		for j := range 16 {
			s.X[i*16+j] = float32(min(1, max(0, c[s.Y[i]*16+j]+0.1*rnd.NormFloat64())))
		}
	}
	return s
}

func TestExamplesFigure(t *testing.T) {
	data, test := adversarial.Data{Name: "blobs", Split: blobs(200, 1)}, adversarial.Data{Name: "blobs", Split: blobs(40, 2)}
	var models []*adversarial.Model
	for _, m := range adversarial.Methods {
		model, err := adversarial.Config{Method: m, Epsilon: 0.1, Hidden: []int{12}, Epochs: 1, Seed: 1, Heads: adversarial.HeadSettings{K: 2}, Steps: 2}.Train(context.Background(), nil, data)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, model)
	}
	var rows []adversarial.Row
	for _, m := range adversarial.Methods {
		for _, eps := range []float64{0, 0.1} {
			rows = append(rows, adversarial.Row{Dataset: "blobs", Training: m.String(), Attack: "PGD-3", Epsilon: eps, Accuracy: 0.5, N: 40, Seed: 1})
		}
	}
	classes := make([]string, 10)
	for i := range classes {
		classes[i] = fmt.Sprint("class ", i)
	}
	ex := ExamplesFigure{ID: "ext9", Data: "blobs", Test: test, Classes: classes, Rows: rows, Shown: 4, Steps: 3,
		Models: models, Epsilons: []float64{0, 0.1}, Heads: []int{2}}
	var labels []string
	for _, c := range ex.Controls(0.1) {
		labels = append(labels, fmt.Sprintf("%s %d %v", c.Label, c.Default, c.Options))
	}
	want := []string{"eps 1 []", "training 0 [standard pgd hard]", "attack objective 0 [own cross-entropy hard objective, K = 2]"}
	if !slices.Equal(labels, want) {
		t.Errorf("controls %q, want %q", labels, want)
	}
	for _, v := range [][]int{{1, 0, 0}, {0, 2, 1}} {
		b, err := ex.Draw(v)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("controls %v: %v", v, err)
		}
	}
	if _, err := ex.PNG(models[0], 0.2, 0); err == nil {
		t.Error("a radius without rows: no error")
	}
}

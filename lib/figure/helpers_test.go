package figure

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestEvalAtLeastLog10(t *testing.T) {
	// Exact in float64: squares of small dyadic numbers, and max.
	xs := []float64{-1, -0.5, 0, 0.25, 2}
	if got, want := Eval(func(x float64) float64 { return x * x }, xs), []float64{1, 0.25, 0, 0.0625, 4}; !slices.Equal(got, want) {
		t.Errorf("Eval(x², %v) = %v, want %v", xs, got, want)
	}
	v := []float64{0, 1e-20, 1e-3, 5}
	if got, want := AtLeast(v, 1e-18), []float64{1e-18, 1e-18, 1e-3, 5}; !slices.Equal(got, want) {
		t.Errorf("AtLeast(%v, 1e-18) = %v, want %v", v, got, want)
	}
	if v[0] != 0 {
		t.Errorf("AtLeast modified its input: %v", v)
	}
	// log₁₀ of powers of ten are their exponents; below the floor, the floor's.
	const logTol = 1e-15
	for _, c := range []struct{ v, want float64 }{{0, -16}, {1e-30, -16}, {1e-16, -16}, {1e-3, -3}, {1, 0}, {1e9, 9}} {
		if got := Log10([]float64{c.v}, 1e-16)[0]; math.Abs(got-c.want) > logTol {
			t.Errorf("Log10(%g, 1e-16) = %v, want %v", c.v, got, c.want)
		}
	}
}

func TestOptions(t *testing.T) {
	if got, want := Options([]float64{1e-3, 0.1}), []string{"0.001", "0.1"}; !slices.Equal(got, want) {
		t.Errorf("Options = %q, want %q", got, want)
	}
	if got := Options([]string(nil)); len(got) != 0 {
		t.Errorf("Options(nil) = %q, want none", got)
	}
}

func TestAppendColumnsIsAppendRowByRow(t *testing.T) {
	// Invariant: AppendColumns(lead, cols...) writes the rows that Append
	// writes with the same values, one index at a time.
	xs, ys := []float64{-1, 1.0 / 3, math.Inf(1)}, []float64{math.NaN(), 2, 1e-300}
	a, _ := NewTable("", "grid", "n", "x", "y")
	b, _ := NewTable("", "grid", "n", "x", "y")
	if err := a.AppendColumns([]any{"equispaced", 5}, xs, ys); err != nil {
		t.Fatal(err)
	}
	for k := range xs {
		if err := b.Append("equispaced", 5, xs[k], ys[k]); err != nil {
			t.Fatal(err)
		}
	}
	ca, _ := a.CSV()
	cb, _ := b.CSV()
	if string(ca) != string(cb) {
		t.Errorf("AppendColumns wrote\n%s\nAppend row by row\n%s", ca, cb)
	}
	for _, c := range []struct {
		name string
		lead []any
		cols [][]float64
		want string
	}{
		{"too few fields", []any{"g"}, [][]float64{xs}, "want 4 fields"},
		{"lengths differ", []any{"g", 1}, [][]float64{xs, ys[:2]}, "must match"},
		{"bad lead", []any{"g", []int{1}}, [][]float64{xs, ys}, "not supported"},
	} {
		err := a.AppendColumns(c.lead, c.cols...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if a.Len() != len(xs) {
		t.Errorf("failed AppendColumns calls appended rows: %d rows, want %d", a.Len(), len(xs))
	}
}

type record struct {
	name string
	v    float64
}

func (record) Header() []string   { return []string{"name", "value"} }
func (r record) Record() []string { return []string{r.name, formatFloat(r.v, 64)} }

type badRecord struct{}

func (badRecord) Header() []string { return []string{"a", "b"} }
func (badRecord) Record() []string { return []string{"only one"} }

func TestRecordTable(t *testing.T) {
	tab, err := RecordTable("samples", []record{{"chebyshev", 0.5}, {"random", math.NaN()}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tab.CSV()
	if got, want := string(b), "name,value\nchebyshev,0.5\nrandom,\n"; got != want || tab.Name != "samples" {
		t.Errorf("RecordTable: name %q, CSV %q; want samples, %q", tab.Name, got, want)
	}
	if _, err := RecordTable("", []badRecord{{}}); err == nil || !strings.Contains(err.Error(), "has 1 fields, want 2") {
		t.Errorf("a short record: error %v, want one naming the field count", err)
	}
}

func TestStripStacksCoincidentPoints(t *testing.T) {
	// A point repeated k times is a column of k markers StackStep apart;
	// points further apart than StackTol stay on the row.
	for _, c := range []struct {
		s    []float64
		want []float64
	}{
		{[]float64{-1, 0, 1}, []float64{2, 2, 2}},
		{[]float64{0.5, 0.5, 0.5}, []float64{2, 2 + StackStep, 2 + 2*StackStep}},
		{[]float64{0, 0.0005, 0.002}, []float64{2, 2 + StackStep, 2}},
	} {
		got := stack(c.s, 2)
		for k := range got {
			if math.Abs(got[k]-c.want[k]) > 1e-15 {
				t.Errorf("stack(%v, 2) = %v, want %v", c.s, got, c.want)
				break
			}
		}
	}
	p := NewPlot("positions", "x", "")
	if err := Strip(p, []string{"top", "bottom"}, [][]float64{{-1, 1}, {0}}, []int{1, 2}); err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		labels = append(labels, tk.Label+"@"+formatFloat(tk.Value, 64))
	}
	if got, want := strings.Join(labels, " "), "top@1 bottom@0"; got != want || p.Y.Min != -0.7 || p.Y.Max != 1.7 {
		t.Errorf("rows %q, y range [%v, %v]; want %q on [-0.7, 1.7]", got, p.Y.Min, p.Y.Max, want)
	}
	if err := Strip(p, []string{"a"}, [][]float64{{0}, {1}}, []int{0, 1}); err == nil {
		t.Error("Strip with 1 label for 2 sets: no error")
	}
}

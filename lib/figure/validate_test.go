package figure

import (
	"math"
	"os"
	"path/filepath"
	"pointwise/lib/internal/validatetest"
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestValidate walks the package's exported entry points through bad
// values (ids, names, series, grids, sizes, paths, widget settings): each
// must return an error (never panic) whose message names the parameter, the
// bad value and what is allowed.
func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	table := func() *Table {
		tb, err := NewTable("", "x", "y")
		if err != nil {
			t.Fatal(err)
		}
		return tb
	}
	fig := func() *Figure {
		f, err := New("fig0", NewPlot("t", "x", "y"))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	png := func([]int) ([]byte, error) { return nil, nil }
	cases := []validatetest.Case{
		{"New id", func() error { _, err := New("Fig 2"); return err }, []string{`id "Fig 2"`, "lower-case letters, digits"}},
		{"New id empty", func() error { _, err := New(""); return err }, []string{`id ""`, "lower-case letters, digits"}},
		{"NewTable name", func() error { _, err := NewTable("a/b", "x"); return err }, []string{`table name "a/b"`, "lower-case letters"}},
		{"NewTable no columns", func() error { _, err := NewTable("t"); return err }, []string{`table "t"`, "no columns", "at least one"}},
		{"NewTable column name", func() error { _, err := NewTable("t", "x", "Y value"); return err }, []string{`column name "Y value"`, "lower-case letters"}},
		{"NewTable duplicate column", func() error { _, err := NewTable("t", "x", "x"); return err }, []string{`column "x" appears twice`}},
		{"Append count", func() error { return table().Append(1.0) }, []string{"1 values", "want 2", "[x y]"}},
		{"Append type", func() error { return table().Append(1.0, []int{2}) }, []string{`column "y"`, "[2]", "[]int", "string, int, bool or float"}},
		{"AddTable nil", func() error { return fig().AddTable(nil) }, []string{"fig0", "nil table"}},
		{"AddTable unnamed second", func() error {
			f := fig()
			if err := f.AddTable(table()); err != nil {
				return nil
			}
			return f.AddTable(table())
		}, []string{"second table needs a Name"}},
		{"Render no table", func() error { _, err := fig().Render(); return err }, []string{"fig0", "no table"}},
		{"Render no panels", func() error { f, _ := New("fig0"); f.AddTable(table()); _, err := f.Render(); return err }, []string{"fig0", "no panels"}},
		{"Render PanelWidth<0", func() error {
			f := fig()
			f.AddTable(table())
			f.PanelWidth = -1
			_, err := f.Render()
			return err
		}, []string{"PanelWidth, PanelHeight = -1, 0", "finite sizes ≥ 0"}},
		{"Render PanelHeight NaN", func() error {
			f := fig()
			f.AddTable(table())
			f.PanelHeight = vg.Length(nan)
			_, err := f.Render()
			return err
		}, []string{"PanelWidth, PanelHeight = 0, NaN", "finite sizes ≥ 0"}},
		{"Save into a file", func() error {
			f := fig()
			f.AddTable(table())
			_, err := f.Save(file)
			return err
		}, []string{"output folder", file}},
		{"WriteFileAtomic empty path", func() error { return WriteFileAtomic("", []byte("x")) }, []string{`path ""`, "need a file name"}},
		{"WriteFileAtomic folder path", func() error { return WriteFileAtomic(dir+"/", []byte("x")) }, []string{`path "` + dir + `/"`, "need a file name"}},
		{"WriteFileAtomic missing folder", func() error { return WriteFileAtomic(filepath.Join(dir, "no", "f.csv"), []byte("x")) }, []string{filepath.Join(dir, "no", "f.csv"), "no such file"}},
		{"Checks id", func() error { return NewChecks("Fig2!").Save() }, []string{`checks id "Fig2!"`, "lower-case letters"}},
		{"Line lengths", func() error { return Line(NewPlot("", "", ""), "s", 0, []float64{1, 2}, []float64{1}) }, []string{`series "s"`, "2 x values and 1 y values"}},
		{"Line NaN", func() error { return Line(NewPlot("", "", ""), "s", 0, []float64{1, 2}, []float64{1, nan}) }, []string{`series "s" point 1`, "(2, NaN)", "finite"}},
		{"Points Inf", func() error { return Points(NewPlot("", "", ""), "p", 0, []float64{inf}, []float64{1}) }, []string{`series "p" point 0`, "(+Inf, 1)", "finite"}},
		{"Line nil plot", func() error { return Line(nil, "s", 0, []float64{1}, []float64{1}) }, []string{`series "s"`, "plot p is nil"}},
		{"HeatMap small", func() error {
			_, _, err := HeatMap(NewPlot("", "", ""), Grid{Xs: []float64{0}, Ys: []float64{0, 1}, Values: []float64{1, 2}})
			return err
		}, []string{"1 x 2 with 2 values", "at least 2 x 2"}},
		{"HeatMap values length", func() error {
			_, _, err := HeatMap(NewPlot("", "", ""), Grid{Xs: []float64{0, 1}, Ys: []float64{0, 1}, Values: []float64{1, 2, 3}})
			return err
		}, []string{"2 x 2 with 3 values", "len(Values) = len(Xs)*len(Ys)"}},
		{"HeatMap value NaN", func() error {
			_, _, err := HeatMap(NewPlot("", "", ""), Grid{Xs: []float64{0, 1}, Ys: []float64{0, 1}, Values: []float64{1, 2, nan, 4}})
			return err
		}, []string{"value 2 is NaN", "finite"}},
		{"HeatMap Xs NaN", func() error {
			_, _, err := HeatMap(NewPlot("", "", ""), Grid{Xs: []float64{0, nan}, Ys: []float64{0, 1}, Values: []float64{1, 2, 3, 4}})
			return err
		}, []string{"Xs[1] = NaN", "finite, strictly increasing"}},
		{"HeatMap Ys decreasing", func() error {
			_, _, err := HeatMap(NewPlot("", "", ""), Grid{Xs: []float64{0, 1}, Ys: []float64{1, 0}, Values: []float64{1, 2, 3, 4}})
			return err
		}, []string{"Ys[1] = 0", "finite, strictly increasing"}},
		{"Gray width", func() error { _, err := Gray([]float32{0, 1, 0}, 2, 0, 1); return err }, []string{"3 pixels with width 2", "dividing"}},
		{"Gray empty", func() error { _, err := Gray([]float64{}, 1, 0, 1); return err }, []string{"0 pixels", "non-zero number"}},
		{"Gray range", func() error { _, err := Gray([]float64{0}, 1, 1, 1); return err }, []string{"lo, hi = 1, 1", "finite lo < hi"}},
		{"Gray NaN", func() error { _, err := Gray([]float64{0, nan}, 2, 0, 1); return err }, []string{"pixel 1 = NaN", "[0, 1]"}},
		{"Gray outside", func() error { _, err := Gray([]float32{0, 1.5}, 2, 0, 1); return err }, []string{"pixel 1 = 1.5", "[0, 1]"}},
		{"ImageGrid cols", func() error { _, err := ImageGrid("g", 0, nil, []Tile{{}}); return err }, []string{`image grid "g"`, "cols = 0", "≥ 1"}},
		{"ImageGrid no tiles", func() error { _, err := ImageGrid("g", 2, nil, nil); return err }, []string{`image grid "g"`, "no tiles"}},
		{"ImageGrid nil image", func() error { _, err := ImageGrid("g", 2, nil, []Tile{{Caption: "x"}}); return err }, []string{"tile 0 has no image"}},
		{"ImageGrid row labels", func() error {
			img, _ := Gray([]float64{0}, 1, 0, 1)
			_, err := ImageGrid("g", 2, []string{"a", "b"}, []Tile{{Image: img}})
			return err
		}, []string{"2 row labels for 1 rows", "at most one per row"}},
		{"PNG no panels", func() error { f, _ := New("fig0"); _, err := f.PNG(); return err }, []string{"fig0", "no panels"}},
		{"PNG PanelWidth<0", func() error { f := fig(); f.PanelWidth = -1; _, err := f.PNG(); return err }, []string{"PanelWidth, PanelHeight = -1, 0", "finite sizes ≥ 0"}},
		{"Explorer Draw nil", func() error { return Explorer{}.Run() }, []string{"Explorer.Draw is nil"}},
		{"Explorer Wait<0", func() error { return Explorer{Draw: png, Wait: -1}.Run() }, []string{"Wait, Idle = -1ns, 0s", "≥ 0"}},
		{"Explorer menu default", func() error {
			return Explorer{Draw: png, Controls: []Control{{Label: "grid", Options: []string{"a", "b"}, Default: 2}}}.Run()
		}, []string{`Controls[0] ("grid") Default = 2`, "0 to 1"}},
		{"Explorer slider range", func() error {
			return Explorer{Draw: png, Controls: []Control{{Label: "n", Min: 5, Max: 2, Default: 3}}}.Run()
		}, []string{`Controls[0] ("n")`, "Min, Max = 5, 2", "Min ≤ Max"}},
		{"Explorer slider default", func() error {
			return Explorer{Draw: png, Controls: []Control{{Label: "n", Min: 2, Max: 65, Default: 99}}}.Run()
		}, []string{`Controls[0] ("n") Default = 99`, "2 to 65"}},
	}
	validatetest.Run(t, cases)

	// Any series index is allowed (the palette repeats), negative ones too.
	for _, i := range []int{-20, -1, 0, 40} {
		p := NewPlot("", "", "")
		if err := Line(p, "s", i, []float64{0, 1}, []float64{0, 1}); err != nil {
			t.Errorf("Line with series %d: %v", i, err)
		}
		if err := Points(p, "s", i, []float64{0, 1}, []float64{0, 1}); err != nil {
			t.Errorf("Points with series %d: %v", i, err)
		}
	}
}

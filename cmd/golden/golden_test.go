package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var testTols = Tolerances{
	Default: Tol{Abs: 1e-12, Rel: 1e-9},
	Column:  map[string]Tol{"fig9:loose": {Rel: 1e-3, Why: "test"}},
}

const goldenCSV = "grid,m,err,loose\nchebyshev,1,0.5,10\nchebyshev,2,1e-3,20\nequispaced,1,0,30\n"

func TestCompareCSV(t *testing.T) {
	cases := []struct {
		name string
		got  string
		want []string // substrings of the one expected message; nil: equal
	}{
		{"identical", goldenCSV, nil},
		{"within default", strings.Replace(goldenCSV, "0.5,", "0.5000000001,", 1), nil},
		{"zero within absolute", strings.Replace(goldenCSV, ",0,30", ",1e-13,30", 1), nil},
		{"within a looser column", strings.Replace(goldenCSV, ",20\n", ",20.01\n", 1), nil},
		{"beyond default", strings.Replace(goldenCSV, "0.5,", "0.5001,", 1),
			[]string{"fig9.csv", "column err", "row 1", "grid = chebyshev, m = 1", "got 0.5001", "golden 0.5"}},
		{"zero beyond absolute", strings.Replace(goldenCSV, ",0,30", ",1e-9,30", 1),
			[]string{"column err", "row 3", "grid = equispaced", "got 1e-9", "golden 0"}},
		{"beyond a looser column", strings.Replace(goldenCSV, ",20\n", ",20.1\n", 1),
			[]string{"column loose", "row 2", "got 20.1", "golden 20"}},
		{"string changed", strings.Replace(goldenCSV, "equispaced", "lobatto", 1),
			[]string{"column grid", "row 3", `got "lobatto"`, `golden "equispaced"`}},
		{"number became empty", strings.Replace(goldenCSV, ",1e-3,", ",,", 1),
			[]string{"column err", "row 2", `got ""`, `golden "1e-3"`}},
		{"row added", goldenCSV + "equispaced,2,1,40\n", []string{"fig9.csv", "4 data rows", "golden has 3"}},
		{"row removed", strings.TrimSuffix(goldenCSV, "equispaced,1,0,30\n"), []string{"fig9.csv", "2 data rows", "golden has 3"}},
		{"header changed", strings.Replace(goldenCSV, "err", "error", 1), []string{"header", "[grid m error loose]", "[grid m err loose]"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diffs, err := CompareCSV("fig9", []byte(c.got), []byte(goldenCSV), testTols)
			if err != nil {
				t.Fatal(err)
			}
			if c.want == nil {
				if len(diffs) > 0 {
					t.Fatalf("differences %q, want none", diffs)
				}
				return
			}
			if len(diffs) != 1 {
				t.Fatalf("differences %q, want one", diffs)
			}
			for _, w := range c.want {
				if !strings.Contains(diffs[0], w) {
					t.Errorf("message %q does not name %q", diffs[0], w)
				}
			}
		})
	}
}

func TestCompareCSVManyDifferences(t *testing.T) {
	var b strings.Builder
	b.WriteString("x,y\n")
	for i := range 30 {
		b.WriteString(strings.Repeat("1", i+1) + ",2\n")
	}
	got := strings.ReplaceAll(b.String(), ",2\n", ",3\n")
	diffs, err := CompareCSV("fig9", []byte(got), []byte(b.String()), testTols)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) != maxReported+1 || !strings.Contains(diffs[maxReported], "and 20 more differences") {
		t.Fatalf("differences %q: want %d and a count of the rest", diffs, maxReported)
	}
}

// testPNG returns a w×h PNG, white with a black square at (x, y).
func testPNG(t *testing.T, w, h, x, y int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range w {
		for j := range h {
			img.Set(i, j, color.White)
		}
	}
	for i := x; i < x+4; i++ {
		for j := y; j < y+4; j++ {
			img.Set(i, j, color.Black)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestComparePNG(t *testing.T) {
	want := testPNG(t, 20, 20, 2, 2)
	for _, c := range []struct {
		name string
		got  []byte
		same bool
	}{
		{"identical", testPNG(t, 20, 20, 2, 2), true},
		{"moved", testPNG(t, 20, 20, 10, 10), false},
		{"resized", testPNG(t, 21, 20, 2, 2), false},
	} {
		diffs, err := ComparePNG("fig9", c.got, want, pngDelta)
		if err != nil {
			t.Fatal(err)
		}
		if (len(diffs) == 0) != c.same {
			t.Errorf("%s: differences %q, want same = %v", c.name, diffs, c.same)
		}
	}
}

// TestRunner checks a folder of outputs against goldens end to end: a
// figure without goldens is reported and passes; a changed number fails,
// naming the figure, the file, the column, the row and both values; update
// makes the goldens equal the outputs.
func TestRunner(t *testing.T) {
	dir := t.TempDir()
	out, gold := filepath.Join(dir, "out"), filepath.Join(dir, "golden")
	write := func(path, s string) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	img := string(testPNG(t, 20, 20, 2, 2))
	write(filepath.Join(out, "fig9.png"), img)
	write(filepath.Join(out, "fig9.csv"), goldenCSV)
	write(filepath.Join(out, "fig9_checks.csv"), "name,passed\nx,true\n")
	write(filepath.Join(out, "fig9_side.csv"), "a,b\n1,2\n")
	write(filepath.Join(out, "fig8.png"), img)
	write(filepath.Join(out, "fig8.csv"), "a\n1\n")
	var log bytes.Buffer
	r := runner{out: out, golden: gold, diff: filepath.Join(dir, "diff"), tols: testTols, delta: pngDelta, log: &log}
	if err := r.check(nil); err != nil {
		t.Fatalf("no goldens: %v", err)
	}
	if !strings.Contains(log.String(), "no golden for fig8 (run make golden-update)") {
		t.Errorf("log %q does not report the missing golden", log.String())
	}
	if err := r.update([]string{"fig9"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(gold, "fig9_checks.csv")); err == nil {
		t.Error("update copied the checks table")
	}
	log.Reset()
	if err := r.check(nil); err != nil {
		t.Fatalf("after update: %v\n%s", err, log.String())
	}
	write(filepath.Join(out, "fig9_side.csv"), "a,b\n1,2.5\n")
	log.Reset()
	err := r.check(nil)
	if err == nil {
		t.Fatal("a changed number passed")
	}
	for _, w := range []string{"FAIL fig9", "fig9_side.csv: column b, row 1 (a = 1): got 2.5, golden 2"} {
		if !strings.Contains(log.String(), w) {
			t.Errorf("log %q does not contain %q", log.String(), w)
		}
	}
	write(filepath.Join(out, "fig9.png"), string(testPNG(t, 20, 20, 12, 12)))
	log.Reset()
	if err := r.check([]string{"fig9"}); err == nil || !strings.Contains(log.String(), "fig9.png: differs") {
		t.Errorf("a changed PNG: error %v, log %q", err, log.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "diff", "fig9_diff.png")); err != nil {
		t.Errorf("no difference image: %v", err)
	}
}

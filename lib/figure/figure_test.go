package figure

import (
	"bytes"
	"encoding/csv"
	"flag"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"pointwise/internal/modroot"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/cmpimg"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestTableRoundTrip(t *testing.T) {
	// Shortest 'g' formatting must read back to the identical float64.
	values := []float64{1.0 / 3, math.Pi, 1e-300, -2.5e17, 0.1 + 0.2, math.Nextafter(1, 2), 5e-324}
	tab, err := NewTable("", "i", "x")
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range values {
		if err := tab.Append(i, v); err != nil {
			t.Fatal(err)
		}
	}
	b, err := tab.CSV()
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "i,x" {
		t.Fatalf("header = %q, want i,x", got)
	}
	for i, v := range values {
		got, err := strconv.ParseFloat(recs[i+1][1], 64)
		if err != nil || got != v {
			t.Errorf("row %d: %q reads back as %v (%v), want %v", i, recs[i+1][1], got, err, v)
		}
	}
}

func TestTableSpecialValues(t *testing.T) {
	tab, _ := NewTable("", "a", "b", "c", "d", "e")
	if err := tab.Append(math.NaN(), math.Inf(1), math.Inf(-1), "equispaced", true); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(tab.Row(0), ","), ",inf,-inf,equispaced,true"; got != want {
		t.Errorf("row = %q, want %q", got, want)
	}
}

func TestTableErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		columns []string
		want    string
	}{
		{"", nil, "no columns"},
		{"", []string{"x", "x"}, "appears twice"},
		{"", []string{"X"}, "invalid"},
		{"Bad Name", []string{"x"}, "invalid"},
	} {
		_, err := NewTable(tc.name, tc.columns...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewTable(%q, %v) error = %v, want it to mention %q", tc.name, tc.columns, err, tc.want)
		}
	}
	tab, _ := NewTable("", "x", "y")
	if err := tab.Append(1.0); err == nil || !strings.Contains(err.Error(), "1 values, want 2") {
		t.Errorf("short row: error = %v", err)
	}
	if err := tab.Append(1.0, []int{2}); err == nil || !strings.Contains(err.Error(), `column "y"`) {
		t.Errorf("bad type: error = %v", err)
	}
	if tab.Len() != 0 {
		t.Errorf("failed appends left %d rows", tab.Len())
	}
}

// sample builds the figure the golden image guards: two panels, a palette
// of series, markers, a log axis and a heat map.
func sample() (*Figure, error) {
	f, err := New("sample")
	if err != nil {
		return nil, err
	}
	tab, _ := NewTable("", "series", "x", "y")
	p := NewPlot("sines", "x", "y")
	xs := make([]float64, 101)
	for i := range xs {
		xs[i] = -1 + 2*float64(i)/100
	}
	for s := 0; s < 3; s++ {
		ys := make([]float64, len(xs))
		for i, x := range xs {
			ys[i] = math.Sin(float64(s+1) * math.Pi * x)
			tab.Append(s, x, ys[i])
		}
		if err := Line(p, "k = "+strconv.Itoa(s+1), s, xs, ys); err != nil {
			return nil, err
		}
	}
	if err := Points(p, "nodes", 3, []float64{-1, 0, 1}, []float64{0, 0, 0}); err != nil {
		return nil, err
	}
	q := NewPlot("exp", "x", "e^{4x}")
	LogY(q)
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = math.Exp(4 * x)
	}
	if err := Line(q, "", 0, xs, ys); err != nil {
		return nil, err
	}
	h := NewPlot("x1·x2", "x1", "x2")
	g := Grid{Xs: xs[:11], Ys: xs[:11], Values: make([]float64, 121)}
	for r := range g.Ys {
		for c := range g.Xs {
			g.Values[r*11+c] = g.Xs[c] * g.Ys[r]
		}
	}
	if _, _, err := HeatMap(h, g); err != nil {
		return nil, err
	}
	f.Add(p, q, h)
	return f, f.AddTable(tab)
}

func TestSaveWritesAllFiles(t *testing.T) {
	f, err := sample()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "new", "folder")
	paths, err := f.Save(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 3 {
		t.Fatalf("wrote %v, want png, svg, csv", paths)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "sample.png"))
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("sample.png does not decode: %v", err)
	}
	// Three 12 cm panels side by side at 150 dpi: 3*12/2.54*150 = 2126 px.
	wantW := int(math.Round(3 * 12 / 2.54 * DPI))
	if w := img.Bounds().Dx(); math.Abs(float64(w-wantW)) > 1 {
		t.Errorf("PNG width %d px, want %d", w, wantW)
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "sample.svg"))
	if !bytes.Contains(svg, []byte("<svg")) {
		t.Errorf("sample.svg has no <svg element")
	}
	c, _ := os.ReadFile(filepath.Join(dir, "sample.csv"))
	if lines := strings.Count(string(c), "\n"); lines != 1+3*101 {
		t.Errorf("sample.csv has %d lines, want header + 303 rows", lines)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestGoldenImage(t *testing.T) {
	f, err := sample()
	if err != nil {
		t.Fatal(err)
	}
	files, err := f.Render()
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sample_golden.png")
	if *update {
		if err := WriteFileAtomic(golden, files.Data[0]); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./lib/figure -update to create it)", err)
	}
	// A small tolerance absorbs anti-aliasing differences; a changed look
	// (size, fonts, palette, layout) does not pass.
	ok, err := cmpimg.EqualApprox("png", files.Data[0], want, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		os.WriteFile(filepath.Join(t.TempDir(), "sample.png"), files.Data[0], 0o644)
		t.Errorf("the sample figure differs from %s: review the change, then go test ./lib/figure -update", golden)
	}
}

func TestRenderErrors(t *testing.T) {
	if _, err := New("Fig 2"); err == nil || !strings.Contains(err.Error(), "invalid") {
		t.Errorf("bad id: error = %v", err)
	}
	f, _ := New("x")
	if _, err := f.Render(); err == nil || !strings.Contains(err.Error(), "no panels") {
		t.Errorf("no panels: error = %v", err)
	}
	f.Add(NewPlot("", "", ""))
	if _, err := f.Render(); err == nil || !strings.Contains(err.Error(), "no table") {
		t.Errorf("no table: error = %v", err)
	}
	t1, _ := NewTable("", "a")
	t2, _ := NewTable("", "b")
	f.AddTable(t1)
	if err := f.AddTable(t2); err == nil || !strings.Contains(err.Error(), "needs a Name") {
		t.Errorf("unnamed second table: error = %v", err)
	}
}

func TestLineRejectsBadData(t *testing.T) {
	p := NewPlot("", "", "")
	for _, tc := range []struct {
		xs, ys []float64
		want   string
	}{
		{[]float64{0, 1}, []float64{0}, "2 x values and 1 y values"},
		{[]float64{0, 1}, []float64{0, math.NaN()}, "point 1"},
		{[]float64{math.Inf(1)}, []float64{0}, "finite"},
	} {
		if err := Line(p, "s", 0, tc.xs, tc.ys); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Line(%v, %v) error = %v, want %q", tc.xs, tc.ys, err, tc.want)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.csv")
	for _, content := range []string{"old", "new"} {
		if err := WriteFileAtomic(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("content %q, want new", b)
	}
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "b.csv"), []byte("x")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing folder: error = %v, want it to name the path", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only a.csv", len(entries))
	}
}

func TestChecks(t *testing.T) {
	t.Setenv(OutEnv, t.TempDir())
	c := NewChecks("fig0")
	if c.Passed() {
		t.Error("an empty list of checks must not count as passed")
	}
	c.Add("first", true, "value %d", 1)
	c.Add("second", false, "value %.1f above %.1f", 2.0, 1.0)
	if c.Passed() {
		t.Error("a failed check must make Passed false")
	}
	if got := c.List[1].String(); got != "FAIL second: value 2.0 above 1.0" {
		t.Errorf("String() = %q", got)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(OutDir(), "fig0_checks.csv"))
	if want := "check,passed,detail\nfirst,true,value 1\nsecond,false,value 2.0 above 1.0\n"; string(b) != want {
		t.Errorf("checks CSV = %q, want %q", b, want)
	}
}

// TestResolve checks the mode a parameters cell selects, and QuickEnv's
// override of it.
func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		mode, env string // env "-" means unset
		want      string
		wantErr   bool
	}{
		{"full", "-", Full, false},
		{"quick", "-", Quick, false},
		{"", "-", Full, false},
		{"fast", "-", "", true},
		{"full", "1", Quick, false},
		{"full", "yes", Quick, false},
		{"quick", "0", Full, false},
		{"quick", "false", Full, false},
		{"quick", "", Quick, false}, // set but empty: no override
		{"fast", "1", Quick, false}, // the override wins, as make figures' runs rely on
	} {
		t.Run(tc.mode+"/"+tc.env, func(t *testing.T) {
			if tc.env == "-" {
				t.Setenv(QuickEnv, "")
				os.Unsetenv(QuickEnv)
			} else {
				t.Setenv(QuickEnv, tc.env)
			}
			got, _, err := Resolve(tc.mode)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Resolve(%q) error = %v, want error %v", tc.mode, err, tc.wantErr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), `"fast"`) || !strings.Contains(err.Error(), "parameters cell") {
					t.Errorf("error %q does not name the bad value and where to fix it", err)
				}
				return
			}
			if got != tc.want {
				t.Errorf("Resolve(%q) = %q, want %q", tc.mode, got, tc.want)
			}
			if p := Pick(tc.mode, 5, 1); p != map[string]int{Full: 5, Quick: 1}[tc.want] {
				t.Errorf("Pick(%q, 5, 1) = %d in mode %s", tc.mode, p, tc.want)
			}
		})
	}
}

// setMode sets the package's mode for one test.
func setMode(t *testing.T, mode string) {
	t.Helper()
	t.Setenv(QuickEnv, "")
	os.Unsetenv(QuickEnv)
	if err := SetMode(mode); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		current.Lock()
		current.mode, current.source = "", ""
		current.Unlock()
	})
}

// TestQuickOutDir checks that quick figures go to their own folder.
func TestQuickOutDir(t *testing.T) {
	t.Setenv(OutEnv, "")
	os.Unsetenv(OutEnv)
	root, err := modroot.Find()
	if err != nil {
		t.Skip("not run inside the pointwise module")
	}
	for _, tc := range []struct{ mode, want string }{
		{Full, filepath.Join(root, "out", "figures")},
		{Quick, filepath.Join(root, "out", "quick", "figures")},
	} {
		setMode(t, tc.mode)
		if got := OutDir(); got != tc.want {
			t.Errorf("mode %s: OutDir() = %s, want %s", tc.mode, got, tc.want)
		}
		if b := Banner("fig0"); !strings.Contains(b, tc.want) || !strings.Contains(b, tc.mode) && !strings.Contains(b, strings.ToUpper(tc.mode)) {
			t.Errorf("mode %s: Banner = %q: must name the mode and the folder", tc.mode, b)
		}
	}
	if err := SetMode("fast"); err == nil {
		t.Error(`SetMode("fast") accepted an unknown mode`)
	}
}

// TestQuickMark checks that an image drawn in Quick mode carries the mark: a
// band of the mark's colour across its top, which a full-mode image lacks.
func TestQuickMark(t *testing.T) {
	band := func(mode string) float64 {
		setMode(t, mode)
		f, err := sample()
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.PNG()
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		// Pixel rows 2 to 6 (row 0 is blended at the edge): the band is 1.8 × 11 pt
		// high, 41 px at 150 dpi.
		r := img.Bounds()
		want := color.NRGBAModel.Convert(Palette[1]).(color.NRGBA)
		n, marked := 0, 0
		for y := r.Min.Y + 2; y < r.Min.Y+7; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				n++
				if color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA) == want {
					marked++
				}
			}
		}
		return float64(marked) / float64(n)
	}
	if q := band(Quick); q < 0.99 {
		t.Errorf("quick mode: %.0f%% of the top rows in the mark's colour, want all", 100*q)
	}
	if f := band(Full); f > 0 {
		t.Errorf("full mode: %.0f%% of the top rows in the mark's colour, want none", 100*f)
	}
}

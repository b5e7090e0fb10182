// Command golden compares the figures of a quick-mode run (make test writes
// them to out/quick/figures) with the goldens checked in under
// testdata/figures, so that a change in the library or a notebook that moves
// a figure fails `make test`.
//
// For every figure <id> with a PNG in -out it compares <id>.csv and each
// side table <id>_<name>.csv (not <id>_checks.csv, which nbrun checks)
// number by number within the tolerances in tolerances.go, and <id>.png with
// gonum/plot's cmpimg.EqualApprox. A figure without goldens is reported
// ("no golden for fig7 (run make golden-update)") and does not fail, so
// that new notebooks can land before their goldens; every difference in a
// figure that has goldens fails, with a message naming the figure, the
// column, the row and both values. A PNG that differs is written, with the
// difference image, to -diff.
//
// Goldens change only with -update (make golden-update), which copies the
// current outputs of the figures named by -figures (all by default) over
// the goldens: check the new figures before committing them.
//
//	go run ./cmd/golden [-out out/quick/figures] [-golden testdata/figures] [-figures fig2,fig3] [-update]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	out := flag.String("out", "out/quick/figures", "folder of the figures to check")
	golden := flag.String("golden", "testdata/figures", "folder of the goldens")
	figures := flag.String("figures", "", "comma-separated figure ids (default: every figure in -out)")
	update := flag.Bool("update", false, "copy the outputs over the goldens instead of comparing")
	diffDir := flag.String("diff", "", "folder for the PNGs that differ and their difference images (default: -out/../golden-diff)")
	flag.Parse()
	if *diffDir == "" {
		*diffDir = filepath.Join(filepath.Dir(filepath.Clean(*out)), "golden-diff")
	}
	var only []string
	if *figures != "" {
		only = strings.Split(*figures, ",")
	}
	r := runner{out: *out, golden: *golden, diff: *diffDir, tols: tolerances, delta: pngDelta, log: os.Stdout}
	var err error
	if *update {
		err = r.update(only)
	} else {
		err = r.check(only)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "golden:", err)
		os.Exit(1)
	}
}

// ids returns the figure ids of the PNGs in dir, sorted.
func ids(dir string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(dir, "*.png"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range m {
		out = append(out, strings.TrimSuffix(filepath.Base(p), ".png"))
	}
	slices.Sort(out)
	return out, nil
}

// tables returns the CSV files of figure id in dir, without .csv: id and
// id_<name>, not id_checks.
func tables(dir, id string) ([]string, error) {
	var out []string
	if _, err := os.Stat(filepath.Join(dir, id+".csv")); err == nil {
		out = append(out, id)
	}
	m, err := filepath.Glob(filepath.Join(dir, id+"_*.csv"))
	if err != nil {
		return nil, err
	}
	for _, p := range m {
		name := strings.TrimSuffix(filepath.Base(p), ".csv")
		if name != id+"_checks" {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

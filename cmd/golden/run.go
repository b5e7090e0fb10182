package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot/cmpimg"
)

// runner checks or updates the goldens of the figures in out.
type runner struct {
	out, golden, diff string
	tols              Tolerances
	delta             float64
	log               io.Writer
}

func (r runner) selected(only []string) ([]string, error) {
	all, err := ids(r.out)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no figures (*.png) in %s: run make test (or POINTWISE_QUICK=1 make figures) first", r.out)
	}
	if only == nil {
		return all, nil
	}
	for _, id := range only {
		if !slices.Contains(all, id) {
			return nil, fmt.Errorf("figure %s: no %s.png in %s", id, id, r.out)
		}
	}
	return only, nil
}

// check compares every selected figure with its goldens and returns an
// error if any figure that has goldens differs.
func (r runner) check(only []string) error {
	sel, err := r.selected(only)
	if err != nil {
		return err
	}
	var failed []string
	for _, id := range sel {
		if _, err := os.Stat(filepath.Join(r.golden, id+".png")); errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(r.log, "golden: no golden for %s (run make golden-update)\n", id)
			continue
		}
		diffs, err := r.checkFigure(id)
		if err != nil {
			return fmt.Errorf("figure %s: %w", id, err)
		}
		if len(diffs) > 0 {
			failed = append(failed, id)
			fmt.Fprintf(r.log, "golden: FAIL %s\n", id)
			for _, d := range diffs {
				fmt.Fprintf(r.log, "    %s\n", d)
			}
			continue
		}
		fmt.Fprintf(r.log, "golden: ok %s\n", id)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d figure(s) differ from their goldens: %v (if the change is intended, check the new figures and run make golden-update)", len(failed), failed)
	}
	return nil
}

// checkFigure returns the differences of figure id from its goldens.
func (r runner) checkFigure(id string) ([]string, error) {
	var diffs []string
	got, err := tables(r.out, id)
	if err != nil {
		return nil, err
	}
	want, err := tables(r.golden, id)
	if err != nil {
		return nil, err
	}
	for _, name := range want {
		if !slices.Contains(got, name) {
			diffs = append(diffs, fmt.Sprintf("%s.csv: in the goldens but not in the output", name))
		}
	}
	for _, name := range got {
		if !slices.Contains(want, name) {
			diffs = append(diffs, fmt.Sprintf("%s.csv: no golden (run make golden-update)", name))
			continue
		}
		g, w, err := r.read(name + ".csv")
		if err != nil {
			return nil, err
		}
		d, err := CompareCSV(name, g, w, r.tols)
		if err != nil {
			return nil, err
		}
		diffs = append(diffs, d...)
	}
	g, w, err := r.read(id + ".png")
	if err != nil {
		return nil, err
	}
	d, err := ComparePNG(id, g, w, r.delta)
	if err != nil {
		return nil, err
	}
	if len(d) > 0 {
		if path, err := r.writeDiff(id, g, w); err == nil {
			d[0] += "; output and difference image in " + path
		}
	}
	return append(diffs, d...), nil
}

func (r runner) read(name string) (got, want []byte, err error) {
	if got, err = os.ReadFile(filepath.Join(r.out, name)); err != nil {
		return nil, nil, err
	}
	if want, err = os.ReadFile(filepath.Join(r.golden, name)); err != nil {
		return nil, nil, err
	}
	return got, want, nil
}

// writeDiff writes the output PNG and cmpimg's difference image of figure
// id to the diff folder and returns the folder.
func (r runner) writeDiff(id string, got, want []byte) (string, error) {
	a, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		return "", err
	}
	b, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(r.diff, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(r.diff, id+".png"), got, 0o644); err != nil {
		return "", err
	}
	dst := image.NewRGBA(a.Bounds().Union(b.Bounds()))
	cmpimg.Diff(dst, a, b)
	var buf bytes.Buffer
	if err := png.Encode(&buf, dst); err != nil {
		return "", err
	}
	return r.diff, os.WriteFile(filepath.Join(r.diff, id+"_diff.png"), buf.Bytes(), 0o644)
}

// update copies the outputs of the selected figures over their goldens,
// removing goldens of side tables the figure no longer writes.
func (r runner) update(only []string) error {
	sel, err := r.selected(only)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(r.golden, 0o755); err != nil {
		return err
	}
	for _, id := range sel {
		got, err := tables(r.out, id)
		if err != nil {
			return err
		}
		old, err := tables(r.golden, id)
		if err != nil {
			return err
		}
		for _, name := range old {
			if !slices.Contains(got, name) {
				if err := os.Remove(filepath.Join(r.golden, name+".csv")); err != nil {
					return err
				}
			}
		}
		files := []string{id + ".png"}
		for _, name := range got {
			files = append(files, name+".csv")
		}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(r.out, f))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(r.golden, f), b, 0o644); err != nil {
				return err
			}
		}
		fmt.Fprintf(r.log, "golden: updated %s (%v)\n", id, files)
	}
	return nil
}

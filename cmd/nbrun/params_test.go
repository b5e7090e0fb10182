package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"pointwise/internal/nbformat"
)

const paramsSrc = `// Parameters
var (
	Mode     = "full" // mode
	Dataset  = "mnist"
	Epochs   = figure.Pick(Mode, 5, 1) // passes
	EpsTrain = 0.1
	Seeds    = "1"
)`

func TestInjectedSource(t *testing.T) {
	for _, tc := range []struct {
		name      string
		overrides []override
		want      []string // lines of the var block, in order
		err       string
	}{
		{"mode", []override{{Name: "Mode", Value: "quick", Quote: true}}, []string{`Mode = "quick"`}, ""},
		{"a -p number stays Go source", []override{{Name: "EpsTrain", Value: "0.2"}}, []string{`EpsTrain = 0.2`}, ""},
		{"a -p value for a string setting is quoted", []override{{Name: "Seeds", Value: "3"}}, []string{`Seeds = "3"`}, ""},
		{"an already quoted -p value is kept", []override{{Name: "Dataset", Value: `"fashion-mnist"`}}, []string{`Dataset = "fashion-mnist"`}, ""},
		{"the last override of a name wins", []override{{Name: "Mode", Value: "full", Quote: true}, {Name: "Epochs", Value: "2"}, {Name: "Mode", Value: "quick", Quote: true}},
			[]string{`Epochs = 2`, `Mode = "quick"`}, ""},
		{"an override of the cell's own value is left out", []override{{Name: "Mode", Value: "full", Quote: true}, {Name: "EpsTrain", Value: "0.2"}, {Name: "Seeds", Value: "1"}},
			[]string{`EpsTrain = 0.2`}, ""},
		{"no cell when every override is the cell's own value", []override{{Name: "Mode", Value: "full", Quote: true}, {Name: "Dataset", Value: "mnist", Quote: true}, {Name: "EpsTrain", Value: "0.1"}}, nil, ""},
		{"unknown name", []override{{Name: "Epoch", Value: "2"}}, nil, "setting Epoch is not in the parameters cell (it has Dataset, Epochs, EpsTrain, Mode, Seeds)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := injectedSource(tc.overrides, paramsSrc)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, l := range strings.Split(got, "\n") {
				if strings.HasPrefix(l, "\t") {
					lines = append(lines, strings.TrimSpace(l))
				}
			}
			if !slices.Equal(lines, tc.want) {
				t.Errorf("var block %q, want %q\n%s", lines, tc.want, got)
			}
			if tc.want == nil && got != "" {
				t.Errorf("source %q, want none", got)
			}
		})
	}
}

// writeNotebook writes a notebook of the given code cells, the one at
// params (if ≥ 0) tagged parameters, with metadata md.
func writeNotebook(t *testing.T, dir, name string, cells []string, params int, md map[string]any) string {
	t.Helper()
	var cs []any
	for i, src := range cells {
		c := map[string]any{"cell_type": "code", "id": name + string(rune('a'+i)), "metadata": map[string]any{}, "outputs": []any{}, "execution_count": nil, "source": src}
		if i == params {
			c["metadata"] = map[string]any{"tags": []any{"parameters"}}
		}
		cs = append(cs, c)
	}
	b, _ := json.Marshal(map[string]any{"nbformat": 4, "nbformat_minor": 5, "metadata": md, "cells": cs})
	p := filepath.Join(dir, name+".ipynb")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInject(t *testing.T) {
	dir := t.TempDir()
	p := writeNotebook(t, dir, "nb", []string{"%goworkfix", paramsSrc, "%%\nfmt.Println(Mode)"}, 1, nil)
	out, err := inject(p, []override{{Name: "Mode", Value: "quick", Quote: true, Implicit: true}, {Name: "Seeds", Value: "3"}}, dir, "nb")
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(out)
	var nb struct {
		Cells []struct {
			Source   json.RawMessage
			Metadata struct{ Tags []string }
			ID       string
		}
	}
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 4 {
		t.Fatalf("%d cells, want 4 (one injected)", len(nb.Cells))
	}
	c := nb.Cells[2]
	if !slices.Equal(c.Metadata.Tags, []string{"injected-parameters"}) || c.ID != "injected-parameters" {
		t.Errorf("cell 2 has tags %v and id %q, want the injected-parameters cell right after the parameters cell", c.Metadata.Tags, c.ID)
	}
	if src := nbformat.Text(c.Source); !strings.Contains(src, "\tMode = \"quick\"\n") || !strings.Contains(src, "\tSeeds = \"3\"\n") {
		t.Errorf("injected cell:\n%s", src)
	}

	// Overrides that repeat the parameters cell's values add no cell: the
	// notebook runs as it is.
	if got, err := inject(p, []override{{Name: "Mode", Value: "full", Quote: true, Implicit: true}}, dir, "nb"); err != nil || got != p {
		t.Errorf("overrides equal to the notebook's own values: %q, %v; want the notebook itself", got, err)
	}

	// A notebook without a parameters cell (an assignment) runs as it is
	// under the implicit mode; an explicit override is an error.
	q := writeNotebook(t, dir, "plain", []string{"%goworkfix", "%%\nfmt.Println(1)"}, -1, nil)
	if got, err := inject(q, []override{{Name: "Mode", Value: "quick", Quote: true, Implicit: true}}, dir, "plain"); err != nil || got != q {
		t.Errorf("implicit overrides of a notebook without parameters: %q, %v; want the notebook itself", got, err)
	}
	if _, err := inject(q, []override{{Name: "Epochs", Value: "2"}}, dir, "plain"); err == nil || !strings.Contains(err.Error(), "no cell is tagged parameters") {
		t.Errorf("explicit override of a notebook without parameters: error %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 1 {
		t.Errorf("temporary notebooks left: %v (want only the first run's, removed by its caller)", left)
	}
}

func TestSelectRuns(t *testing.T) {
	dir := t.TempDir()
	writeNotebook(t, dir, "fig2-a", []string{"x"}, -1, map[string]any{"pointwise": map[string]any{"figures": []any{"fig2"}}})
	writeNotebook(t, dir, "fig6-b", []string{"x"}, -1, map[string]any{"pointwise": map[string]any{
		"data": []any{"mnist"},
		"runs": []any{
			map[string]any{"name": "fig6a-mnist", "parameters": map[string]any{"Dataset": "mnist"}, "figures": []any{"fig6a"}},
			map[string]any{"name": "fig6b-fashion", "parameters": map[string]any{"Dataset": "fashion-mnist"}, "figures": []any{"fig6b"}, "data": []any{"fashion-mnist"}},
		}}})
	names := func(rs []nbformat.Run) []string {
		var n []string
		for _, r := range rs {
			n = append(n, r.Name)
		}
		return n
	}
	for _, tc := range []struct {
		glob string
		want []string
		data []string
	}{
		{"*", []string{"fig2-a", "fig6a-mnist", "fig6b-fashion"}, []string{"fashion-mnist", "mnist"}},
		{"fig6*", []string{"fig6a-mnist", "fig6b-fashion"}, []string{"fashion-mnist", "mnist"}},
		{"fig6a*", []string{"fig6a-mnist"}, []string{"mnist"}}, // a run inherits the notebook's data
		{"fig[2-5]*", []string{"fig2-a"}, nil},
		{"fig2-a.ipynb", []string{"fig2-a"}, nil},
	} {
		rs, err := selectRuns(dir, tc.glob)
		if err != nil {
			t.Errorf("%s: %v", tc.glob, err)
			continue
		}
		if got := names(rs); !slices.Equal(got, tc.want) {
			t.Errorf("%s selects %v, want %v", tc.glob, got, tc.want)
		}
		if got := dataOf(rs); !slices.Equal(got, tc.data) {
			t.Errorf("%s needs %v, want %v", tc.glob, got, tc.data)
		}
	}
	if _, err := selectRuns(dir, "ext*"); err == nil || !strings.Contains(err.Error(), "fig6a-mnist") {
		t.Errorf("no match: error %v, want one listing the names", err)
	}
}

// TestSkipWithoutData checks that a run whose data set cannot be found is
// skipped with the library's reason, counts as failed, and that the runs
// without that need are not held back by it.
func TestSkipWithoutData(t *testing.T) {
	dir := t.TempDir()
	runs := []nbformat.Run{{Name: "needs-nothing-here", Path: filepath.Join(dir, "x.ipynb"), Data: []string{"cifar"}}}
	err := run(runs, filepath.Join(dir, "out"), "python3", false, 0, false, 1, nil)
	if err == nil || !strings.Contains(err.Error(), "1 skipped for want of their data") || !strings.Contains(err.Error(), "needs-nothing-here") {
		t.Errorf("error %v, want one naming the skipped run", err)
	}
	if err := findData("cifar"); err == nil || !strings.Contains(err.Error(), "need mnist or fashion-mnist") {
		t.Errorf("findData of an unknown set: %v", err)
	}
}

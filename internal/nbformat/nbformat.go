// Package nbformat reads the parts of Jupyter's nbformat 4 that pointwise's
// commands share.
package nbformat

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Text reads an nbformat multiline string, which a notebook stores either as
// one string or as a list of strings to be joined.
func Text(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []string
	json.Unmarshal(raw, &parts)
	return strings.Join(parts, "")
}

// Run is one headless run of a notebook, as its metadata describes it under
// "pointwise". A notebook runs once, named after its file, unless it lists
// "runs": then once per entry, each with its own name, parameters, figures
// and data (Figure 6: one notebook, one run per data set).
type Run struct {
	// Name names the run's executed notebook (<Name>.ipynb) and is what
	// NOTEBOOKS globs and "after" lists match.
	Name string `json:"name"`
	// Path is the notebook's file.
	Path string `json:"-"`
	// Parameters override the notebook's parameters cell: a name and its
	// value (JSON: a string, number or boolean).
	Parameters map[string]any `json:"parameters"`
	// Figures are the ids of the figures the run must write.
	Figures []string `json:"figures"`
	// Data are the data sets the run reads: "mnist", "fashion-mnist".
	Data []string `json:"data"`
	// After are the runs whose results this one reads; it starts after them.
	After []string `json:"after"`
	// Title is the notebook's short title.
	Title string `json:"title"`
}

// Runs reads the runs of the notebook at path.
func Runs(path string) ([]Run, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb struct {
		Metadata struct {
			Pointwise struct {
				Run
				Runs []Run `json:"runs"`
			} `json:"pointwise"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s is not a valid notebook (JSON: %v)", path, err)
	}
	pw := nb.Metadata.Pointwise
	base := strings.TrimSuffix(filepath.Base(path), ".ipynb")
	if len(pw.Runs) == 0 {
		r := pw.Run
		r.Name, r.Path = base, path
		return []Run{r}, nil
	}
	runs := make([]Run, len(pw.Runs))
	for i, r := range pw.Runs {
		if r.Name == "" {
			return nil, fmt.Errorf("%s: metadata pointwise.runs[%d] has no name", path, i)
		}
		r.Path = path
		// What the notebook's metadata says for all runs, unless a run says otherwise.
		if r.Data == nil {
			r.Data = pw.Data
		}
		if r.After == nil {
			r.After = pw.After
		}
		if r.Title == "" {
			r.Title = pw.Title
		}
		runs[i] = r
	}
	return runs, nil
}

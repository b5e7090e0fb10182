// Command assign writes the student versions of pointwise's assignment
// notebooks.
//
// A reference assignment (notebooks/assignments/*.ipynb) is a GoNB notebook
// whose code cells tagged "solution" hold the answers between lines
//
//	// BEGIN SOLUTION
//	// END SOLUTION
//
// (nbgrader's convention), each followed by a cell tagged "check" that calls
// a checker of pointwise/lib/classroom. Cells tagged "demo" use the answers.
// For each reference notebook assign writes <out>/<name>.ipynb in which
//
//   - every solution region is replaced by "// YOUR CODE HERE" and
//     panic("not implemented"), indented like the region: it compiles inside
//     a function with results, and the checkers report it as not implemented;
//   - check and demo cells are tagged "raises-exception", so that "Run all"
//     (and a headless run) goes on past a check that fails;
//   - outputs are cleared, and cells carry nbgrader metadata (solution cells
//     editable, check cells graded tests worth one point, the rest locked),
//     so a teacher with nbgrader can use the notebooks as they are.
//
// With -annotate it instead rewrites the reference notebooks in place with
// the same nbgrader metadata (and no other change).
//
// Usage:
//
//	go run ./cmd/assign [-dir notebooks/assignments] [-out out/assignments]
//	go run ./cmd/assign -annotate
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	dir := flag.String("dir", "notebooks/assignments", "folder of the reference assignment notebooks")
	out := flag.String("out", "out/assignments", "folder the student versions are written to")
	annotate := flag.Bool("annotate", false, "add nbgrader metadata to the reference notebooks in place, and write nothing else")
	flag.Parse()
	if err := run(*dir, *out, *annotate); err != nil {
		fmt.Fprintln(os.Stderr, "assign:", err)
		os.Exit(1)
	}
}

func run(dir, out string, annotate bool) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("no notebook in %s", dir)
	}
	if !annotate {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(filepath.Base(p), ".ipynb")
		var res []byte
		if annotate {
			res, err = Annotate(b, name)
		} else {
			res, err = Student(b, name)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		dst := filepath.Join(out, filepath.Base(p))
		if annotate {
			dst = p
		}
		if err := os.WriteFile(dst, res, 0o644); err != nil {
			return err
		}
		fmt.Println("assign: wrote", dst)
	}
	return nil
}

// Tags of the cells of a reference assignment.
const (
	TagSolution = "solution"
	TagCheck    = "check"
	TagDemo     = "demo"
	// TagRaises lets a cell fail without stopping Jupyter's "Run all" or nbconvert.
	TagRaises = "raises-exception"
)

// Markers of a solution region and what replaces it.
const (
	BeginSolution = "// BEGIN SOLUTION"
	EndSolution   = "// END SOLUTION"
	Stub          = "// YOUR CODE HERE"
	StubPanic     = `panic("not implemented")`
)

// cell is a notebook cell; fields assign does not touch are kept as they are.
type cell map[string]any

func (c cell) kind() string { s, _ := c["cell_type"].(string); return s }

func (c cell) meta() map[string]any {
	m, ok := c["metadata"].(map[string]any)
	if !ok {
		m = map[string]any{}
		c["metadata"] = m
	}
	return m
}

func (c cell) tags() []string {
	var tags []string
	if list, ok := c.meta()["tags"].([]any); ok {
		for _, t := range list {
			if s, ok := t.(string); ok {
				tags = append(tags, s)
			}
		}
	}
	return tags
}

func (c cell) setTags(tags []string) {
	list := make([]any, len(tags))
	for i, t := range tags {
		list[i] = t
	}
	c.meta()["tags"] = list
}

func (c cell) source() string {
	switch s := c["source"].(type) {
	case string:
		return s
	case []any:
		var b strings.Builder
		for _, l := range s {
			str, _ := l.(string)
			b.WriteString(str)
		}
		return b.String()
	}
	return ""
}

func (c cell) setSource(s string) {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	list := make([]any, len(lines))
	for i, l := range lines {
		list[i] = l
	}
	c["source"] = list
}

type notebook struct {
	raw   map[string]any
	cells []cell
}

func parse(b []byte) (*notebook, error) {
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("not a notebook: %v", err)
	}
	list, ok := raw["cells"].([]any)
	if !ok {
		return nil, fmt.Errorf("not a notebook: no cells")
	}
	nb := &notebook{raw: raw}
	for _, c := range list {
		m, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("not a notebook: a cell is not an object")
		}
		nb.cells = append(nb.cells, cell(m))
	}
	return nb, nil
}

func (nb *notebook) encode() ([]byte, error) {
	list := make([]any, len(nb.cells))
	for i, c := range nb.cells {
		list[i] = map[string]any(c)
	}
	nb.raw["cells"] = list
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb.raw); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// annotate adds nbgrader metadata to every cell and checks the tags: every
// solution cell has a region and is followed, before the next solution
// cell, by a check cell.
func (nb *notebook) annotate(name string) error {
	nSol, nCheck, pending := 0, 0, -1
	for i, c := range nb.cells {
		tags := c.tags()
		g := map[string]any{"schema_version": 3, "grade": false, "solution": false, "locked": true,
			"grade_id": fmt.Sprintf("%s-cell-%d", name, i)}
		switch {
		case slices.Contains(tags, TagSolution):
			if c.kind() != "code" || !strings.Contains(c.source(), BeginSolution) {
				return fmt.Errorf("cell %d is tagged %q but has no %q line", i, TagSolution, BeginSolution)
			}
			if pending >= 0 {
				return fmt.Errorf("solution cell %d has no check cell after it", pending)
			}
			nSol++
			pending = i
			g["solution"], g["locked"] = true, false
			g["grade_id"] = fmt.Sprintf("%s-solution-%d", name, nSol)
		case slices.Contains(tags, TagCheck):
			if pending < 0 {
				return fmt.Errorf("check cell %d follows no solution cell", i)
			}
			pending = -1
			nCheck++
			g["grade"], g["points"] = true, 1
			g["grade_id"] = fmt.Sprintf("%s-check-%d", name, nCheck)
		}
		c.meta()["nbgrader"] = g
	}
	if pending >= 0 {
		return fmt.Errorf("solution cell %d has no check cell after it", pending)
	}
	if nSol == 0 {
		return fmt.Errorf("no cell is tagged %q", TagSolution)
	}
	return nil
}

// Annotate returns the reference notebook b with nbgrader metadata.
func Annotate(b []byte, name string) ([]byte, error) {
	nb, err := parse(b)
	if err != nil {
		return nil, err
	}
	if err := nb.annotate(name); err != nil {
		return nil, err
	}
	return nb.encode()
}

// Student returns the student version of the reference notebook b.
func Student(b []byte, name string) ([]byte, error) {
	nb, err := parse(b)
	if err != nil {
		return nil, err
	}
	if err := nb.annotate(name); err != nil {
		return nil, err
	}
	for i, c := range nb.cells {
		tags := c.tags()
		if c.kind() == "code" {
			c["outputs"], c["execution_count"] = []any{}, nil
		}
		if slices.Contains(tags, TagSolution) {
			src, err := blank(c.source())
			if err != nil {
				return nil, fmt.Errorf("cell %d: %w", i, err)
			}
			c.setSource(src)
		}
		if (slices.Contains(tags, TagCheck) || slices.Contains(tags, TagDemo)) && !slices.Contains(tags, TagRaises) {
			c.setTags(append(tags, TagRaises))
		}
	}
	meta, _ := nb.raw["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		nb.raw["metadata"] = meta
	}
	pw, _ := meta["pointwise"].(map[string]any)
	if pw == nil {
		pw = map[string]any{}
		meta["pointwise"] = pw
	}
	pw["student_version"] = true
	return nb.encode()
}

// blank replaces every solution region of a cell's source by the stub.
func blank(src string) (string, error) {
	var out []string
	in := false
	for _, l := range strings.Split(src, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == BeginSolution:
			if in {
				return "", fmt.Errorf("%q inside a solution region", BeginSolution)
			}
			in = true
			indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
			out = append(out, indent+Stub, indent+StubPanic)
		case t == EndSolution:
			if !in {
				return "", fmt.Errorf("%q without %q", EndSolution, BeginSolution)
			}
			in = false
		case !in:
			out = append(out, l)
		}
	}
	if in {
		return "", fmt.Errorf("%q without %q", BeginSolution, EndSolution)
	}
	return strings.Join(out, "\n"), nil
}

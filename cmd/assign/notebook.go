package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// cell is a notebook cell; fields assign does not touch are kept as they are.
type cell map[string]any

func (c cell) kind() string { s, _ := c["cell_type"].(string); return s }

// id is the cell's nbformat id ("" when the notebook predates nbformat 4.5).
func (c cell) id() string { s, _ := c["id"].(string); return s }

func (c cell) meta() map[string]any {
	m, ok := c["metadata"].(map[string]any)
	if !ok {
		m = map[string]any{}
		c["metadata"] = m
	}
	return m
}

// nbgrader returns the cell's nbgrader metadata, or nil.
func (c cell) nbgrader() map[string]any {
	m, _ := c.meta()["nbgrader"].(map[string]any)
	return m
}

// gradeID is the cell's nbgrader grade_id, or "".
func (c cell) gradeID() string { s, _ := c.nbgrader()["grade_id"].(string); return s }

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

// tagValue returns the value of the cell's tag prefix+value ("id:points"
// gives "points" for prefix "id:") and whether there is one.
func (c cell) tagValue(prefix string) (string, bool) {
	for _, t := range c.tags() {
		if v, ok := strings.CutPrefix(t, prefix); ok {
			return v, true
		}
	}
	return "", false
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

func readNotebook(path string) (*notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	nb, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
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

func (nb *notebook) write(path string) error {
	b, err := nb.encode()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// pointwiseMeta returns the notebook's metadata.pointwise, made if missing.
func (nb *notebook) pointwiseMeta() map[string]any {
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
	return pw
}

// references returns the reference notebooks of dir by name (the file name
// without .ipynb), in name order.
func references(dir string) (names []string, paths map[string]string, err error) {
	list, err := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	if err != nil {
		return nil, nil, err
	}
	if len(list) == 0 {
		return nil, nil, fmt.Errorf("no notebook in %s", dir)
	}
	paths = map[string]string{}
	for _, p := range list {
		name := strings.TrimSuffix(filepath.Base(p), ".ipynb")
		names = append(names, name)
		paths[name] = p
	}
	return names, paths, nil
}

// reference is a reference notebook of the assignments folder.
type reference struct {
	name, path string
	nb         *notebook // with its nbgrader metadata (annotate)
}

// loadReferences reads the reference notebooks of dir, in name order, and
// gives them their nbgrader metadata.
func loadReferences(dir string) ([]reference, error) {
	names, paths, err := references(dir)
	if err != nil {
		return nil, err
	}
	refs := make([]reference, len(names))
	for i, name := range names {
		nb, err := readNotebook(paths[name])
		if err != nil {
			return nil, err
		}
		if _, err := nb.annotate(); err != nil {
			return nil, fmt.Errorf("%s: %w", paths[name], err)
		}
		refs[i] = reference{name, paths[name], nb}
	}
	return refs, nil
}

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"pointwise/internal/nbformat"
	"pointwise/lib/adversarial"
)

// An override sets one name of a notebook's parameters cell; Value is Go
// source text, or, when Quote, a string to be written as a Go literal.
type override struct {
	Name, Value string
	Quote       bool
	// Implicit marks an override nbrun adds itself (the mode, POINTWISE_SEEDS):
	// a notebook without a parameters cell (an assignment) runs without it.
	Implicit bool
}

// overridesOf returns the overrides of run r, in the order they apply (a
// later one for the same name wins): the run's own parameters, the mode,
// Seeds from POINTWISE_SEEDS when set, and the -p flags.
func overridesOf(r nbformat.Run, mode string, flags params) ([]override, error) {
	var out []override
	keys := make([]string, 0, len(r.Parameters))
	for k := range r.Parameters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch v := r.Parameters[k].(type) {
		case string:
			out = append(out, override{Name: k, Value: v, Quote: true})
		case float64, bool:
			out = append(out, override{Name: k, Value: fmt.Sprint(v)})
		default:
			return nil, fmt.Errorf("%s: metadata pointwise.runs %q: parameter %s = %v: need a string, number or boolean", r.Path, r.Name, k, v)
		}
	}
	out = append(out, override{Name: "Mode", Value: mode, Quote: true, Implicit: true})
	if v, ok := os.LookupEnv(adversarial.SeedsEnv); ok && v != "" {
		out = append(out, override{Name: "Seeds", Value: v, Quote: true, Implicit: true})
	}
	for _, f := range flags {
		name, value, ok := strings.Cut(f, "=")
		if !ok || !goName.MatchString(name) {
			return nil, fmt.Errorf("-p %q: need NAME=VALUE with NAME a setting of the parameters cell, e.g. -p Seeds=3", f)
		}
		out = append(out, override{Name: name, Value: value})
	}
	return out, nil
}

var goName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// paramsCell finds the cell tagged parameters among cells.
func paramsCell(cells []map[string]any) (int, error) {
	at := -1
	for i, c := range cells {
		md, _ := c["metadata"].(map[string]any)
		tags, _ := md["tags"].([]any)
		if slices.Contains(tags, any("parameters")) {
			if at >= 0 {
				return 0, fmt.Errorf("cells %d and %d are both tagged parameters: tag one", at, i)
			}
			at = i
		}
	}
	if at < 0 {
		return 0, fmt.Errorf("no cell is tagged parameters: tag the cell that holds the settings")
	}
	return at, nil
}

// declared returns the names the parameters cell declares and the source
// text of each one's value, read from lines "Name = value // comment".
func declared(src string) map[string]string {
	names := map[string]string{}
	for _, m := range declLine.FindAllStringSubmatch(src, -1) {
		names[m[1]] = strings.TrimSpace(m[2])
	}
	return names
}

var declLine = regexp.MustCompile(`(?m)^\s*(?:var\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:[A-Za-z0-9_.\[\]]+\s*)?=\s*(.*?)\s*(?://.*)?$`)

// injectedSource writes the overrides as the Go source of the injected cell,
// checking each name against the parameters cell. A -p value for a name
// whose default is a string literal is quoted unless it already is one. An
// override that writes the parameters cell's own value is left out (each
// cell costs GoNB a build); with none left, the source is empty.
func injectedSource(overrides []override, paramsSrc string) (string, error) {
	have := declared(paramsSrc)
	last := map[string]int{}
	for i, o := range overrides {
		last[o.Name] = i
	}
	var b strings.Builder
	n := 0
	b.WriteString("// Injected by cmd/nbrun (make figures, make test): these settings override the parameters cell above.\nvar (\n")
	for i, o := range overrides {
		if last[o.Name] != i {
			continue
		}
		def, ok := have[o.Name]
		if !ok {
			names := make([]string, 0, len(have))
			for n := range have {
				names = append(names, n)
			}
			slices.Sort(names)
			return "", fmt.Errorf("setting %s is not in the parameters cell (it has %s)", o.Name, strings.Join(names, ", "))
		}
		v := o.Value
		if o.Quote || strings.HasPrefix(def, `"`) && !strings.HasPrefix(v, `"`) {
			v = strconv.Quote(v)
		}
		if v == def {
			continue
		}
		fmt.Fprintf(&b, "\t%s = %s\n", o.Name, v)
		n++
	}
	if n == 0 {
		return "", nil
	}
	b.WriteString(")\n")
	return b.String(), nil
}

// inject writes the notebook at path with the overrides in a new cell
// tagged injected-parameters right after its parameters cell, as a
// temporary file in dir, and returns that file's path. A notebook without a
// parameters cell, given implicit overrides only, or one whose overrides all
// repeat its own values, is returned as it is.
func inject(path string, overrides []override, dir, name string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var nb map[string]any
	if err := json.Unmarshal(b, &nb); err != nil {
		return "", fmt.Errorf("%s is not a valid notebook (JSON: %v)", path, err)
	}
	raw, _ := nb["cells"].([]any)
	cells := make([]map[string]any, len(raw))
	for i, c := range raw {
		cells[i], _ = c.(map[string]any)
	}
	at, err := paramsCell(cells)
	if err != nil && !slices.ContainsFunc(overrides, func(o override) bool { return !o.Implicit }) {
		return path, nil // nothing asked for this notebook: run it as it is
	}
	if err != nil {
		return "", fmt.Errorf("%s: %v", path, err)
	}
	srcJSON, _ := json.Marshal(cells[at]["source"])
	src, err := injectedSource(overrides, nbformat.Text(srcJSON))
	if err != nil {
		return "", fmt.Errorf("%s: %v", path, err)
	}
	if src == "" {
		return path, nil // every override is the notebook's own value
	}
	cell := map[string]any{
		"cell_type":       "code",
		"execution_count": nil,
		"metadata":        map[string]any{"tags": []any{"injected-parameters"}},
		"outputs":         []any{},
		"source":          src,
	}
	if _, ok := cells[at]["id"]; ok {
		cell["id"] = "injected-parameters"
	}
	nb["cells"] = slices.Insert(raw, at+1, any(cell))
	out, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "."+name+"-*.ipynb")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(out); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return filepath.Clean(f.Name()), nil
}

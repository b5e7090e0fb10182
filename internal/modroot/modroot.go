// Package modroot finds the root of the pointwise checkout: the nearest
// folder, from a starting folder up, whose go.mod declares module pointwise.
// The figures' output folder, the Fashion-MNIST download folder and the
// students' handout are all placed relative to it.
package modroot

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Path is the module path that go.mod declares at the checkout's root.
const Path = "pointwise"

// Find returns the root of the checkout that holds the working directory.
func Find() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("the working directory is unknown: %w", err)
	}
	return From(wd)
}

// From returns the root of the checkout that holds dir. Another module
// nested inside the checkout does not stop the search.
func From(dir string) (string, error) {
	start, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := start; ; {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && module(b) == Path {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod of module %s in %s or a folder above it: run from inside the pointwise checkout", Path, start)
		}
		d = parent
	}
}

// module returns the module path that the go.mod text b declares, or "" if
// it has no module line.
func module(b []byte) string {
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

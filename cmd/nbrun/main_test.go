package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testdata/failed-run.json is a notebook executed by GoNB under nbconvert
// --allow-errors: code cell 2 does not compile, code cell 3 panics, code
// cell 4 runs, and code cell 5 fails but is tagged raises-exception.
func TestCellErrors(t *testing.T) {
	nb, err := readNotebook(filepath.Join("testdata", "failed-run.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := cellErrors(nb, "failed.ipynb")
	if len(got) != 2 {
		t.Fatalf("found %d failing cells, want 2 (the compile error and the panic):\n%s", len(got), strings.Join(got, "\n"))
	}
	for i, want := range [][]string{
		{"cell 1 (code cell 2)", "undefined: undefinedThing", "source: x := undefinedThing"},
		{"cell 2 (code cell 3)", "panic: boom", `source: panic("boom")`},
	} {
		for _, w := range want {
			if !strings.Contains(got[i], w) {
				t.Errorf("report %d does not mention %q:\n%s", i, w, got[i])
			}
		}
	}
}

func TestMissingFigures(t *testing.T) {
	dir := t.TempDir()
	start := time.Now().Add(-time.Minute)
	os.WriteFile(filepath.Join(dir, "ok.png"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "ok.svg"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "ok.csv"), []byte("x"), 0o644)
	if p := missingFigures([]string{"ok"}, dir, "nb", start); len(p) != 0 {
		t.Errorf("complete figure reported: %v", p)
	}
	os.WriteFile(filepath.Join(dir, "half.png"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "half.svg"), nil, 0o644)
	old := filepath.Join(dir, "half.csv")
	os.WriteFile(old, []byte("x"), 0o644)
	os.Chtimes(old, start.Add(-time.Hour), start.Add(-time.Hour))
	p := strings.Join(missingFigures([]string{"half", "none"}, dir, "nb", start), "\n")
	for _, w := range []string{"half.svg is empty", "half.csv is older than this run", "none.png was not written", "none.csv was not written"} {
		if !strings.Contains(p, w) {
			t.Errorf("report does not say %q:\n%s", w, p)
		}
	}
}

func TestFirstLine(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"%%\nfmt.Println(1)", "fmt.Println(1) ..."},
		{"import (\n\t\"fmt\"\n)", `"fmt" ...`},
		{"x := 1", "x := 1"},
	} {
		if got := firstLine(tc.src); got != tc.want {
			t.Errorf("firstLine(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
}

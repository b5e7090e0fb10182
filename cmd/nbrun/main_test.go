package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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

// TestSchedule runs a fake workload and checks that no notebook starts
// before those it comes after, that at most jobs run at once, that every
// notebook runs once, and that a cycle does not hang.
func TestSchedule(t *testing.T) {
	for _, tc := range []struct {
		name  string
		names []string
		after [][]string
		jobs  int
	}{
		{"independent", []string{"a", "b", "c", "d"}, make([][]string, 4), 2},
		{"one at a time", []string{"a", "b", "c"}, make([][]string, 3), 1},
		{"dependent listed first", []string{"ext2", "ext3", "fig2", "fig6a", "fig6b"},
			[][]string{{"fig6a", "fig6b"}, {"fig6a"}, nil, nil, nil}, 2},
		{"missing dependency ignored", []string{"ext2", "fig2"}, [][]string{{"fig6a"}, nil}, 2},
		{"cycle", []string{"a", "b", "c"}, [][]string{{"b"}, {"a"}, nil}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			running, most := 0, 0
			count := make([]int, len(tc.names))
			finished := map[string]bool{}
			var violations []string
			cycle := tc.name == "cycle"
			schedule(tc.names, tc.after, tc.jobs, func(i int) {
				mu.Lock()
				running++
				most = max(most, running)
				count[i]++
				for _, a := range tc.after[i] {
					if slices.Contains(tc.names, a) && !finished[a] && !cycle {
						violations = append(violations, tc.names[i]+" before "+a)
					}
				}
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
				mu.Lock()
				running--
				finished[tc.names[i]] = true
				mu.Unlock()
			})
			if len(violations) > 0 {
				t.Errorf("started too early: %v", violations)
			}
			if most > tc.jobs {
				t.Errorf("%d notebooks ran at once, want at most %d", most, tc.jobs)
			}
			for i, c := range count {
				if c != 1 {
					t.Errorf("%s ran %d times, want once", tc.names[i], c)
				}
			}
		})
	}
}

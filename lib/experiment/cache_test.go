package experiment

import (
	"os"
	"path/filepath"
	"testing"
)

// A cache file that cannot be read is computed again and replaced, as every
// pointwise cache entry is (package runcache), not an error.
func TestCachedUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	calls := 0
	compute := func() ([]float64, error) { calls++; return []float64{1, 2}, nil }
	if _, _, err := Cached(dir, "x", "k", compute); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "x-*.gob"))
	if len(files) != 1 {
		t.Fatalf("cache files %q, want one x-<hash>.gob", files)
	}
	if err := os.WriteFile(files[0], []byte("not gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	v, cached, err := Cached(dir, "x", "k", compute)
	if err != nil || cached || calls != 2 || len(v) != 2 {
		t.Fatalf("after damage: %v, cached %v, %d computations, %v: want computed again", v, cached, calls, err)
	}
	if _, cached, err := Cached(dir, "x", "k", compute); err != nil || !cached || calls != 2 {
		t.Errorf("third call: cached %v, %d computations, %v: want the replaced file read", cached, calls, err)
	}
}

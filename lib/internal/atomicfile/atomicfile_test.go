package atomicfile

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.bin")
	for _, content := range []string{"old", "new"} {
		if err := Write(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("content %q, want new", b)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	for _, bad := range []string{"", dir + "/", filepath.Join(dir, "missing", "b.bin")} {
		if err := Write(bad, []byte("x")); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("Write(%q) error = %v, want one naming the path", bad, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only a.bin (no temporary file left)", len(entries))
	}
}

// Clean removes only Write's temporary files of the given prefix that are
// older than the given time.
func TestClean(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	old, young := start.Add(-time.Hour), start.Add(time.Hour)
	for _, tc := range []struct {
		name    string
		mtime   time.Time
		removed bool
	}{
		{".k1.mlp.tmp123", old, true},
		{".k1-eval-ab.json.tmp4294967295", old, true},
		{".k1.ckpt.tmp7", young, false}, // a Write in progress
		{".k2.mlp.tmp123", old, false},  // another prefix
		{"k1.mlp", old, false},          // a destination
		{".k1.mlp", old, false},         // no .tmp suffix
		{".k1.mlp.tmp", old, false},     // no CreateTemp digits
		{".k1.mlp.tmpx1", old, false},
		{".tmp123", old, false}, // no destination
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, tc.mtime, tc.mtime); err != nil {
			t.Fatal(err)
		}
	}
	// A real leftover: Write's own naming, interrupted before the rename.
	f, err := os.CreateTemp(dir, ".k1.json.tmp*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	os.Chtimes(f.Name(), old, old)

	removed, err := Clean(dir, "k1", start)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, ".k1-eval-ab.json.tmp4294967295"), filepath.Join(dir, ".k1.mlp.tmp123"), f.Name()}
	slices.Sort(removed)
	slices.Sort(want)
	if !slices.Equal(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 9-2 {
		t.Errorf("%d entries left, want the 7 that are not stale temporary files of k1", len(entries))
	}
	if _, err := Clean(filepath.Join(dir, "missing"), "k1", start); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Clean of a missing folder: error %v, want one naming it", err)
	}
}

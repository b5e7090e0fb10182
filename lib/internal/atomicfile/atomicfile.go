// Package atomicfile writes files so that a reader, or a run that was
// killed half-way, never sees a partial file: the data go to a temporary
// file in the same folder, which is synced and then renamed over the
// destination. Every pointwise package that writes a file uses it.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Write writes data to path atomically with permissions 0644. On any error
// the temporary file is removed and path is untouched; the error names path.
func Write(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if base == "" {
		return fmt.Errorf("path %q: need a file name, not an empty path or a folder", path)
	}
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("writing %s: %w", path, err)
		}
	}()
	if err = f.Chmod(0o644); err != nil { // CreateTemp makes it private
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable; not every system supports it
		d.Close()
	}
	return nil
}

// Clean removes the temporary files that Write left in dir, for destinations
// whose name begins with prefix, when they were last modified before the
// given time: a process killed during Write leaves one behind, and nothing
// else ever renames or removes it. Callers pass the time their own process
// started, so that a Write in progress is never touched. It returns the
// paths removed; the error names the first one that could not be removed.
func Clean(dir, prefix string, before time.Time) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cleaning %s: %w", dir, err)
	}
	var removed []string
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !isTemp(name, prefix) {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(before) {
			continue // gone already, or being written now
		}
		path := filepath.Join(dir, name)
		err = os.Remove(path)
		if errors.Is(err, os.ErrNotExist) {
			continue // removed by another run meanwhile
		}
		if err != nil {
			return removed, fmt.Errorf("removing the stale temporary file %s: %w", path, err)
		}
		removed = append(removed, path)
	}
	return removed, nil
}

// isTemp reports whether name is Write's temporary file for a destination
// named prefix…: "." + destination + ".tmp" + CreateTemp's decimal digits.
func isTemp(name, prefix string) bool {
	i := strings.LastIndex(name, ".tmp")
	if !strings.HasPrefix(name, "."+prefix) || i < 1+len(prefix) || i+4 == len(name) {
		return false
	}
	for _, r := range name[i+4:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

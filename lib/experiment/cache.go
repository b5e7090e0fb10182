package experiment

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"pointwise/lib/internal/atomicfile"
)

// FormatVersion is part of every cache key: raising it when the package
// changes what an experiment computes makes old cache entries unreachable.
const FormatVersion = 1

var cacheName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Cached returns the value stored in dir under name and key, or, when there
// is none, computes it, stores it and returns it; cached reports which. key
// must describe every setting the value depends on (a notebook formats its
// settings into it); it is hashed, with FormatVersion, into the file name
// dir/<name>-<hash>.gob. Values are gob-encoded, so T needs exported fields.
// The file is written atomically (a temporary file renamed over it). A file
// that does not decode is an error naming it, not a silent recomputation.
func Cached[T any](dir, name, key string, compute func() (T, error)) (v T, cached bool, err error) {
	if !cacheName.MatchString(name) {
		return v, false, fmt.Errorf("experiment: cache name %q invalid: use lower-case letters, digits, '-' and '_'", name)
	}
	if compute == nil {
		return v, false, fmt.Errorf("experiment: Cached %q: compute is nil", name)
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("pointwise/lib/experiment v%d\n%s", FormatVersion, key)))
	path := filepath.Join(dir, name+"-"+hex.EncodeToString(sum[:8])+".gob")
	if b, err := os.ReadFile(path); err == nil {
		if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&v); err != nil {
			return v, false, fmt.Errorf("experiment: cache file %s does not decode (%v): delete it to recompute", path, err)
		}
		return v, true, nil
	} else if !os.IsNotExist(err) {
		return v, false, err
	}
	if v, err = compute(); err != nil {
		return v, false, err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return v, false, fmt.Errorf("experiment: cache %q: %w", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return v, false, err
	}
	return v, false, atomicfile.Write(path, buf.Bytes())
}

package experiment

import (
	"context"
	"fmt"

	"pointwise/lib/internal/runcache"
)

// FormatVersion is part of every cache key: raising it when the package
// changes what an experiment computes makes old cache entries unreachable.
const FormatVersion = 1

// Cached returns the value stored in dir under name and key, or, when there
// is none, computes it, stores it and returns it; cached reports which. key
// must describe every setting the value depends on (a notebook formats its
// settings into it); it is hashed, with FormatVersion, into the file name
// dir/<name>-<hash>.gob. Values are gob-encoded, so T needs exported fields.
// The entry follows the cache policy of every pointwise result (package
// runcache): it is written atomically; a file that cannot be read is
// reported on standard error and computed again; two processes that need
// the same entry at once compute it once. If dir is "", nothing is stored.
func Cached[T any](dir, name, key string, compute func() (T, error)) (v T, cached bool, err error) {
	if compute == nil {
		return v, false, fmt.Errorf("experiment: Cached %q: compute is nil", name)
	}
	task := runcache.Task[T]{Title: name, Key: runcache.Key{Name: name, Version: FormatVersion, Settings: key},
		Compute: func(context.Context, runcache.Reporter) (T, error) { return compute() }}
	v, cached, err = task.Run(context.Background(), &runcache.Runner{Dir: dir})
	if err != nil {
		return v, false, fmt.Errorf("experiment: cache %q: %w", name, err)
	}
	return v, cached, nil
}

package runcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"pointwise/lib/internal/atomicfile"
	"pointwise/lib/internal/linalg"
)

// Version is the format of the entries this package writes; it is part of
// every key.
const Version = 1

// blas names the BLAS the products run on, also part of every key: OpenBLAS
// and gonum's BLAS round differently, and training amplifies the last bits,
// so an entry computed with one is not the other's (make test's quick
// goldens are gonum's; make figures multiplies with OpenBLAS).
var blas = linalg.Backend

// processStart is when this process loaded the package: a temporary file
// older than that was left by a run that was killed.
var processStart = time.Now()

// Reporter receives the progress and the log lines of one task.
// *figure.Progress is one.
type Reporter interface {
	// Update reports done steps of total, with a short status.
	Update(done, total int, status string)
	// Log receives one line, formatted as by fmt.Sprintf.
	Log(format string, args ...any)
}

// Discard is the Reporter that drops everything.
var Discard Reporter = discard{}

type discard struct{}

func (discard) Update(int, int, string) {}
func (discard) Log(string, ...any)      {}

// Runner runs tasks and keeps their results in a folder. The zero value, and
// a nil *Runner, compute every task and report nothing.
type Runner struct {
	// Dir is the cache folder, created when needed. If it is "", nothing is
	// cached, locked or checkpointed.
	Dir string
	// Report, if non-nil, returns the reporter of a task given its title.
	Report func(title string) Reporter
}

// Reporter returns the reporter of the task titled title: Report's, or
// Discard.
func (r *Runner) Reporter(title string) Reporter {
	if r == nil || r.Report == nil {
		return Discard
	}
	if rep := r.Report(title); rep != nil {
		return rep
	}
	return Discard
}

func (r *Runner) dir() string {
	if r == nil {
		return ""
	}
	return r.Dir
}

// Key names a task's result: two tasks with equal keys compute the same
// value.
type Key struct {
	// Name begins the entry's file name, such as "mnist-hard": lower-case
	// letters, digits, '-' and '_', beginning with a letter or a digit.
	Name string
	// Version is the format version of the code that computes the value:
	// raising it when the computation changes makes the old entries
	// unreachable.
	Version int
	// Seed seeds everything random in the computation.
	Seed uint64
	// Settings holds every other setting the value depends on. It is hashed
	// in its JSON encoding, so it must encode (no NaN, no channels).
	Settings any
	// Data holds the fingerprints of the data the value is computed from,
	// and the IDs of the entries it reads (a trained network's, for its
	// evaluation).
	Data []string
}

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// keyDoc is what a key hashes: the key, this package's Version and the BLAS.
type keyDoc struct {
	Runcache int
	BLAS     string
	Name     string
	Version  int
	Seed     uint64
	Settings any
	Data     []string
}

// describe returns the JSON text that identifies k, or an error naming a
// bad name or settings that do not encode.
func (k Key) describe() (string, error) {
	if !namePattern.MatchString(k.Name) {
		return "", fmt.Errorf("runcache: name %q invalid: use lower-case letters, digits, '-' and '_'", k.Name)
	}
	b, err := json.Marshal(keyDoc{Runcache: Version, BLAS: blas, Name: k.Name, Version: k.Version, Seed: k.Seed, Settings: k.Settings, Data: k.Data})
	if err != nil {
		return "", fmt.Errorf("runcache: settings of %s do not encode: %w", k.Name, err)
	}
	return string(b), nil
}

// ID returns the key's identifier, Name followed by 16 hex digits of the
// SHA-256 of the key: the entry's file name without ".gob". It returns an
// error for a bad name or settings that do not encode.
func (k Key) ID() (string, error) {
	d, err := k.describe()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(d))
	return k.Name + "-" + hex.EncodeToString(sum[:8]), nil
}

// Stem returns the path of k's entry in r's folder without ".gob", the
// place of the task's own side files, or "" when r caches nothing.
func (r *Runner) Stem(k Key) (string, error) {
	id, err := k.ID()
	if err != nil || r.dir() == "" {
		return "", err
	}
	return filepath.Join(r.dir(), id), nil
}

// Task is one cached computation of a value of type T.
type Task[T any] struct {
	// Title names the task for its reporter.
	Title string
	// Key names its result.
	Key Key
	// Check, if non-nil, vets a value read from the cache: an error makes
	// the entry unreadable, so it is computed again.
	Check func(T) error
	// Compute computes the value, reporting to rep. It should stop when ctx
	// is done. It runs while the entry's lock is held: no other process
	// computes the same key meanwhile, nor writes its side files (a
	// checkpoint at Runner.Stem + ".ckpt").
	Compute func(ctx context.Context, rep Reporter) (T, error)
}

// entry is the content of an entry's file.
type entry[T any] struct {
	Key   string // the key's description, checked when read
	Value T
}

// Run returns the task's value: read from r's folder when an entry holds it
// (cached is then true), otherwise computed and stored. A nil ctx never is
// done. While another process computes the same key, Run waits for it
// (reporting whose lock it waits for) and then reads its result; it stops
// waiting when ctx is done.
func (t Task[T]) Run(ctx context.Context, r *Runner) (v T, cached bool, err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if t.Compute == nil {
		return v, false, fmt.Errorf("runcache: task %q without Compute", t.Title)
	}
	desc, err := t.Key.describe()
	if err != nil {
		return v, false, err
	}
	stem, _ := r.Stem(t.Key)
	rep := r.Reporter(t.Title)
	if stem == "" {
		v, err = t.Compute(ctx, rep)
		return v, false, err
	}
	dir, id := filepath.Split(stem)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return v, false, fmt.Errorf("runcache: cache folder: %w", err)
	}
	path := stem + ".gob"
	if v, ok := t.read(path, desc, r, rep, false); ok {
		return v, true, nil
	}
	unlock, err := lock(ctx, stem+".lock", func(holder string) {
		rep.Log("waiting for %s, which is computing %s", holder, filepath.Base(path))
	})
	if err != nil {
		return v, false, err
	}
	defer unlock()
	// Another process may have stored it while this one waited; an entry
	// that cannot be read is reported now, once.
	if v, ok := t.read(path, desc, r, rep, true); ok {
		return v, true, nil
	}
	// A run of this task killed while writing left its temporary files,
	// which nothing else would ever remove.
	stale, err := atomicfile.Clean(dir, id, processStart)
	for _, p := range stale {
		rep.Log("removed the stale temporary file %s", filepath.Base(p))
	}
	if err != nil {
		return v, false, fmt.Errorf("runcache: %w", err)
	}
	if v, err = t.Compute(ctx, rep); err != nil {
		return v, false, err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(entry[T]{Key: desc, Value: v}); err != nil {
		return v, false, fmt.Errorf("runcache: storing %s: %w", filepath.Base(path), err)
	}
	if err := atomicfile.Write(path, buf.Bytes()); err != nil {
		return v, false, fmt.Errorf("runcache: %w", err)
	}
	return v, false, nil
}

// read returns the value stored at path and true, or false when there is
// none or it cannot be read. With report set, an unreadable entry is
// reported, through rep when r has reporters, otherwise on standard error.
func (t Task[T]) read(path, desc string, r *Runner, rep Reporter, report bool) (T, bool) {
	v, err := t.decode(path, desc)
	switch {
	case err == nil:
		rep.Log("read from the cache (%s)", filepath.Base(path))
		return v, true
	case errors.Is(err, os.ErrNotExist) || !report:
	case r == nil || r.Report == nil:
		fmt.Fprintf(os.Stderr, "%s: cache entry unreadable, computing it again: %v\n", t.Title, err)
	default:
		rep.Log("cache entry unreadable, computing it again: %v", err)
	}
	var zero T
	return zero, false
}

func (t Task[T]) decode(path, desc string) (T, error) {
	var e entry[T]
	f, err := os.Open(path)
	if err != nil {
		return e.Value, err
	}
	defer f.Close()
	if err := gob.NewDecoder(f).Decode(&e); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("truncated (%w)", err)
		}
		return e.Value, fmt.Errorf("%s: %w", path, err)
	}
	if e.Key != desc {
		return e.Value, fmt.Errorf("%s holds another key: %.200s", path, e.Key)
	}
	if t.Check != nil {
		if err := t.Check(e.Value); err != nil {
			return e.Value, fmt.Errorf("%s: %w", path, err)
		}
	}
	return e.Value, nil
}

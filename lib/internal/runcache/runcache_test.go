package runcache

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// lines is a Reporter that keeps its log lines and counts its updates.
type lines struct {
	log     []string
	updates int
}

func (l *lines) Update(int, int, string)        { l.updates++ }
func (l *lines) Log(format string, args ...any) { l.log = append(l.log, fmt.Sprintf(format, args...)) }

func (l *lines) contains(s string) bool { return l.count(s) > 0 }

func (l *lines) count(s string) int {
	n := 0
	for _, x := range l.log {
		if strings.Contains(x, s) {
			n++
		}
	}
	return n
}

// value is a result with the kinds of fields the callers cache: a NaN (an
// audit's skipped check), a slice, a nested struct.
type value struct {
	Name  string
	X     []float64
	Inner struct{ N int }
}

// counting returns a task whose Compute counts its calls in *calls.
func counting(key Key, calls *int) Task[value] {
	return Task[value]{Title: "t", Key: key, Compute: func(_ context.Context, rep Reporter) (value, error) {
		*calls++
		rep.Update(1, 1, "computed")
		v := value{Name: "v", X: []float64{1, math.NaN(), -0.5}}
		v.Inner.N = 3
		return v, nil
	}}
}

func equal(a, b value) bool {
	return a.Name == b.Name && a.Inner == b.Inner && slices.EqualFunc(a.X, b.X, func(x, y float64) bool {
		return x == y || math.IsNaN(x) && math.IsNaN(y)
	})
}

func TestRunStoresAndReads(t *testing.T) {
	dir := t.TempDir()
	rep := &lines{}
	r := &Runner{Dir: dir, Report: func(string) Reporter { return rep }}
	key := Key{Name: "x", Version: 1, Seed: 2, Settings: map[string]int{"steps": 3}, Data: []string{"abc"}}
	calls := 0
	first, cached, err := counting(key, &calls).Run(context.Background(), r)
	if err != nil || cached || calls != 1 {
		t.Fatalf("first run: cached %v after %d computations, %v", cached, calls, err)
	}
	second, cached, err := counting(key, &calls).Run(context.Background(), r)
	if err != nil || !cached || calls != 1 || !equal(first, second) {
		t.Fatalf("second run: cached %v after %d computations, %+v, %v: want %+v read back", cached, calls, second, err, first)
	}
	id, _ := key.ID()
	if !rep.contains("read from the cache (" + id + ".gob)") {
		t.Errorf("log %q: want the cache read", rep.log)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	if want := []string{filepath.Join(dir, id+".gob")}; !slices.Equal(names, want) {
		t.Errorf("folder holds %q, want %q (no lock file, no temporary file)", names, want)
	}
	// Without a folder nothing is stored.
	if _, cached, err := counting(key, &calls).Run(context.Background(), &Runner{}); err != nil || cached || calls != 2 {
		t.Errorf("runner without a folder: cached %v after %d computations, %v", cached, calls, err)
	}
	if _, _, err := counting(key, &calls).Run(context.Background(), nil); err != nil || calls != 3 {
		t.Errorf("nil runner: %d computations, %v", calls, err)
	}
}

// Every part of a key changes its ID; the ID starts with the name.
func TestKeyID(t *testing.T) {
	base := Key{Name: "mnist-hard", Version: 1, Seed: 1, Settings: struct{ K int }{8}, Data: []string{"f"}}
	ids := map[string]string{}
	for name, k := range map[string]Key{
		"base":     base,
		"name":     {Name: "mnist-pgd", Version: 1, Seed: 1, Settings: struct{ K int }{8}, Data: []string{"f"}},
		"version":  {Name: "mnist-hard", Version: 2, Seed: 1, Settings: struct{ K int }{8}, Data: []string{"f"}},
		"seed":     {Name: "mnist-hard", Version: 1, Seed: 2, Settings: struct{ K int }{8}, Data: []string{"f"}},
		"settings": {Name: "mnist-hard", Version: 1, Seed: 1, Settings: struct{ K int }{4}, Data: []string{"f"}},
		"data":     {Name: "mnist-hard", Version: 1, Seed: 1, Settings: struct{ K int }{8}, Data: []string{"g"}},
	} {
		id, err := k.ID()
		if err != nil {
			t.Fatal(err)
		}
		if other, ok := ids[id]; ok {
			t.Errorf("%s and %s share the ID %s", name, other, id)
		}
		ids[id] = name
		if !strings.HasPrefix(id, k.Name+"-") || len(id) != len(k.Name)+1+16 {
			t.Errorf("%s: ID %s, want %s- and 16 hex digits", name, id, k.Name)
		}
	}
	// The same key under another BLAS is another entry.
	id, _ := base.ID()
	was := blas
	blas = "other-" + was
	other, _ := base.ID()
	blas = was
	if other == id {
		t.Errorf("the BLAS is not part of the key: %s under both", id)
	}
	for _, tc := range []struct {
		key  Key
		want string
	}{
		{Key{Name: "Bad Name"}, `name "Bad Name" invalid`},
		{Key{Name: ""}, `name "" invalid`},
		{Key{Name: "x", Settings: math.NaN()}, "settings of x do not encode"},
	} {
		if _, err := tc.key.ID(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ID of %+v: error %v, want one containing %q", tc.key, err, tc.want)
		}
		calls := 0
		if _, _, err := counting(tc.key, &calls).Run(context.Background(), &Runner{Dir: t.TempDir()}); err == nil || calls != 0 {
			t.Errorf("Run of %+v: %d computations, error %v: want an error before computing", tc.key, calls, err)
		}
	}
}

// An entry that cannot be read is reported and computed again, and the
// new value replaces it.
func TestUnreadableEntryIsComputedAgain(t *testing.T) {
	key := Key{Name: "x", Version: 1}
	id, _ := key.ID()
	for _, tc := range []struct {
		name   string
		damage func(path string)
		check  func(value) error
		want   string
	}{
		{"truncated", func(p string) {
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/2], 0o644)
		}, nil, "truncated"},
		{"not gob", func(p string) { os.WriteFile(p, []byte("{}"), 0o644) }, nil, id + ".gob"},
		{"another key's entry", func(p string) {
			other := filepath.Join(filepath.Dir(p), "other")
			calls := 0
			counting(Key{Name: "x", Version: 2}, &calls).Run(context.Background(), &Runner{Dir: other})
			oid, _ := Key{Name: "x", Version: 2}.ID()
			b, _ := os.ReadFile(filepath.Join(other, oid+".gob"))
			os.WriteFile(p, b, 0o644)
		}, nil, "holds another key"},
		{"rejected by Check", func(string) {}, func(v value) error { return errors.New("no good") }, "no good"},
	} {
		dir := t.TempDir()
		rep := &lines{}
		r := &Runner{Dir: dir, Report: func(string) Reporter { return rep }}
		calls := 0
		if _, _, err := counting(key, &calls).Run(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, id+".gob")
		tc.damage(path)
		task := counting(key, &calls)
		task.Check = tc.check
		v, cached, err := task.Run(context.Background(), r)
		if err != nil || cached || calls != 2 || v.Inner.N != 3 {
			t.Errorf("%s: cached %v after %d computations, %v: want computed again", tc.name, cached, calls, err)
		}
		if n := rep.count("cache entry unreadable, computing it again"); n != 1 || !rep.contains(tc.want) {
			t.Errorf("%s: log %q, want the unreadable entry reported once, with %q", tc.name, rep.log, tc.want)
		}
		if tc.check == nil {
			if _, cached, err := counting(key, &calls).Run(context.Background(), r); err != nil || !cached {
				t.Errorf("%s: third run cached %v, %v: want the new entry read", tc.name, cached, err)
			}
		}
	}
}

// The temporary file a killed write left is removed by the next run of the
// same task, and only that task's.
func TestStaleTemporaryFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	key := Key{Name: "x", Version: 1}
	id, _ := key.ID()
	stale := filepath.Join(dir, "."+id+".gob.tmp123")
	other := filepath.Join(dir, ".y-0123456789abcdef.gob.tmp7")
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{stale, other} {
		os.WriteFile(p, []byte("partial"), 0o644)
		os.Chtimes(p, old, old)
	}
	rep := &lines{}
	calls := 0
	if _, _, err := counting(key, &calls).Run(context.Background(), &Runner{Dir: dir, Report: func(string) Reporter { return rep }}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) || !rep.contains("removed the stale temporary file ."+id) {
		t.Errorf("stale file: stat error %v, log %q: want it removed and reported", err, rep.log)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another task's temporary file was removed: %v", err)
	}
}

// A Compute error is returned and nothing is stored.
func TestComputeErrorStoresNothing(t *testing.T) {
	dir := t.TempDir()
	boom := errors.New("boom")
	task := Task[int]{Title: "t", Key: Key{Name: "x"}, Compute: func(context.Context, Reporter) (int, error) { return 0, boom }}
	if _, _, err := task.Run(context.Background(), &Runner{Dir: dir}); !errors.Is(err, boom) {
		t.Errorf("error %v, want boom", err)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 0 {
		t.Errorf("folder holds %q after a failed computation, want nothing", names)
	}
	if _, _, err := (Task[int]{Key: Key{Name: "x"}}).Run(context.Background(), &Runner{Dir: dir}); err == nil {
		t.Error("task without Compute: no error")
	}
}

// A process waiting for a lock stops when its context is done, saying whose
// lock it waited for.
func TestLockWaitStopsWithContext(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.lock")
	unlock, err := lock(context.Background(), path, func(string) { t.Error("waited for a free lock") })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var holder string
	if _, err := lock(ctx, path, func(h string) { holder = h }); err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second lock: error %v, want the deadline", err)
	}
	if want := fmt.Sprintf("process %d", os.Getpid()); holder != want {
		t.Errorf("waited for %q, want %q", holder, want)
	}
	unlock()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left after unlock (stat error %v)", err)
	}
	unlock, err = lock(context.Background(), path, func(string) { t.Error("waited for a released lock") })
	if err != nil {
		t.Fatal(err)
	}
	unlock()
}

// Command table prints the cross-check's table from the runs of both sides
// (CSV files with crosscheck.Header, as cmd/gorows and train.py print them)
// and, with -out, writes it to table.txt and table.csv in that folder.
//
// Usage:
//
//	go run ./crosscheck/cmd/table [-out out/crosscheck] [-wall seconds] go.csv pytorch.csv
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"pointwise/crosscheck"
)

func main() {
	out := flag.String("out", "", "folder to write table.txt and table.csv into (empty: print only)")
	wall := flag.Float64("wall", 0, "the run's wall time in seconds, for the footer (0: not shown)")
	flag.Parse()
	if err := run(flag.Args(), *out, *wall); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(files []string, out string, wall float64) error {
	if len(files) == 0 {
		return fmt.Errorf("table: no CSV files: need the runs of both sides, e.g. out/crosscheck/go.csv out/crosscheck/pytorch.csv")
	}
	var runs []crosscheck.Run
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return fmt.Errorf("table: %w", err)
		}
		r, err := crosscheck.ReadRuns(fh)
		fh.Close()
		if err != nil {
			return fmt.Errorf("table: %s: %w", f, err)
		}
		runs = append(runs, r...)
	}
	cs, err := crosscheck.Compare(runs)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := crosscheck.Format(&b, cs); err != nil {
		return err
	}
	b.WriteString(footer(runs, wall))
	os.Stdout.Write(b.Bytes())
	if out == "" {
		return nil
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	var c bytes.Buffer
	if err := crosscheck.WriteCSV(&c, cs); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "table.txt"), b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	if err := os.WriteFile(filepath.Join(out, "table.csv"), c.Bytes(), 0o644); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	return nil
}

// footer says what ran: the settings and seeds of each data set, each
// side's versions and threads, its training and evaluation seconds, and the
// wall time.
func footer(runs []crosscheck.Run, wall float64) string {
	var b strings.Builder
	type side struct {
		versions, seeds       []string
		train, eval           float64
		runs, cached, threads int
	}
	sides := map[string]*side{crosscheck.Go: {}, crosscheck.PyTorch: {}}
	settings := map[string]string{}
	var sets []string
	for _, r := range runs {
		if _, ok := settings[r.Dataset]; !ok {
			sets = append(sets, r.Dataset)
			settings[r.Dataset] = fmt.Sprintf("%s: ε_train %g, %s, %d training and %d test images", r.Dataset, r.Eps, plural(r.Epochs, "epoch"), r.TrainN, r.TestN)
		}
		s := sides[r.Impl]
		if !slices.Contains(s.versions, r.Version) {
			s.versions = append(s.versions, r.Version)
		}
		if seed := fmt.Sprint(r.Seed); !slices.Contains(s.seeds, seed) {
			s.seeds = append(s.seeds, seed)
		}
		s.runs++
		s.threads = r.Threads
		s.train += r.TrainSeconds
		s.eval += r.EvalSeconds
		if r.Cached {
			s.cached++
		}
	}
	for _, d := range sets {
		b.WriteString(settings[d] + "\n")
	}
	for _, impl := range []string{crosscheck.Go, crosscheck.PyTorch} {
		s := sides[impl]
		fmt.Fprintf(&b, "%-7s %s, %s, seeds %s: %s (%d read from the cache), training %.0f s, evaluation %.0f s\n",
			impl, strings.Join(s.versions, "; "), plural(s.threads, "thread"), strings.Join(s.seeds, ","), plural(s.runs, "run"), s.cached, s.train, s.eval)
	}
	if wall > 0 {
		fmt.Fprintf(&b, "wall time %.0f s (%.1f min)\n", wall, wall/60)
	}
	return b.String()
}

// plural returns "1 epoch" or "5 epochs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

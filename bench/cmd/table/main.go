// Command table assembles the output of `make bench` into one table: the
// medians of the Go benchmarks (go test -bench output, one file per BLAS
// backend) and of the PyTorch runs (torch_bench.py's CSV), with the
// Go/PyTorch ratio of samples per second for each row and backend. It
// prints the table and writes it as CSV.
//
// Usage:
//
//	table -go gonum=gonum.txt -go openblas=openblas.txt -torch torch.csv [-torch1 torch1.csv] -csv out/bench.csv
//
// The first ratio is against -torch, PyTorch after torch.set_num_threads(2),
// the reference of the speed targets in README.md; the second against the
// faster of -torch and -torch1 (the same script after
// torch.set_num_threads(1)), PyTorch at its best on the machine.
// set_num_threads sets PyTorch's OpenMP threads only: Debian's PyTorch
// multiplies matrices in OpenBLAS, whose own threads (one per core unless
// OPENBLAS_NUM_THREADS says otherwise) serve both settings, and with 2 OpenMP
// threads the two pools contend for 2 cores.
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// rows are the six measurements (a)-(f): the Go benchmark and the
// PyTorch row of each, and a description.
var rows = []struct{ key, bench, what string }{
	{"a_inference", "BenchmarkInference", "(a) inference"},
	{"b_train", "BenchmarkTrainStep", "(b) training step"},
	{"c_fgsm_train", "BenchmarkFGSMTrainStep", "(c) FGSM training step"},
	{"d_pgd10_train", "BenchmarkPGD10TrainStep", "(d) PGD-10 training step"},
	{"e_hard_train", "BenchmarkHardTrainStep", "(e) hard training step (K = 8, PGD-10)"},
	{"f_pgd20_eval", "BenchmarkPGD20Eval", "(f) PGD-20 evaluation"},
}

type backends []string

func (b *backends) String() string     { return strings.Join(*b, ",") }
func (b *backends) Set(s string) error { *b = append(*b, s); return nil }

func main() {
	var goFiles backends
	flag.Var(&goFiles, "go", "backend=file of `go test -bench` output (repeatable)")
	torchFile := flag.String("torch", "", "CSV from torch_bench.py (row,samples_per_s), the reference of the ratios; empty for none")
	torch1File := flag.String("torch1", "", "CSV from torch_bench.py -threads 1, shown for context; empty for none")
	csvPath := flag.String("csv", "out/bench.csv", "where to write the table as CSV")
	flag.Parse()
	if err := run(goFiles, *torchFile, *torch1File, *csvPath); err != nil {
		fmt.Fprintln(os.Stderr, "table:", err)
		os.Exit(1)
	}
}

// result holds the repeated measurements of one row of one implementation.
type result struct{ rate, allocs []float64 }

func run(goFiles []string, torchFile, torch1File, csvPath string) error {
	type impl struct {
		name, backend string
		res           map[string]*result
	}
	var impls []impl
	for _, spec := range goFiles {
		backend, file, ok := strings.Cut(spec, "=")
		if !ok {
			return fmt.Errorf("-go %q: need backend=file", spec)
		}
		res, err := readGo(file)
		if err != nil {
			return err
		}
		impls = append(impls, impl{"go", backend, res})
	}
	var torch, torch1Res map[string]*result
	if torchFile != "" {
		var err error
		if torch, err = readTorch(torchFile); err != nil {
			return err
		}
		impls = append(impls, impl{"pytorch", "set_num_threads(2)", torch})
	}
	if torch1File != "" {
		torch1, err := readTorch(torch1File)
		if err != nil {
			return err
		}
		impls = append(impls, impl{"pytorch", "set_num_threads(1)", torch1})
		torch1Res = torch1
	}

	if err := os.MkdirAll(filepath.Dir(csvPath), 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"row", "impl", "backend", "samples_per_s", "allocs_per_op", "ratio_vs_torch", "ratio_vs_best_torch", "runs"})
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "row\timpl\tbackend\tsamples/s\tallocs/op\tGo/PyTorch(2)\tGo/PyTorch best\truns\t")
	for _, r := range rows {
		var ref, best float64
		if t := torch[r.key]; t != nil && len(t.rate) > 0 {
			ref = median(t.rate)
			best = ref
		}
		if t := torch1Res[r.key]; t != nil && len(t.rate) > 0 {
			best = max(best, median(t.rate))
		}
		for _, im := range impls {
			m := im.res[r.key]
			if m == nil || len(m.rate) == 0 {
				continue
			}
			rate := median(m.rate)
			allocs, ratio, ratioBest := "", "", ""
			if len(m.allocs) > 0 {
				allocs = strconv.FormatFloat(median(m.allocs), 'f', -1, 64)
			}
			if im.name == "go" && ref > 0 {
				ratio = strconv.FormatFloat(rate/ref, 'f', 2, 64)
			}
			if im.name == "go" && best > 0 {
				ratioBest = strconv.FormatFloat(rate/best, 'f', 2, 64)
			}
			cw.Write([]string{r.key, im.name, im.backend, strconv.FormatFloat(rate, 'f', 0, 64), allocs, ratio, ratioBest, strconv.Itoa(len(m.rate))})
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t%s\t%s\t%s\t%d\t\n", r.what, im.name, im.backend, rate, allocs, times(ratio), times(ratioBest), len(m.rate))
		}
	}
	tw.Flush()
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	// A temporary file renamed into place: an interrupted run leaves the
	// previous table, not half of a new one.
	tmp := csvPath + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, csvPath); err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Printf("medians of each row's runs; Go/PyTorch(2) against torch.set_num_threads(2), best against the faster PyTorch setting; CSV written to %s\n", csvPath)
	return nil
}

// times appends × to a ratio, if there is one.
func times(ratio string) string {
	if ratio == "" {
		return ""
	}
	return ratio + "×"
}

// readGo parses `go test -bench -benchmem` output, whose lines read
//
//	BenchmarkTrainStep-2   295   4724305 ns/op   27094 samples/s   0 B/op   0 allocs/op
func readGo(path string) (map[string]*result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	byBench := map[string]string{}
	for _, r := range rows {
		byBench[r.bench] = r.key
	}
	res := map[string]*result{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name, _, _ := strings.Cut(fields[0], "-")
		key, ok := byBench[name]
		if !ok {
			continue
		}
		r := res[key]
		if r == nil {
			r = &result{}
			res[key] = r
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %q: %v", path, sc.Text(), err)
			}
			switch fields[i+1] {
			case "samples/s":
				r.rate = append(r.rate, v)
			case "allocs/op":
				r.allocs = append(r.allocs, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("%s: no benchmark results", path)
	}
	return res, nil
}

// readTorch parses torch_bench.py's CSV: a header, then row,samples_per_s.
func readTorch(path string) (map[string]*result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	res := map[string]*result{}
	for _, rec := range recs {
		if len(rec) != 2 || rec[0] == "row" {
			continue
		}
		v, err := strconv.ParseFloat(rec[1], 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %v", path, rec, err)
		}
		if res[rec[0]] == nil {
			res[rec[0]] = &result{}
		}
		res[rec[0]].rate = append(res[rec[0]].rate, v)
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("%s: no PyTorch results", path)
	}
	return res, nil
}

// median returns the median of x (the mean of the middle two for an even
// count).
func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

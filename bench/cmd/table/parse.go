package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// cell is one measured workload: a row of rows at a hidden width and batch.
type cell struct {
	row      string
	width, n int
}

// mainCell returns the cell of row at the fig6 shapes.
func mainCell(row string) cell { return cell{row, mainWidth, mainBatch} }

// result holds the runs of one cell in one configuration, in file order.
type result struct {
	rate, allocs, warm []float64
	note               string // why there is no rate ("n/a: ...")
}

// results maps the cells of one configuration to their runs.
type results map[cell]*result

func (rs results) get(c cell) *result {
	r := rs[c]
	if r == nil {
		r = &result{}
		rs[c] = r
	}
	return r
}

// readGo adds to rs the runs in `go test -bench -benchmem` output of bench's
// benchmarks, whose lines read
//
//	BenchmarkTrainStep-2                  295   4724305 ns/op   27094 samples/s   0 B/op   0 allocs/op
//	BenchmarkTrainStepSweep/w=512/b=2048-2  3  87122790 ns/op   23507 samples/s   0 B/op   0 allocs/op
//
// and to gs the GFLOP/s of lib/internal/linalg's product benchmarks
// (BenchmarkFwd784x256-2 ... 39.2 GFLOP/s). Other lines are skipped.
func readGo(r io.Reader, name string, rs results, gs map[string][]float64) error {
	byBench := map[string]string{}
	for _, rw := range rows {
		byBench[rw.bench] = rw.key
	}
	byGemm := map[string]bool{}
	for _, g := range gemms {
		byGemm["Benchmark"+g.name] = true
	}
	found := false
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		// The -GOMAXPROCS suffix, if any, follows the last '-'.
		bench := fields[0]
		if i := strings.LastIndexByte(bench, '-'); i > 0 {
			if _, err := strconv.Atoi(bench[i+1:]); err == nil {
				bench = bench[:i]
			}
		}
		metrics, err := goMetrics(fields[2:])
		if err != nil {
			return fmt.Errorf("%s: %q: %v", name, sc.Text(), err)
		}
		if byGemm[bench] {
			if v, ok := metrics["GFLOP/s"]; ok {
				g := strings.TrimPrefix(bench, "Benchmark")
				gs[g] = append(gs[g], v)
				found = true
			}
			continue
		}
		c, ok, err := goCell(bench, byBench)
		if err != nil {
			return fmt.Errorf("%s: %q: %v", name, sc.Text(), err)
		}
		if !ok {
			continue
		}
		v, ok := metrics["samples/s"]
		if !ok {
			continue
		}
		res := rs.get(c)
		res.rate = append(res.rate, v)
		if a, ok := metrics["allocs/op"]; ok {
			res.allocs = append(res.allocs, a)
		}
		found = true
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if !found {
		return fmt.Errorf("%s: no benchmark results", name)
	}
	return nil
}

// goMetrics reads the value-unit pairs after a benchmark's iteration count.
func goMetrics(fields []string) (map[string]float64, error) {
	m := map[string]float64{}
	for i := 0; i+1 < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return nil, err
		}
		m[fields[i+1]] = v
	}
	return m, nil
}

// goCell maps a benchmark name without its -GOMAXPROCS suffix to its cell:
// a row's benchmark is the fig6 cell, its Sweep variant with /w=W/b=N a
// cell of the sweep. ok is false for a benchmark of no row.
func goCell(bench string, byBench map[string]string) (c cell, ok bool, err error) {
	top, sub, hasSub := strings.Cut(bench, "/")
	if !hasSub {
		key, ok := byBench[top]
		return mainCell(key), ok, nil
	}
	key, ok := byBench[strings.TrimSuffix(top, "Sweep")]
	if !ok || !strings.HasSuffix(top, "Sweep") {
		return cell{}, false, nil
	}
	if _, err := fmt.Sscanf(sub, "w=%d/b=%d", &c.width, &c.n); err != nil {
		return cell{}, false, fmt.Errorf("sub-benchmark %q: want w=<width>/b=<batch>", sub)
	}
	c.row = key
	return c, true, nil
}

// torchConfig identifies one PyTorch configuration of torch_bench.py's
// output.
type torchConfig struct {
	version string // torch.__version__; empty in the old format
	threads int
	mode    string // eager, compile, or mm for the products
}

// major returns the major version of PyTorch, 0 if unknown.
func (t torchConfig) major() int {
	m, _, _ := strings.Cut(t.version, ".")
	v, _ := strconv.Atoi(m)
	return v
}

// name is the configuration's column title: PyTorch 1.13 (2),
// PyTorch 2.15 eager (1), PyTorch 2.15 compiled (2), PyTorch 2.15 mm (2).
func (t torchConfig) name() string {
	v := t.version
	if i := strings.IndexAny(v, "+a"); i > 0 { // 2.15.0+cu132, 1.13.0a0
		v = v[:i]
	}
	if parts := strings.Split(v, "."); len(parts) > 2 {
		v = parts[0] + "." + parts[1]
	}
	s := "PyTorch"
	if v != "" {
		s += " " + v
	}
	switch {
	case t.mode == "compile":
		s += " compiled"
	case t.mode == "mm":
		s += " mm"
	case t.major() >= 2:
		s += " eager"
	}
	return fmt.Sprintf("%s (%d)", s, t.threads)
}

// torchRun is what readTorch collects: the rows' results and the products'
// GFLOP/s of each configuration.
type torchRun struct {
	rows  map[torchConfig]results
	gemms map[torchConfig]map[string][]float64
}

// readTorch adds to tr the lines of torch_bench.py's CSV. Its header names
// the columns (torch,threads,mode,row,width,batch,samples_per_s,gflops,
// warmup_s,note); the older format row,samples_per_s of one process is read
// as the configuration old (its version unknown).
func readTorch(r io.Reader, name string, old torchConfig, tr *torchRun) error {
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{"row": 0, "samples_per_s": 1}
	found := false
	for _, rec := range recs {
		if len(rec) > 0 && rec[0] == "row" || len(rec) > 0 && rec[0] == "torch" {
			col = map[string]int{}
			for i, h := range rec {
				col[h] = i
			}
			continue
		}
		get := func(h string) string {
			if i, ok := col[h]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		cfg := old
		if _, ok := col["torch"]; ok {
			cfg = torchConfig{version: get("torch"), mode: get("mode")}
			if cfg.threads, err = strconv.Atoi(get("threads")); err != nil {
				return fmt.Errorf("%s: %q: threads: %v", name, rec, err)
			}
		}
		row := get("row")
		if g, ok := strings.CutPrefix(row, "gemm_"); ok {
			v, err := strconv.ParseFloat(get("gflops"), 64)
			if err != nil {
				return fmt.Errorf("%s: %q: gflops: %v", name, rec, err)
			}
			if tr.gemms[cfg] == nil {
				tr.gemms[cfg] = map[string][]float64{}
			}
			tr.gemms[cfg][g] = append(tr.gemms[cfg][g], v)
			found = true
			continue
		}
		c := mainCell(row)
		if w := get("width"); w != "" {
			if c.width, err = strconv.Atoi(w); err != nil {
				return fmt.Errorf("%s: %q: width: %v", name, rec, err)
			}
			if c.n, err = strconv.Atoi(get("batch")); err != nil {
				return fmt.Errorf("%s: %q: batch: %v", name, rec, err)
			}
		}
		if tr.rows[cfg] == nil {
			tr.rows[cfg] = results{}
		}
		res := tr.rows[cfg].get(c)
		if s := get("samples_per_s"); s != "" {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("%s: %q: samples_per_s: %v", name, rec, err)
			}
			res.rate = append(res.rate, v)
		} else if note := get("note"); note != "" {
			res.note = note
		}
		if s := get("warmup_s"); s != "" {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("%s: %q: warmup_s: %v", name, rec, err)
			}
			res.warm = append(res.warm, v)
		}
		found = true
	}
	if !found {
		return fmt.Errorf("%s: no PyTorch results", name)
	}
	return nil
}

// machine is what the table's header says of the machine and the run.
type machine struct {
	model string    // lscpu's Model name
	cpus  string    // lscpu's CPU(s)
	loads []float64 // the 1-minute load average at each round's start
}

// readMachine reads lscpu's "Model name:" and "CPU(s):" lines and the
// Makefile's "bench: round i of n, load average l1 l5 l15" lines.
func readMachine(r io.Reader) (machine, error) {
	var m machine
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		k, v, _ := strings.Cut(line, ":")
		v = strings.TrimSpace(v)
		switch {
		case k == "Model name":
			m.model = v
		case k == "CPU(s)":
			m.cpus = v
		case strings.HasPrefix(line, "bench: round "):
			_, load, ok := strings.Cut(line, "load average ")
			if f := strings.Fields(load); ok && len(f) > 0 {
				if l, err := strconv.ParseFloat(f[0], 64); err == nil {
					m.loads = append(m.loads, l)
				}
			}
		}
	}
	return m, sc.Err()
}

// readFile opens path and hands it to read.
func readFile(path string, read func(io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return read(f)
}

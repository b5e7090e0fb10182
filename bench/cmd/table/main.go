// Command table assembles the output of `make bench` into tables: the
// medians of every configuration's runs (Go's benchmarks on each BLAS
// backend, go test -bench output; PyTorch's, torch_bench.py's CSV) side by
// side for rows (a)-(f), the fastest PyTorch configuration of each row and
// Go's ratio to it; each row's useful GFLOP/s and its fraction of the
// machine's measured peak (the roofline, see flops.go); the products that
// measure that peak; the scaling sweep of rows (b) and (f) over hidden width
// and batch; and torch.compile's warm-up. It prints them and writes them as
// one CSV.
//
// Usage:
//
//	table -machine machine.txt -go gonum=gonum.txt -go openblas=openblas.txt -go openblas=sweep.txt \
//		-gemm openblas=gemm.txt -torch torch.csv [-torch more.csv] [-notes notes.txt] -ref openblas -csv out/bench.csv
//
// -go files hold `go test -bench` output of ./bench (a name given twice
// merges its files); -gemm files that of lib/internal/linalg's product
// benchmarks; -torch files torch_bench.py's CSV, whose lines name their
// PyTorch version, threads and mode. The older torch_bench.py format
// (row,samples_per_s) is read too, as -torch (2 threads) and -torch1
// (1 thread). -notes lines "<column>: <reason>" say why a column is
// missing; a line matches the columns whose title starts with <column>.
//
// Columns in a fixed order, blank with a footnote when not measured: Go on
// gonum, openblas and openblas-threads; Debian's PyTorch 1.x after
// torch.set_num_threads(1) and (2), and compiled (2), whose rows say n/a
// (PyTorch 1.x has no torch.compile); PyTorch 2.x eager (1), (2) and
// compiled (1), (2). PyTorch 1.x from Debian multiplies in OpenBLAS, whose
// own threads serve both settings (set_num_threads sets its OpenMP threads
// only); PyTorch 2.x from PyPI multiplies in MKL and oneDNN on its OpenMP
// threads, so that there (1) is one core and (2) both.
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// rows are the six measurements (a)-(f): the key of torch_bench.py's
// rows, the Go benchmark and a description.
var rows = []struct{ key, bench, what string }{
	{"a_inference", "BenchmarkInference", "(a) inference"},
	{"b_train", "BenchmarkTrainStep", "(b) training step"},
	{"c_fgsm_train", "BenchmarkFGSMTrainStep", "(c) FGSM training step"},
	{"d_pgd10_train", "BenchmarkPGD10TrainStep", "(d) PGD-10 training step"},
	{"e_hard_train", "BenchmarkHardTrainStep", "(e) hard training step (K = 8, PGD-10)"},
	{"f_pgd20_eval", "BenchmarkPGD20Eval", "(f) PGD-20 evaluation"},
}

// The fig6 shapes of the main rows.
const (
	mainWidth = 256
	mainBatch = 128
)

type specs []string

func (s *specs) String() string     { return strings.Join(*s, ",") }
func (s *specs) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	var o options
	flag.Var(&o.goFiles, "go", "backend=file of `go test -bench` output of ./bench (repeatable)")
	flag.Var(&o.gemmFiles, "gemm", "backend=file of `go test -bench` output of lib/internal/linalg's products (repeatable)")
	flag.Var(&o.torchFiles, "torch", "CSV of torch_bench.py (repeatable); an old-format file counts as set_num_threads(2)")
	flag.StringVar(&o.torch1File, "torch1", "", "old-format CSV of torch_bench.py -threads 1")
	flag.StringVar(&o.machineFile, "machine", "", "lscpu's Model name and CPU(s) lines and the rounds' load averages")
	flag.StringVar(&o.notesFile, "notes", "", "lines \"<column>: <reason>\" for columns not measured")
	flag.StringVar(&o.ref, "ref", "openblas", "the Go backend compared with PyTorch")
	flag.StringVar(&o.csvPath, "csv", "out/bench.csv", "where to write the tables as CSV")
	flag.Parse()
	if err := run(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "table:", err)
		os.Exit(1)
	}
}

type options struct {
	goFiles, gemmFiles, torchFiles specs
	torch1File                     string
	machineFile, notesFile         string
	ref, csvPath                   string
}

// config is one column: a Go backend or a PyTorch configuration.
type config struct {
	name  string
	torch bool
	res   results
}

// slot is a column of the main table, present or not.
type slot struct {
	title string                         // the column's title when not measured
	match func(torchConfig, string) bool // (PyTorch configuration, Go backend)
}

func goSlot(backend string) slot {
	return slot{"Go " + backend, func(_ torchConfig, b string) bool { return b == backend }}
}

func torchSlot(title string, major1 bool, mode string, threads int) slot {
	return slot{title, func(t torchConfig, b string) bool {
		return b == "" && (t.major() == 1) == major1 && t.major() != 0 && t.mode == mode && t.threads == threads
	}}
}

var slots = []slot{
	goSlot("gonum"), goSlot("openblas"), goSlot("openblas-threads"),
	torchSlot("PyTorch 1.x (1)", true, "eager", 1), torchSlot("PyTorch 1.x (2)", true, "eager", 2),
	torchSlot("PyTorch 1.x compiled (2)", true, "compile", 2),
	torchSlot("PyTorch 2.x eager (1)", false, "eager", 1), torchSlot("PyTorch 2.x eager (2)", false, "eager", 2),
	torchSlot("PyTorch 2.x compiled (1)", false, "compile", 1), torchSlot("PyTorch 2.x compiled (2)", false, "compile", 2),
}

// column is a slot with its configuration (nil when not measured).
type column struct {
	title string
	cfg   *config
	foot  int // footnote of a missing column
}

// gemmConfig is one configuration of the product benchmarks.
type gemmConfig struct {
	name  string
	gflop map[string][]float64
}

// data is everything read.
type data struct {
	gos    []*config // in -go order, merged by name
	goKeys []string
	torch  torchRun
	torchs []torchConfig // in first-seen order
	gemm   []gemmConfig
	mach   machine
	notes  []string
	// usedNotes are the indices of notes that explained a missing column.
	usedNotes []int
}

func read(o options) (*data, error) {
	d := &data{torch: torchRun{rows: map[torchConfig]results{}, gemms: map[torchConfig]map[string][]float64{}}}
	goGemm := map[string]map[string][]float64{}
	var goGemmNames []string
	for _, spec := range append(slices.Clone(o.goFiles), o.gemmFiles...) {
		backend, file, ok := strings.Cut(spec, "=")
		if !ok {
			return nil, fmt.Errorf("-go or -gemm %q: need backend=file", spec)
		}
		i := slices.Index(d.goKeys, backend)
		if i < 0 {
			d.goKeys = append(d.goKeys, backend)
			d.gos = append(d.gos, &config{name: "Go " + backend, res: results{}})
			i = len(d.gos) - 1
		}
		if goGemm[backend] == nil {
			goGemm[backend] = map[string][]float64{}
			goGemmNames = append(goGemmNames, backend)
		}
		if err := readFile(file, func(r io.Reader) error { return readGo(r, file, d.gos[i].res, goGemm[backend]) }); err != nil {
			return nil, err
		}
	}
	for _, b := range goGemmNames {
		if len(goGemm[b]) > 0 {
			d.gemm = append(d.gemm, gemmConfig{"Go " + b, goGemm[b]})
		}
	}
	addTorch := func(file string, old torchConfig) error {
		return readFile(file, func(r io.Reader) error { return readTorch(r, file, old, &d.torch) })
	}
	for _, f := range o.torchFiles {
		if err := addTorch(f, torchConfig{threads: 2, mode: "eager"}); err != nil {
			return nil, err
		}
	}
	if o.torch1File != "" {
		if err := addTorch(o.torch1File, torchConfig{threads: 1, mode: "eager"}); err != nil {
			return nil, err
		}
	}
	for cfg := range d.torch.rows {
		d.torchs = append(d.torchs, cfg)
	}
	for cfg := range d.torch.gemms {
		if !slices.Contains(d.torchs, cfg) {
			d.torchs = append(d.torchs, cfg)
		}
	}
	slices.SortFunc(d.torchs, func(a, b torchConfig) int {
		return strings.Compare(fmt.Sprintf("%s|%s|%d", a.version, a.mode, a.threads), fmt.Sprintf("%s|%s|%d", b.version, b.mode, b.threads))
	})
	for _, cfg := range d.torchs {
		if g := d.torch.gemms[cfg]; len(g) > 0 {
			d.gemm = append(d.gemm, gemmConfig{cfg.name(), g})
		}
	}
	if o.machineFile != "" {
		if err := readFile(o.machineFile, func(r io.Reader) (err error) { d.mach, err = readMachine(r); return err }); err != nil {
			return nil, err
		}
	}
	if o.notesFile != "" {
		b, err := os.ReadFile(o.notesFile)
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				d.notes = append(d.notes, l)
			}
		}
	}
	if len(d.gos) == 0 && len(d.torchs) == 0 {
		return nil, fmt.Errorf("no results: give -go or -torch files")
	}
	return d, nil
}

// footnotes numbers distinct texts in order of first use.
type footnotes []string

func (f *footnotes) add(s string) int {
	if i := slices.Index(*f, s); i >= 0 {
		return i + 1
	}
	*f = append(*f, s)
	return len(*f)
}

func mark(i int) string { return fmt.Sprintf("[%d]", i) }

// columns lays the configurations out on the main table's slots; the
// configurations of no slot follow.
func (d *data) columns(fn *footnotes) []column {
	var cols []column
	used := map[*config]bool{}
	torchCfg := map[torchConfig]*config{}
	for _, t := range d.torchs {
		if rs := d.torch.rows[t]; rs != nil {
			torchCfg[t] = &config{name: t.name(), torch: true, res: rs}
		}
	}
	for _, s := range slots {
		col := column{title: s.title}
		for i, g := range d.gos {
			if s.match(torchConfig{}, d.goKeys[i]) && !used[g] {
				col.cfg = g
			}
		}
		for _, t := range d.torchs {
			if c := torchCfg[t]; c != nil && !used[c] && col.cfg == nil && s.match(t, "") {
				col.cfg = c
			}
		}
		if col.cfg != nil {
			used[col.cfg] = true
			col.title = col.cfg.name
		} else {
			col.foot = fn.add(d.missing(s.title))
		}
		cols = append(cols, col)
	}
	for _, g := range d.gos {
		if !used[g] {
			cols = append(cols, column{title: g.name, cfg: g})
		}
	}
	for _, t := range d.torchs {
		if c := torchCfg[t]; c != nil && !used[c] {
			cols = append(cols, column{title: c.name, cfg: c})
		}
	}
	return cols
}

// missing returns the footnote of the missing column title: the reason of
// the first -notes line whose column is a prefix of title (the same
// footnote for every column it explains), or that it was not measured.
func (d *data) missing(title string) string {
	for i, n := range d.notes {
		if col, reason, ok := strings.Cut(n, ": "); ok && strings.HasPrefix(title, col) {
			d.usedNotes = append(d.usedNotes, i)
			return col + ": not measured in this run: " + reason
		}
	}
	return title + ": not measured in this run"
}

// rate returns the median samples/s of c in cfg, false if none.
func rate(cfg *config, c cell) (float64, bool) {
	if cfg == nil {
		return 0, false
	}
	r := cfg.res[c]
	if r == nil || len(r.rate) == 0 {
		return 0, false
	}
	return median(r.rate), true
}

// versus is a cell's fastest PyTorch configuration, nil if none ran it.
type versus struct {
	best *config
	rate float64 // its median samples/s
}

// compare returns the PyTorch configuration of cfgs with the highest median
// on c.
func compare(cfgs []*config, c cell) versus {
	var vs versus
	for _, cfg := range cfgs {
		if r, has := rate(cfg, c); cfg.torch && has && r > vs.rate {
			vs = versus{cfg, r}
		}
	}
	return vs
}

// name is the fastest configuration's name without "PyTorch ", or "".
func (vs versus) name() string {
	if vs.best == nil {
		return ""
	}
	return strings.TrimPrefix(vs.best.name, "PyTorch ")
}

// ratio is the table's cfg / fastest on c, as 1.50×, or "".
func (vs versus) ratio(cfg *config, c cell) string {
	v, has := rate(cfg, c)
	if vs.best == nil || !has {
		return ""
	}
	return strconv.FormatFloat(v/vs.rate, 'f', 2, 64) + "×"
}

// csv returns the CSV's comparison columns of a Go configuration on c.
func (vs versus) csv(cfg *config, c cell) map[string]string {
	v, has := rate(cfg, c)
	if cfg.torch || vs.best == nil || !has {
		return nil
	}
	return map[string]string{"fastest_pytorch": vs.best.name,
		"ratio_vs_fastest_pytorch": strconv.FormatFloat(v/vs.rate, 'f', 3, 64)}
}

// peak is the largest median GFLOP/s of the product benchmarks.
type peak struct {
	gflops float64
	config string
	gemm   gemm
}

func (d *data) peak() (peak, bool) {
	var p peak
	for _, gc := range d.gemm {
		for _, g := range gemms {
			if v := gc.gflop[g.name]; len(v) > 0 && median(v) > p.gflops {
				p = peak{median(v), gc.name, g}
			}
		}
	}
	return p, p.gflops > 0
}

func (p peak) String() string {
	return fmt.Sprintf("%.1f GFLOP/s, %s on %s (%s)", p.gflops, p.config, p.gemm.name, p.gemm.label())
}

// gflops returns the useful GFLOP/s of rate samples/s on row at width w.
func gflops(row string, w int, rate float64) float64 {
	f, err := flopsPerSample(row, w)
	if err != nil {
		return 0
	}
	return f * rate / 1e9
}

func run(stdout io.Writer, o options) error {
	d, err := read(o)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	write(stdout, cw, d, o.ref)
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(o.csvPath), 0o755); err != nil {
		return err
	}
	// A temporary file renamed into place: an interrupted run leaves the
	// previous table, not half of a new one.
	tmp := o.csvPath + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, o.csvPath); err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Fprintf(stdout, "CSV written to %s\n", o.csvPath)
	return nil
}

// csvHeader is the CSV's one header: every line is one measured cell (or a
// derived one) of a section: main, sweep, gemm or peak.
var csvHeader = []string{"machine", "section", "row", "width", "batch", "config", "samples_per_s", "runs",
	"allocs_per_op", "warmup_first_s", "warmup_median_later_s", "flops_per_sample", "gflops", "peak_fraction",
	"fastest_pytorch", "ratio_vs_fastest_pytorch", "note"}

// write prints the tables to w and their lines to cw.
func write(w io.Writer, cw *csv.Writer, d *data, ref string) {
	var fn footnotes
	cols := d.columns(&fn)
	var cfgs []*config
	for _, c := range cols {
		if c.cfg != nil {
			cfgs = append(cfgs, c.cfg)
		}
	}
	refCfg := findConfig(cfgs, "Go "+ref)
	pk, hasPeak := d.peak()
	frac := func(g float64) string {
		if !hasPeak {
			return ""
		}
		return strconv.FormatFloat(g/pk.gflops, 'f', 3, 64)
	}
	mach := d.mach.model
	if d.mach.cpus != "" {
		mach += ", " + d.mach.cpus + " CPUs"
	}

	cw.Write(csvHeader)
	line := func(section string, c cell, cfg *config, gemmName string, extra map[string]string) {
		if gemmName == "" && cfg.res[c] == nil && extra["note"] == "" {
			return // not measured
		}
		rec := make([]string, len(csvHeader))
		rec[0], rec[1], rec[5] = mach, section, cfg.name
		if gemmName != "" {
			rec[2] = gemmName
		} else {
			rec[2], rec[3], rec[4] = c.row, strconv.Itoa(c.width), strconv.Itoa(c.n)
			if f, err := flopsPerSample(c.row, c.width); err == nil {
				rec[11] = strconv.FormatFloat(f, 'f', 0, 64)
			}
			if r := cfg.res[c]; r != nil {
				if len(r.rate) > 0 {
					v := median(r.rate)
					rec[6] = strconv.FormatFloat(v, 'f', 0, 64)
					rec[7] = strconv.Itoa(len(r.rate))
					g := gflops(c.row, c.width, v)
					rec[12], rec[13] = strconv.FormatFloat(g, 'f', 2, 64), frac(g)
				}
				if len(r.allocs) > 0 {
					rec[8] = strconv.FormatFloat(median(r.allocs), 'f', -1, 64)
				}
				if len(r.warm) > 0 {
					rec[9] = strconv.FormatFloat(r.warm[0], 'f', 2, 64)
					if len(r.warm) > 1 {
						rec[10] = strconv.FormatFloat(median(r.warm[1:]), 'f', 2, 64)
					}
				}
				rec[16] = r.note
			}
		}
		for k, v := range extra {
			rec[slices.Index(csvHeader, k)] = v
		}
		cw.Write(rec)
	}

	// The main table.
	fmt.Fprintf(w, "make bench: samples/s, medians of each configuration's runs taken in turn (%s)\n", plural(len(d.mach.loads), "round"))
	fmt.Fprintf(w, "machine: %s; %s %s/%s", mach, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if len(d.mach.loads) > 0 {
		fmt.Fprintf(w, "; 1-min load average at each round's start: %s", joinFloats(d.mach.loads, 2))
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"row"}
	for _, c := range cols {
		t := c.title
		if c.foot > 0 {
			t += mark(c.foot)
		}
		head = append(head, t)
	}
	head = append(head, "fastest PyTorch", "Go "+ref+" / fastest")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, r := range rows {
		c := mainCell(r.key)
		cells := []string{r.what}
		for _, col := range cols {
			cells = append(cells, cellText(col.cfg, c, &fn))
		}
		vs := compare(cfgs, c)
		cells = append(cells, vs.name(), vs.ratio(refCfg, c))
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		for _, cfg := range cfgs {
			line("main", c, cfg, "", vs.csv(cfg, c))
		}
		for _, col := range cols {
			if col.cfg == nil {
				line("main", c, &config{name: col.title}, "", map[string]string{"note": fn[col.foot-1]})
			}
		}
	}
	tw.Flush()
	allocs := goAllocs(cfgs)
	if allocs != "" {
		fmt.Fprintf(w, "Go allocations per step (median): %s\n", allocs)
	}
	printNotes(w, fn)

	// The roofline.
	fmt.Fprintln(w)
	if hasPeak {
		fmt.Fprintf(w, "Roofline: useful GFLOP/s of each row (the products' flops per sample, bench/cmd/table/flops.go, times samples/s) and their fraction of the peak, the fastest product measured in this run: %s\n\n", pk)
	} else {
		fmt.Fprint(w, "Roofline: useful GFLOP/s of each row (bench/cmd/table/flops.go); no product was measured, so no peak\n\n")
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "row\tMFLOP/sample\tGo %s GFLOP/s\tof peak\tfastest PyTorch\tGFLOP/s\tof peak\t\n", ref)
	for _, r := range rows {
		c := mainCell(r.key)
		f, _ := flopsPerSample(r.key, mainWidth)
		cells := []string{r.what, strconv.FormatFloat(f/1e6, 'f', 3, 64)}
		cells = append(cells, rooflineCells(refCfg, c, pk.gflops)...)
		vs := compare(cfgs, c)
		cells = append(cells, vs.name())
		cells = append(cells, rooflineCells(vs.best, c, pk.gflops)...)
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()

	// The products.
	if len(d.gemm) > 0 {
		runs := 0
		for _, gc := range d.gemm {
			for _, v := range gc.gflop {
				runs = max(runs, len(v))
			}
		}
		fmt.Fprintf(w, "\nProducts C = op(A)·op(B) of a training step at batch 128, and a large square: GFLOP/s (2·m·n·k flops), medians of %s\n\n", plural(runs, "run"))
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := []string{"product", "m×k·k×n"}
		for _, gc := range d.gemm {
			head = append(head, gc.name)
		}
		fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
		for _, g := range gemms {
			cells := []string{g.name, g.label()}
			for _, gc := range d.gemm {
				v := gc.gflop[g.name]
				if len(v) == 0 {
					cells = append(cells, "")
					continue
				}
				m := median(v)
				cells = append(cells, strconv.FormatFloat(m, 'f', 1, 64))
				cw.Write(gemmRecord(mach, "gemm", g.name, gc.name, m, len(v), frac(m)))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		}
		tw.Flush()
		if hasPeak {
			cw.Write(gemmRecord(mach, "peak", pk.gemm.name, pk.config, pk.gflops, len(d.gemmRuns(pk)), "1.000"))
		}
	}

	writeBounds(w, cw, mach, d, cfgs)
	writeSweep(w, cfgs, refCfg, ref, pk.gflops, line)
	writeWarmup(w, cfgs)
	var other []string
	for i, n := range d.notes {
		if !slices.Contains(d.usedNotes, i) {
			other = append(other, n)
		}
	}
	if len(other) > 0 {
		fmt.Fprintf(w, "\nNotes:\n%s\n", strings.Join(other, "\n"))
	}
}

// gemmRuns returns the runs behind the peak.
func (d *data) gemmRuns(p peak) []float64 {
	for _, gc := range d.gemm {
		if gc.name == p.config {
			return gc.gflop[p.gemm.name]
		}
	}
	return nil
}

func gemmRecord(mach, section, name, config string, gflops float64, runs int, frac string) []string {
	rec := make([]string, len(csvHeader))
	rec[0], rec[1], rec[2], rec[5] = mach, section, name, config
	rec[7], rec[12], rec[13] = strconv.Itoa(runs), strconv.FormatFloat(gflops, 'f', 2, 64), frac
	if section == "peak" {
		rec[16] = "the largest median GFLOP/s of the gemm section"
	}
	return rec
}

// writeSweep prints the scaling sweep: rows (b) and (f) at every width and
// batch measured, Go's reference backend against the PyTorch configurations
// that ran the sweep.
func writeSweep(w io.Writer, cfgs []*config, refCfg *config, ref string, pk float64, line func(string, cell, *config, string, map[string]string)) {
	widths, batches := map[int]bool{}, map[int]bool{}
	var sweepers []*config
	for _, cfg := range cfgs {
		swept := false
		for c, r := range cfg.res {
			if (c.width != mainWidth || c.n != mainBatch) && len(r.rate) > 0 {
				widths[c.width], batches[c.n], swept = true, true, true
			}
		}
		if swept && cfg.torch {
			sweepers = append(sweepers, cfg)
		}
	}
	if len(widths) == 0 {
		return
	}
	widths[mainWidth], batches[mainBatch] = true, true
	ws, bs := sortedKeys(widths), sortedKeys(batches)
	var names []string
	for _, s := range sweepers {
		names = append(names, s.name)
	}
	runs := 0
	for _, cfg := range cfgs {
		for c, r := range cfg.res {
			if c.width != mainWidth || c.n != mainBatch {
				runs = max(runs, len(r.rate))
			}
		}
	}
	fmt.Fprintf(w, "\nScaling sweep: rows (b) and (f) at hidden width w (784→w→w→10) and batch b, samples/s, medians of %s; Go %s against the PyTorch configurations that ran the sweep (%s); the %d×%d cells are the main table's\n\n",
		plural(runs, "run"), ref, strings.Join(names, ", "), mainWidth, mainBatch)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"row", "w", "b", "MFLOP/sample", "Go " + ref, "GFLOP/s", "of peak"}
	head = append(head, names...)
	head = append(head, "fastest PyTorch", "GFLOP/s", "of peak", "Go / fastest")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	var fn footnotes
	for _, key := range []string{"b_train", "f_pgd20_eval"} {
		what := ""
		for _, r := range rows {
			if r.key == key {
				what = r.what
			}
		}
		for _, wd := range ws {
			for _, b := range bs {
				c := cell{key, wd, b}
				f, _ := flopsPerSample(key, wd)
				cells := []string{what, strconv.Itoa(wd), strconv.Itoa(b), strconv.FormatFloat(f/1e6, 'f', 2, 64), cellText(refCfg, c, &fn)}
				cells = append(cells, rooflineCells(refCfg, c, pk)...)
				for _, s := range sweepers {
					cells = append(cells, cellText(s, c, &fn))
				}
				vs := compare(sweepers, c)
				cells = append(cells, vs.name())
				cells = append(cells, rooflineCells(vs.best, c, pk)...)
				cells = append(cells, vs.ratio(refCfg, c))
				fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
				if c.width == mainWidth && c.n == mainBatch {
					continue // in the main section already
				}
				for _, cfg := range append([]*config{refCfg}, sweepers...) {
					if cfg != nil {
						line("sweep", c, cfg, "", vs.csv(cfg, c))
					}
				}
			}
		}
	}
	tw.Flush()
	printNotes(w, fn)
}

// writeWarmup prints the warm-up before timing of the compiled
// configurations (its first run, and the median of later runs, which find
// inductor's cache on disk).
func writeWarmup(w io.Writer, cfgs []*config) {
	var compiled []*config
	for _, cfg := range cfgs {
		warmed := false
		for _, r := range cfg.res {
			warmed = warmed || len(r.warm) > 0
		}
		if warmed && strings.Contains(cfg.name, " compiled ") {
			compiled = append(compiled, cfg)
		}
	}
	if len(compiled) == 0 {
		return
	}
	fmt.Fprint(w, "\ntorch.compile warm-up, excluded from the timing: seconds of the 3 untimed calls of each row, first run / median of later runs (inductor's cache kept between runs in .cache/torchinductor; rows share the graphs of earlier rows)\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"row"}
	for _, c := range compiled {
		head = append(head, c.name)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, r := range rows {
		cells := []string{r.what}
		for _, cfg := range compiled {
			cells = append(cells, warmText(cfg.res[mainCell(r.key)]))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	// The sweep's warm-ups, summed per run.
	cells := []string{"sweep, all cells (1 call each)"}
	swept := false
	for _, cfg := range compiled {
		var sums []float64
		for c, r := range cfg.res {
			if c.width == mainWidth && c.n == mainBatch {
				continue
			}
			for i, v := range r.warm {
				for len(sums) <= i {
					sums = append(sums, 0)
				}
				sums[i] += v
			}
		}
		if len(sums) > 0 {
			swept = true
		}
		cells = append(cells, warmText(&result{warm: sums}))
	}
	if swept {
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
}

func warmText(r *result) string {
	if r == nil || len(r.warm) == 0 {
		return ""
	}
	s := strconv.FormatFloat(r.warm[0], 'f', 1, 64)
	if len(r.warm) > 1 {
		s += " / " + strconv.FormatFloat(median(r.warm[1:]), 'f', 1, 64)
	}
	return s
}

// cellText is a table cell: the median samples/s, n/a with a footnote, or
// blank.
func cellText(cfg *config, c cell, fn *footnotes) string {
	if v, ok := rate(cfg, c); ok {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	if cfg != nil && cfg.res[c] != nil && cfg.res[c].note != "" {
		return "n/a" + mark(fn.add(cfg.name+": "+strings.TrimPrefix(cfg.res[c].note, "n/a: ")))
	}
	return ""
}

// rooflineCells are the GFLOP/s of cfg on c and their fraction of pk.
func rooflineCells(cfg *config, c cell, pk float64) []string {
	v, ok := rate(cfg, c)
	if !ok {
		return []string{"", ""}
	}
	g := gflops(c.row, c.width, v)
	pct := ""
	if pk > 0 {
		pct = strconv.FormatFloat(100*g/pk, 'f', 0, 64) + "%"
	}
	return []string{strconv.FormatFloat(g, 'f', 1, 64), pct}
}

// goAllocs summarises the Go backends' allocations per step: "0 on every
// row" or the rows that allocate.
func goAllocs(cfgs []*config) string {
	var some []string
	seen := false
	for _, cfg := range cfgs {
		if cfg.torch {
			continue
		}
		for _, r := range rows {
			res := cfg.res[mainCell(r.key)]
			if res == nil || len(res.allocs) == 0 {
				continue
			}
			seen = true
			if a := median(res.allocs); a != 0 {
				some = append(some, fmt.Sprintf("%s %s %g", cfg.name, r.key, a))
			}
		}
	}
	switch {
	case !seen:
		return ""
	case len(some) == 0:
		return "0 on every row"
	}
	return strings.Join(some, ", ")
}

func printNotes(w io.Writer, fn footnotes) {
	for i, n := range fn {
		fmt.Fprintf(w, "%s %s\n", mark(i+1), n)
	}
}

func findConfig(cfgs []*config, name string) *config {
	for _, c := range cfgs {
		if c.name == name {
			return c
		}
	}
	return nil
}

func sortedKeys(m map[int]bool) []int {
	var k []int
	for v := range m {
		k = append(k, v)
	}
	slices.Sort(k)
	return k
}

// plural writes n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func joinFloats(x []float64, prec int) string {
	s := make([]string, len(x))
	for i, v := range x {
		s[i] = strconv.FormatFloat(v, 'f', prec, 64)
	}
	return strings.Join(s, " ")
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

// Command nbrun executes pointwise's notebooks headless through the GoNB
// kernel under Jupyter's nbclient, and checks what they produced.
//
// A notebook runs once, or once per entry of its metadata's pointwise.runs
// (Figure 6: one notebook, one run per data set); -notebooks is a glob of
// notebook or run names. For each run it writes the notebook with its
// overrides injected, papermill's way: a code cell tagged
// injected-parameters right after the cell tagged parameters, redefining the
// names it overrides (GoNB keeps the later definition of a name), so that the
// executed notebook records what ran. The overrides are, in order: the run's
// parameters, Mode ("quick" under -quick or POINTWISE_QUICK, else "full"),
// Seeds from POINTWISE_SEEDS, and each -p NAME=VALUE; one that sets a name
// to the parameters cell's own value is left out, and with none left the
// notebook runs as it is. Then it executes the notebook with nbclient, as
//
//	python -m nbconvert --to notebook --execute --allow-errors
//
// would, without nbconvert's imports (execute.py), with POINTWISE_OUT
// pointing at <out>/figures (<out>/quick/figures in quick mode, so quick
// figures never mix with full ones), writes the executed copy
// to <out>/notebooks (and, after all runs, their HTML renderings, from one
// nbconvert process), and fails, naming the notebook
// and the cell, when any cell left an error output. Each figure id of a run
// must have left a non-empty PNG, SVG and CSV in the figures folder during
// the run. A run whose data set (pointwise.data) cannot be found is skipped
// with the reason and what to do, and counts as failed; the others run.
//
// With -jobs N (default 2, the cores of our machines) up to N notebooks run
// at once: a notebook's own work keeps about one and a half cores busy (its
// serial parts and GoNB's compilation leave the rest idle), so two side by
// side finish sooner. A run that reads what others compute lists them in its
// metadata, {"pointwise": {"after": ["fig6a-mnist"]}}, and starts only when
// those of this run have finished, so that no two notebooks train the same
// cached network at once.
//
// -needs prints the data sets the selected runs read, one per line, and
// exits: the Makefile gets those before running.
//
// The Makefile calls nbrun after it has built the kernel's tools and
// installed the kernel spec into a project-local Jupyter data folder; nbrun
// only reads the environment it is given.
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"pointwise/internal/nbformat"
	"pointwise/lib/adversarial"
	"pointwise/lib/dataset"
	"pointwise/lib/figure"
)

// KernelName is the project's GoNB kernel, which every notebook names.
const KernelName = "gonb-pointwise"

// params collects repeated -p NAME=VALUE flags.
type params []string

func (p *params) String() string     { return strings.Join(*p, " ") }
func (p *params) Set(v string) error { *p = append(*p, v); return nil }

func main() {
	var (
		pattern = flag.String("notebooks", "*", "glob of notebook or run names (without .ipynb) under -dir")
		dir     = flag.String("dir", "notebooks", "folder of the notebooks")
		out     = flag.String("out", "out", "output folder: figures go to <out>/figures, executed notebooks to <out>/notebooks (<out>/quick/... in quick mode)")
		quick   = flag.Bool("quick", figure.IsQuick(), "run every notebook in quick mode (Mode = \"quick\"); defaults to $POINTWISE_QUICK")
		python  = flag.String("python", "python3", "the Python interpreter that has nbclient and nbconvert (make uses .cache/venv)")
		timeout = flag.Int("timeout", 0, "seconds a single cell may run; 0 means 600 in quick mode and 14400 otherwise")
		html    = flag.Bool("html", true, "also render each executed notebook as HTML")
		jobs    = flag.Int("jobs", 2, "notebooks run at once, 1 to 16; a notebook waits for those its metadata lists under pointwise.after")
		needs   = flag.Bool("needs", false, "print the data sets the selected notebooks read, one per line, and exit")
		over    params
	)
	flag.Var(&over, "p", "NAME=VALUE: override a setting of the notebooks' parameters cells (repeatable), e.g. -p Seeds=3")
	flag.Parse()
	if *jobs < 1 || *jobs > 16 {
		fmt.Fprintf(os.Stderr, "nbrun: -jobs %d out of range: need 1 to 16\n", *jobs)
		os.Exit(2)
	}
	// -p Mode=quick is quick mode too: its figures go under <out>/quick.
	for _, f := range over {
		if name, v, _ := strings.Cut(f, "="); name == "Mode" {
			*quick = strings.Trim(v, `"`) == figure.Quick
		}
	}
	runs, err := selectRuns(*dir, *pattern)
	if err == nil && *needs {
		for _, d := range dataOf(runs) {
			fmt.Println(d)
		}
		return
	}
	if err == nil {
		err = run(runs, *out, *python, *quick, *timeout, *html, *jobs, over)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "nbrun:", err)
		os.Exit(1)
	}
}

// selectRuns returns the runs of the notebooks in dir whose notebook or run
// name matches pattern.
func selectRuns(dir, pattern string) ([]nbformat.Run, error) {
	pattern = strings.TrimSuffix(pattern, ".ipynb")
	if _, err := filepath.Match(pattern, ""); err != nil {
		return nil, fmt.Errorf("bad NOTEBOOKS pattern %q: %v", pattern, err)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	if err != nil {
		return nil, err
	}
	var runs []nbformat.Run
	var names []string
	for _, p := range paths {
		base := strings.TrimSuffix(filepath.Base(p), ".ipynb")
		rs, err := nbformat.Runs(p)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			names = append(names, r.Name)
			nb, _ := filepath.Match(pattern, base)
			if ok, _ := filepath.Match(pattern, r.Name); ok || nb {
				runs = append(runs, r)
			}
		}
	}
	if len(runs) == 0 {
		return nil, fmt.Errorf("no notebook or run in %s matches NOTEBOOKS=%q: the names are %s", dir, pattern, strings.Join(names, ", "))
	}
	return runs, nil
}

// dataOf returns the data sets the runs read, sorted, each once.
func dataOf(runs []nbformat.Run) []string {
	var ds []string
	for _, r := range runs {
		ds = append(ds, r.Data...)
	}
	slices.Sort(ds)
	return slices.Compact(ds)
}

// findData returns nil when the data set is where the library looks for it,
// or the library's error, which says where it looked and what to do.
func findData(name string) error {
	var err error
	switch name {
	case "mnist":
		_, err = dataset.MNISTDir()
	case "fashion-mnist":
		_, err = dataset.FashionMNISTDir()
	default:
		err = fmt.Errorf("unknown data set %q in the notebook's metadata pointwise.data: need mnist or fashion-mnist", name)
	}
	return err
}

func run(runs []nbformat.Run, out, python string, quick bool, timeout int, html bool, jobs int, over params) error {
	if timeout <= 0 {
		timeout = 14400
		if quick {
			timeout = 600
		}
	}
	out, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	mode := figure.Full
	if quick {
		mode = figure.Quick
		out = filepath.Join(out, "quick")
	}
	figDir, nbDir := filepath.Join(out, "figures"), filepath.Join(out, "notebooks")
	for _, d := range []string{figDir, nbDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	names := make([]string, len(runs))
	after := make([][]string, len(runs))
	for i, r := range runs {
		names[i], after[i] = r.Name, r.After
	}
	var mu sync.Mutex
	var failed, skipped, executed []string
	schedule(names, after, jobs, func(i int) {
		start := time.Now()
		r := runs[i]
		for _, d := range r.Data {
			if err := findData(d); err != nil {
				mu.Lock()
				fmt.Printf("nbrun: SKIP %s: %v\n", r.Name, err)
				skipped = append(skipped, r.Name)
				mu.Unlock()
				return
			}
		}
		mu.Lock()
		fmt.Printf("nbrun: %s (%s mode) ...\n", r.Name, mode)
		mu.Unlock()
		ok, err := runOne(r, figDir, nbDir, python, mode, timeout, over, start)
		mu.Lock()
		defer mu.Unlock()
		if ok {
			executed = append(executed, r.Name)
		}
		if err != nil {
			fmt.Printf("nbrun: FAIL %s after %.1fs\n%v\n", r.Name, time.Since(start).Seconds(), err)
			failed = append(failed, r.Name)
			return
		}
		fmt.Printf("nbrun: ok %s in %.1fs\n", r.Name, time.Since(start).Seconds())
	})
	slices.Sort(failed)
	slices.Sort(skipped)
	fmt.Printf("nbrun: %d passed, %d failed\n", len(runs)-len(failed)-len(skipped), len(failed)+len(skipped))
	var why []string
	if html {
		if err := exportHTML(python, nbDir, runs, executed); err != nil {
			why = append(why, err.Error())
		}
	}
	if len(failed) > 0 {
		why = append(why, fmt.Sprintf("%d of %d notebooks failed: %s", len(failed), len(runs), strings.Join(failed, ", ")))
	}
	if len(skipped) > 0 {
		why = append(why, fmt.Sprintf("%d skipped for want of their data (see SKIP above; make data gets it): %s", len(skipped), strings.Join(skipped, ", ")))
	}
	if len(why) > 0 {
		return errors.New(strings.Join(why, "; "))
	}
	return nil
}

// schedule calls run(i) for every notebook i, at most jobs at a time, each
// after the notebooks named in its after list that are part of this run
// (names) have returned; a free slot takes the first notebook, in the order
// given, that is ready. A name in after that is not in names is ignored: the
// notebook then uses, or computes itself, what that one would have cached.
// A cycle cannot hang the run: when nothing runs and nothing is ready, the
// first waiting notebook starts regardless.
func schedule(names []string, after [][]string, jobs int, run func(i int)) {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	started, finished := make([]bool, len(names)), make([]bool, len(names))
	running := 0
	ready := func(i int) bool {
		for _, a := range after[i] {
			if j := slices.Index(names, a); j >= 0 && j != i && !finished[j] {
				return false
			}
		}
		return true
	}
	// pick returns the next notebook to run, or -1 when all have started.
	pick := func() int {
		for {
			first := -1
			for i := range names {
				if started[i] {
					continue
				}
				if first < 0 {
					first = i
				}
				if ready(i) {
					return i
				}
			}
			if first < 0 {
				return -1
			}
			if running == 0 {
				return first
			}
			cond.Wait()
		}
	}
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			for {
				i := pick()
				if i < 0 {
					return
				}
				started[i] = true
				running++
				mu.Unlock()
				run(i)
				mu.Lock()
				finished[i] = true
				running--
				cond.Broadcast()
			}
		}()
	}
	wg.Wait()
}

// notebook is the part of nbformat 4 that nbrun reads.
type notebook struct {
	Metadata struct {
		Kernelspec struct {
			Name string `json:"name"`
		} `json:"kernelspec"`
		Pointwise struct {
			Figures []string `json:"figures"`
			After   []string `json:"after"`
		} `json:"pointwise"`
	} `json:"metadata"`
	Cells []struct {
		CellType string          `json:"cell_type"`
		Source   json.RawMessage `json:"source"`
		Metadata struct {
			Tags []string `json:"tags"`
		} `json:"metadata"`
		Outputs []struct {
			OutputType string          `json:"output_type"`
			Ename      string          `json:"ename"`
			Evalue     string          `json:"evalue"`
			Traceback  []string        `json:"traceback"`
			Name       string          `json:"name"`
			Text       json.RawMessage `json:"text"`
		} `json:"outputs"`
	} `json:"cells"`
}

func readNotebook(path string) (*notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s is not a valid notebook (JSON: %v)", path, err)
	}
	return &nb, nil
}

// executePy executes a notebook with nbclient (arguments: input, output,
// kernel, timeout, the kernel's folder).
//
//go:embed execute.py
var executePy string

// runOne executes notebook r; executed reports whether nbclient wrote the
// executed notebook, errors in its cells or not.
func runOne(r nbformat.Run, figDir, nbDir, python, mode string, timeout int, over params, start time.Time) (executed bool, err error) {
	src, err := readNotebook(r.Path)
	if err != nil {
		return false, err
	}
	if k := src.Metadata.Kernelspec.Name; k != KernelName {
		return false, fmt.Errorf("%s: kernelspec is %q, want %q (the project's kernel, installed by make kernel)", r.Path, k, KernelName)
	}
	overrides, err := overridesOf(r, mode, over)
	if err != nil {
		return false, err
	}
	input, err := inject(r.Path, overrides, nbDir, r.Name)
	if err != nil {
		return false, err
	}
	if input != r.Path {
		defer os.Remove(input)
	}
	out := filepath.Join(nbDir, r.Name+".ipynb")
	logPath := filepath.Join(nbDir, r.Name+".log")
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	// The kernel starts in the notebook's own folder, as in JupyterLab; a
	// relative -python is the caller's, not that folder's.
	cwd := abs(filepath.Dir(r.Path))
	if strings.ContainsRune(python, filepath.Separator) {
		python = abs(python)
	}
	cmd := exec.Command(python, "-c", executePy, abs(input), abs(out), KernelName, strconv.Itoa(timeout), cwd)
	// The overrides are in the notebook now: the environment variables that
	// would also select them are not passed on, so the executed notebook
	// alone says what ran.
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, figure.QuickEnv+"=") && !strings.HasPrefix(e, adversarial.SeedsEnv+"=") && !strings.HasPrefix(e, figure.OutEnv+"=") {
			env = append(env, e)
		}
	}
	cmd.Env = append(env, figure.OutEnv+"="+figDir)
	cmd.Dir = cwd
	var logBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logBuf, &logBuf
	runErr := cmd.Run()
	os.WriteFile(logPath, logBuf.Bytes(), 0o644)
	if runErr != nil && strings.Contains(logBuf.String(), "NoSuchKernel") {
		return false, fmt.Errorf("%s: Jupyter finds no kernel named %s: run notebooks through make figures or make test, which install it into .cache/jupyter and set JUPYTER_PATH", r.Path, KernelName)
	}
	if runErr != nil {
		return false, fmt.Errorf("%s: executing it failed (%v); last lines of %s:\n%s", r.Path, runErr, logPath, tail(logBuf.String(), 15))
	}
	nb, err := readNotebook(out)
	if err != nil {
		return false, err
	}
	problems := cellErrors(nb, r.Name)
	problems = append(problems, missingFigures(r.Figures, figDir, r.Name, start)...)
	if len(problems) > 0 {
		return true, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return true, nil
}

// exportHTML renders the notebooks of runs that nbconvert executed in this
// run (named in executed) as HTML pages beside them, all in one nbconvert process: its imports take
// longer than rendering a notebook, so one process per notebook cost every
// run about two seconds. A notebook that failed is rendered too, with its
// errors. Pages load require.js and MathJax from the gallery's assets folder
// (cmd/gallery copies them there), never from the network.
func exportHTML(python, nbDir string, runs []nbformat.Run, executed []string) error {
	args := []string{"-m", "nbconvert", "--to", "html", "--output-dir", nbDir,
		"--HTMLExporter.require_js_url=../assets/require.min.js",
		"--HTMLExporter.mathjax_url=../assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"}
	n := 0
	for _, r := range runs {
		if slices.Contains(executed, r.Name) {
			args = append(args, filepath.Join(nbDir, r.Name+".ipynb"))
			n++
		}
	}
	if n == 0 {
		return nil
	}
	start := time.Now()
	if b, err := exec.Command(python, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("HTML export of the executed notebooks failed: %v\n%s", err, tail(string(b), 5))
	}
	fmt.Printf("nbrun: HTML pages of %d notebooks in %.1fs\n", n, time.Since(start).Seconds())
	return nil
}

// cellErrors lists, in words, every code cell of an executed notebook that
// left an error output, naming the cell and quoting the end of its error.
// Cells tagged raises-exception may fail.
func cellErrors(nb *notebook, path string) []string {
	var problems []string
	codeCell := 0
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		codeCell++
		var stderr, errs []string
		for _, o := range c.Outputs {
			switch {
			case o.OutputType == "error":
				errs = append(errs, o.Ename+": "+o.Evalue+"\n"+strings.Join(o.Traceback, "\n"))
			case o.OutputType == "stream" && o.Name == "stderr":
				stderr = append(stderr, nbformat.Text(o.Text))
			}
		}
		if len(errs) == 0 || slices.Contains(c.Metadata.Tags, "raises-exception") {
			continue
		}
		text := strings.Join(append(stderr, errs...), "\n")
		problems = append(problems, fmt.Sprintf("%s: cell %d (code cell %d) failed:\n  source: %s\n  %s",
			path, i, codeCell, firstLine(nbformat.Text(c.Source)), strings.ReplaceAll(strings.TrimSpace(tail(text, 25)), "\n", "\n  ")))
	}
	return problems
}

// missingFigures lists the figure files of ids that the run did not write
// into figDir (missing, empty, or older than start).
func missingFigures(ids []string, figDir, path string, start time.Time) []string {
	var problems []string
	for _, id := range ids {
		for _, ext := range []string{".png", ".svg", ".csv"} {
			f := filepath.Join(figDir, id+ext)
			st, err := os.Stat(f)
			switch {
			case err != nil:
				problems = append(problems, fmt.Sprintf("%s: expected figure file %s was not written", path, f))
			case st.Size() == 0:
				problems = append(problems, fmt.Sprintf("%s: figure file %s is empty", path, f))
			case st.ModTime().Before(start):
				problems = append(problems, fmt.Sprintf("%s: figure file %s is older than this run: the notebook did not write it", path, f))
			}
		}
	}
	return problems
}

// firstLine returns the first line of a cell that says what it does,
// skipping GoNB's special commands and blank lines.
func firstLine(s string) string {
	lines := strings.Split(s, "\n")
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "%") && t != "import (" && t != ")" {
			if len(lines) > 1 {
				return t + " ..."
			}
			return t
		}
	}
	return strings.TrimSpace(s)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Command nbrun executes pointwise's notebooks headless through the GoNB
// kernel under Jupyter's nbconvert, and checks what they produced.
//
// For each notebook matching -notebooks it runs
//
//	python3 -m nbconvert --to notebook --execute --allow-errors
//
// with POINTWISE_OUT pointing at <out>/figures (and POINTWISE_QUICK=1 under
// -quick), writes the executed copy and an HTML rendering to <out>/notebooks,
// and fails, naming the notebook and the cell, when any cell left an error
// output. A notebook lists the figure ids it must write in its metadata,
// {"pointwise": {"figures": ["fig2"]}}; each must have left a non-empty
// PNG, SVG and CSV in <out>/figures during the run.
//
// With -jobs N (default 2, the cores of our machines) up to N notebooks run
// at once: a notebook's own work keeps about one and a half cores busy (its
// serial parts and GoNB's compilation leave the rest idle), so two side by
// side finish sooner. A notebook that reads what others compute lists them in
// its metadata, {"pointwise": {"after": ["fig6a-mnist"]}}, and starts only
// when those of this run have finished, so that no two notebooks train the
// same cached network at once.
//
// The Makefile calls nbrun after it has built the kernel's tools and
// installed the kernel spec into a project-local Jupyter data folder; nbrun
// only reads the environment it is given.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"pointwise/internal/nbformat"
)

func main() {
	var (
		pattern = flag.String("notebooks", "*", "glob of notebook names (without .ipynb) under -dir")
		dir     = flag.String("dir", "notebooks", "folder of the notebooks")
		out     = flag.String("out", "out", "output folder: figures go to <out>/figures, executed notebooks to <out>/notebooks")
		quick   = flag.Bool("quick", quickEnv(), "run every notebook in quick mode (sets POINTWISE_QUICK=1); defaults to $POINTWISE_QUICK")
		python  = flag.String("python", "/usr/bin/python3", "the Python interpreter that has Debian's nbconvert")
		timeout = flag.Int("timeout", 0, "seconds a single cell may run; 0 means 600 in quick mode and 14400 otherwise")
		html    = flag.Bool("html", true, "also render each executed notebook as HTML")
		jobs    = flag.Int("jobs", 2, "notebooks run at once, 1 to 16; a notebook waits for those its metadata lists under pointwise.after")
	)
	flag.Parse()
	if *jobs < 1 || *jobs > 16 {
		fmt.Fprintf(os.Stderr, "nbrun: -jobs %d out of range: need 1 to 16\n", *jobs)
		os.Exit(2)
	}
	if err := run(*pattern, *dir, *out, *python, *quick, *timeout, *html, *jobs); err != nil {
		fmt.Fprintln(os.Stderr, "nbrun:", err)
		os.Exit(1)
	}
}

func run(pattern, dir, out, python string, quick bool, timeout int, html bool, jobs int) error {
	if !strings.HasSuffix(pattern, ".ipynb") {
		pattern += ".ipynb"
	}
	paths, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return fmt.Errorf("bad NOTEBOOKS pattern %q: %v", pattern, err)
	}
	if len(paths) == 0 {
		return fmt.Errorf("no notebook matches %s (NOTEBOOKS=%q): see %s for the names", filepath.Join(dir, pattern), strings.TrimSuffix(pattern, ".ipynb"), dir)
	}
	if timeout <= 0 {
		timeout = 14400
		if quick {
			timeout = 600
		}
	}
	out, err = filepath.Abs(out)
	if err != nil {
		return err
	}
	figDir, nbDir := filepath.Join(out, "figures"), filepath.Join(out, "notebooks")
	for _, d := range []string{figDir, nbDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	mode := "full"
	if quick {
		mode = "quick"
	}
	names := make([]string, len(paths))
	after := make([][]string, len(paths))
	for i, p := range paths {
		names[i] = strings.TrimSuffix(filepath.Base(p), ".ipynb")
		if nb, err := readNotebook(p); err == nil {
			after[i] = nb.Metadata.Pointwise.After
		} // an unreadable notebook fails in runOne, with the reason
	}
	var mu sync.Mutex
	var failed []string
	schedule(names, after, jobs, func(i int) {
		start := time.Now()
		name := names[i]
		mu.Lock()
		fmt.Printf("nbrun: %s (%s mode) ...\n", name, mode)
		mu.Unlock()
		err := runOne(paths[i], name, figDir, nbDir, python, quick, timeout, html, start)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			fmt.Printf("nbrun: FAIL %s after %.1fs\n%v\n", name, time.Since(start).Seconds(), err)
			failed = append(failed, name)
			return
		}
		fmt.Printf("nbrun: ok %s in %.1fs\n", name, time.Since(start).Seconds())
	})
	slices.Sort(failed)
	fmt.Printf("nbrun: %d passed, %d failed\n", len(paths)-len(failed), len(failed))
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d notebooks failed: %s", len(failed), len(paths), strings.Join(failed, ", "))
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

func quickEnv() bool {
	switch strings.ToLower(os.Getenv("POINTWISE_QUICK")) {
	case "", "0", "false", "no":
		return false
	}
	return true
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

func runOne(path, name, figDir, nbDir, python string, quick bool, timeout int, html bool, start time.Time) error {
	src, err := readNotebook(path)
	if err != nil {
		return err
	}
	if k := src.Metadata.Kernelspec.Name; k != "gonb" {
		return fmt.Errorf("%s: kernelspec is %q, want \"gonb\"", path, k)
	}
	executed := filepath.Join(nbDir, name+".ipynb")
	logPath := filepath.Join(nbDir, name+".log")
	args := []string{"-m", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		"--ExecutePreprocessor.kernel_name=gonb",
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", timeout),
		"--ExecutePreprocessor.interrupt_on_timeout=True",
		"--output-dir", nbDir, "--output", name + ".ipynb", path}
	cmd := exec.Command(python, args...)
	env := append(os.Environ(), "POINTWISE_OUT="+figDir, "POINTWISE_QUICK=0")
	if quick {
		env[len(env)-1] = "POINTWISE_QUICK=1"
	}
	cmd.Env = env
	var logBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logBuf, &logBuf
	runErr := cmd.Run()
	os.WriteFile(logPath, logBuf.Bytes(), 0o644)
	if runErr != nil && strings.Contains(logBuf.String(), "NoSuchKernel") {
		return fmt.Errorf("%s: Jupyter finds no kernel named gonb: run notebooks through `make figures` or `make test`, which install it into .cache/jupyter and set JUPYTER_PATH", path)
	}
	if runErr != nil {
		return fmt.Errorf("%s: nbconvert failed (%v); last lines of %s:\n%s", path, runErr, logPath, tail(logBuf.String(), 15))
	}
	nb, err := readNotebook(executed)
	if err != nil {
		return err
	}
	problems := cellErrors(nb, path)
	problems = append(problems, missingFigures(src.Metadata.Pointwise.Figures, figDir, path, start)...)
	if html {
		h := exec.Command(python, "-m", "nbconvert", "--to", "html", "--output-dir", nbDir, executed)
		if b, err := h.CombinedOutput(); err != nil {
			problems = append(problems, fmt.Sprintf("%s: HTML export failed: %v\n%s", executed, err, tail(string(b), 5)))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
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

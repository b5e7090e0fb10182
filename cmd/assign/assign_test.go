package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestBlank(t *testing.T) {
	src := "func f(n int) []float64 {\n\tx := 1\n\t// BEGIN SOLUTION\n\treturn nil\n\t// END SOLUTION\n}"
	got, err := blank(src)
	want := "func f(n int) []float64 {\n\tx := 1\n\t// YOUR CODE HERE\n\tpanic(\"not implemented\")\n}"
	if err != nil || got != want {
		t.Errorf("blank:\n%s\nerr %v\nwant:\n%s", got, err, want)
	}
	for _, bad := range []string{
		"// BEGIN SOLUTION\nx",
		"x\n// END SOLUTION",
		"// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION",
	} {
		if _, err := blank(bad); err == nil {
			t.Errorf("blank(%q): want an error", bad)
		}
	}
}

// refs returns the reference assignment notebooks.
func refs(t *testing.T) []string {
	paths, err := filepath.Glob("../../notebooks/assignments/*.ipynb")
	if err != nil || len(paths) < 3 {
		t.Fatalf("want at least 3 reference assignments, got %v (%v)", paths, err)
	}
	return paths
}

// TestStudent checks the generated versions without running them: no
// solution is left, every solution cell has its stub, checks are tagged
// raises-exception, and the reference notebooks carry nbgrader metadata.
func TestStudent(t *testing.T) {
	for _, p := range refs(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".ipynb")
		ref, err := parse(b)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range ref.cells {
			if _, ok := c.meta()["nbgrader"]; !ok {
				t.Errorf("%s: cell %d has no nbgrader metadata: run go run ./cmd/assign -annotate", p, i)
			}
			if slices.Contains(c.tags(), TagRaises) {
				t.Errorf("%s: reference cell %d is tagged %s: only student versions are", p, i, TagRaises)
			}
		}
		s, err := Student(b, name)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		nb, err := parse(s)
		if err != nil {
			t.Fatal(err)
		}
		var sol, check int
		for i, c := range nb.cells {
			src, tags := c.source(), c.tags()
			if strings.Contains(src, "SOLUTION") {
				t.Errorf("%s: student cell %d still holds a solution marker:\n%s", p, i, src)
			}
			if slices.Contains(tags, TagSolution) {
				sol++
				if !strings.Contains(src, Stub) || !strings.Contains(src, StubPanic) {
					t.Errorf("%s: student solution cell %d has no stub:\n%s", p, i, src)
				}
			}
			if slices.Contains(tags, TagCheck) {
				check++
				if !slices.Contains(tags, TagRaises) || !strings.Contains(src, "classroom.") {
					t.Errorf("%s: check cell %d must call lib/classroom and be tagged %s: %v\n%s", p, i, TagRaises, tags, src)
				}
			}
		}
		if sol == 0 || sol != check {
			t.Errorf("%s: %d solution cells, %d check cells: want one check per solution", p, sol, check)
		}
	}
}

// checkOutputs reads an executed notebook and returns, for each check cell,
// its text output and whether it ended with an error; and the first code
// cell other than a check or demo cell that ended with an error.
func checkOutputs(path string) (texts []string, failed []bool, otherErr string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, "", err
	}
	nb, err := parse(b)
	if err != nil {
		return nil, nil, "", err
	}
	for i, c := range nb.cells {
		if c.kind() != "code" {
			continue
		}
		var text strings.Builder
		bad := false
		outs, _ := c["outputs"].([]any)
		for _, o := range outs {
			m, _ := o.(map[string]any)
			switch m["output_type"] {
			case "error":
				bad = true
			case "stream":
				text.WriteString(cell{"source": m["text"]}.source())
			}
		}
		tags := c.tags()
		switch {
		case slices.Contains(tags, TagCheck):
			texts, failed = append(texts, text.String()), append(failed, bad)
		case bad && !slices.Contains(tags, TagDemo) && otherErr == "":
			otherErr = fmt.Sprintf("cell %d: %s", i, text.String())
		}
	}
	return texts, failed, otherErr, nil
}

// TestHeadless executes every reference assignment and its student version
// headless through cmd/nbrun and the project's GoNB kernel (installed by
// `make test`): every check must pass in the reference and fail, in words,
// in the student version.
func TestHeadless(t *testing.T) {
	if testing.Short() {
		t.Skip("runs notebooks: skipped under -short")
	}
	jp := os.Getenv("JUPYTER_PATH")
	if jp == "" {
		t.Skip("no $JUPYTER_PATH: run through `make test`, which installs the project-local GoNB kernel")
	}
	if _, err := os.Stat(filepath.Join(jp, "kernels", "gonb-pointwise", "kernel.json")); err != nil {
		// Under make, JUPYTER_PATH names the project's kernel folder: a
		// missing kernel is a broken set-up, not a reason to skip.
		t.Fatalf("no GoNB kernel in JUPYTER_PATH=%s (%v): run `make kernel` first", jp, err)
	}
	tmp := t.TempDir()
	nbrun := filepath.Join(tmp, "nbrun")
	if b, err := exec.Command("go", "build", "-o", nbrun, "pointwise/cmd/nbrun").CombinedOutput(); err != nil {
		t.Fatalf("building nbrun: %v\n%s", err, b)
	}
	students := filepath.Join(tmp, "student")
	if err := run("../../notebooks/assignments", students, false); err != nil {
		t.Fatal(err)
	}
	python := os.Getenv("PYTHON") // make exports the project venv's
	if python == "" {
		python = "python3"
	}
	type job struct{ dir, name, version string }
	var jobs []job
	for _, p := range refs(t) {
		name := strings.TrimSuffix(filepath.Base(p), ".ipynb")
		jobs = append(jobs, job{"../../notebooks/assignments", name, "reference"}, job{students, name, "student"})
	}
	start := time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.NumCPU())) // each run compiles every cell
	errs := make([]error, len(jobs))
	outs := make([]string, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			outs[i] = filepath.Join(tmp, "run", j.version, j.name)
			cmd := exec.Command(nbrun, "-quick", "-html=false", "-timeout", "300", "-python", python,
				"-dir", j.dir, "-notebooks", j.name, "-out", outs[i])
			if b, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("%s %s: nbrun: %v\n%s", j.version, j.name, err, b)
			}
		}()
	}
	wg.Wait()
	t.Logf("ran %d notebooks in %.1fs", len(jobs), time.Since(start).Seconds())
	for i, j := range jobs {
		if errs[i] != nil {
			t.Error(errs[i])
			continue
		}
		texts, failed, other, err := checkOutputs(filepath.Join(outs[i], "quick", "notebooks", j.name+".ipynb"))
		if err != nil {
			t.Error(err)
			continue
		}
		if other != "" {
			t.Errorf("%s %s: a cell that is not a check failed: %s", j.version, j.name, other)
		}
		if len(texts) == 0 {
			t.Errorf("%s %s: no check cell ran", j.version, j.name)
		}
		for k, text := range texts {
			switch j.version {
			case "reference":
				if failed[k] || !strings.HasPrefix(text, "PASS ") {
					t.Errorf("reference %s: check %d did not pass: %q (error output: %v)", j.name, k+1, text, failed[k])
				}
			case "student":
				if !failed[k] || !strings.HasPrefix(text, "FAIL ") || !strings.Contains(text, "YOUR CODE HERE") {
					t.Errorf("student %s: check %d did not fail in words: %q (error output: %v)", j.name, k+1, text, failed[k])
				}
			}
		}
		t.Logf("%s %s: %d checks, as expected", j.version, j.name, len(texts))
	}
}

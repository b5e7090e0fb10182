package main

import (
	"encoding/json"
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

const refDir = "../../notebooks/assignments"

func TestBlank(t *testing.T) {
	for _, c := range []struct {
		name, src, want, err string
	}{
		{"solution region", "func f(n int) []float64 {\n\tx := 1\n\t// BEGIN SOLUTION\n\treturn nil\n\t// END SOLUTION\n}",
			"func f(n int) []float64 {\n\tx := 1\n\t// YOUR CODE HERE\n\tpanic(\"not implemented\")\n}", ""},
		{"hidden tests", "%%\n// more tests here\n// BEGIN HIDDEN TESTS\nclassroom.Run(\"x\", nil)\n// END HIDDEN TESTS\n",
			"%%\n// more tests here\n", ""},
		{"no region", "x := 1", "x := 1", ""},
		{"unclosed", "// BEGIN SOLUTION\nx", "", "without its"},
		{"end without begin", "x\n// END SOLUTION", "", "without its"},
		{"nested", "// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "", "inside a region"},
		{"mixed ends", "// BEGIN HIDDEN TESTS\n// END SOLUTION", "", "without its"},
		{"marker not alone", "x := 1 // BEGIN SOLUTION\n// END SOLUTION", "", "on a line of its own"},
	} {
		got, err := blank(c.src)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: blank: error %v, want one saying %q", c.name, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%s: blank:\n%s\nerr %v\nwant:\n%s", c.name, got, err, c.want)
		}
	}
}

// testCell is a cell of a test notebook.
type testCell struct {
	kind, id, src string
	tags          []string
	nbgrader      map[string]any // existing nbgrader metadata, or nil
}

// testNotebook encodes cells as a notebook.
func testNotebook(t *testing.T, cells ...testCell) []byte {
	t.Helper()
	var list []any
	for _, c := range cells {
		meta := map[string]any{}
		if c.tags != nil {
			tags := make([]any, len(c.tags))
			for i, s := range c.tags {
				tags[i] = s
			}
			meta["tags"] = tags
		}
		if c.nbgrader != nil {
			meta["nbgrader"] = c.nbgrader
		}
		m := map[string]any{"cell_type": c.kind, "metadata": meta, "source": c.src}
		if c.id != "" {
			m["id"] = c.id
		}
		if c.kind == "code" {
			m["outputs"], m["execution_count"] = []any{}, nil
		}
		list = append(list, m)
	}
	b, err := json.Marshal(map[string]any{"cells": list, "metadata": map[string]any{}, "nbformat": 4, "nbformat_minor": 5})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	mdCell    = testCell{kind: "markdown", id: "intro", src: "# Title"}
	solCell   = testCell{kind: "code", id: "a1", src: "func f() int {\n\t// BEGIN SOLUTION\n\treturn 1\n\t// END SOLUTION\n}", tags: []string{"solution", "id:f"}}
	checkCell = testCell{kind: "code", id: "a2", src: "%%\nclassroom.Report(\"f\", nil)", tags: []string{"check", "id:f-check", "points:2"}}
)

// with returns c with other tags, id or nbgrader metadata.
func (c testCell) with(f func(*testCell)) testCell { f(&c); return c }

func TestAnnotate(t *testing.T) {
	hidden := checkCell.with(func(c *testCell) {
		c.id, c.tags = "a3", []string{"check", "id:f-hidden"}
		c.src = "%%\n// BEGIN HIDDEN TESTS\nclassroom.Run(\"more\", nil)\n// END HIDDEN TESTS"
	})
	type want struct {
		ids    []string  // grade id = cell id of every cell
		points []float64 // of the graded cells
		notes  int
	}
	for _, c := range []struct {
		name  string
		cells []testCell
		want  want
		err   string
	}{
		{"named by tags", []testCell{mdCell, solCell, checkCell, hidden}, want{[]string{"intro", "f", "f-check", "f-hidden"}, []float64{2, 1}, 0}, ""},
		{"kept from nbgrader metadata", []testCell{mdCell,
			solCell.with(func(c *testCell) {
				c.tags, c.nbgrader = []string{"solution"}, map[string]any{"grade_id": "g", "solution": true, "grade": false}
			}),
			checkCell.with(func(c *testCell) {
				c.tags, c.nbgrader = []string{"check"}, map[string]any{"grade_id": "g-test", "grade": true, "points": 4.0}
			})}, want{[]string{"intro", "g", "g-test"}, []float64{4}, 0}, ""},
		{"tags replace metadata", []testCell{mdCell, solCell,
			checkCell.with(func(c *testCell) { c.nbgrader = map[string]any{"grade_id": "old", "grade": true, "points": 4.0} })},
			want{[]string{"intro", "f", "f-check"}, []float64{2}, 2}, ""},
		{"no name", []testCell{solCell.with(func(c *testCell) { c.tags = []string{"solution"} }), checkCell}, want{}, "has no name: tag it id:NAME"},
		{"no check", []testCell{solCell, mdCell}, want{}, "has no check cell after it"},
		{"no check before the next solution", []testCell{solCell, solCell.with(func(c *testCell) { c.id, c.tags = "b", []string{"solution", "id:g"} }), checkCell}, want{}, "has no check cell after it"},
		{"check first", []testCell{checkCell, solCell}, want{}, "follows no solution cell"},
		{"same id twice", []testCell{solCell, checkCell.with(func(c *testCell) { c.tags = []string{"check", "id:f"} })}, want{}, "the same id \"f\""},
		{"name clashes with a cell id", []testCell{mdCell.with(func(c *testCell) { c.id = "f" }), solCell, checkCell}, want{}, "the same id \"f\""},
		{"bad name", []testCell{solCell.with(func(c *testCell) { c.tags = []string{"solution", "id:a b"} }), checkCell}, want{}, "want 1 to 64 letters"},
		{"bad points", []testCell{solCell, checkCell.with(func(c *testCell) { c.tags = []string{"check", "id:x", "points:-1"} })}, want{}, "want a number of points"},
		{"no cell id", []testCell{mdCell.with(func(c *testCell) { c.id = "" }), solCell, checkCell}, want{}, "has no cell id"},
		{"region in an untagged cell", []testCell{solCell, checkCell, solCell.with(func(c *testCell) { c.id, c.tags = "z", nil })}, want{}, "is not tagged \"solution\""},
		{"hidden tests out of a check", []testCell{solCell, checkCell, hidden.with(func(c *testCell) { c.tags = nil })}, want{}, "hidden tests stand in check cells"},
		{"solution without region", []testCell{solCell.with(func(c *testCell) { c.src = "func f() {}" }), checkCell}, want{}, "has no \"// BEGIN SOLUTION\" line"},
		{"no solution", []testCell{mdCell}, want{}, "no cell is tagged"},
	} {
		res, notes, err := Annotate(testNotebook(t, c.cells...))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		nb, err := parse(res)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		var points []float64
		for _, cl := range nb.cells {
			if cl.id() != cl.gradeID() {
				t.Errorf("%s: cell id %q, grade id %q: want them equal", c.name, cl.id(), cl.gradeID())
			}
			ids = append(ids, cl.gradeID())
			if g := cl.nbgrader(); g["grade"] == true {
				points = append(points, g["points"].(float64))
			}
		}
		if !slices.Equal(ids, c.want.ids) || !slices.Equal(points, c.want.points) || len(notes) != c.want.notes {
			t.Errorf("%s: ids %v, points %v, %d notes %q; want %v, %v, %d notes", c.name, ids, points, len(notes), notes, c.want.ids, c.want.points, c.want.notes)
		}
		again, notes, err := Annotate(res)
		if err != nil || string(again) != string(res) || len(notes) != 0 {
			t.Errorf("%s: annotating twice changes the notebook (%v, notes %q)", c.name, err, notes)
		}
	}
}

// gradeIDs maps every cell id of an annotated notebook to its nbgrader
// metadata.
func gradeIDs(t *testing.T, b []byte) map[string]map[string]any {
	t.Helper()
	nb, err := parse(b)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]map[string]any{}
	for _, c := range nb.cells {
		m[c.id()] = c.nbgrader()
	}
	return m
}

// TestStableIDs inserts cells into every reference notebook, as an author
// does in Jupyter (a new cell gets a new cell id), and annotates it again:
// every other cell keeps its grade id and points.
func TestStableIDs(t *testing.T) {
	for _, p := range refs(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		before := gradeIDs(t, b)
		nb, err := parse(b)
		if err != nil {
			t.Fatal(err)
		}
		md := cell{"cell_type": "markdown", "id": "1f0e2d3c-new", "metadata": map[string]any{}, "source": "A new paragraph."}
		code := cell{"cell_type": "code", "id": "9a8b7c6d-new", "metadata": map[string]any{}, "source": "%%\nfmt.Println(1)", "outputs": []any{}, "execution_count": nil}
		nb.cells = slices.Insert(nb.cells, len(nb.cells)/2, code)
		nb.cells = slices.Insert(nb.cells, 0, md)
		inserted, err := nb.encode()
		if err != nil {
			t.Fatal(err)
		}
		res, _, err := Annotate(inserted)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		after := gradeIDs(t, res)
		for id, g := range before {
			if a := after[id]; a == nil || a["grade_id"] != g["grade_id"] || a["points"] != g["points"] {
				t.Errorf("%s: cell %s: nbgrader metadata %v became %v after inserting cells", p, id, g, a)
			}
		}
		for _, id := range []string{"1f0e2d3c-new", "9a8b7c6d-new"} {
			if after[id]["grade_id"] != id {
				t.Errorf("%s: inserted cell %s got grade id %v", p, id, after[id]["grade_id"])
			}
		}
	}
}

// refs returns the reference assignment notebooks.
func refs(t *testing.T) []string {
	paths, err := filepath.Glob(filepath.Join(refDir, "*.ipynb"))
	if err != nil || len(paths) < 3 {
		t.Fatalf("want at least 3 reference assignments, got %v (%v)", paths, err)
	}
	return paths
}

// TestAnnotated checks that the reference notebooks carry their nbgrader
// metadata, as go run ./cmd/assign -annotate writes it, and at least one
// hidden test.
func TestAnnotated(t *testing.T) {
	for _, p := range refs(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		res, notes, err := Annotate(b)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if string(res) != string(b) || len(notes) > 0 {
			t.Errorf("%s: not annotated (notes %q): run go run ./cmd/assign -annotate", p, notes)
		}
		nb, _ := parse(b)
		hidden := 0
		for i, c := range nb.cells {
			if slices.Contains(c.tags(), TagRaises) {
				t.Errorf("%s: reference cell %d is tagged %s: only the versions made from it are", p, i, TagRaises)
			}
			if strings.Contains(c.source(), BeginHidden) {
				hidden++
			}
		}
		if hidden == 0 {
			t.Errorf("%s: no hidden test", p)
		}
	}
}

// TestStudent checks the student versions without running them: no
// solution or hidden test is left, every solution cell has its stub, and
// checks are tagged raises-exception.
func TestStudent(t *testing.T) {
	for _, p := range refs(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Student(b)
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
			if strings.Contains(src, "SOLUTION") || strings.Contains(src, "HIDDEN TESTS") || strings.Contains(src, "classroom.Run") {
				t.Errorf("%s: student cell %d still holds a solution or hidden test:\n%s", p, i, src)
			}
			if slices.Contains(tags, TagSolution) {
				sol++
				if !strings.Contains(src, Stub) || !strings.Contains(src, StubPanic) {
					t.Errorf("%s: student solution cell %d has no stub:\n%s", p, i, src)
				}
			}
			if slices.Contains(tags, TagCheck) {
				check++
				if !slices.Contains(tags, TagRaises) || !strings.HasPrefix(src, "%%") {
					t.Errorf("%s: check cell %d must be a %%%% cell tagged %s: %v\n%s", p, i, TagRaises, tags, src)
				}
			}
			if c.nbgrader()["grade_id"] != c.id() {
				t.Errorf("%s: student cell %d: grade id %v, cell id %s", p, i, c.nbgrader()["grade_id"], c.id())
			}
		}
		if sol == 0 || check < sol {
			t.Errorf("%s: %d solution cells, %d check cells: want one check per solution at least", p, sol, check)
		}
	}
}

// TestHandout writes the students' handout and checks that it is the module
// without what is the teacher's: no reference notebook, no classroom/, no
// test of the checkers, no solution or hidden test anywhere.
func TestHandout(t *testing.T) {
	out := filepath.Join(t.TempDir(), "handout")
	if err := writeHandout(refDir, out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"go.mod", "go.sum", "Makefile", "requirements.txt", "lib/classroom/report.go", "lib/cheb/chebyshev.go", "ASSIGNMENTS.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("handout: %v", err)
		}
	}
	for _, f := range []string{"classroom", "lib/classroom/classroom_test.go", ".git"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			t.Errorf("handout holds %s", f)
		}
	}
	for _, p := range refs(t) {
		b, err := os.ReadFile(filepath.Join(out, "notebooks", "assignments", filepath.Base(p)))
		if err != nil {
			t.Fatal(err)
		}
		nb, err := parse(b)
		if err != nil {
			t.Fatal(err)
		}
		if nb.pointwiseMeta()["student_version"] != true {
			t.Errorf("handout: %s is not a student version", filepath.Base(p))
		}
	}
	found, err := leaks(refDir, out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("handout leaks %s", f)
	}
	// A reference notebook that slipped in is found.
	if err := copyFile(refs(t)[0], filepath.Join(out, "lib", "copy.ipynb")); err != nil {
		t.Fatal(err)
	}
	if found, err := leaks(refDir, out); err != nil || len(found) != 1 {
		t.Errorf("leaks of a handout with a reference notebook: %q (%v), want it", found, err)
	}
	// Written again over itself; never over another folder.
	if err := writeHandout(refDir, out); err != nil {
		t.Errorf("writing the handout again: %v", err)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeHandout(refDir, other); err == nil || !strings.Contains(err.Error(), "not a handout") {
		t.Errorf("writing the handout over another folder: %v, want a refusal", err)
	}
}

func TestSkipHandout(t *testing.T) {
	for rel, want := range map[string]bool{
		"notebooks/assignments/fig2.ipynb": true, "notebooks/fig2.ipynb": false, "classroom/nbgrader_config.py": true,
		"lib/classroom/cheb.go": false, "lib/classroom/source_test.go": true, "lib/cheb/cheb_test.go": false,
		"out/assignments/go.mod": true, "outline.md": false, "cmd/assign/course_test.go": true, "cmd/assign/main.go": false,
	} {
		if got := skipHandout(rel, "notebooks/assignments", "out/assignments"); got != want {
			t.Errorf("skipHandout(%q) = %v, want %v", rel, got, want)
		}
	}
}

// checkResult is what a check cell of an executed notebook printed.
type checkResult struct {
	id, text string
	failed   bool // an error output
}

// checkOutputs reads an executed notebook and returns its check cells'
// results; and the first code cell other than a check or demo cell that
// ended with an error.
func checkOutputs(path string) (checks []checkResult, otherErr string, err error) {
	nb, err := readNotebook(path)
	if err != nil {
		return nil, "", err
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
				if m["name"] == "stdout" {
					text.WriteString(cell{"source": m["text"]}.source())
				}
			}
		}
		tags := c.tags()
		switch {
		case slices.Contains(tags, TagCheck):
			checks = append(checks, checkResult{c.id(), text.String(), bad})
		case bad && !slices.Contains(tags, TagDemo) && otherErr == "":
			otherErr = fmt.Sprintf("cell %d: %s", i, text.String())
		}
	}
	return checks, otherErr, nil
}

// hiddenChecks returns the ids of the check cells of the reference notebook
// path that hold hidden tests.
func hiddenChecks(t *testing.T, path string) map[string]bool {
	nb, err := readNotebook(path)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range nb.cells {
		if strings.Contains(c.source(), BeginHidden) {
			ids[c.id()] = true
		}
	}
	return ids
}

// TestHeadless executes every reference assignment and its student version
// headless through cmd/nbrun and the project's GoNB kernel (installed by
// `make test`): every check must pass in the reference and fail, in words,
// in the student version, where the hidden tests are left out and print
// nothing. (make classroom-test grades them with nbgrader.)
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
	handout := filepath.Join(tmp, "handout")
	if err := writeHandout(refDir, handout); err != nil {
		t.Fatal(err)
	}
	students := filepath.Join(handout, "notebooks", "assignments")
	python := os.Getenv("PYTHON") // make exports the project venv's
	if python == "" {
		python = "python3"
	}
	type job struct{ dir, name, version string }
	var jobs []job
	hidden := map[string]bool{}
	for _, p := range refs(t) {
		name := strings.TrimSuffix(filepath.Base(p), ".ipynb")
		jobs = append(jobs, job{refDir, name, "reference"}, job{students, name, "student"})
		for id := range hiddenChecks(t, p) {
			hidden[id] = true
		}
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
		checks, other, err := checkOutputs(filepath.Join(outs[i], "quick", "notebooks", j.name+".ipynb"))
		if err != nil {
			t.Error(err)
			continue
		}
		if other != "" {
			t.Errorf("%s %s: a cell that is not a check failed: %s", j.version, j.name, other)
		}
		if len(checks) == 0 {
			t.Errorf("%s %s: no check cell ran", j.version, j.name)
		}
		for _, c := range checks {
			switch {
			case j.version == "reference":
				if c.failed || !strings.HasPrefix(c.text, "PASS ") {
					t.Errorf("reference %s: check %s did not pass: %q (error output: %v)", j.name, c.id, c.text, c.failed)
				}
			case hidden[c.id]:
				if c.failed || c.text != "" {
					t.Errorf("student %s: hidden check %s ran something: %q (error output: %v)", j.name, c.id, c.text, c.failed)
				}
			default:
				if !c.failed || !strings.HasPrefix(c.text, "FAIL ") || !strings.Contains(c.text, "YOUR CODE HERE") {
					t.Errorf("student %s: check %s did not fail in words: %q (error output: %v)", j.name, c.id, c.text, c.failed)
				}
			}
		}
		t.Logf("%s %s: %d checks, as expected", j.version, j.name, len(checks))
	}
}

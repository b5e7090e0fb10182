package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	configPath = "../../classroom/nbgrader_config.py"
	partialDir = "../../classroom/partial"
)

// TestNbgraderConfig checks that nbgrader gets the stub and markers that
// assign uses, and the project's kernel.
func TestNbgraderConfig(t *testing.T) {
	b, err := os.ReadFile(configPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(b)
	for _, want := range []string{
		fmt.Sprintf(`c.ClearSolutions.code_stub = {"go": '%s\n%s'}`, Stub, StubPanic),
		fmt.Sprintf(`c.ClearSolutions.begin_solution_delimeter = "%s"`, BeginSolution),
		fmt.Sprintf(`c.ClearSolutions.end_solution_delimeter = "%s"`, EndSolution),
		fmt.Sprintf(`c.ClearHiddenTests.begin_test_delimeter = "%s"`, BeginHidden),
		fmt.Sprintf(`c.ClearHiddenTests.end_test_delimeter = "%s"`, EndHidden),
		`c.Execute.kernel_name = "gonb-pointwise"`,
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("%s does not say %s", configPath, want)
		}
	}
	m := regexp.MustCompile(`c\.Execute\.timeout = (\d+)`).FindStringSubmatch(cfg)
	if m == nil || len(m[1]) < 3 {
		t.Errorf("%s: want a cell timeout of minutes (c.Execute.timeout), not nbgrader's 30 s: %v", configPath, m)
	}
}

func TestParsePartial(t *testing.T) {
	for _, c := range []struct {
		name, text string
		expect     map[string]float64
		cells      map[string]string
		err        string
	}{
		{"two cells", "About it.\nexpect a-check 1   right\nexpect b-check 0.5\n\n=== a\nfunc a() {}\n\n=== b\nfunc b() {\n\treturn\n}\n\n",
			map[string]float64{"a-check": 1, "b-check": 0.5}, map[string]string{"a": "func a() {}\n", "b": "func b() {\n\treturn\n}\n"}, ""},
		{"expect inside a cell is source", "=== a\nexpect x 1\n", map[string]float64{}, map[string]string{"a": "expect x 1\n"}, ""},
		{"no points", "expect a-check\n", nil, nil, "want \"expect GRADE_ID POINTS\""},
		{"bad points", "expect a-check one\n", nil, nil, "points \"one\""},
		{"twice", "=== a\nx\n=== a\ny\n", nil, nil, "given twice"},
		{"expected twice", "expect a 1\nexpect a 0\n", nil, nil, "expected twice"},
	} {
		p, err := parsePartial(strings.NewReader(c.text))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || fmt.Sprint(p.expect) != fmt.Sprint(c.expect) || fmt.Sprint(p.cells) != fmt.Sprint(c.cells) {
			t.Errorf("%s: got %v %q (%v), want %v %q", c.name, p.expect, p.cells, err, c.expect, c.cells)
		}
	}
}

// TestPartialFiles checks classroom/partial against the notebooks: every
// graded cell has its expected points, at most its points, the submission
// fills only solution cells, and it is partly right: some points, not all,
// in every assignment.
func TestPartialFiles(t *testing.T) {
	cells, err := gradedCells(refDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range refs(t) {
		name := strings.TrimSuffix(filepath.Base(p), ".ipynb")
		part, err := readPartial(partialDir, name)
		if err != nil {
			t.Fatal(err)
		}
		var got, max float64
		for _, c := range cells {
			if c.assignment != name {
				continue
			}
			v, ok := part.expect[c.id]
			if !ok || v < 0 || v > c.points {
				t.Errorf("%s: graded cell %s (%g points): expected %g (given: %v)", name, c.id, c.points, v, ok)
			}
			got, max = got+v, max+c.points
		}
		if len(part.expect) != int(countOf(cells, name)) {
			t.Errorf("%s: %d expect lines for %d graded cells", name, len(part.expect), countOf(cells, name))
		}
		if got <= 0 || got >= max {
			t.Errorf("%s: the partial submission expects %g of %g points: want some, not all", name, got, max)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		student, err := Student(b)
		if err != nil {
			t.Fatal(err)
		}
		filled, err := fill(student, part.cells)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		nb, _ := parse(filled)
		for _, c := range nb.cells {
			if src, ok := part.cells[c.id()]; ok && c.source() != src {
				t.Errorf("%s: cell %s not filled", name, c.id())
			}
		}
	}
}

func countOf(cells []graded, assignment string) (n int) {
	for _, c := range cells {
		if c.assignment == assignment {
			n++
		}
	}
	return n
}

func TestFill(t *testing.T) {
	student, err := Student(testNotebook(t, mdCell, solCell, checkCell))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fill(student, map[string]string{"f-check": "x"}); err == nil {
		t.Error("fill of a check cell: want an error")
	}
	if _, err := fill(student, map[string]string{"nope": "x"}); err == nil {
		t.Error("fill of no cell: want an error")
	}
	b, err := fill(student, map[string]string{"f": "func f() int { return 2 }"})
	if err != nil {
		t.Fatal(err)
	}
	nb, _ := parse(b)
	if got := nb.cells[1].source(); got != "func f() int { return 2 }" {
		t.Errorf("filled cell: %q", got)
	}
	refs, err := loadReferences(refDir)
	if err != nil {
		t.Fatal(err)
	}
	for id, src := range referenceAnswers(refs[0].nb) {
		if strings.Contains(src, "SOLUTION") || !strings.Contains(src, "func ") {
			t.Errorf("reference answer %s:\n%s", id, src)
		}
	}
}

// writeGrades writes the two CSV files of nbgrader export into a course
// folder: cells are "assignment,grade_id,student,score,max" rows.
func writeGrades(t *testing.T, cells []string, totals []string) string {
	t.Helper()
	dir := t.TempDir()
	var b bytes.Buffer
	b.WriteString("assignment,notebook,student_id,grade_id,score,max_score\n")
	for _, c := range cells {
		f := strings.Split(c, ",")
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s\n", f[0], f[0], f[2], f[1], f[3], f[4])
	}
	if err := os.WriteFile(filepath.Join(dir, "grades-cells.csv"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Reset()
	b.WriteString("assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score\n")
	for _, c := range totals {
		f := strings.Split(c, ",")
		fmt.Fprintf(&b, "%s,,,%s,,,,%s,0.0,%s,%s\n", f[0], f[1], f[2], f[2], f[3])
	}
	if err := os.WriteFile(filepath.Join(dir, "grades.csv"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// expectedGrades returns the rows of grades-cells.csv and grades.csv that
// the reference notebooks and classroom/partial expect.
func expectedGrades(t *testing.T) (cells, totals []string) {
	graded, err := gradedCells(refDir)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[[2]string][2]float64{}
	for _, c := range graded {
		part, err := readPartial(partialDir, c.assignment)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range simulated {
			v := map[string]float64{StudentReference: c.points, StudentBlank: 0, StudentPartial: part.expect[c.id]}[s]
			cells = append(cells, fmt.Sprintf("%s,%s,%s,%g,%g", c.assignment, c.id, s, v, c.points))
			k := [2]string{c.assignment, s}
			sums[k] = [2]float64{sums[k][0] + v, sums[k][1] + c.points}
		}
	}
	for k, v := range sums {
		totals = append(totals, fmt.Sprintf("%s,%s,%g,%g", k[0], k[1], v[0], v[1]))
	}
	return cells, totals
}

func TestGrades(t *testing.T) {
	cells, totals := expectedGrades(t)
	replace := func(list []string, old, new string) []string {
		out := make([]string, len(list))
		for i, l := range list {
			out[i] = strings.Replace(l, old, new, 1)
		}
		return out
	}
	drop := func(list []string, prefix string) []string {
		var out []string
		for _, l := range list {
			if !strings.HasPrefix(l, prefix) {
				out = append(out, l)
			}
		}
		return out
	}
	for _, c := range []struct {
		name          string
		cells, totals []string
		want          string // in the problems; "" for none
	}{
		{"as expected", cells, totals, ""},
		{"blank got a point", replace(cells, "chebyshev-points-check,blank,0", "chebyshev-points-check,blank,1"), totals, "chebyshev-points-check: blank got 1 of 1, want 0"},
		{"reference lost points", replace(cells, "fgsm-step-check,reference,2", "fgsm-step-check,reference,0"), totals, "fgsm-step-check: reference got 0 of 2, want 2"},
		{"points reset to 1", replace(cells, "hard-objective-check,partial,0,3", "hard-objective-check,partial,0,1"), totals, "nbgrader's maximum is 1, the notebook's points 3"},
		{"a cell not graded", drop(cells, "fig6-fgsm-hard-loss,hard-loss-hidden,partial"), totals, "hard-loss-hidden: no grade for partial"},
		{"totals differ", cells, replace(totals, "fig4-hard-objective,reference,5", "fig4-hard-objective,reference,4"), "grades.csv: fig4-hard-objective reference: score 4 of 5"},
		{"a total missing", cells, drop(totals, "fig2-chebyshev-interpolation,blank"), "grades.csv has 8 of the 9 rows"},
	} {
		var out bytes.Buffer
		problems, err := grades(&out, refDir, writeGrades(t, c.cells, c.totals), partialDir)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		all := strings.Join(problems, "\n")
		switch {
		case c.want == "" && len(problems) > 0:
			t.Errorf("%s: problems:\n%s", c.name, all)
		case c.want != "" && !strings.Contains(all, c.want):
			t.Errorf("%s: problems do not say %q:\n%s", c.name, c.want, all)
		}
		if c.name == "as expected" {
			t.Logf("the table:\n%s", out.String())
			if !strings.Contains(out.String(), "all assignments") {
				t.Errorf("no total line in the table:\n%s", out.String())
			}
		}
	}
}

package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// The simulated students of `make classroom`: the reference answers, the
// untouched student version of the handout, and a partly right answer
// (classroom/partial).
const (
	StudentReference = "reference"
	StudentBlank     = "blank"
	StudentPartial   = "partial"
)

var simulated = []string{StudentReference, StudentBlank, StudentPartial}

// courseConfig is the nbgrader_config.py written in the course folder: it
// loads the repository's, so that nbgrader commands run from the course
// folder use it.
const courseConfig = `# Written by go run ./cmd/assign -course (make classroom). The settings are in the repository:
load_subconfig(%q)
`

// writeCourse makes the nbgrader course folder course:
// source/<name>/<name>.ipynb, nbgrader's source version of each reference
// notebook of dir (see nbgraderSource), an nbgrader_config.py that loads
// config, and a copy of the Python files beside config (export plugins).
// nbgrader writes the rest (release/, submitted/, autograded/, gradebook.db).
func writeCourse(dir, course, config string) error {
	refs, err := loadReferences(dir)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(config)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err != nil {
		return fmt.Errorf("nbgrader config: %w", err)
	}
	if err := os.RemoveAll(filepath.Join(course, "source")); err != nil {
		return err
	}
	for _, r := range refs {
		if err := r.nb.nbgraderSource(); err != nil {
			return fmt.Errorf("%s: %w", r.path, err)
		}
		dst := filepath.Join(course, "source", r.name, r.name+".ipynb")
		if err := r.nb.write(dst); err != nil {
			return err
		}
		fmt.Println("assign: wrote", dst)
	}
	// Plugins beside the config (cellgrades.py): nbgrader imports a plugin
	// named on its command line from the folder it runs in, before it reads
	// any config.
	plugins, err := filepath.Glob(filepath.Join(filepath.Dir(abs), "*.py"))
	if err != nil {
		return err
	}
	for _, p := range plugins {
		if p != abs {
			if err := copyFile(p, filepath.Join(course, filepath.Base(p))); err != nil {
				return err
			}
		}
	}
	return os.WriteFile(filepath.Join(course, "nbgrader_config.py"), fmt.Appendf(nil, courseConfig, abs), 0o644)
}

// partial is a partly right submission of one assignment, read from
// <partial dir>/<name>.txt:
//
//	free text, and one line per graded cell of the notebook:
//	expect chebyshev-points-check 1   what autograde must give it
//	=== chebyshev-points
//	the source the student wrote in solution cell chebyshev-points,
//	up to the next "=== " line
//
// Solution cells it does not name keep the stub.
type partial struct {
	expect map[string]float64
	cells  map[string]string
}

func parsePartial(r io.Reader) (partial, error) {
	p := partial{expect: map[string]float64{}, cells: map[string]string{}}
	sc := bufio.NewScanner(r)
	cur := ""
	var lines []string
	flush := func() {
		if cur != "" {
			p.cells[cur] = strings.TrimRight(strings.Join(lines, "\n"), "\n ") + "\n"
		}
	}
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if id, ok := strings.CutPrefix(l, "=== "); ok {
			flush()
			cur, lines = strings.TrimSpace(id), nil
			if _, dup := p.cells[cur]; dup {
				return p, fmt.Errorf("line %d: cell %s given twice", n, cur)
			}
			continue
		}
		if cur != "" {
			lines = append(lines, l)
			continue
		}
		if rest, ok := strings.CutPrefix(l, "expect "); ok {
			f := strings.Fields(rest)
			if len(f) < 2 {
				return p, fmt.Errorf("line %d: want \"expect GRADE_ID POINTS\", got %q", n, l)
			}
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return p, fmt.Errorf("line %d: points %q: %v", n, f[1], err)
			}
			if _, dup := p.expect[f[0]]; dup {
				return p, fmt.Errorf("line %d: %s expected twice", n, f[0])
			}
			p.expect[f[0]] = v
		}
	}
	flush()
	return p, sc.Err()
}

func readPartial(dir, name string) (partial, error) {
	f, err := os.Open(filepath.Join(dir, name+".txt"))
	if err != nil {
		return partial{}, err
	}
	defer f.Close()
	p, err := parsePartial(f)
	if err != nil {
		return p, fmt.Errorf("%s: %w", f.Name(), err)
	}
	return p, nil
}

// fill returns the released notebook rel with the sources of its solution
// cells replaced by answers (by grade id), as a student hands it in.
func fill(rel []byte, answers map[string]string) ([]byte, error) {
	nb, err := parse(rel)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for _, c := range nb.cells {
		if c.nbgrader()["solution"] != true {
			continue
		}
		if src, ok := answers[c.gradeID()]; ok {
			c.setSource(src)
			used[c.gradeID()] = true
		}
	}
	for id := range answers {
		if !used[id] {
			return nil, fmt.Errorf("no solution cell %q in the released notebook", id)
		}
	}
	return nb.encode()
}

// referenceAnswers returns the answers of an annotated reference notebook:
// its solution cells' sources without the region markers.
func referenceAnswers(nb *notebook) map[string]string {
	answers := map[string]string{}
	for _, c := range nb.cells {
		if c.nbgrader()["solution"] == true {
			answers[c.gradeID()] = unmark(c.source())
		}
	}
	return answers
}

// writeSubmissions writes what the simulated students hand in, as a learning
// management system's download for nbgrader zip_collect:
// course/downloaded/<name>/archive/<student>_<name>.ipynb. The reference and
// the partial answers are written into nbgrader's release,
// course/release/<name>/<name>.ipynb; the blank submission is the student
// version of the handout (make assignments) as it is, which shows that
// nbgrader grades that version too.
func writeSubmissions(dir, course, partialDir string) error {
	refs, err := loadReferences(dir)
	if err != nil {
		return err
	}
	for _, r := range refs {
		name := r.name
		rel, err := os.ReadFile(filepath.Join(course, "release", name, name+".ipynb"))
		if err != nil {
			return fmt.Errorf("%w: run nbgrader generate_assignment %s first", err, name)
		}
		ref := referenceAnswers(r.nb)
		part, err := readPartial(partialDir, name)
		if err != nil {
			return err
		}
		archive := filepath.Join(course, "downloaded", name, "archive")
		if err := os.RemoveAll(archive); err != nil {
			return err
		}
		if err := os.MkdirAll(archive, 0o755); err != nil {
			return err
		}
		orig, err := os.ReadFile(r.path)
		if err != nil {
			return err
		}
		handout, err := Student(orig)
		if err != nil {
			return fmt.Errorf("%s: %w", r.path, err)
		}
		for _, student := range simulated {
			var b []byte
			switch student {
			case StudentReference:
				b, err = fill(rel, ref)
			case StudentPartial:
				b, err = fill(rel, part.cells)
			case StudentBlank:
				b = handout
			}
			if err != nil {
				return fmt.Errorf("%s, %s: %w", name, student, err)
			}
			dst := filepath.Join(archive, student+"_"+name+".ipynb")
			if err := os.WriteFile(dst, b, 0o644); err != nil {
				return err
			}
			fmt.Println("assign: wrote", dst)
		}
	}
	return nil
}

// graded is a graded cell of a reference notebook.
type graded struct {
	assignment, id string
	points         float64
}

// gradedCells returns the graded cells of the reference notebooks, in
// notebook order.
func gradedCells(dir string) ([]graded, error) {
	refs, err := loadReferences(dir)
	if err != nil {
		return nil, err
	}
	var cells []graded
	for _, r := range refs {
		for _, c := range r.nb.cells {
			if g := c.nbgrader(); g["grade"] == true {
				p, _ := g["points"].(float64)
				cells = append(cells, graded{r.name, c.gradeID(), p})
			}
		}
	}
	return cells, nil
}

// readCSV reads a CSV file with a header into rows keyed by column name.
func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, k := range recs[0] {
			if i < len(r) {
				row[k] = r[i]
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// score is a graded cell's score and maximum as nbgrader exported them.
type score struct{ got, max float64 }

// grades prints the table of the per-cell grades course/grades-cells.csv
// (nbgrader export with classroom/cellgrades.py) for the simulated students,
// and returns the ways in which they differ from what is expected: the
// reference gets every graded cell's points, the blank submission 0 on every
// graded cell, the partial one the points its file in partialDir expects;
// the maximum of every cell is its points in the reference notebook, and
// course/grades.csv (nbgrader's own export) holds the same totals.
func grades(w io.Writer, dir, course, partialDir string) (problems []string, err error) {
	cells, err := gradedCells(dir)
	if err != nil {
		return nil, err
	}
	rows, err := readCSV(filepath.Join(course, "grades-cells.csv"))
	if err != nil {
		return nil, err
	}
	got := map[[3]string]score{} // assignment, grade id, student
	for _, r := range rows {
		s, err1 := strconv.ParseFloat(r["score"], 64)
		m, err2 := strconv.ParseFloat(r["max_score"], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("grades-cells.csv: row %v: score or max_score is not a number", r)
		}
		got[[3]string{r["assignment"], r["grade_id"], r["student_id"]}] = score{s, m}
	}
	expect := map[string]partial{}
	want := func(c graded, student string) (float64, bool) {
		switch student {
		case StudentReference:
			return c.points, true
		case StudentBlank:
			return 0, true
		}
		v, ok := expect[c.assignment].expect[c.id]
		return v, ok
	}

	type total struct{ got, max, want float64 }
	sums := map[[2]string]*total{} // assignment, student
	fmt.Fprintf(w, "%-40s %6s", "assignment / graded cell", "points")
	for _, s := range simulated {
		fmt.Fprintf(w, " %9s", s)
	}
	fmt.Fprintln(w)
	all := map[string]*total{}
	var points float64
	for i, c := range cells {
		if i == 0 || cells[i-1].assignment != c.assignment {
			fmt.Fprintln(w, c.assignment)
			if expect[c.assignment], err = readPartial(partialDir, c.assignment); err != nil {
				return nil, err
			}
			for id := range expect[c.assignment].expect {
				if !slices.ContainsFunc(cells, func(d graded) bool { return d.assignment == c.assignment && d.id == id }) {
					problems = append(problems, fmt.Sprintf("%s/%s.txt expects points for %s, which is no graded cell", partialDir, c.assignment, id))
				}
			}
		}
		fmt.Fprintf(w, "  %-38s %6g", c.id, c.points)
		points += c.points
		for _, student := range simulated {
			key := [2]string{c.assignment, student}
			if sums[key] == nil {
				sums[key] = &total{}
			}
			if all[student] == nil {
				all[student] = &total{}
			}
			g, ok := got[[3]string{c.assignment, c.id, student}]
			wantScore, known := want(c, student)
			mark := " "
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s %s: no grade for %s", c.assignment, c.id, student))
				fmt.Fprintf(w, " %9s", "-")
				continue
			case g.max != c.points:
				problems = append(problems, fmt.Sprintf("%s %s: nbgrader's maximum is %g, the notebook's points %g", c.assignment, c.id, g.max, c.points))
				mark = "!"
			case !known:
				problems = append(problems, fmt.Sprintf("%s %s: %s/%s.txt expects nothing for it", c.assignment, c.id, partialDir, c.assignment))
				mark = "?"
			case g.got != wantScore:
				problems = append(problems, fmt.Sprintf("%s %s: %s got %g of %g, want %g", c.assignment, c.id, student, g.got, c.points, wantScore))
				mark = "!"
			}
			fmt.Fprintf(w, " %8g%s", g.got, mark)
			for _, t := range []*total{sums[key], all[student]} {
				t.got, t.max, t.want = t.got+g.got, t.max+g.max, t.want+wantScore
			}
		}
		fmt.Fprintln(w)
		if i == len(cells)-1 || cells[i+1].assignment != c.assignment {
			var max float64
			for _, d := range cells {
				if d.assignment == c.assignment {
					max += d.points
				}
			}
			fmt.Fprintf(w, "  %-38s %6g", "total", max)
			for _, student := range simulated {
				fmt.Fprintf(w, " %9g", sums[[2]string{c.assignment, student}].got)
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "%-40s %6g", "all assignments", points)
	for _, student := range simulated {
		fmt.Fprintf(w, " %9g", all[student].got)
	}
	fmt.Fprintln(w)

	// nbgrader's own export: one row per assignment and student.
	totals, err := readCSV(filepath.Join(course, "grades.csv"))
	if err != nil {
		return nil, err
	}
	seen := 0
	for _, r := range totals {
		t := sums[[2]string{r["assignment"], r["student_id"]}]
		if t == nil {
			continue
		}
		seen++
		s, _ := strconv.ParseFloat(r["score"], 64)
		m, _ := strconv.ParseFloat(r["max_score"], 64)
		if s != t.got || m != t.max {
			problems = append(problems, fmt.Sprintf("grades.csv: %s %s: score %g of %g, the cells add up to %g of %g", r["assignment"], r["student_id"], s, m, t.got, t.max))
		}
	}
	if seen != len(sums) {
		problems = append(problems, fmt.Sprintf("grades.csv has %d of the %d rows (assignment, student) expected", seen, len(sums)))
	}
	return problems, nil
}

// gradesSummary is the closing line of a successful check.
func gradesSummary(dir string) (string, error) {
	cells, err := gradedCells(dir)
	if err != nil {
		return "", err
	}
	names := map[string]bool{}
	var points float64
	for _, c := range cells {
		names[c.assignment] = true
		points += c.points
	}
	return fmt.Sprintf("classroom: as expected on %d graded cells of %d assignments (%g points): the reference got every point, the blank submission 0 on every cell, the partial one what classroom/partial expects", len(cells), len(names), points), nil
}

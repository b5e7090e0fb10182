// Command assign makes the student versions of pointwise's assignment
// notebooks, and the nbgrader course that grades them.
//
// A reference assignment (notebooks/assignments/*.ipynb) is a GoNB notebook
// whose code cells tagged "solution" hold the answers between lines
//
//	// BEGIN SOLUTION
//	// END SOLUTION
//
// (nbgrader's convention), each followed by one or more cells tagged "check"
// that call a checker of pointwise/lib/classroom. A check cell may hold
// hidden tests between the lines
//
//	// BEGIN HIDDEN TESTS
//	// END HIDDEN TESTS
//
// which the students never see and nbgrader's autograder runs. Solution and
// check cells are named by a tag "id:NAME", their nbgrader grade id and cell
// id, and a check cell's points are set by a tag "points:N" (1 if none).
// Every other cell's grade id is its cell id, which Jupyter gives each new
// cell: inserting or moving cells renames none. Cells tagged "demo" use the
// answers.
//
// With no mode flag, assign writes the students' handout to -out: the module
// without the reference notebooks, without classroom/ and without the
// checkers' tests, and with the student version of each reference notebook
// in its place (notebooks/assignments/<name>.ipynb), in which
//
//   - every solution region is replaced by "// YOUR CODE HERE" and
//     panic("not implemented"), indented like the region: it compiles inside
//     a function with results, and the checkers report it as not implemented;
//   - every hidden test region is removed;
//   - check and demo cells are tagged "raises-exception", so that "Run all"
//     (and a headless run) goes on past a check that fails;
//   - outputs are cleared, and cells carry nbgrader metadata.
//
// The modes:
//
//	-annotate          add or update the nbgrader metadata of the reference
//	                   notebooks in place (and change nothing else)
//	-course DIR        make the nbgrader course folder DIR: source/<name>/<name>.ipynb
//	                   and an nbgrader_config.py that loads -config
//	-submit DIR        write the simulated students' submissions (reference,
//	                   blank, partial) from DIR/release to DIR/downloaded, for
//	                   nbgrader zip_collect
//	-grades DIR        print the grade table of DIR/grades-cells.csv; with -check,
//	                   exit 1 unless the reference got full points, the blank
//	                   submission 0 and the partial one what -partial expects
//
// Usage:
//
//	go run ./cmd/assign [-dir notebooks/assignments] [-out out/assignments]
//	go run ./cmd/assign -annotate
//	go run ./cmd/assign -course out/classroom
//	go run ./cmd/assign -submit out/classroom [-partial classroom/partial]
//	go run ./cmd/assign -grades out/classroom [-partial classroom/partial] [-check]
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	dir := flag.String("dir", "notebooks/assignments", "folder of the reference assignment notebooks")
	out := flag.String("out", "out/assignments", "folder the students' handout is written to")
	annotate := flag.Bool("annotate", false, "add nbgrader metadata to the reference notebooks in place, and write nothing else")
	course := flag.String("course", "", "make the nbgrader course folder `DIR` (source/ and nbgrader_config.py)")
	config := flag.String("config", "classroom/nbgrader_config.py", "the nbgrader settings the course folder's config loads")
	submit := flag.String("submit", "", "write the simulated submissions of the course folder `DIR` from its release/")
	partialDir := flag.String("partial", "classroom/partial", "folder of the partly right submissions, <name>.txt")
	gradesDir := flag.String("grades", "", "print the grade table of the course folder `DIR`")
	check := flag.Bool("check", false, "with -grades: exit 1 unless every grade is the one expected")
	flag.Parse()
	modes := 0
	for _, on := range []bool{*annotate, *course != "", *submit != "", *gradesDir != ""} {
		if on {
			modes++
		}
	}
	var err error
	switch {
	case modes > 1:
		err = fmt.Errorf("-annotate, -course, -submit and -grades exclude each other")
	case *annotate:
		err = annotateAll(*dir)
	case *course != "":
		err = writeCourse(*dir, *course, *config)
	case *submit != "":
		err = writeSubmissions(*dir, *submit, *partialDir)
	case *gradesDir != "":
		err = printGrades(*dir, *gradesDir, *partialDir, *check)
	default:
		err = writeHandout(*dir, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "assign:", err)
		os.Exit(1)
	}
}

// annotateAll rewrites the reference notebooks of dir with their nbgrader
// metadata.
func annotateAll(dir string) error {
	names, paths, err := references(dir)
	if err != nil {
		return err
	}
	for _, name := range names {
		b, err := os.ReadFile(paths[name])
		if err != nil {
			return err
		}
		res, notes, err := Annotate(b)
		if err != nil {
			return fmt.Errorf("%s: %w", paths[name], err)
		}
		for _, n := range notes {
			fmt.Printf("assign: %s: %s\n", paths[name], n)
		}
		if err := os.WriteFile(paths[name], res, 0o644); err != nil {
			return err
		}
		fmt.Println("assign: wrote", paths[name])
	}
	return nil
}

func printGrades(dir, course, partialDir string, check bool) error {
	problems, err := grades(os.Stdout, dir, course, partialDir)
	if err != nil {
		return err
	}
	if !check {
		return nil
	}
	if len(problems) > 0 {
		return fmt.Errorf("the grades are not the ones expected:\n  %s", strings.Join(problems, "\n  "))
	}
	s, err := gradesSummary(dir)
	if err == nil {
		fmt.Println(s)
	}
	return err
}

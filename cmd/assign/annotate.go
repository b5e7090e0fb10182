package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Tags of the cells of a reference assignment.
const (
	TagSolution = "solution"
	TagCheck    = "check"
	TagDemo     = "demo"
	// TagRaises lets a cell fail without stopping Jupyter's "Run all" or nbconvert.
	TagRaises = "raises-exception"
	// TagID names a solution or check cell: "id:chebyshev-points" gives it
	// the nbgrader grade id and the cell id chebyshev-points.
	TagID = "id:"
	// TagPoints sets a check cell's points: "points:2".
	TagPoints = "points:"
)

// Markers of a solution region and what replaces it, and of a hidden test
// region. Each stands on a line of its own. classroom/nbgrader_config.py
// gives nbgrader the same markers and stub.
const (
	BeginSolution = "// BEGIN SOLUTION"
	EndSolution   = "// END SOLUTION"
	Stub          = "// YOUR CODE HERE"
	StubPanic     = `panic("not implemented")`
	BeginHidden   = "// BEGIN HIDDEN TESTS"
	EndHidden     = "// END HIDDEN TESTS"
)

// validID is what nbformat allows in a cell id; nbgrader's grade ids are the
// same here.
var validID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// annotate gives every cell nbgrader metadata and checks the tags and
// markers. Every cell's nbgrader grade_id is also its nbformat cell id:
//
//   - a solution or check cell is named by its tag id:NAME, or else keeps
//     the grade_id it has (set in nbgrader's own toolbar, say);
//   - a check cell's points are its tag points:N, or else the points it has,
//     or else 1;
//   - any other cell keeps its nbformat cell id, which Jupyter gives a new
//     cell and never changes.
//
// So inserting, moving or deleting cells changes no other cell's id, and
// annotating again changes nothing. Every solution cell has a solution
// region and is followed, before the next solution cell, by at least one
// check cell; hidden test regions stand only in check cells. The notes say
// where a tag replaced different nbgrader metadata.
func (nb *notebook) annotate() (notes []string, err error) {
	seen := map[string]int{}
	nSol, pending := 0, -1
	checks := 0 // check cells after the pending solution cell
	for i, c := range nb.cells {
		tags := c.tags()
		src := c.source()
		sol, check := slices.Contains(tags, TagSolution), slices.Contains(tags, TagCheck)
		regions, err := markers(src)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		switch {
		case sol && check:
			return nil, fmt.Errorf("cell %d is tagged both %q and %q", i, TagSolution, TagCheck)
		case sol && (c.kind() != "code" || !regions[BeginSolution]):
			return nil, fmt.Errorf("cell %d is tagged %q but has no %q line", i, TagSolution, BeginSolution)
		case !sol && regions[BeginSolution]:
			return nil, fmt.Errorf("cell %d has a %q line but is not tagged %q", i, BeginSolution, TagSolution)
		case !check && regions[BeginHidden]:
			return nil, fmt.Errorf("cell %d has a %q line but is not tagged %q: hidden tests stand in check cells", i, BeginHidden, TagCheck)
		case check && c.kind() != "code":
			return nil, fmt.Errorf("cell %d is tagged %q but is not a code cell", i, TagCheck)
		}

		old := c.nbgrader()
		id := c.id()
		if sol || check {
			tagged, ok := c.tagValue(TagID)
			switch {
			case ok:
				if o := c.gradeID(); o != "" && o != tagged {
					notes = append(notes, fmt.Sprintf("cell %d: grade id %q replaced by the tag %s%s", i, o, TagID, tagged))
				}
				id = tagged
			case c.gradeID() != "":
				id = c.gradeID()
			default:
				return nil, fmt.Errorf("cell %d (%s) has no name: tag it %sNAME, NAME a stable grade id such as chebyshev-points", i, strings.Join(tags, ", "), TagID)
			}
		}
		if !validID.MatchString(id) {
			if id == "" {
				return nil, fmt.Errorf("cell %d has no cell id: save the notebook with JupyterLab or Notebook 7 (nbformat 4.5) first", i)
			}
			return nil, fmt.Errorf("cell %d: id %q: want 1 to 64 letters, digits, '-' or '_'", i, id)
		}
		if j, dup := seen[id]; dup {
			return nil, fmt.Errorf("cells %d and %d have the same id %q", j, i, id)
		}
		seen[id] = i
		c["id"] = id

		g := map[string]any{"schema_version": 3, "grade": false, "solution": false, "locked": true, "grade_id": id}
		switch {
		case sol:
			if pending >= 0 && checks == 0 {
				return nil, fmt.Errorf("solution cell %d has no check cell after it", pending)
			}
			nSol++
			pending, checks = i, 0
			g["solution"], g["locked"] = true, false
		case check:
			if pending < 0 {
				return nil, fmt.Errorf("check cell %d follows no solution cell", i)
			}
			checks++
			points, note, err := c.points(old)
			if err != nil {
				return nil, fmt.Errorf("cell %d: %w", i, err)
			}
			if note != "" {
				notes = append(notes, fmt.Sprintf("cell %d: %s", i, note))
			}
			g["grade"], g["points"] = true, points
		}
		c.meta()["nbgrader"] = g
	}
	if pending >= 0 && checks == 0 {
		return nil, fmt.Errorf("solution cell %d has no check cell after it", pending)
	}
	if nSol == 0 {
		return nil, fmt.Errorf("no cell is tagged %q", TagSolution)
	}
	return notes, nil
}

// points returns a check cell's points: its tag, else its nbgrader points
// (old), else 1; and a note when the tag replaced other points.
func (c cell) points(old map[string]any) (float64, string, error) {
	had, hasOld := old["points"].(float64)
	tagged, ok := c.tagValue(TagPoints)
	if !ok {
		if hasOld && old["grade"] == true {
			return had, "", nil
		}
		return 1, "", nil
	}
	p, err := strconv.ParseFloat(tagged, 64)
	if err != nil || p <= 0 || p > 1000 {
		return 0, "", fmt.Errorf("tag %s%s: want a number of points in (0, 1000]", TagPoints, tagged)
	}
	if hasOld && had != p {
		return p, fmt.Sprintf("points %g replaced by the tag %s%s", had, TagPoints, tagged), nil
	}
	return p, "", nil
}

// markers checks the region markers of a cell's source: each on a line of
// its own, regions closed and not nested. It returns the begin markers
// found.
func markers(src string) (map[string]bool, error) {
	found := map[string]bool{}
	open := ""
	for n, l := range strings.Split(src, "\n") {
		t := strings.TrimSpace(l)
		for _, m := range []string{BeginSolution, EndSolution, BeginHidden, EndHidden} {
			if strings.Contains(l, m) && t != m {
				return nil, fmt.Errorf("line %d: %q must stand on a line of its own (nbgrader takes any line that holds it for the marker)", n+1, m)
			}
		}
		switch t {
		case BeginSolution, BeginHidden:
			if open != "" {
				return nil, fmt.Errorf("line %d: %q inside a region opened by %q", n+1, t, open)
			}
			open, found[t] = t, true
		case EndSolution, EndHidden:
			if want := strings.Replace(open, "BEGIN", "END", 1); open == "" || t != want {
				return nil, fmt.Errorf("line %d: %q without its %q", n+1, t, strings.Replace(t, "END", "BEGIN", 1))
			}
			open = ""
		}
	}
	if open != "" {
		return nil, fmt.Errorf("%q without its %q", open, strings.Replace(open, "BEGIN", "END", 1))
	}
	return found, nil
}

// Annotate returns the reference notebook b with nbgrader metadata, and the
// notes of annotate.
func Annotate(b []byte) ([]byte, []string, error) {
	nb, err := parse(b)
	if err != nil {
		return nil, nil, err
	}
	notes, err := nb.annotate()
	if err != nil {
		return nil, nil, err
	}
	res, err := nb.encode()
	return res, notes, err
}

// nbgraderSource turns a reference notebook into nbgrader's source version:
// nbgrader metadata, no outputs, and check and demo cells tagged
// raises-exception, so that "Run all" in the version students get goes on
// past a failing check.
func (nb *notebook) nbgraderSource() error {
	if _, err := nb.annotate(); err != nil {
		return err
	}
	for _, c := range nb.cells {
		tags := c.tags()
		if c.kind() == "code" {
			c["outputs"], c["execution_count"] = []any{}, nil
		}
		if (slices.Contains(tags, TagCheck) || slices.Contains(tags, TagDemo)) && !slices.Contains(tags, TagRaises) {
			c.setTags(append(tags, TagRaises))
		}
	}
	return nil
}

// Student returns the student version of the reference notebook b: its
// source version (see nbgraderSource) in which every solution region is
// replaced by the stub and every hidden test region is removed.
func Student(b []byte) ([]byte, error) {
	nb, err := parse(b)
	if err != nil {
		return nil, err
	}
	if err := nb.nbgraderSource(); err != nil {
		return nil, err
	}
	for i, c := range nb.cells {
		src, err := blank(c.source())
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		c.setSource(src)
	}
	nb.pointwiseMeta()["student_version"] = true
	return nb.encode()
}

// blank replaces every solution region of a cell's source by the stub,
// indented like its BEGIN line, and removes every hidden test region.
func blank(src string) (string, error) {
	if _, err := markers(src); err != nil {
		return "", err
	}
	var out []string
	in := false
	for _, l := range strings.Split(src, "\n") {
		switch strings.TrimSpace(l) {
		case BeginSolution:
			in = true
			indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
			out = append(out, indent+Stub, indent+StubPanic)
		case BeginHidden:
			in = true
		case EndSolution, EndHidden:
			in = false
		default:
			if !in {
				out = append(out, l)
			}
		}
	}
	return strings.Join(out, "\n"), nil
}

// unmark returns a solution cell's source as a student who wrote the
// reference answer would hand it in: the region markers removed.
func unmark(src string) string {
	var out []string
	for _, l := range strings.Split(src, "\n") {
		if t := strings.TrimSpace(l); t != BeginSolution && t != EndSolution {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

package figure

import (
	"fmt"
	"path/filepath"
)

// Check is one claim a figure must show, with its outcome in words.
type Check struct {
	Name   string
	Passed bool
	Detail string
}

// Checks collects the checks of one figure: the paper's claims for it, as
// its notebook states them in words; the notebook computes each from the
// data it just produced.
type Checks struct {
	ID   string
	List []Check
}

// NewChecks returns an empty list for figure id.
func NewChecks(id string) *Checks { return &Checks{ID: id} }

// Add records a check and prints it as a line "PASS name: detail" or
// "FAIL name: detail".
func (c *Checks) Add(name string, passed bool, format string, args ...any) {
	ch := Check{Name: name, Passed: passed, Detail: fmt.Sprintf(format, args...)}
	c.List = append(c.List, ch)
	fmt.Println(ch)
}

// String formats the check as one line.
func (ch Check) String() string {
	verdict := "FAIL"
	if ch.Passed {
		verdict = "PASS"
	}
	return fmt.Sprintf("%s %s: %s", verdict, ch.Name, ch.Detail)
}

// Passed reports whether every check passed (and there is at least one).
func (c *Checks) Passed() bool {
	for _, ch := range c.List {
		if !ch.Passed {
			return false
		}
	}
	return len(c.List) > 0
}

// Table returns the checks as a table with columns check, passed, detail.
func (c *Checks) Table() *Table {
	t := &Table{Name: "checks", Header: []string{"check", "passed", "detail"}}
	for _, ch := range c.List {
		t.rows = append(t.rows, []string{ch.Name, fmt.Sprint(ch.Passed), ch.Detail})
	}
	return t
}

// Save writes <id>_checks.csv into OutDir and prints a one-line verdict.
func (c *Checks) Save() error {
	if !idPattern.MatchString(c.ID) {
		return fmt.Errorf("figure: checks id %q invalid: use lower-case letters, digits, '-' and '_'", c.ID)
	}
	b, err := c.Table().CSV()
	if err != nil {
		return err
	}
	path := filepath.Join(OutDir(), c.ID+"_checks.csv")
	if err := mkdirAll(OutDir()); err != nil {
		return err
	}
	if err := WriteFileAtomic(path, b); err != nil {
		return err
	}
	n := 0
	for _, ch := range c.List {
		if ch.Passed {
			n++
		}
	}
	fmt.Printf("%s: %d of %d checks passed (%s)\n", c.ID, n, len(c.List), path)
	return nil
}

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"pointwise/internal/modroot"
	"slices"
	"strings"
)

// handoutMark marks a folder written by writeHandout, which may be replaced.
const handoutMark = ".pointwise-handout"

// handoutReadme is written at the top of the handout.
const handoutReadme = `# Assignments

The notebooks of your assignments are in notebooks/assignments/. This folder is the pointwise module they
import (pointwise/lib/...). Set-up, once (Go and Python 3.9 or newer): make lab opens JupyterLab on notebooks/ with
the notebooks' kernel, "Go (pointwise)"; make kernel-user installs that kernel for a Jupyter of your own instead.

In each notebook, fill in the functions where it says YOUR CODE HERE, run the cell, then the check cell below it:
it prints PASS or says what is wrong. Each assignment says which of pointwise's packages your code may not use
(the one that already holds the answer): the check reads your code and refuses such a call. Your teacher's
grader runs these checks and some more.
`

// teacherOnly are the module's files that stay out of the handout besides
// the reference notebooks: the nbgrader course (with a partly right
// submission), the checkers' tests, which hold right answers, and assign's,
// which test the reference notebooks.
var teacherOnly = []string{"classroom/*", "lib/classroom/*_test.go", "cmd/assign/*_test.go"}

// skipHandout reports whether the module file rel (slash-separated) stays out
// of the handout: the reference assignments (refDir), the teacherOnly files,
// and the handout itself when it lies in the module.
func skipHandout(rel, refDir, outDir string) bool {
	for _, d := range []string{refDir, outDir, "classroom"} {
		if d != "" && d != "." && (rel == d || strings.HasPrefix(rel, d+"/")) {
			return true
		}
	}
	for _, pattern := range teacherOnly {
		if ok, _ := path.Match(pattern, rel); ok {
			return true
		}
	}
	return false
}

// moduleFiles lists the module's files, slash-separated and relative to
// root: those git tracks and the untracked ones it does not ignore, or, out
// of a git checkout, every file but those in hidden folders.
func moduleFiles(root string) ([]string, error) {
	cmd := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	var files []string
	if b, err := cmd.Output(); err == nil {
		for _, f := range strings.Split(string(b), "\x00") {
			if f == "" {
				continue
			}
			if fi, err := os.Lstat(filepath.Join(root, f)); err == nil && fi.Mode().IsRegular() {
				files = append(files, f)
			}
		}
		slices.Sort(files)
		return slices.Compact(files), nil
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	return files, err
}

// clearHandout empties out when it is a handout written before (or holds
// notebooks only, as the student versions of older releases did), and
// refuses any other folder.
func clearHandout(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	ok := true
	for _, e := range entries {
		if e.Name() == handoutMark {
			ok = true
			break
		}
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".ipynb") {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("%s exists and is not a handout written by assign: remove it or choose another -out", out)
	}
	return os.RemoveAll(out)
}

// writeHandout writes the students' folder out: the module that holds the
// reference notebooks of dir, without them and without classroom/, and the
// student versions of the notebooks in their place.
func writeHandout(dir, out string) error {
	root, err := modroot.From(dir)
	if err != nil {
		return err
	}
	rel := func(p string) string {
		abs, err := filepath.Abs(p)
		if err != nil {
			return ""
		}
		r, err := filepath.Rel(root, abs)
		if err != nil || strings.HasPrefix(r, "..") {
			return ""
		}
		return filepath.ToSlash(r)
	}
	refDir, outDir := rel(dir), rel(out)
	if refDir == "" {
		return fmt.Errorf("%s is not inside the module at %s", dir, root)
	}
	names, paths, err := references(dir)
	if err != nil {
		return err
	}
	students := map[string][]byte{}
	for _, name := range names {
		b, err := os.ReadFile(paths[name])
		if err != nil {
			return err
		}
		if students[name], err = Student(b); err != nil {
			return fmt.Errorf("%s: %w", paths[name], err)
		}
	}
	files, err := moduleFiles(root)
	if err != nil {
		return err
	}
	if err := clearHandout(out); err != nil {
		return err
	}
	for _, f := range files {
		if skipHandout(f, refDir, outDir) {
			continue
		}
		if err := copyFile(filepath.Join(root, filepath.FromSlash(f)), filepath.Join(out, filepath.FromSlash(f))); err != nil {
			return err
		}
	}
	for _, name := range names {
		dst := filepath.Join(out, filepath.FromSlash(refDir), name+".ipynb")
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, students[name], 0o644); err != nil {
			return err
		}
		fmt.Println("assign: wrote", dst)
	}
	if err := os.WriteFile(filepath.Join(out, "ASSIGNMENTS.md"), []byte(handoutReadme), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, handoutMark), []byte("written by go run ./cmd/assign: replaced by the next run\n"), 0o644)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// leaks returns the handout files under out that hold a reference answer or
// hidden test of the notebooks of dir: the text of a solution or hidden test
// region, or a region marker in a notebook.
func leaks(dir, out string) ([]string, error) {
	refs, err := loadReferences(dir)
	if err != nil {
		return nil, err
	}
	var secrets []string
	for _, r := range refs {
		for _, c := range r.nb.cells {
			secrets = append(secrets, regions(c.source())...)
		}
	}
	var found []string
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".ipynb") && (bytes.Contains(b, []byte("BEGIN SOLUTION")) || bytes.Contains(b, []byte("BEGIN HIDDEN TESTS"))) {
			found = append(found, p+": a region marker")
			return nil
		}
		text := strings.ReplaceAll(string(b), `\n`, "\n") // a notebook's JSON lines
		text = strings.ReplaceAll(text, `\t`, "\t")
		for _, s := range secrets {
			if strings.Contains(text, s) {
				found = append(found, fmt.Sprintf("%s: %q", p, firstLine(s)))
				break
			}
		}
		return nil
	})
	return found, err
}

// regions returns the text between the region markers of a cell's source.
func regions(src string) []string {
	var out []string
	var cur []string
	in := false
	for _, l := range strings.Split(src, "\n") {
		switch strings.TrimSpace(l) {
		case BeginSolution, BeginHidden:
			in, cur = true, nil
		case EndSolution, EndHidden:
			in = false
			if s := strings.TrimSpace(strings.Join(cur, "\n")); s != "" {
				out = append(out, strings.Join(cur, "\n"))
			}
		default:
			if in {
				cur = append(cur, l)
			}
		}
	}
	return out
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

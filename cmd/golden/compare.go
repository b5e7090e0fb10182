package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot/cmpimg"
)

// Tol is the tolerance of a numeric column: got and golden agree when
// |got − golden| ≤ Abs + Rel·|golden|. Why says where the looseness comes
// from; the default needs no reason.
type Tol struct {
	Abs, Rel float64
	Why      string
}

// String formats the tolerance for messages: "1e-12 + 1e-09·|golden|".
func (t Tol) String() string { return fmt.Sprintf("%g + %g·|golden|", t.Abs, t.Rel) }

// ok reports whether got is within the tolerance of want.
func (t Tol) ok(got, want float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.IsNaN(got) && math.IsNaN(want)
	}
	if math.IsInf(got, 0) || math.IsInf(want, 0) {
		return got == want
	}
	return math.Abs(got-want) <= t.Abs+t.Rel*math.Abs(want)
}

// Tolerances gives the tolerance of each numeric column of each CSV file,
// keyed "file:column" (file without .csv, such as "fig3" or "fig4_points"),
// and a Default for the others.
type Tolerances struct {
	Default Tol
	Column  map[string]Tol
}

// For returns the tolerance of column col of file.
func (ts Tolerances) For(file, col string) Tol {
	if t, ok := ts.Column[file+":"+col]; ok {
		return t
	}
	return ts.Default
}

// maxReported is the number of differences listed per file.
const maxReported = 10

// CompareCSV compares the CSV got with its golden want: the same header, the
// same number of rows, identical text in every non-numeric cell and numbers
// within tol (a cell is numeric when the golden's cell parses as a float;
// empty cells must stay empty). It returns one message per difference,
// naming the file, the column, the row (1 is the first data row, with the
// row's leading fields as a key) and both values.
func CompareCSV(file string, got, want []byte, tols Tolerances) ([]string, error) {
	g, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s.csv: reading the output: %w", file, err)
	}
	w, err := csv.NewReader(bytes.NewReader(want)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s.csv: reading the golden: %w", file, err)
	}
	if len(g) == 0 || len(w) == 0 {
		return nil, fmt.Errorf("%s.csv: empty file (output %d lines, golden %d)", file, len(g), len(w))
	}
	if !slicesEqual(g[0], w[0]) {
		return []string{fmt.Sprintf("%s.csv: header %v differs from the golden's %v", file, g[0], w[0])}, nil
	}
	header := w[0]
	var diffs []string
	if len(g) != len(w) {
		diffs = append(diffs, fmt.Sprintf("%s.csv: %d data rows, the golden has %d", file, len(g)-1, len(w)-1))
	}
	more := 0
	for r := 1; r < min(len(g), len(w)); r++ {
		for c, col := range header {
			gv, wv := g[r][c], w[r][c]
			if gv == wv {
				continue
			}
			wf, werr := strconv.ParseFloat(wv, 64)
			gf, gerr := strconv.ParseFloat(gv, 64)
			var msg string
			switch {
			case werr != nil || gerr != nil:
				msg = fmt.Sprintf("got %q, golden %q", gv, wv)
			default:
				tol := tols.For(file, col)
				if tol.ok(gf, wf) {
					continue
				}
				msg = fmt.Sprintf("got %s, golden %s (|difference| %.3g > %s)", gv, wv, math.Abs(gf-wf), tol)
			}
			if len(diffs) >= maxReported {
				more++
				continue
			}
			diffs = append(diffs, fmt.Sprintf("%s.csv: column %s, row %d (%s): %s", file, col, r, rowKey(header, w[r]), msg))
		}
	}
	if more > 0 {
		diffs = append(diffs, fmt.Sprintf("%s.csv: and %d more differences", file, more))
	}
	return diffs, nil
}

// ComparePNG compares the PNG got with its golden want by gonum/plot's
// cmpimg.EqualApprox: every pixel within delta (0 exact, 1 anything) in
// YIQ colour distance, and the same size.
func ComparePNG(file string, got, want []byte, delta float64) ([]string, error) {
	ok, err := cmpimg.EqualApprox("png", got, want, delta)
	if err != nil {
		return nil, fmt.Errorf("%s.png: %w", file, err)
	}
	if !ok {
		return []string{fmt.Sprintf("%s.png: differs from the golden beyond delta = %g (cmpimg.EqualApprox)", file, delta)}, nil
	}
	return nil, nil
}

func slicesEqual(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

// rowKey describes a row by its leading fields, "grid = equispaced, m = 17":
// the first two of a table with three or more columns, else the first.
func rowKey(header, row []string) string {
	k := 1
	if len(header) >= 3 {
		k = 2
	}
	parts := make([]string, k)
	for i := range k {
		parts[i] = header[i] + " = " + row[i]
	}
	return strings.Join(parts, ", ")
}

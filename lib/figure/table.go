package figure

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"regexp"
	"strconv"
)

// Table is a tidy table of a figure's data: a header and rows of equal length.
// Numbers are formatted with strconv's shortest representation ('g', -1), so a
// value read back with strconv.ParseFloat is the float64 that was plotted.
type Table struct {
	// Name tells a figure's tables apart: the first table of a figure is
	// written as <id>.csv whatever its name, the others as <id>_<Name>.csv.
	Name   string
	Header []string
	rows   [][]string
}

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// NewTable returns an empty table with the given column names. Names must be
// distinct lower-case identifiers ([a-z0-9_-]), as the figures' CSV columns
// are (grid, n, abs_error, …).
func NewTable(name string, columns ...string) (*Table, error) {
	if name != "" && !namePattern.MatchString(name) {
		return nil, fmt.Errorf("figure: table name %q invalid: use lower-case letters, digits, '-' and '_'", name)
	}
	if len(columns) == 0 {
		return nil, fmt.Errorf("figure: table %q has no columns: give at least one column name", name)
	}
	seen := make(map[string]bool, len(columns))
	for _, c := range columns {
		if !namePattern.MatchString(c) {
			return nil, fmt.Errorf("figure: column name %q invalid: use lower-case letters, digits, '-' and '_'", c)
		}
		if seen[c] {
			return nil, fmt.Errorf("figure: column %q appears twice in table %q", c, name)
		}
		seen[c] = true
	}
	return &Table{Name: name, Header: append([]string(nil), columns...)}, nil
}

// Append adds one row. Each value is a string, an integer, a bool or a
// float; a NaN float is written as the empty field (a missing value, as
// fig3's samples where m(ε) is never reached) and ±Inf as "inf"/"-inf".
// Append returns an error when the number of values differs from the
// number of columns or a value has another type.
func (t *Table) Append(values ...any) error {
	if len(values) != len(t.Header) {
		return fmt.Errorf("figure: table %q row has %d values, want %d (%v)", t.Name, len(values), len(t.Header), t.Header)
	}
	row, err := t.format(values)
	if err != nil {
		return err
	}
	t.rows = append(t.rows, row)
	return nil
}

// format formats the first len(values) fields of a row, naming the column
// of a value it cannot format.
func (t *Table) format(values []any) ([]string, error) {
	row := make([]string, len(values))
	for i, v := range values {
		s, err := format(v)
		if err != nil {
			return nil, fmt.Errorf("figure: table %q column %q: %w", t.Name, t.Header[i], err)
		}
		row[i] = s
	}
	return row, nil
}

// Len returns the number of rows.
func (t *Table) Len() int { return len(t.rows) }

// Row returns a copy of row i as strings.
func (t *Table) Row(i int) []string { return append([]string(nil), t.rows[i]...) }

// CSV returns the table as RFC 4180 CSV with a header row.
func (t *Table) CSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(t.Header); err != nil {
		return nil, err
	}
	if err := w.WriteAll(t.rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func format(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint8:
		return strconv.Itoa(int(x)), nil
	case float32:
		return formatFloat(float64(x), 32), nil
	case float64:
		return formatFloat(x, 64), nil
	}
	return "", fmt.Errorf("value %v of type %T not supported: use a string, int, bool or float", v, v)
}

func formatFloat(x float64, bits int) string {
	switch {
	case math.IsNaN(x):
		return ""
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	return strconv.FormatFloat(x, 'g', -1, bits)
}

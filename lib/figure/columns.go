package figure

import "fmt"

// AppendColumns appends one row for each index k of the columns: the values
// of lead, then cols[0][k], cols[1][k], …; a curve's points under the labels
// that name it, as in t.AppendColumns([]any{"chebyshev", 17}, xs, fx, px).
// Values are formatted as by Append. It returns an error, and appends
// nothing, when the columns differ in length or a row would not fit the
// header.
func (t *Table) AppendColumns(lead []any, cols ...[]float64) error {
	if len(lead)+len(cols) != len(t.Header) {
		return fmt.Errorf("figure: table %q: %d leading values and %d columns, want %d fields (%v)", t.Name, len(lead), len(cols), len(t.Header), t.Header)
	}
	head, err := t.format(lead)
	if err != nil {
		return err
	}
	n := 0
	for j, c := range cols {
		if j > 0 && len(c) != n {
			return fmt.Errorf("figure: table %q: column %q has %d values and column %q has %d: they must match", t.Name, t.Header[len(lead)+j], len(c), t.Header[len(lead)], n)
		}
		n = len(c)
	}
	for k := range n {
		row := append(make([]string, 0, len(t.Header)), head...)
		for _, c := range cols {
			row = append(row, formatFloat(c[k], 64))
		}
		t.rows = append(t.rows, row)
	}
	return nil
}

// Recorder is a row that writes itself as CSV fields under a header of its
// own, as cheb.CurvePoint and cheb.SampleCount do.
type Recorder interface {
	Header() []string
	Record() []string
}

// RecordTable returns the table named name whose header is R's Header
// (called on the zero R) and whose rows are the records of rows, in order. It returns an error when a
// record does not have one field per column or a column name is invalid.
func RecordTable[R Recorder](name string, rows []R) (*Table, error) {
	var zero R
	t, err := NewTable(name, zero.Header()...)
	if err != nil {
		return nil, err
	}
	for i, r := range rows {
		rec := r.Record()
		if len(rec) != len(t.Header) {
			return nil, fmt.Errorf("figure: table %q record %d has %d fields, want %d (%v)", name, i, len(rec), len(t.Header), t.Header)
		}
		t.rows = append(t.rows, append([]string(nil), rec...))
	}
	return t, nil
}

package adversarial

import (
	"encoding/csv"
	"fmt"
	"os"
)

// readTable reads the CSV file at path and checks that its header holds
// every one of columns (in any order; other columns are allowed). It returns
// the records, header included, and the index of each header name.
func readTable(path string, columns []string) (recs [][]string, col map[string]int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("adversarial: %w", err)
	}
	defer f.Close()
	recs, err = csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("adversarial: %s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, nil, fmt.Errorf("adversarial: %s: empty: need a header %v", path, columns)
	}
	col = make(map[string]int)
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, c := range columns {
		if _, ok := col[c]; !ok {
			return nil, nil, fmt.Errorf("adversarial: %s: no column %q: need %v", path, c, columns)
		}
	}
	return recs, col, nil
}

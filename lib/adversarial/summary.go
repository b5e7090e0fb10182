package adversarial

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// selectRows returns the rows with the given training and attack at ε (within
// 1e-9) over n images (n = 0: any), one per seed, in the order of rows.
func selectRows(rows []Row, training, attackName string, eps float64, n int) []Row {
	var out []Row
	for _, r := range rows {
		if r.Training == training && r.Attack == attackName && math.Abs(r.Epsilon-eps) < 1e-9 && (n == 0 || r.N == n) {
			out = append(out, r)
		}
	}
	return out
}

// Stat is an accuracy summarised over seeds: the mean, the smallest and the
// largest, and the seeds it covers.
type Stat struct {
	Mean, Min, Max float64
	Seeds          int
}

// Spread returns Max − Min.
func (s Stat) Spread() float64 { return s.Max - s.Min }

// String returns "91.2%" for one seed and "91.2% (90.8 to 91.5, 3 seeds)"
// for several.
func (s Stat) String() string {
	if s.Seeds <= 1 {
		return fmt.Sprintf("%.1f%%", 100*s.Mean)
	}
	return fmt.Sprintf("%.1f%% (%.1f to %.1f, %d seeds)", 100*s.Mean, 100*s.Min, 100*s.Max, s.Seeds)
}

// Summarize returns the Stat of the rows selectRows picks, or an error naming
// what is missing.
func Summarize(rows []Row, training, attackName string, eps float64, n int) (Stat, error) {
	sel := selectRows(rows, training, attackName, eps, n)
	if len(sel) == 0 {
		return Stat{}, fmt.Errorf("adversarial: no row for %s training under %s at ε = %g (n = %d)", training, attackName, eps, n)
	}
	s := Stat{Min: math.Inf(1), Max: math.Inf(-1), Seeds: len(sel)}
	for _, r := range sel {
		s.Mean += r.Accuracy / float64(len(sel))
		s.Min, s.Max = min(s.Min, r.Accuracy), max(s.Max, r.Accuracy)
	}
	return s, nil
}

// Curve returns the mean, smallest and largest accuracy over seeds along
// the ε grid eps.
func Curve(rows []Row, training, attackName string, eps []float64, n int) (mean, lo, hi []float64, err error) {
	for _, e := range eps {
		s, err := Summarize(rows, training, attackName, e, n)
		if err != nil {
			return nil, nil, nil, err
		}
		mean, lo, hi = append(mean, s.Mean), append(lo, s.Min), append(hi, s.Max)
	}
	return mean, lo, hi, nil
}

// SubsetN returns the number of images of the ensemble's ε grid in rows:
// the smallest N of the rows with attack "ensemble" (0 if there are none).
func SubsetN(rows []Row) int {
	n := 0
	for _, r := range rows {
		if r.Attack == AttackEnsemble && (n == 0 || r.N < n) {
			n = r.N
		}
	}
	return n
}

// formatTable returns the mean accuracies in percent, one line per attack
// and training (in Methods' order) and one column per ε; n picks the rows'
// image count per attack (0: any, as selectRows).
func formatTable(rows []Row, eps []float64, attacks []string, n map[string]int) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-22s", "training / attack")
	for _, e := range eps {
		fmt.Fprintf(&b, " %6.3f", e)
	}
	b.WriteByte('\n')
	for _, a := range attacks {
		for _, m := range Methods {
			mean, _, _, err := Curve(rows, m.String(), a, eps, n[a])
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "%-22s", m.String()+" / "+a)
			for _, v := range mean {
				fmt.Fprintf(&b, " %5.1f%%", 100*v)
			}
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}

// Seeds returns the distinct seeds of rows, in increasing order.
func Seeds(rows []Row) []uint64 { return distinctSeeds(rows, func(r Row) uint64 { return r.Seed }) }

// distinctSeeds returns the distinct seeds of rows, in increasing order.
func distinctSeeds[R any](rows []R, seed func(R) uint64) []uint64 {
	var s []uint64
	for _, r := range rows {
		if !slices.Contains(s, seed(r)) {
			s = append(s, seed(r))
		}
	}
	slices.Sort(s)
	return s
}

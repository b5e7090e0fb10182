package crosscheck_test

import (
	"fmt"
	"os"

	"pointwise/crosscheck"
)

// Two seeds of each training on each side: the table's verdict asks
// whether the means differ by no more than the larger range over seeds.
func ExampleCompare() {
	var runs []crosscheck.Run
	acc := map[string][2]float64{"standard": {0.05, 0.07}, "pgd": {0.84, 0.86}, "hard": {0.44, 0.48}}
	for _, impl := range []string{crosscheck.Go, crosscheck.PyTorch} {
		for _, m := range []string{"standard", "pgd", "hard"} {
			for s, a := range acc[m] {
				if impl == crosscheck.PyTorch && m == "hard" {
					a -= 0.1 // PyTorch's hard training 10 points lower: beyond the range
				}
				runs = append(runs, crosscheck.Run{Impl: impl, Dataset: "mnist", Method: m, Seed: uint64(s + 1),
					Epochs: 5, TrainN: 60000, TestN: 10000, Eps: 0.1, Clean: 0.98, PGD20: a})
			}
		}
	}
	cs, err := crosscheck.Compare(runs)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := crosscheck.Format(os.Stdout, cs); err != nil {
		fmt.Println(err)
	}
	// Output:
	// dataset        training  measure Go mean [min–max]      PyTorch mean [min–max]       Δ  bound  verdict
	// mnist          standard  clean    98.00 [98.00–98.00]    98.00 [98.00–98.00]     +0.00   0.00  agree
	// mnist          standard  PGD-20    6.00 [5.00–7.00]       6.00 [5.00–7.00]       +0.00   2.00  agree
	// mnist          pgd       clean    98.00 [98.00–98.00]    98.00 [98.00–98.00]     +0.00   0.00  agree
	// mnist          pgd       PGD-20   85.00 [84.00–86.00]    85.00 [84.00–86.00]     +0.00   2.00  agree
	// mnist          hard      clean    98.00 [98.00–98.00]    98.00 [98.00–98.00]     +0.00   0.00  agree
	// mnist          hard      PGD-20   46.00 [44.00–48.00]    36.00 [34.00–38.00]    -10.00   4.00  differ
	// Accuracies in % on the test images; Δ = PyTorch mean − Go mean; bound = the larger of the two
	// ranges (max − min over seeds); verdict: agree when |Δ| ≤ bound.
}

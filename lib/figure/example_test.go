package figure_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"pointwise/lib/figure"
)

func Example() {
	tab, err := figure.NewTable("", "x", "y")
	if err != nil {
		log.Fatal(err)
	}
	xs, ys := make([]float64, 21), make([]float64, 21)
	for i := range xs {
		xs[i] = float64(i) / 20
		ys[i] = math.Sqrt(xs[i])
		tab.Append(xs[i], ys[i])
	}
	p := figure.NewPlot("square root", "x", "√x")
	if err := figure.Line(p, "√x", 0, xs, ys); err != nil {
		log.Fatal(err)
	}
	f, _ := figure.New("sqrt", p)
	f.AddTable(tab)

	dir, _ := os.MkdirTemp("", "figure")
	defer os.RemoveAll(dir)
	paths, err := f.Save(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range paths {
		fmt.Println(filepath.Base(p))
	}
	// Output:
	// sqrt.png
	// sqrt.svg
	// sqrt.csv
}

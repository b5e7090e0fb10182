package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// # Products-alone bounds
//
// A row can go no faster than its matrix products. At the rates the products
// table measured (batch 128, w = 256), row r spends at least
//
//	t_r = Σᵢ nᵢ·fᵢ/ρᵢ  per sample,
//
// over the products i it computes nᵢ times, with fᵢ = 2·m·n·k/128 flops per
// sample and ρᵢ the product's GFLOP/s; 1/t_r bounds its samples/s whatever
// else it does. The products of each row are those counted in flops.go:
//
//	forward        Fwd784x256, Fwd256x256, Fwd256x10              (F)
//	input gradient BwdX10x256, BwdX256x256, BwdX256x784           (F)
//	training step  forward, BwdX10x256, BwdX256x256 and the three
//	               weight gradients BwdW784x256, BwdW256x256, BwdW256x10 (3F − F₁)
//	attack step    forward and input gradient                    (2F)
//	hard step      the attack step with the heads Fwd256x80 and BwdX80x256
//	               in place of Fwd256x10 and BwdX10x256     (2(F − H + K·H))
//
// so that Σᵢ nᵢ·fᵢ is flopsPerSample(r, 256) (TestBoundProductsCountTheFlops).
var rowProducts = func() map[string]map[string]int {
	forward := []string{"Fwd784x256", "Fwd256x256", "Fwd256x10"}
	inputGrad := []string{"BwdX10x256", "BwdX256x256", "BwdX256x784"}
	train := append(append([]string{"BwdX10x256", "BwdX256x256"}, forward...), "BwdW784x256", "BwdW256x256", "BwdW256x10")
	add := func(m map[string]int, names []string, n int) map[string]int {
		for _, p := range names {
			m[p] += n
		}
		return m
	}
	attack := func(steps int) map[string]int {
		return add(add(map[string]int{}, forward, steps), inputGrad, steps)
	}
	hard := func(steps int) map[string]int {
		return add(map[string]int{}, []string{"Fwd784x256", "Fwd256x256", "Fwd256x80", "BwdX80x256", "BwdX256x256", "BwdX256x784"}, steps)
	}
	return map[string]map[string]int{
		"a_inference":   add(map[string]int{}, forward, 1),
		"b_train":       add(map[string]int{}, train, 1),
		"c_fgsm_train":  add(attack(1), train, 1),
		"d_pgd10_train": add(attack(10), train, 1),
		"e_hard_train":  add(hard(10), train, 1),
		"f_pgd20_eval":  add(attack(20), forward, 1),
	}
}()

// boundBatch is the batch of the measured products.
const boundBatch = 128

// perSample returns the flops per sample of product g at boundBatch.
func (g gemm) perSample() float64 { return 2 * float64(g.m) * float64(g.n) * float64(g.k) / boundBatch }

// productsBound returns the least seconds per sample of row's products at the
// rates gflop gives, and false when the row has no bound or a rate is
// missing.
func productsBound(row string, gflop map[string][]float64) (float64, bool) {
	uses, ok := rowProducts[row]
	if !ok {
		return 0, false
	}
	var t float64
	for _, g := range gemms {
		n := uses[g.name]
		if n == 0 {
			continue
		}
		v := gflop[g.name]
		if len(v) == 0 {
			return 0, false
		}
		t += float64(n) * g.perSample() / (median(v) * 1e9)
	}
	return t, true
}

// writeBounds prints, for each row with a bound and each configuration of
// the products table, the products' least µs per sample and the samples/s
// that allows against the fastest PyTorch configuration of the main table.
func writeBounds(w io.Writer, cw *csv.Writer, mach string, d *data, cfgs []*config) {
	if len(d.gemm) == 0 {
		return
	}
	fmt.Fprintf(w, "\nProducts alone: the least µs per sample of each row's products at the rates above, and the most samples/s that allows as a multiple of the fastest PyTorch's\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"row", "fastest PyTorch"}
	for _, gc := range d.gemm {
		head = append(head, gc.name+" µs", "at most")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, r := range rows {
		if _, ok := rowProducts[r.key]; !ok {
			continue
		}
		c := mainCell(r.key)
		vs := compare(cfgs, c)
		best, hasBest := vs.rate, vs.best != nil
		cells := []string{r.what, vs.name()}
		for _, gc := range d.gemm {
			t, ok := productsBound(r.key, gc.gflop)
			if !ok {
				cells = append(cells, "", "")
				continue
			}
			ratio := ""
			rec := make([]string, len(csvHeader))
			rec[0], rec[1], rec[2], rec[3], rec[4], rec[5] = mach, "bound", r.key, strconv.Itoa(mainWidth), strconv.Itoa(mainBatch), gc.name
			rec[6] = strconv.FormatFloat(1/t, 'f', 0, 64)
			if hasBest && best > 0 {
				ratio = fmt.Sprintf("%.2f×", 1/t/best)
				rec[14], rec[15] = vs.name(), strconv.FormatFloat(1/t/best, 'f', 3, 64)
			}
			rec[16] = "samples/s if the row did nothing but its products at this configuration's rates"
			cw.Write(rec)
			cells = append(cells, strconv.FormatFloat(t*1e6, 'f', 2, 64), ratio)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
}

package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The flop counts of flops.go, worked by hand: at w = 256,
// F = 2·(784·256 + 256·256 + 256·10) = 2·268,800 = 537,600,
// F₁ = 2·784·256 = 401,408 and H = 2·256·10 = 5,120; at w = 512,
// F = 2·(401,408 + 262,144 + 5,120) = 1,337,344 and F₁ = 802,816.
func TestFlopsPerSample(t *testing.T) {
	for _, tc := range []struct {
		row  string
		w    int
		want float64
	}{
		{"a_inference", 256, 537600},
		{"b_train", 256, 3*537600 - 401408},                                    // 1,211,392
		{"c_fgsm_train", 256, 2*537600 + 1211392},                              // 2,286,592
		{"d_pgd10_train", 256, 20*537600 + 1211392},                            // 11,963,392
		{"e_hard_train", 256, 20*(537600-5120+8*5120) + 1211392},               // 12,680,192
		{"f_pgd20_eval", 256, 41 * 537600},                                     // 22,041,600
		{"b_train", 512, 3*1337344 - 802816},                                   // 3,209,216
		{"f_pgd20_eval", 512, 41 * 1337344},                                    // 54,831,104
		{"e_hard_train", 512, 20*(1337344-10240+8*10240) + 3*1337344 - 802816}, // H = 10,240
	} {
		got, err := flopsPerSample(tc.row, tc.w)
		if err != nil || got != tc.want {
			t.Errorf("flopsPerSample(%s, %d) = %v, %v; want %v", tc.row, tc.w, got, err, tc.want)
		}
	}
	if _, err := flopsPerSample("z_unknown", 256); err == nil {
		t.Error("flopsPerSample of an unknown row: no error")
	}
	// 10,000 samples/s of inference at w = 256 are 537,600·10⁴ flops/s.
	if g := gflops("a_inference", 256, 1e4); math.Abs(g-5.376) > 1e-12 {
		t.Errorf("gflops = %v, want 5.376", g)
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		x    []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(tc.x); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
}

const goOutput = `goos: linux
BenchmarkInference-2                     	    1000	   1000000 ns/op	    128000 samples/s	       0 B/op	       0 allocs/op
BenchmarkTrainStep-2                     	     100	   4000000 ns/op	     32000 samples/s	       0 B/op	       0 allocs/op
BenchmarkTrainStep-2                     	     100	   4000000 ns/op	     30000 samples/s	       0 B/op	       2 allocs/op
BenchmarkTrainStepSweep/w=512/b=2048-2   	       3	  87122790 ns/op	     23507 samples/s	       0 B/op	       0 allocs/op
BenchmarkPGD20EvalSweep/w=1024/b=128     	       1	 476635460 ns/op	       268.5 samples/s	       0 B/op	       0 allocs/op
BenchmarkFwd784x256-2                    	     316	   1614381 ns/op	        31.83 GFLOP/s	      23 B/op	       0 allocs/op
BenchmarkGemm32-2                        	     316	   1614381 ns/op	        31.83 GFLOP/s	      23 B/op	       0 allocs/op
PASS
`

func TestReadGo(t *testing.T) {
	rs, gs := results{}, map[string][]float64{}
	if err := readGo(strings.NewReader(goOutput), "go.txt", rs, gs); err != nil {
		t.Fatal(err)
	}
	for c, want := range map[cell][]float64{
		{"a_inference", 256, 128}:   {128000},
		{"b_train", 256, 128}:       {32000, 30000},
		{"b_train", 512, 2048}:      {23507},
		{"f_pgd20_eval", 1024, 128}: {268.5},
	} {
		if got := rs[c]; got == nil || !equal(got.rate, want) {
			t.Errorf("%v: %+v, want rates %v", c, got, want)
		}
	}
	if len(rs) != 4 {
		t.Errorf("%d cells, want 4: %v", len(rs), rs)
	}
	if a := rs[cell{"b_train", 256, 128}].allocs; !equal(a, []float64{0, 2}) {
		t.Errorf("allocs %v, want [0 2]", a)
	}
	// BenchmarkGemm32 is no product of the list.
	if len(gs) != 1 || !equal(gs["Fwd784x256"], []float64{31.83}) {
		t.Errorf("products %v, want Fwd784x256: [31.83]", gs)
	}
	if err := readGo(strings.NewReader("PASS\n"), "empty.txt", results{}, gs); err == nil {
		t.Error("no results: no error")
	}
	bad := "BenchmarkTrainStepSweep/w512-2 1 2 ns/op 3 samples/s\n"
	if err := readGo(strings.NewReader(bad), "bad.txt", results{}, gs); err == nil {
		t.Error("malformed sub-benchmark name: no error")
	}
}

const torchCSV = `torch,threads,mode,row,width,batch,samples_per_s,gflops,warmup_s,note
2.15.0+cu132,2,compile,a_inference,256,128,1000.0,,20.5,
2.15.0+cu132,2,mm,gemm_Square2048,,,,150.00,0.1,
torch,threads,mode,row,width,batch,samples_per_s,gflops,warmup_s,note
2.15.0+cu132,2,compile,a_inference,256,128,3000.0,,2.5,
2.15.0+cu132,2,compile,b_train,512,2048,400.0,,1.0,
1.13.0a0,2,compile,a_inference,256,128,,,,n/a: torch 1.13.0a0 has no torch.compile
`

func TestReadTorch(t *testing.T) {
	tr := torchRun{rows: map[torchConfig]results{}, gemms: map[torchConfig]map[string][]float64{}}
	if err := readTorch(strings.NewReader(torchCSV), "t.csv", torchConfig{}, &tr); err != nil {
		t.Fatal(err)
	}
	comp := torchConfig{"2.15.0+cu132", 2, "compile"}
	a := tr.rows[comp][mainCell("a_inference")]
	if a == nil || !equal(a.rate, []float64{1000, 3000}) || !equal(a.warm, []float64{20.5, 2.5}) {
		t.Errorf("2.15 compiled (2) inference: %+v", a)
	}
	if b := tr.rows[comp][cell{"b_train", 512, 2048}]; b == nil || !equal(b.rate, []float64{400}) {
		t.Errorf("2.15 compiled (2) sweep cell: %+v", b)
	}
	old := tr.rows[torchConfig{"1.13.0a0", 2, "compile"}][mainCell("a_inference")]
	if old == nil || len(old.rate) != 0 || old.note != "n/a: torch 1.13.0a0 has no torch.compile" {
		t.Errorf("1.13 compiled: %+v, want its n/a", old)
	}
	if g := tr.gemms[torchConfig{"2.15.0+cu132", 2, "mm"}]["Square2048"]; !equal(g, []float64{150}) {
		t.Errorf("products: %v", tr.gemms)
	}

	// The format before versions and modes: one process's rows.
	tr = torchRun{rows: map[torchConfig]results{}, gemms: map[torchConfig]map[string][]float64{}}
	oldCfg := torchConfig{threads: 1, mode: "eager"}
	if err := readTorch(strings.NewReader("row,samples_per_s\nb_train,29373.1\nb_train,29000\n"), "torch1.csv", oldCfg, &tr); err != nil {
		t.Fatal(err)
	}
	if r := tr.rows[oldCfg][mainCell("b_train")]; r == nil || !equal(r.rate, []float64{29373.1, 29000}) {
		t.Errorf("old format: %+v", tr.rows)
	}
}

func TestTorchConfigName(t *testing.T) {
	for _, tc := range []struct {
		cfg  torchConfig
		want string
	}{
		{torchConfig{"1.13.0a0", 1, "eager"}, "PyTorch 1.13 (1)"},
		{torchConfig{"1.13.0a0", 2, "compile"}, "PyTorch 1.13 compiled (2)"},
		{torchConfig{"2.15.0+cu132", 2, "eager"}, "PyTorch 2.15 eager (2)"},
		{torchConfig{"2.15.0", 1, "compile"}, "PyTorch 2.15 compiled (1)"},
		{torchConfig{"2.15.0+cu132", 2, "mm"}, "PyTorch 2.15 mm (2)"},
		{torchConfig{"", 2, "eager"}, "PyTorch (2)"},
	} {
		if got := tc.cfg.name(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.cfg, got, tc.want)
		}
	}
}

func TestReadMachine(t *testing.T) {
	in := "CPU(s):                                  2\nModel name:                              Intel(R) Xeon(R) Processor @ 2.60GHz\nnproc: 2\n" +
		"bench: round 1 of 2, load average 0.50 0.30 0.10\nbench: round 2 of 2, load average 1.25 0.40 0.20\n"
	m, err := readMachine(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if m.model != "Intel(R) Xeon(R) Processor @ 2.60GHz" || m.cpus != "2" || !equal(m.loads, []float64{0.5, 1.25}) {
		t.Errorf("%+v", m)
	}
}

// TestRun writes small result files whose numbers make the derived columns
// easy to check by hand, runs the command and reads its CSV.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Go openblas: 30,000 samples/s on (b); PyTorch: eager (2) 10,000 and
	// 20,000 (median 15,000), compiled (2) 20,000: the fastest, so
	// Go/fastest = 1.5. The peak is Go's 2048² product, 100 GFLOP/s over
	// PyTorch's 80; (b) at 30,000 samples/s does 1,211,392·3·10⁴ flops/s,
	// 36.34176 GFLOP/s, 0.3634 of the peak.
	gof := write("openblas.txt", "BenchmarkTrainStep-2 10 1 ns/op 30000 samples/s 0 B/op 0 allocs/op\n"+
		"BenchmarkTrainStepSweep/w=512/b=2048-2 1 1 ns/op 6000 samples/s 0 B/op 0 allocs/op\n")
	gemm := write("gemm.txt", "BenchmarkSquare2048-2 1 1 ns/op 100 GFLOP/s\nBenchmarkFwd784x256-2 1 1 ns/op 40 GFLOP/s\n")
	tf := write("torch2.csv", "torch,threads,mode,row,width,batch,samples_per_s,gflops,warmup_s,note\n"+
		"2.15.0,2,eager,b_train,256,128,10000,,0.1,\n2.15.0,2,eager,b_train,256,128,20000,,0.1,\n"+
		"2.15.0,2,compile,b_train,256,128,20000,,9.0,\n"+
		"2.15.0,2,compile,b_train,512,2048,12000,,9.0,\n"+
		"2.15.0,2,compile,e_hard_train,256,128,,,,n/a: compile failed: boom\n"+
		"2.15.0,2,mm,gemm_Square2048,,,,80,0.1,\n")
	notes := write("notes.txt", "PyTorch 1.x: /usr/bin/python3 cannot import torch\nsomething else to say\n")
	csvPath := filepath.Join(dir, "out", "bench.csv")
	var out bytes.Buffer
	o := options{goFiles: specs{"openblas=" + gof}, gemmFiles: specs{"openblas=" + gemm}, torchFiles: specs{tf},
		notesFile: notes, ref: "openblas", csvPath: csvPath}
	if err := run(&out, o); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"1.50×", // (b): Go / fastest
		"2.15 compiled (2)",
		"PyTorch 1.x (1)[", // a missing column, with its footnote
		"PyTorch 1.x: not measured in this run: /usr/bin/python3 cannot import torch",
		"Go gonum: not measured in this run\n",
		"n/a[", "PyTorch 2.15 compiled (2): compile failed: boom",
		"100.0 GFLOP/s, Go openblas on Square2048 (2048×2048·2048×2048)",
		"36.3      36%", // (b): Go's GFLOP/s and fraction of the peak
		"0.50×",         // sweep w=512 b=2048: 6,000 / 12,000
		"Notes:\nsomething else to say",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	// One footnote for the two PyTorch 1.x columns it explains.
	if n := strings.Count(text, "PyTorch 1.x: not measured"); n != 1 {
		t.Errorf("%d footnotes for the missing PyTorch 1.x columns, want 1", n)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	find := func(section, row, width, config string) []string {
		for _, r := range recs[1:] {
			if r[col["section"]] == section && r[col["row"]] == row && r[col["width"]] == width && r[col["config"]] == config {
				return r
			}
		}
		t.Fatalf("no CSV line %s %s %s %s", section, row, width, config)
		return nil
	}
	r := find("main", "b_train", "256", "Go openblas")
	for k, want := range map[string]string{"samples_per_s": "30000", "flops_per_sample": "1211392", "gflops": "36.34",
		"peak_fraction": "0.363", "fastest_pytorch": "PyTorch 2.15 compiled (2)", "ratio_vs_fastest_pytorch": "1.500", "allocs_per_op": "0"} {
		if r[col[k]] != want {
			t.Errorf("main b_train Go openblas %s = %q, want %q", k, r[col[k]], want)
		}
	}
	if r := find("main", "b_train", "256", "PyTorch 2.15 eager (2)"); r[col["samples_per_s"]] != "15000" || r[col["runs"]] != "2" {
		t.Errorf("PyTorch 2.15 eager (2) median %q of %q runs, want 15000 of 2", r[col["samples_per_s"]], r[col["runs"]])
	}
	if r := find("main", "e_hard_train", "256", "PyTorch 2.15 compiled (2)"); r[col["note"]] != "n/a: compile failed: boom" {
		t.Errorf("n/a note %q", r[col["note"]])
	}
	if r := find("sweep", "b_train", "512", "Go openblas"); r[col["ratio_vs_fastest_pytorch"]] != "0.500" {
		t.Errorf("sweep ratio %q, want 0.500", r[col["ratio_vs_fastest_pytorch"]])
	}
	if r := find("peak", "Square2048", "", "Go openblas"); r[col["gflops"]] != "100.00" {
		t.Errorf("peak %q, want 100.00", r[col["gflops"]])
	}
	if r := find("gemm", "Fwd784x256", "", "Go openblas"); r[col["peak_fraction"]] != "0.400" {
		t.Errorf("Fwd784x256 peak fraction %q, want 0.400", r[col["peak_fraction"]])
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The products each bound sums are the products the roofline counts: at
// one rate ρ for every product, the bound of row r is ρ / flopsPerSample(r).
func TestBoundProductsCountTheFlops(t *testing.T) {
	const rate = 100.0 // GFLOP/s
	same := map[string][]float64{}
	for _, g := range gemms {
		same[g.name] = []float64{rate}
	}
	for _, r := range rows {
		tm, ok := productsBound(r.key, same)
		f, err := flopsPerSample(r.key, mainWidth)
		if err != nil || !ok {
			t.Fatalf("%s: bound %v, flops %v", r.key, ok, err)
		}
		if want := f / (rate * 1e9); math.Abs(tm-want) > 1e-12*want {
			t.Errorf("%s: %g s per sample at %g GFLOP/s, want %g (%g flops)", r.key, tm, rate, want, f)
		}
	}
	delete(same, "BwdX256x784")
	if _, ok := productsBound("f_pgd20_eval", same); ok {
		t.Error("a bound with the input gradient's rate missing")
	}
	delete(same, "Fwd256x80")
	if _, ok := productsBound("e_hard_train", same); ok {
		t.Error("a bound for the hard step with its heads' rate missing")
	}
	if _, ok := productsBound("b_train", same); !ok {
		t.Error("no bound for the training step, which does not need the first layer's input gradient")
	}
}

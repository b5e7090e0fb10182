package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// smallSet is a tiny data set of 3×2 images written by writeSet.
type smallSet struct {
	trainImages, testImages []byte // N×3×2 pixels
	trainLabels, testLabels []byte
}

const smallRows, smallCols = 3, 2

// newSmallSet returns 5 training and 4 test images with labels 0..9.
func newSmallSet() smallSet {
	return smallSet{
		trainImages: randomBytes(5*smallRows*smallCols, 5),
		testImages:  randomBytes(4*smallRows*smallCols, 6),
		trainLabels: []byte{0, 9, 3, 3, 7},
		testLabels:  []byte{1, 2, 8, 0},
	}
}

// writeSet writes s into dir as four IDX files, gzipped if gz, and returns
// their description with the SHA-256 sums of the bytes written.
func writeSet(t *testing.T, dir string, s smallSet, gz bool) Files {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ext := ""
	if gz {
		ext = ".gz"
	}
	write := func(name string, dims []uint32, data []byte) File {
		b := idxBytes(dims, data)
		if gz {
			b = gzipBytes(t, b)
		}
		if err := os.WriteFile(filepath.Join(dir, name+ext), b, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		return File{Name: name + ext, SHA256: []string{hex.EncodeToString(sum[:])}}
	}
	images := func(data []byte) []uint32 {
		return []uint32{uint32(len(data) / (smallRows * smallCols)), smallRows, smallCols}
	}
	return Files{
		Name:        "small",
		Classes:     []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"},
		Install:     "make-small-set",
		TrainImages: write("train-images", images(s.trainImages), s.trainImages),
		TrainLabels: write("train-labels", []uint32{uint32(len(s.trainLabels))}, s.trainLabels),
		TestImages:  write("test-images", images(s.testImages), s.testImages),
		TestLabels:  write("test-labels", []uint32{uint32(len(s.testLabels))}, s.testLabels),
	}
}

func TestLoadRoundTrip(t *testing.T) {
	s := newSmallSet()
	for _, gz := range []bool{false, true} {
		dir := t.TempDir()
		files := writeSet(t, dir, s, gz)
		set, err := Load(dir, files)
		if err != nil {
			t.Fatalf("gzip %t: %v", gz, err)
		}
		if set.Name != "small" || !slices.Equal(set.Classes, files.Classes) {
			t.Errorf("gzip %t: name %q classes %v, want %q %v", gz, set.Name, set.Classes, "small", files.Classes)
		}
		for _, sp := range []struct {
			name   string
			split  *Split
			pixels []byte
			labels []byte
		}{
			{"train", set.Train, s.trainImages, s.trainLabels},
			{"test", set.Test, s.testImages, s.testLabels},
		} {
			n := len(sp.labels)
			if sp.split.N != n || sp.split.Rows != smallRows || sp.split.Cols != smallCols || sp.split.Dim() != smallRows*smallCols {
				t.Errorf("gzip %t %s: N, Rows, Cols, Dim = %d, %d, %d, %d, want %d, %d, %d, %d", gz, sp.name,
					sp.split.N, sp.split.Rows, sp.split.Cols, sp.split.Dim(), n, smallRows, smallCols, smallRows*smallCols)
			}
			if len(sp.split.X) != len(sp.pixels) || len(sp.split.Y) != n {
				t.Fatalf("gzip %t %s: len(X), len(Y) = %d, %d, want %d, %d", gz, sp.name,
					len(sp.split.X), len(sp.split.Y), len(sp.pixels), n)
			}
			// The scaling is x = b/255, computed in float32.
			for i, b := range sp.pixels {
				if want := float32(b) / 255; sp.split.X[i] != want {
					t.Errorf("gzip %t %s: X[%d] = %v, want %d/255 = %v", gz, sp.name, i, sp.split.X[i], b, want)
				}
			}
			for i, l := range sp.labels {
				if sp.split.Y[i] != int(l) {
					t.Errorf("gzip %t %s: Y[%d] = %d, want %d", gz, sp.name, i, sp.split.Y[i], l)
				}
			}
			// Image i starts at pixel i·Dim in row-major order.
			for i := range n {
				img := sp.split.Image(i)
				d := smallRows * smallCols
				if !slices.Equal(img, sp.split.X[i*d:(i+1)*d]) {
					t.Errorf("gzip %t %s: Image(%d) is not X[%d:%d]", gz, sp.name, i, i*d, (i+1)*d)
				}
			}
		}
	}
}

// TestScaling checks the end points and monotonicity of pixel/255 on all
// 256 byte values.
func TestScaling(t *testing.T) {
	pixels := make([]byte, 256)
	for i := range pixels {
		pixels[i] = byte(i)
	}
	images := &IDX{Dims: []int{1, 16, 16}, Data: pixels}
	labels := &IDX{Dims: []int{1}, Data: []byte{0}}
	sp, err := newSplit(images, labels, scale(images.Data), "images", "labels")
	if err != nil {
		t.Fatal(err)
	}
	if sp.X[0] != 0 || sp.X[255] != 1 {
		t.Errorf("X[0], X[255] = %v, %v, want 0 and 1 exactly", sp.X[0], sp.X[255])
	}
	for i := 1; i < 256; i++ {
		if !(sp.X[i] > sp.X[i-1]) {
			t.Errorf("X[%d] = %v not above X[%d] = %v", i, sp.X[i], i-1, sp.X[i-1])
		}
		// 255·(b/255) rounds back to b: the scaling loses no pixel value.
		if got := int(sp.X[i]*255 + 0.5); got != i {
			t.Errorf("255·X[%d] rounds to %d, want %d", i, got, i)
		}
	}
}

// editFile rewrites the file at path with the bytes edit makes of its
// contents in place, such as a flipped byte.
func editFile(t *testing.T, path string, edit func(b []byte)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edit(b)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fileErrors splits an error from Load into the *FileErrors it holds, by path.
func fileErrors(err error) map[string]error {
	out := map[string]error{}
	var walk func(error)
	walk = func(err error) {
		var fe *FileError
		if u, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range u.Unwrap() {
				walk(e)
			}
		} else if errors.As(err, &fe) {
			out[filepath.Base(fe.Path)] = err
		}
	}
	walk(err)
	return out
}

func TestLoadErrors(t *testing.T) {
	type damage func(t *testing.T, dir string, files *Files, s *smallSet)
	flip := func(name string, off int) damage {
		return func(t *testing.T, dir string, files *Files, s *smallSet) {
			editFile(t, filepath.Join(dir, name), func(b []byte) {
				if off < 0 {
					off += len(b)
				}
				b[off] ^= 0xff
			})
		}
	}
	cut := func(name string, keep int) damage {
		return func(t *testing.T, dir string, files *Files, s *smallSet) {
			if err := os.Truncate(filepath.Join(dir, name), int64(keep)); err != nil {
				t.Fatal(err)
			}
		}
	}
	appendTo := func(name string, extra string) damage {
		return func(t *testing.T, dir string, files *Files, s *smallSet) {
			f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteString(extra); err != nil {
				t.Fatal(err)
			}
		}
	}
	replace := func(name string, content []byte) damage {
		return func(t *testing.T, dir string, files *Files, s *smallSet) {
			if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// rewrite rewrites the files from a modified set (sums then match).
	rewrite := func(gz bool, change func(s *smallSet)) damage {
		return func(t *testing.T, dir string, files *Files, s *smallSet) {
			change(s)
			*files = writeSet(t, dir, *s, gz)
		}
	}
	// resum accepts the damaged file's real sum, so that the parsing checks
	// behind the checksum are reached.
	resum := func(d damage, name string) damage {
		return func(t *testing.T, dir string, files *Files, s *smallSet) {
			d(t, dir, files, s)
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			for _, f := range []*File{&files.TrainImages, &files.TrainLabels, &files.TestImages, &files.TestLabels} {
				if f.Name == name {
					f.SHA256 = []string{hex.EncodeToString(sum[:])}
				}
			}
		}
	}

	for _, tc := range []struct {
		name     string
		gz       bool
		damage   damage
		checksum bool     // want ErrChecksum
		corrupt  bool     // want ErrCorrupt
		wants    []string // substrings of the message
	}{
		{"flipped pixel in raw file", false, flip("train-images", 20), true, false,
			[]string{"train-images", "checksum mismatch", "sha256", "want"}},
		// A gzip stream ends with the CRC-32 of the data, then its size.
		{"flipped CRC-32 in gzip file", true, flip("test-images.gz", -8), true, true,
			[]string{"test-images.gz", "checksum mismatch", "gzip: invalid checksum"}},
		// A change in the compressed data fails decompression or the CRC-32.
		{"flipped byte in gzip data", true, flip("test-images.gz", 20), true, true,
			[]string{"test-images.gz", "checksum mismatch", "reading it also fails: corrupt data"}},
		{"truncated gzip file", true, cut("train-images.gz", 40), true, true,
			[]string{"train-images.gz", "checksum mismatch", "gzip stream truncated", "of 30 bytes read"}},
		{"truncated raw file", false, cut("test-labels", 10), true, true,
			[]string{"test-labels", "promise 4 data bytes", "holds 2"}},
		{"trailing garbage in raw file", false, appendTo("train-labels", "xyz"), true, true,
			[]string{"train-labels", "trailing data: 3 bytes"}},
		{"trailing garbage after gzip", true, appendTo("train-labels.gz", "xyz"), true, true,
			[]string{"train-labels.gz", "trailing data: 3 bytes after the gzip stream"}},
		{"truncated raw file, sum accepted", false, resum(cut("test-labels", 10), "test-labels"), false, true,
			[]string{"test-labels", "promise 4 data bytes", "holds 2"}},
		{"bad magic, sum accepted", false, resum(flip("test-labels", 0), "test-labels"), false, true,
			[]string{"test-labels", "bad magic 0xff000801"}},
		{"label out of range", true, rewrite(true, func(s *smallSet) { s.trainLabels[3] = 10 }), false, true,
			[]string{"train-labels.gz", "label 3 is 10", "need 0 to 9"}},
		{"count mismatch", false, rewrite(false, func(s *smallSet) { s.testLabels = s.testLabels[:3] }), false, true,
			[]string{"test-labels holds 3 labels", "test-images holds 4 images"}},
		{"images not 3-d", false, resum(replace("test-images", idxBytes([]uint32{4, 6}, make([]byte, 24))), "test-images"),
			false, true, []string{"test-images", "images have dims [4 6]: need 3"}},
		{"labels not 1-d", false, resum(replace("train-labels", idxBytes([]uint32{5, 1}, make([]byte, 5))), "train-labels"),
			false, true, []string{"train-labels", "labels have dims [5 1]: need 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := newSmallSet()
			files := writeSet(t, dir, s, tc.gz)
			tc.damage(t, dir, &files, &s)
			set, err := Load(dir, files)
			if err == nil {
				t.Fatalf("no error; loaded %+v", set)
			}
			t.Log(err)
			if errors.Is(err, ErrChecksum) != tc.checksum || errors.Is(err, ErrCorrupt) != tc.corrupt {
				t.Errorf("errors.Is(err, ErrChecksum), errors.Is(err, ErrCorrupt) = %t, %t, want %t, %t",
					errors.Is(err, ErrChecksum), errors.Is(err, ErrCorrupt), tc.checksum, tc.corrupt)
			}
			for _, w := range tc.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			var ce *ChecksumError
			if tc.checksum {
				if !errors.As(err, &ce) || ce.Got == ce.Want[0] || len(ce.Got) != 64 {
					t.Errorf("want a *ChecksumError with a different 64-digit sum, got %#v", ce)
				}
			}
		})
	}
}

// TestLoadGzipWrongName checks that gzip is detected from the content, not
// the file name.
func TestLoadGzipWrongName(t *testing.T) {
	dir := t.TempDir()
	s := newSmallSet()
	files := writeSet(t, dir, s, true)
	for _, f := range []*File{&files.TrainImages, &files.TrainLabels, &files.TestImages, &files.TestLabels} {
		name := strings.TrimSuffix(f.Name, ".gz") + ".idx"
		if err := os.Rename(filepath.Join(dir, f.Name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		f.Name = name
	}
	set, err := Load(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if set.Train.N != 5 || set.Test.N != 4 {
		t.Errorf("N = %d, %d, want 5, 4", set.Train.N, set.Test.N)
	}
}

func TestLoadSeveralDamagedFiles(t *testing.T) {
	dir := t.TempDir()
	files := writeSet(t, dir, newSmallSet(), true)
	if err := os.Truncate(filepath.Join(dir, files.TrainImages.Name), 30); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, files.TestLabels.Name), []byte("not an IDX file"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir, files)
	got := fileErrors(err)
	for _, name := range []string{files.TrainImages.Name, files.TestLabels.Name} {
		if e, ok := got[name]; !ok || !errors.Is(e, ErrChecksum) {
			t.Errorf("%s: error %v, want a checksum error for it in %v", name, e, err)
		}
	}
	if len(got) != 2 {
		t.Errorf("errors for %d files, want 2: %v", len(got), err)
	}
}

func TestLoadNotFound(t *testing.T) {
	base := t.TempDir()
	files := writeSet(t, filepath.Join(base, "set"), newSmallSet(), false)
	if err := os.Remove(filepath.Join(base, "set", files.TestLabels.Name)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir  string
		want string
	}{
		{filepath.Join(base, "absent"), filepath.Join(base, "absent") + " (no such directory)"},
		{filepath.Join(base, "file"), filepath.Join(base, "file") + " (not a directory)"},
		{filepath.Join(base, "set"), filepath.Join(base, "set") + " (missing test-labels)"},
	} {
		_, err := Load(tc.dir, files)
		var nf *NotFoundError
		if !errors.Is(err, ErrNotFound) || !errors.As(err, &nf) {
			t.Errorf("%s: error %v, want a *NotFoundError", tc.dir, err)
			continue
		}
		for _, w := range []string{tc.want, "install it with: make-small-set", "small not found"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", tc.dir, err, w)
			}
		}
	}
}

func TestLoadBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := writeSet(t, dir, newSmallSet(), false)
	for _, tc := range []struct {
		name   string
		change func(f *Files)
		want   string
	}{
		{"no sum", func(f *Files) { f.TestLabels.SHA256 = nil }, "no SHA-256 sum given for test-labels"},
		{"short sum", func(f *Files) { f.TrainImages.SHA256 = []string{"abc"} }, `"abc" for train-images is not 64 hex digits`},
		{"no name", func(f *Files) { f.TrainLabels.Name = "" }, "a file name is empty"},
		{"three classes", func(f *Files) { f.Classes = []string{"x", "y", "z"} }, "3 class names: need 10 or none"},
	} {
		files := good
		tc.change(&files)
		_, err := Load(dir, files)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	// Upper-case hex digits are accepted.
	files := good
	files.TestImages.SHA256 = []string{strings.ToUpper(good.TestImages.SHA256[0])}
	if _, err := Load(dir, files); err != nil {
		t.Errorf("upper-case sum: %v", err)
	}
	// Any listed sum may match.
	files = good
	files.TestImages.SHA256 = []string{strings.Repeat("0", 64), good.TestImages.SHA256[0]}
	if _, err := Load(dir, files); err != nil {
		t.Errorf("second of two sums: %v", err)
	}
}

func TestSplitMethods(t *testing.T) {
	dir := t.TempDir()
	set, err := Load(dir, writeSet(t, dir, newSmallSet(), false))
	if err != nil {
		t.Fatal(err)
	}
	sp := set.Train
	d := sp.Dim()

	sub, err := sp.Subset(2)
	if err != nil {
		t.Fatal(err)
	}
	if sub.N != 2 || sub.Rows != sp.Rows || sub.Cols != sp.Cols ||
		!slices.Equal(sub.X, sp.X[:2*d]) || !slices.Equal(sub.Y, sp.Y[:2]) {
		t.Errorf("Subset(2) = %+v, want the first 2 images of %+v", sub, sp)
	}
	// The subset is a copy: changing it leaves the split alone.
	sub.X[0], sub.Y[0] = -1, -1
	if sp.X[0] == -1 || sp.Y[0] == -1 {
		t.Error("Subset shares storage with its split")
	}
	for _, n := range []int{0, -1, sp.N + 1} {
		if _, err := sp.Subset(n); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("Subset(%d): error %v, want out of range", n, err)
		}
	}
	if all, err := sp.Subset(sp.N); err != nil || !slices.Equal(all.X, sp.X) {
		t.Errorf("Subset(N) = %v, %v, want all of X", all, err)
	}

	x := sp.AsFloat64()
	if len(x) != len(sp.X) {
		t.Fatalf("len(AsFloat64()) = %d, want %d", len(x), len(sp.X))
	}
	for i, v := range sp.X {
		if x[i] != float64(v) {
			t.Errorf("AsFloat64()[%d] = %v, want %v", i, x[i], float64(v))
		}
	}
	dst := make([]float64, d)
	if got := sp.ImageFloat64(dst, 3); &got[0] != &dst[0] || !slices.Equal(got, x[3*d:4*d]) {
		t.Errorf("ImageFloat64(dst, 3) = %v, want %v in dst", got, x[3*d:4*d])
	}
	if got := sp.ImageFloat64(nil, 4); !slices.Equal(got, x[4*d:5*d]) {
		t.Errorf("ImageFloat64(nil, 4) = %v, want %v", got, x[4*d:5*d])
	}

	for _, i := range []int{-1, sp.N} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "out of range") {
					t.Errorf("Image(%d): recovered %v, want an out of range panic", i, r)
				}
			}()
			sp.Image(i)
		}()
	}
}

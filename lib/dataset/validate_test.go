package dataset

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"pointwise/lib/internal/validatetest"
	"strings"
	"testing"
)

// TestValidate walks the package's exported entry points through bad
// values (headers, dimensions, file paths, sizes): each must return an
// error (never panic) whose message names the parameter or field, the bad
// value and what is allowed.
func TestValidate(t *testing.T) {
	dir := t.TempDir()
	good := writeSet(t, filepath.Join(dir, "good"), newSmallSet(), false)
	set, err := Load(filepath.Join(dir, "good"), good)
	if err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	readIDX := func(b []byte) func() error {
		return func() error { _, err := ReadIDX(bytes.NewReader(b)); return err }
	}
	withFiles := func(edit func(*Files)) Files {
		f := good
		edit(&f)
		return f
	}
	cases := []validatetest.Case{
		{"IDX empty", readIDX(nil), []string{"header", "0 of 4 bytes"}},
		{"IDX magic", readIDX([]byte{1, 2, 8, 1, 0, 0, 0, 1, 0}), []string{"magic 0x01020801", "two zero bytes"}},
		{"IDX type", readIDX([]byte{0, 0, 0x0d, 1, 0, 0, 0, 1, 0}), []string{"type code 0x0d", "need 0x08"}},
		{"IDX no dims", readIDX([]byte{0, 0, 8, 0}), []string{"number of dimensions 0", "1 to 4"}},
		{"IDX too many dims", readIDX([]byte{0, 0, 8, 9}), []string{"number of dimensions 9", "1 to 4"}},
		{"IDX zero dim", readIDX(idxBytes([]uint32{3, 0}, nil)), []string{"dimension 1 is 0", "at least 1"}},
		{"IDX absurd dims", readIDX(idxBytes([]uint32{60000, 1 << 16, 1 << 16}, nil)), []string{"60000", "65536", "1073741824"}},
		{"IDX truncated dims", readIDX([]byte{0, 0, 8, 3, 0, 0, 0, 1, 0}), []string{"5 of 12 dimension bytes"}},
		{"IDX truncated data", readIDX(idxBytes([]uint32{2, 3}, []byte{1, 2, 3})), []string{"truncated", "[2 3]", "6 data bytes", "holds 3"}},
		{"IDX trailing data", readIDX(idxBytes([]uint32{2}, []byte{1, 2, 3})), []string{"trailing data", "1 byte", "2 data bytes"}},
		{"IDX gzip truncated", readIDX(gzipBytes(t, idxBytes([]uint32{4}, []byte{1, 2, 3, 4}))[:20]), []string{"gzip", "truncated"}},
		{"Load dir empty", func() error { _, err := Load("", good); return err }, []string{"dir = \"\"", "folder"}},
		{"Load dir missing", func() error { _, err := Load(filepath.Join(dir, "nope"), good); return err }, []string{filepath.Join(dir, "nope"), "no such directory"}},
		{"Load dir is a file", func() error { _, err := Load(notDir, good); return err }, []string{notDir, "not a directory"}},
		{"Load file missing", func() error {
			_, err := Load(filepath.Join(dir, "good"), withFiles(func(f *Files) { f.TestLabels.Name = "absent" }))
			return err
		}, []string{"missing absent"}},
		{"Load file name empty", func() error {
			_, err := Load(dir, withFiles(func(f *Files) { f.TrainLabels.Name = "" }))
			return err
		}, []string{"file name is empty", "TrainLabels"}},
		{"Load no checksum", func() error {
			_, err := Load(dir, withFiles(func(f *Files) { f.TestImages.SHA256 = nil }))
			return err
		}, []string{"no SHA-256 sum", "test-images", "at least one"}},
		{"Load bad checksum text", func() error {
			_, err := Load(dir, withFiles(func(f *Files) { f.TestImages.SHA256 = []string{"abc"} }))
			return err
		}, []string{`SHA-256 sum "abc"`, "64 hex digits"}},
		{"Load checksum mismatch", func() error {
			_, err := Load(filepath.Join(dir, "good"), withFiles(func(f *Files) { f.TrainImages.SHA256 = []string{strings.Repeat("0", 64)} }))
			return err
		}, []string{"train-images", "checksum mismatch", strings.Repeat("0", 64)}},
		{"Load class names", func() error {
			_, err := Load(dir, withFiles(func(f *Files) { f.Classes = []string{"a", "b"} }))
			return err
		}, []string{"2 class names", "need 10 or none"}},
		{"Download dst empty", func() error {
			_, err := Download(context.Background(), "", good, "http://127.0.0.1:1")
			return err
		}, []string{`dst = ""`, "folder"}},
		{"Download dst is a file", func() error {
			_, err := Download(context.Background(), notDir, good, "http://127.0.0.1:1")
			return err
		}, []string{"the download folder " + notDir + " is not a directory"}},
		{"Download base URL empty", func() error {
			_, err := Download(context.Background(), dir, good, "")
			return err
		}, []string{`base URL ""`, "http:// or https://", FashionMNISTURL}},
		{"Download base URL scheme", func() error {
			_, err := Download(context.Background(), dir, good, "ftp://example.org/data")
			return err
		}, []string{`base URL "ftp://example.org/data"`, "http:// or https://"}},
		{"Download base URL no host", func() error {
			_, err := Download(context.Background(), dir, good, "http:///data")
			return err
		}, []string{`base URL "http:///data"`, "with a host"}},
		{"Download file name with a folder", func() error {
			_, err := Download(context.Background(), dir, withFiles(func(f *Files) { f.TestLabels.Name = "../escape" }), "http://127.0.0.1:1")
			return err
		}, []string{`file name "../escape"`, "plain file name"}},
		{"Download no checksum", func() error {
			_, err := Download(context.Background(), dir, withFiles(func(f *Files) { f.TrainImages.SHA256 = nil }), "http://127.0.0.1:1")
			return err
		}, []string{"no SHA-256 sum", "train-images", "at least one"}},
		{"Download cancelled", func() error {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := Download(ctx, filepath.Join(dir, "cancelled"), good, "http://127.0.0.1:1")
			return err
		}, []string{"downloading http://127.0.0.1:1/train-images", "context canceled", "nothing written to"}},
		{"Subset n=0", func() error { _, err := set.Train.Subset(0); return err }, []string{"n = 0", "1 <= n <= N = 5"}},
		{"Subset n>N", func() error { _, err := set.Test.Subset(99); return err }, []string{"n = 99", "1 <= n <= N = 4"}},
		{"Subset n<0", func() error { _, err := set.Test.Subset(-1); return err }, []string{"n = -1", "1 <= n <= N = 4"}},
	}
	validatetest.Run(t, cases)
}

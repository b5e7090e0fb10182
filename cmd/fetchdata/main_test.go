package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"pointwise/lib/dataset"
)

// testEnv is one run's world: a server on 127.0.0.1 serving four made-up
// gzip files under the Fashion-MNIST names, with their sums in files, and
// the folders the command looks in.
type testEnv struct {
	url       string         // the server's address
	requests  *atomic.Int64  // requests the server answered
	files     dataset.Files  // the made-up files' names and sums
	sizes     map[string]int // the made-up files' sizes in bytes, by name
	dl        string         // the download folder, as dataset.FashionMNISTDownloadDir
	elsewhere string         // a folder the search finds when found is set
	found     bool           // the search finds the data set in elsewhere
	noDL      bool           // the download folder cannot be found
	mnistErr  error          // what the MNIST search returns, if not nil
}

// newTestEnv starts the server and makes the folders.
func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	real := dataset.FashionMNISTFiles()
	e := &testEnv{requests: new(atomic.Int64), sizes: map[string]int{}, files: real}
	e.dl = filepath.Join(t.TempDir(), ".cache", "data", "fashion-mnist")
	e.elsewhere = filepath.Join(t.TempDir(), "fashion-mnist")
	body := map[string][]byte{}
	for i, f := range []*dataset.File{&e.files.TrainImages, &e.files.TrainLabels, &e.files.TestImages, &e.files.TestLabels} {
		var buf bytes.Buffer
		z := gzip.NewWriter(&buf)
		fmt.Fprintf(z, "made-up file %d, %s\n", i, strings.Repeat("x", 100*i))
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(buf.Bytes())
		*f = dataset.File{Name: f.Name, SHA256: []string{hex.EncodeToString(sum[:])}}
		body[f.Name] = buf.Bytes()
		e.sizes[f.Name] = buf.Len()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.requests.Add(1)
		b, ok := body[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

// sources returns the command's sources for e: the search finds the files
// in e.elsewhere if e.found, else in e.dl if it holds all four.
func (e *testEnv) sources() sources {
	return sources{
		fashion: e.files,
		findFashion: func() (string, error) {
			if e.found {
				return e.elsewhere, nil
			}
			for _, f := range []dataset.File{e.files.TrainImages, e.files.TrainLabels, e.files.TestImages, e.files.TestLabels} {
				if _, err := os.Stat(filepath.Join(e.dl, f.Name)); err != nil {
					return "", &dataset.NotFoundError{Name: e.files.Name, Looked: []string{"/system (no such directory)", e.dl + " (missing some)"}}
				}
			}
			return e.dl, nil
		},
		downloadDir: func() (string, error) {
			if e.noDL {
				return "", errors.New("dataset: the Fashion-MNIST download folder: no go.mod of module pointwise here")
			}
			return e.dl, nil
		},
		findMNIST: func() (string, error) {
			if e.mnistErr != nil {
				return "", e.mnistErr
			}
			return "/modcache/github.com/petar/!go!m!n!i!s!t@v0/data", nil
		},
	}
}

// runCmd runs the command with args in e and returns its exit status and
// output.
func runCmd(e *testEnv, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, e.sources())
	return code, stdout.String(), stderr.String()
}

func TestRun(t *testing.T) {
	names := []string{"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"}
	for _, tc := range []struct {
		name     string
		setup    func(t *testing.T, e *testEnv) // before the run; may be nil
		args     func(e *testEnv) []string
		code     int
		stdout   func(e *testEnv) []string // what it must print; may be nil
		stderr   func(e *testEnv) []string
		requests int64 // by this run
		dlFiles  bool  // the download folder holds the four files afterwards
	}{
		{name: "no name", args: func(e *testEnv) []string { return nil }, code: 2,
			stderr: func(e *testEnv) []string { return []string{"need one data set name, got 0", usage, "-url", "-dir"} }},
		{name: "two names", args: func(e *testEnv) []string { return []string{"mnist", "fashion-mnist"} }, code: 2,
			stderr: func(e *testEnv) []string { return []string{"need one data set name, got 2", usage} }},
		{name: "unknown name", args: func(e *testEnv) []string { return []string{"cifar"} }, code: 2,
			stderr: func(e *testEnv) []string {
				return []string{`unknown data set "cifar": need fashion-mnist or mnist`, usage}
			}},
		{name: "unknown flag", args: func(e *testEnv) []string { return []string{"-nope", "mnist"} }, code: 2,
			stderr: func(e *testEnv) []string { return []string{"flag provided but not defined: -nope", usage} }},
		{name: "mnist", args: func(e *testEnv) []string { return []string{"mnist"} }, code: 0,
			stdout: func(e *testEnv) []string {
				return []string{"fetchdata: MNIST is in /modcache/github.com/petar/!go!m!n!i!s!t@v0/data\n"}
			}},
		{name: "mnist not found", setup: func(t *testing.T, e *testEnv) { e.mnistErr = errors.New("dataset: MNIST not found; looked in: x") },
			args: func(e *testEnv) []string { return []string{"mnist"} }, code: 1,
			stderr: func(e *testEnv) []string { return []string{"fetchdata: dataset: MNIST not found; looked in: x\n"} }},
		{name: "found elsewhere", setup: func(t *testing.T, e *testEnv) { e.found = true },
			args: func(e *testEnv) []string { return []string{"-url", e.url, "fashion-mnist"} }, code: 0,
			stdout: func(e *testEnv) []string { return []string{"fetchdata: Fashion-MNIST is in " + e.elsewhere + "\n"} }},
		{name: "download", args: func(e *testEnv) []string { return []string{"-url", e.url, "fashion-mnist"} }, code: 0,
			stdout: func(e *testEnv) []string {
				out := []string{"fetchdata: Fashion-MNIST not found in /system (no such directory); " + e.dl + " (missing some)\n",
					"fetchdata: downloading the files " + e.dl + " lacks from " + e.url + "\n"}
				for _, n := range names {
					out = append(out, fmt.Sprintf("fetchdata: wrote %s (%d bytes), SHA-256 verified\n", filepath.Join(e.dl, n), e.sizes[n]))
				}
				return append(out, "fetchdata: Fashion-MNIST is in "+e.dl+"\n")
			}, requests: 4, dlFiles: true},
		{name: "already downloaded", setup: func(t *testing.T, e *testEnv) {
			if code, _, stderr := runCmd(e, "-url", e.url, "fashion-mnist"); code != 0 {
				t.Fatalf("first run: exit %d: %s", code, stderr)
			}
			e.requests.Store(0)
		}, args: func(e *testEnv) []string { return []string{"-url", e.url, "fashion-mnist"} }, code: 0,
			stdout: func(e *testEnv) []string {
				return []string{"fetchdata: Fashion-MNIST is in " + e.dl + " (the four files verified)\n"}
			},
			dlFiles: true},
		{name: "download elsewhere", args: func(e *testEnv) []string {
			return []string{"-url", e.url, "-dir", filepath.Join(e.elsewhere, "x"), "fashion-mnist"}
		}, code: 0, stdout: func(e *testEnv) []string {
			return []string{"fetchdata: Fashion-MNIST is in " + filepath.Join(e.elsewhere, "x") + "\n",
				"fetchdata: note: the search does not look in " + filepath.Join(e.elsewhere, "x") +
					"; to use it, rename it fashion-mnist and set POINTWISE_DATA to the folder holding it\n"}
		}, requests: 4},
		{name: "download into another fashion-mnist folder", args: func(e *testEnv) []string {
			return []string{"-url", e.url, "-dir", e.elsewhere, "fashion-mnist"}
		}, code: 0, stdout: func(e *testEnv) []string {
			return []string{"fetchdata: note: the search does not look in " + e.elsewhere +
				"; to use it, set POINTWISE_DATA=" + filepath.Dir(e.elsewhere) + "\n"}
		}, requests: 4},
		{name: "404", args: func(e *testEnv) []string { return []string{"-url", e.url + "/gone", "fashion-mnist"} }, code: 1,
			stderr: func(e *testEnv) []string {
				return []string{"fetchdata: dataset: Fashion-MNIST: downloading " + e.url + "/gone/train-images-idx3-ubyte.gz: HTTP status 404 Not Found",
					"Fashion-MNIST could not be downloaded; nothing half-written was left in " + e.dl + ". Run this again to fetch what is missing; instead set POINTWISE_DATA",
					"set POINTWISE_DATA to a folder holding fashion-mnist/ with the four files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)",
					"as root on Debian or Ubuntu run: apt-get install dataset-fashion-mnist"}
			}, requests: 1},
		{name: "wrong sums", setup: func(t *testing.T, e *testEnv) { e.files = dataset.FashionMNISTFiles() },
			args: func(e *testEnv) []string { return []string{"-url", e.url, "fashion-mnist"} }, code: 1,
			stderr: func(e *testEnv) []string {
				want := e.files.TrainImages.SHA256
				return []string{"downloading " + e.url + "/train-images-idx3-ubyte.gz: checksum mismatch: sha256 ",
					"want " + want[0] + " or " + want[1], "are not the release this code knows, so running this again will not help; instead set POINTWISE_DATA",
					"apt-get install dataset-fashion-mnist"}
			}, requests: 1},
		{name: "no download folder", setup: func(t *testing.T, e *testEnv) { e.noDL = true },
			args: func(e *testEnv) []string { return []string{"-url", e.url, "fashion-mnist"} }, code: 1,
			stderr: func(e *testEnv) []string {
				return []string{"no go.mod of module pointwise here", "give the folder to download Fashion-MNIST into with -dir DIR", "apt-get install dataset-fashion-mnist"}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			if tc.setup != nil {
				tc.setup(t, e)
			}
			code, stdout, stderr := runCmd(e, tc.args(e)...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d; stdout:\n%sstderr:\n%s", code, tc.code, stdout, stderr)
			}
			for _, out := range []struct {
				name, got string
				want      func(*testEnv) []string
			}{{"stdout", stdout, tc.stdout}, {"stderr", stderr, tc.stderr}} {
				if out.want == nil {
					continue
				}
				for _, w := range out.want(e) {
					if !strings.Contains(out.got, w) {
						t.Errorf("%s %q does not say %q", out.name, out.got, w)
					}
				}
			}
			if got := e.requests.Load(); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
			entries, err := os.ReadDir(e.dl)
			var got []string
			for _, d := range entries {
				got = append(got, d.Name())
			}
			if tc.dlFiles && !slices.Equal(got, names) {
				t.Errorf("download folder holds %q (%v), want %q", got, err, names)
			}
			if !tc.dlFiles && len(got) > 0 {
				t.Errorf("download folder holds %q, want nothing", got)
			}
		})
	}
}

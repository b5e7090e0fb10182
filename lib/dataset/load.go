package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// DataEnv is the environment variable naming a directory searched first for
// data sets: MNIST in $POINTWISE_DATA/mnist, Fashion-MNIST in
// $POINTWISE_DATA/fashion-mnist.
const DataEnv = "POINTWISE_DATA"

// File names one IDX file of a data set, raw or gzipped, and the SHA-256
// sums it may have.
type File struct {
	// Name is the file name within the data set's directory.
	Name string
	// SHA256 lists the accepted SHA-256 sums of the file's bytes (as stored,
	// so of the .gz file if it is gzipped), in hex. At least one is needed:
	// compute it with sha256sum.
	SHA256 []string
}

// Files describes a data set stored as four IDX files in one directory:
// training and test images (N×Rows×Cols bytes) and labels (N bytes, 0..9).
type Files struct {
	Name    string   // name of the data set, such as "MNIST"
	Classes []string // names of the labels 0..9, copied to Set.Classes; may be nil
	Install string   // command that installs the data set, quoted when it is missing

	TrainImages, TrainLabels, TestImages, TestLabels File
}

// list returns the four files in reading order.
func (f *Files) list() []File {
	return []File{f.TrainImages, f.TrainLabels, f.TestImages, f.TestLabels}
}

// check returns an error unless files is a usable description: 10 class
// names or none, four file names and, for each file, at least one SHA-256
// sum of 64 hex digits.
func (f *Files) check() error {
	if c := len(f.Classes); c != 0 && c != Classes {
		return fmt.Errorf("dataset: %s: %d class names: need %d or none", f.Name, c, Classes)
	}
	for _, file := range f.list() {
		if file.Name == "" {
			return fmt.Errorf("dataset: %s: a file name is empty: need all four of Files.TrainImages, TrainLabels, TestImages and TestLabels", f.Name)
		}
		if len(file.SHA256) == 0 {
			return fmt.Errorf("dataset: %s: no SHA-256 sum given for %s: need at least one (compute it with sha256sum)", f.Name, file.Name)
		}
		for _, s := range file.SHA256 {
			if b, err := hex.DecodeString(s); err != nil || len(b) != sha256.Size {
				return fmt.Errorf("dataset: %s: SHA-256 sum %q for %s is not 64 hex digits", f.Name, s, file.Name)
			}
		}
	}
	return nil
}

// missing returns the reason dir cannot hold the data set, or "" if all
// four files are present in it.
func (f *Files) missing(dir string) string {
	if dir == "" {
		return `dir = "" (empty path: need the folder holding the files)`
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return dir + " (no such directory)"
	case err != nil:
		return dir + " (" + err.Error() + ")"
	case !st.IsDir():
		return dir + " (not a directory)"
	}
	var absent []string
	for _, file := range f.list() {
		if _, err := os.Stat(filepath.Join(dir, file.Name)); err != nil {
			absent = append(absent, file.Name)
		}
	}
	if len(absent) > 0 {
		return dir + " (missing " + strings.Join(absent, ", ") + ")"
	}
	return ""
}

// Load reads the data set described by files from directory dir. Each file
// is hashed while it is read, in one pass, and used only if its SHA-256 is
// one of those listed; the four files are read concurrently.
//
// A missing directory or file gives a *NotFoundError naming the path and
// files.Install. A damaged file gives a *FileError naming it and matching
// ErrChecksum (expected and actual sums) and, if its contents are also
// invalid, ErrCorrupt with what is wrong; all damaged files are reported,
// joined with errors.Join. Labels outside 0..9 and label and image counts
// that differ match ErrCorrupt.
func Load(dir string, files Files) (*Set, error) {
	if err := files.check(); err != nil {
		return nil, err
	}
	if why := files.missing(dir); why != "" {
		return nil, &NotFoundError{Name: files.Name, Looked: []string{why}, Install: files.Install}
	}

	list := files.list()
	idx := make([]*IDX, len(list))
	pixels := make([][]float32, len(list))
	errs := make([]error, len(list))
	var wg sync.WaitGroup
	for i, file := range list {
		wg.Go(func() {
			idx[i], errs[i] = readFile(filepath.Join(dir, file.Name), file.SHA256)
			// Images (even entries of list) are scaled here, concurrently.
			if errs[i] == nil && i%2 == 0 {
				pixels[i] = scale(idx[i].Data)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	path := func(f File) string { return filepath.Join(dir, f.Name) }
	train, err := newSplit(idx[0], idx[1], pixels[0], path(files.TrainImages), path(files.TrainLabels))
	if err != nil {
		return nil, err
	}
	test, err := newSplit(idx[2], idx[3], pixels[2], path(files.TestImages), path(files.TestLabels))
	if err != nil {
		return nil, err
	}
	return &Set{Name: files.Name, Classes: slices.Clone(files.Classes), Train: train, Test: test}, nil
}

// readFile reads the IDX file at path, hashing its bytes as they are read,
// and returns it only if its SHA-256 is one of sums.
func readFile(path string, sums []string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{path, err}
	}
	defer f.Close()
	h := sha256.New()
	m, parseErr := readIDX(io.TeeReader(f, h))
	// Hash whatever parsing left unread, so the sum covers the whole file.
	if _, err := io.Copy(h, f); err != nil {
		return nil, &FileError{path, err}
	}
	got := hex.EncodeToString(h.Sum(nil))
	if !sumOK(sums, got) {
		sumErr := &ChecksumError{Want: slices.Clone(sums), Got: got}
		if parseErr != nil {
			return nil, &FileError{path, fmt.Errorf("%w; reading it also fails: %w", sumErr, parseErr)}
		}
		return nil, &FileError{path, sumErr}
	}
	if parseErr != nil {
		return nil, &FileError{path, parseErr}
	}
	return m, nil
}

// sumOK reports whether got, a SHA-256 sum in lower-case hex, is one of
// sums, whose hex digits may be of either case.
func sumOK(sums []string, got string) bool {
	return slices.ContainsFunc(sums, func(s string) bool { return strings.EqualFold(s, got) })
}

// search is one search for the folder holding a data set's files: it keeps,
// for the *NotFoundError, why each place tried did not hold them.
type search struct {
	files  Files
	looked []string
}

// try reports whether dir holds the four files, recording why not.
func (s *search) try(dir string) bool {
	why := s.files.missing(dir)
	if why != "" {
		s.looked = append(s.looked, why)
	}
	return why == ""
}

// inDataEnv tries $POINTWISE_DATA/sub, recording that DataEnv is unset if
// it is.
func (s *search) inDataEnv(sub string) (string, bool) {
	root := os.Getenv(DataEnv)
	if root == "" {
		s.looked = append(s.looked, "$"+DataEnv+"/"+sub+" ("+DataEnv+" not set)")
		return "", false
	}
	dir := filepath.Join(root, sub)
	return dir, s.try(dir)
}

// notFound returns the *NotFoundError naming every place tried.
func (s *search) notFound() error {
	return &NotFoundError{Name: s.files.Name, Looked: s.looked, Install: s.files.Install}
}

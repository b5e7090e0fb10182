package dataset

import (
	"errors"
	"strings"
)

// Sentinel errors for errors.Is. The errors returned by this package wrap
// one (or, for a damaged file that also fails to parse, both of ErrChecksum
// and ErrCorrupt) and add the file name and the details.
var (
	// ErrNotFound reports a data set or one of its files that is not present.
	ErrNotFound = errors.New("data set not found")
	// ErrChecksum reports a file whose SHA-256 is not one of the expected sums.
	ErrChecksum = errors.New("checksum mismatch")
	// ErrCorrupt reports a file or stream that is not a valid IDX file of the
	// expected shape: bad header, truncated or trailing data, broken gzip
	// stream, labels out of range or counts that disagree.
	ErrCorrupt = errors.New("corrupt data")
)

// FileError records an error reading the data file at Path.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return "dataset: " + e.Path + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// ChecksumError reports a file whose SHA-256 sum, Got, is none of Want.
// It matches ErrChecksum.
type ChecksumError struct {
	Want []string // accepted sums, lower-case hex
	Got  string   // sum of the bytes read, lower-case hex
}

func (e *ChecksumError) Error() string {
	return "checksum mismatch: sha256 " + e.Got + ", want " + strings.Join(e.Want, " or ") +
		" (the file is damaged or not the expected release)"
}

// Is reports whether target is ErrChecksum.
func (e *ChecksumError) Is(target error) bool { return target == ErrChecksum }

// NotFoundError reports a data set that is in none of the places searched.
// It matches ErrNotFound.
type NotFoundError struct {
	Name    string   // data set, such as "MNIST"
	Looked  []string // each place searched and why it was not used
	Install string   // the command that installs the data set
}

func (e *NotFoundError) Error() string {
	var b strings.Builder
	b.WriteString("dataset: ")
	b.WriteString(e.Name)
	b.WriteString(" not found; looked in: ")
	b.WriteString(strings.Join(e.Looked, "; "))
	if e.Install != "" {
		b.WriteString("; install it with: ")
		b.WriteString(e.Install)
	}
	return b.String()
}

// Is reports whether target is ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

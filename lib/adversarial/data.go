package adversarial

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"unicode"

	"pointwise/lib/dataset"
)

// Data is a labelled data set split with the name that identifies it in
// cache keys and CSV rows.
type Data struct {
	// Name names the data set, such as "MNIST" or "Fashion-MNIST".
	Name string
	// Split holds the images (N rows of Dim() values in [0, 1]) and labels.
	Split *dataset.Split
}

func (d Data) check(what string) error {
	if strings.TrimSpace(d.Name) == "" {
		return fmt.Errorf("adversarial: %s data without a name: need one (it is part of the cache key)", what)
	}
	s := d.Split
	if s == nil || s.N < 1 {
		return fmt.Errorf("adversarial: %s data %q empty: need at least one sample", what, d.Name)
	}
	if s.Dim() < 1 || len(s.X) != s.N*s.Dim() || len(s.Y) != s.N {
		return fmt.Errorf("adversarial: %s data %q: %d values and %d labels for N = %d images of %d pixels", what, d.Name, len(s.X), len(s.Y), s.N, s.Dim())
	}
	for i, y := range s.Y {
		if y < 0 || y >= dataset.Classes {
			return fmt.Errorf("adversarial: %s data %q: label %d of sample %d out of range: need 0 to %d", what, d.Name, y, i, dataset.Classes-1)
		}
	}
	for i, v := range s.X {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("adversarial: %s data %q: pixel %d = %v out of range: need every value in [0, 1]", what, d.Name, i, v)
		}
	}
	return nil
}

// fingerprint returns the SHA-256, in hex, of the data's name, shape,
// pixels (as float32 bits) and labels: equal fingerprints mean equal data.
func (d Data) fingerprint() string {
	h := sha256.New()
	s := d.Split
	var buf [8]byte
	word := func(v uint64) {
		binary.LittleEndian.PutUint64(buf[:], v)
		h.Write(buf[:])
	}
	word(uint64(len(d.Name)))
	h.Write([]byte(d.Name))
	word(uint64(s.N))
	word(uint64(s.Rows))
	word(uint64(s.Cols))
	chunk := make([]byte, 0, 1<<16)
	for _, v := range s.X {
		chunk = binary.LittleEndian.AppendUint32(chunk, math.Float32bits(v))
		if len(chunk) == cap(chunk) {
			h.Write(chunk)
			chunk = chunk[:0]
		}
	}
	for _, y := range s.Y {
		chunk = append(chunk, byte(y))
		if len(chunk) == cap(chunk) {
			h.Write(chunk)
			chunk = chunk[:0]
		}
	}
	h.Write(chunk)
	return hex.EncodeToString(h.Sum(nil))
}

// slug lower-cases name and keeps letters and digits, for file names.
func slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "data"
	}
	return b.String()
}

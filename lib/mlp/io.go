package mlp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"slices"
	"unsafe"

	"pointwise/lib/internal/atomicfile"
)

// The file format, all integers little-endian; version 2 adds the lines
// marked v2:
//
//	magic    [8]byte  "PWMLP\x00\r\n" (the CR LF catches text-mode mangling)
//	version  uint32   1 or 2
//	elemSize uint32   4 (float32) or 8 (float64)
//	layers   uint32   L
//	sizes    [L+1]uint32
//	acts     [L]uint32
//	families [L]uint32 (v2) each layer's Family
//	scales   [L][2]float64 (σ_w, σ_b of each layer)
//	nameLen  uint32   (v2) then name [nameLen]byte, the initialisation's name
//	params   [P]T     the flat parameter vector, P = Σ (sizes[l]+1)·sizes[l+1]
//	crc      uint32   CRC-32C (Castagnoli) of everything before it
//
// A network is written in version 1, as before version 2 existed, when
// version 1 holds all it records: every layer Normal and the name that
// version 1 implies (see v1Name); otherwise in version 2. So networks
// initialised with He, Glorot or Gaussian keep their bytes (and the cache
// entries that hold them stay valid), and every file round-trips.
const (
	magic         = "PWMLP\x00\r\n"
	formatVersion = 2
	// MaxInitName is the longest initialisation name, in bytes, that a
	// network records.
	MaxInitName = 64
)

// v1Name is the initialisation name a version-1 file implies, which holds
// Normal laws and no name: "" if every standard deviation is 0 (never
// initialised), the name of He or Glorot if every layer has its law, and
// "gaussian" otherwise.
func v1Name(sizes []int, laws []Law) string {
	if !slices.ContainsFunc(laws, func(l Law) bool { return l != Law{} }) {
		return ""
	}
	for _, in := range []Initializer{He{}, Glorot{}} {
		match := true
		for l, law := range laws {
			match = match && law == in.Law(l, sizes[l], sizes[l+1])
		}
		if match {
			return in.Name()
		}
	}
	return Gaussian{}.Name()
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// v1 reports whether version 1 holds all that net records.
func (net *Network[T]) v1() bool {
	return net.init == v1Name(net.sizes, net.laws) && !slices.ContainsFunc(net.laws, func(l Law) bool { return l.Family != Normal })
}

// MarshalBinary encodes the network in the package's versioned format.
func (net *Network[T]) MarshalBinary() ([]byte, error) {
	var zero T
	es := int(unsafe.Sizeof(zero))
	L := len(net.acts)
	version := uint32(2)
	if net.v1() {
		version = 1
	}
	buf := make([]byte, 0, 8+12+4*(3*L+2)+16*L+len(net.init)+es*len(net.params)+4)
	buf = append(buf, magic...)
	buf = binary.LittleEndian.AppendUint32(buf, version)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(es))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(L))
	for _, s := range net.sizes {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(s))
	}
	for _, a := range net.acts {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(a))
	}
	if version == 2 {
		for _, law := range net.laws {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(law.Family))
		}
	}
	for _, law := range net.laws {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(law.WeightStd))
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(law.BiasStd))
	}
	if version == 2 {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(len(net.init)))
		buf = append(buf, net.init...)
	}
	for _, v := range net.params {
		if es == 4 {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(v)))
		} else {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(float64(v)))
		}
	}
	return binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, castagnoli)), nil
}

// UnmarshalBinary decodes a network written by MarshalBinary, replacing net.
// The element size in the data must match T. Every size is checked against
// the data's length before anything is allocated for it.
func (net *Network[T]) UnmarshalBinary(data []byte) error {
	var zero T
	es := int(unsafe.Sizeof(zero))
	r := reader{b: data}
	if string(r.next(len(magic))) != magic {
		return errors.New("mlp: not a network file: bad magic header")
	}
	version := r.u32()
	if version != 1 && version != formatVersion {
		return fmt.Errorf("mlp: file format version %d not supported: need 1 or %d", version, formatVersion)
	}
	if got := int(r.u32()); got != es {
		return fmt.Errorf("mlp: file holds %d-byte elements, network has %d-byte elements: load with the matching type and use Convert", got, es)
	}
	L := int(r.u32())
	if r.err != nil {
		return r.err
	}
	if L < 1 || L > MaxLayers {
		return fmt.Errorf("mlp: %d layers out of range: need 1 to %d", L, MaxLayers)
	}
	// The header's fixed part must fit before it is read.
	need := 4*(2*L+1) + 16*L + 4
	if version == 2 {
		need += 4*L + 4
	}
	if len(r.b) < need {
		return fmt.Errorf("%w: the header of %d layers needs %d more bytes, the data holds %d", errTruncated, L, need, len(r.b))
	}
	sizes := make([]int, L+1)
	for i := range sizes {
		sizes[i] = int(r.u32())
	}
	acts := make([]Activation, L)
	for i := range acts {
		a := r.u32()
		if a >= uint32(numActivations) {
			return fmt.Errorf("mlp: activation %d of layer %d unknown", a, i)
		}
		acts[i] = Activation(a)
	}
	laws := make([]Law, L)
	if version == 2 {
		for l := range laws {
			f := r.u32()
			if f >= uint32(numFamilies) {
				return fmt.Errorf("mlp: family %d of layer %d unknown: need 0 (normal) or 1 (uniform)", f, l)
			}
			laws[l].Family = Family(f)
		}
	}
	for l := range laws {
		laws[l].WeightStd = math.Float64frombits(r.u64())
		laws[l].BiasStd = math.Float64frombits(r.u64())
		if p := laws[l].problem(); p != "" {
			return fmt.Errorf("mlp: layer %d law: %s", l, p)
		}
	}
	var name string
	if version == 2 {
		n := r.u32()
		if n > MaxInitName || int(n) > len(r.b) {
			return fmt.Errorf("mlp: initialisation name of %d bytes out of range: need ≤ %d and within the data's %d", n, MaxInitName, len(r.b))
		}
		name = string(r.next(int(n)))
	}
	var total int
	for l := range L {
		if sizes[l] < 1 || sizes[l] > MaxWidth || sizes[l+1] < 1 || sizes[l+1] > MaxWidth {
			return fmt.Errorf("mlp: layer sizes %v out of range: need 1 to %d", sizes, MaxWidth)
		}
		total += (sizes[l] + 1) * sizes[l+1]
		if total > MaxParams {
			return fmt.Errorf("mlp: layer sizes %v give more than %d parameters", sizes, MaxParams)
		}
	}
	if want := total*es + 4; len(r.b) != want {
		if len(r.b) < want {
			return fmt.Errorf("%w: layer sizes %v need %d bytes of parameters and checksum, the data holds %d", errTruncated, sizes, want, len(r.b))
		}
		return fmt.Errorf("mlp: %d bytes after the parameters: need none", len(r.b)-want)
	}
	body := len(data) - 4
	if got, want := binary.LittleEndian.Uint32(data[body:]), crc32.Checksum(data[:body], castagnoli); got != want {
		return fmt.Errorf("mlp: checksum %08x does not match the data's %08x: file corrupt", got, want)
	}
	nn, err := newNetwork[T](sizes, acts)
	if err != nil {
		return err
	}
	for i := range nn.params {
		if es == 4 {
			nn.params[i] = T(math.Float32frombits(r.u32()))
		} else {
			nn.params[i] = T(math.Float64frombits(r.u64()))
		}
	}
	copy(nn.laws, laws)
	nn.init = name
	if version == 1 {
		nn.init = v1Name(sizes, laws)
	} else if nn.v1() {
		// One encoding per network: MarshalBinary writes this one as version 1.
		return fmt.Errorf("mlp: version-2 file of a network that version 1 holds (Normal laws, initialisation %q): not written by this package", name)
	}
	*net = *nn
	return nil
}

var errTruncated = errors.New("mlp: network data truncated")

type reader struct {
	b   []byte
	err error
}

func (r *reader) next(n int) []byte {
	if r.err != nil || len(r.b) < n {
		r.err = errTruncated
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) u32() uint32 {
	if p := r.next(4); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if p := r.next(8); p != nil {
		return binary.LittleEndian.Uint64(p)
	}
	return 0
}

// Save writes the network to the file at path atomically: it writes a
// temporary file in the same directory, syncs it, and renames it over path,
// so a crash leaves either the old file or the new one.
func (net *Network[T]) Save(path string) error {
	data, _ := net.MarshalBinary()
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("mlp: saving: %w", err)
	}
	return nil
}

// maxFileSize bounds the bytes Load reads: the largest valid network file.
const maxFileSize = 8*MaxParams + 1<<20

// Load reads a network with element type T from the file at path, written by
// Save. It rejects a wrong magic header, version, element type, shape,
// checksum or a truncated file with an error naming the file.
func Load[T Float](path string) (*Network[T], error) {
	if path == "" {
		return nil, fmt.Errorf("mlp: loading path %q: need a file name", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mlp: loading %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("mlp: loading %s: %w", path, err)
	}
	if st.Size() > maxFileSize {
		return nil, fmt.Errorf("mlp: loading %s: %d bytes is larger than any network file (%d)", path, st.Size(), int64(maxFileSize))
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("mlp: loading %s: %w", path, err)
	}
	net := new(Network[T])
	if err := net.UnmarshalBinary(data); err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return net, nil
}

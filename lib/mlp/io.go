package mlp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"unsafe"

	"pointwise/lib/internal/atomicfile"
)

// The file format, version 1, all integers little-endian:
//
//	magic    [8]byte  "PWMLP\x00\r\n" (the CR LF catches text-mode mangling)
//	version  uint32   1
//	elemSize uint32   4 (float32) or 8 (float64)
//	layers   uint32   L
//	sizes    [L+1]uint32
//	acts     [L]uint32
//	scales   [L][2]float64 (σ_w, σ_b of each layer)
//	params   [P]T     the flat parameter vector, P = Σ (sizes[l]+1)·sizes[l+1]
//	crc      uint32   CRC-32C (Castagnoli) of everything before it
const (
	magic         = "PWMLP\x00\r\n"
	formatVersion = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// MarshalBinary encodes the network in the package's versioned format.
func (net *Network[T]) MarshalBinary() ([]byte, error) {
	var zero T
	es := int(unsafe.Sizeof(zero))
	L := len(net.acts)
	buf := make([]byte, 0, 8+12+4*(2*L+1)+16*L+es*len(net.params)+4)
	buf = append(buf, magic...)
	buf = binary.LittleEndian.AppendUint32(buf, formatVersion)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(es))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(L))
	for _, s := range net.sizes {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(s))
	}
	for _, a := range net.acts {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(a))
	}
	for l := range L {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(net.wstd[l]))
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(net.bstd[l]))
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
	if v := r.u32(); v != formatVersion {
		return fmt.Errorf("mlp: file format version %d not supported: need %d", v, formatVersion)
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
	if need := 4*(2*L+1) + 16*L + 4; len(r.b) < need {
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
	wstd, bstd := make([]float64, L), make([]float64, L)
	for l := range L {
		wstd[l] = math.Float64frombits(r.u64())
		bstd[l] = math.Float64frombits(r.u64())
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
	copy(nn.wstd, wstd)
	copy(nn.bstd, bstd)
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

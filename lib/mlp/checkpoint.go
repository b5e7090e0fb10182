package mlp

import (
	"encoding"
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

// Optimiser state, all integers little-endian:
//
//	magic    [8]byte  "PWOPT\x00\r\n"
//	kind     uint32   1 = Adam, 2 = SGD
//	elemSize uint32   4 or 8
//	t        uint64   Adam's step count (0 for SGD)
//	n        uint64   length of each state vector (0 before the first step)
//	state    Adam: m [n]T then v [n]T; SGD: v [n]T
//
// The settings (learning rate, betas, …) are not part of the state: they are
// the caller's exported fields.
const (
	optMagic = "PWOPT\x00\r\n"
	optAdam  = 1
	optSGD   = 2
)

// MarshalBinary encodes the optimiser's state, the moments and the step
// count, so that a resumed run continues exactly; not its settings.
func (o *Adam[T]) MarshalBinary() ([]byte, error) {
	return marshalOpt(optAdam, uint64(o.t), o.m, o.v), nil
}

// UnmarshalBinary restores a state written by MarshalBinary, keeping the
// settings. The element size must match T.
func (o *Adam[T]) UnmarshalBinary(data []byte) error {
	t, vecs, err := unmarshalOpt[T](data, optAdam, 2)
	if err != nil {
		return err
	}
	if t > math.MaxInt32 {
		return fmt.Errorf("mlp: Adam step count %d out of range: need ≤ %d", t, math.MaxInt32)
	}
	o.t, o.m, o.v = int(t), vecs[0], vecs[1]
	return nil
}

// MarshalBinary encodes the optimiser's state, the velocity; not its
// settings.
func (o *SGD[T]) MarshalBinary() ([]byte, error) { return marshalOpt(optSGD, 0, o.v), nil }

// UnmarshalBinary restores a state written by MarshalBinary, keeping the
// settings. The element size must match T.
func (o *SGD[T]) UnmarshalBinary(data []byte) error {
	_, vecs, err := unmarshalOpt[T](data, optSGD, 1)
	if err != nil {
		return err
	}
	o.v = vecs[0]
	return nil
}

var (
	_ encoding.BinaryMarshaler   = (*Adam[float32])(nil)
	_ encoding.BinaryUnmarshaler = (*Adam[float32])(nil)
	_ encoding.BinaryMarshaler   = (*SGD[float64])(nil)
	_ encoding.BinaryUnmarshaler = (*SGD[float64])(nil)
)

func marshalOpt[T Float](kind uint32, t uint64, vecs ...[]T) []byte {
	var zero T
	es := int(unsafe.Sizeof(zero))
	n := len(vecs[0])
	buf := make([]byte, 0, 8+4+4+8+8+len(vecs)*n*es)
	buf = append(buf, optMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, kind)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(es))
	buf = binary.LittleEndian.AppendUint64(buf, t)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(n))
	for _, vec := range vecs {
		buf = appendFloats(buf, vec)
	}
	return buf
}

func unmarshalOpt[T Float](data []byte, kind uint32, nvec int) (uint64, [][]T, error) {
	var zero T
	es := int(unsafe.Sizeof(zero))
	r := reader{b: data}
	if string(r.next(len(optMagic))) != optMagic {
		return 0, nil, errors.New("mlp: not an optimiser state: bad magic header")
	}
	k, e, t, n := r.u32(), r.u32(), r.u64(), r.u64()
	if r.err != nil {
		return 0, nil, fmt.Errorf("mlp: optimiser state truncated")
	}
	if k != kind {
		return 0, nil, fmt.Errorf("mlp: optimiser state of kind %d loaded into kind %d (1 = Adam, 2 = SGD)", k, kind)
	}
	if int(e) != es {
		return 0, nil, fmt.Errorf("mlp: optimiser state holds %d-byte elements, need %d", e, es)
	}
	if n > MaxParams {
		return 0, nil, fmt.Errorf("mlp: optimiser state for %d parameters out of range: need ≤ %d", n, MaxParams)
	}
	if want := uint64(nvec) * n * uint64(es); uint64(len(r.b)) != want {
		return 0, nil, fmt.Errorf("mlp: optimiser state holds %d bytes of vectors, need %d", len(r.b), want)
	}
	vecs := make([][]T, nvec)
	for i := range vecs {
		if n == 0 {
			continue // nil: sized on the first step
		}
		vecs[i] = make([]T, n)
		readFloats(&r, vecs[i])
	}
	return t, vecs, nil
}

func appendFloats[T Float](buf []byte, x []T) []byte {
	var zero T
	if unsafe.Sizeof(zero) == 4 {
		for _, v := range x {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(v)))
		}
		return buf
	}
	for _, v := range x {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(float64(v)))
	}
	return buf
}

func readFloats[T Float](r *reader, x []T) {
	var zero T
	if unsafe.Sizeof(zero) == 4 {
		for i := range x {
			x[i] = T(math.Float32frombits(r.u32()))
		}
		return
	}
	for i := range x {
		x[i] = T(math.Float64frombits(r.u64()))
	}
}

// Checkpoint is a training run's state at the end of an epoch: the network,
// the optimiser's state and the caller's own data (its settings, random
// number generator states, metrics). Restored into a Trainer with Start =
// Epoch, it lets an interrupted run end with the parameters of an
// uninterrupted one.
//
// The file format, version 1, all integers little-endian:
//
//	magic     [8]byte  "PWCKPT\r\n"
//	version   uint32   1
//	epoch     uint64
//	net       uint64 length, then the network's MarshalBinary bytes
//	optimizer uint64 length, then the optimiser's MarshalBinary bytes
//	meta      uint64 length, then Meta
//	crc       uint32   CRC-32C (Castagnoli) of everything before it
type Checkpoint[T Float] struct {
	// Epoch is the number of epochs done.
	Epoch int
	// Net is the network at the end of epoch Epoch.
	Net *Network[T]
	// Optimizer is the optimiser's state from its MarshalBinary.
	Optimizer []byte
	// Meta is the caller's data, stored as it is.
	Meta []byte
}

const (
	ckptMagic   = "PWCKPT\r\n"
	ckptVersion = 1
	// maxCkptSize bounds the bytes LoadCheckpoint reads: a network, an
	// optimiser state of three vectors as large, and some metadata.
	maxCkptSize = 4*maxFileSize + 1<<24
)

// MarshalBinary encodes the checkpoint in the format above.
func (c *Checkpoint[T]) MarshalBinary() ([]byte, error) {
	if c.Net == nil {
		return nil, errors.New("mlp: checkpoint without a network")
	}
	if c.Epoch < 0 {
		return nil, fmt.Errorf("mlp: checkpoint epoch %d out of range: need ≥ 0", c.Epoch)
	}
	net, _ := c.Net.MarshalBinary()
	buf := make([]byte, 0, 8+4+8+3*8+len(net)+len(c.Optimizer)+len(c.Meta)+4)
	buf = append(buf, ckptMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, ckptVersion)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(c.Epoch))
	for _, part := range [][]byte{net, c.Optimizer, c.Meta} {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(len(part)))
		buf = append(buf, part...)
	}
	return binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, castagnoli)), nil
}

// UnmarshalBinary decodes a checkpoint written by MarshalBinary, replacing c.
// It rejects a bad header, version, length, checksum or network.
func (c *Checkpoint[T]) UnmarshalBinary(data []byte) error {
	if len(data) < len(ckptMagic)+4+8+3*8+4 {
		if len(data) >= len(ckptMagic) && string(data[:len(ckptMagic)]) != ckptMagic {
			return errors.New("mlp: not a checkpoint: bad magic header")
		}
		return errors.New("mlp: checkpoint truncated")
	}
	if string(data[:len(ckptMagic)]) != ckptMagic {
		return errors.New("mlp: not a checkpoint: bad magic header")
	}
	body := len(data) - 4
	if got, want := binary.LittleEndian.Uint32(data[body:]), crc32.Checksum(data[:body], castagnoli); got != want {
		return fmt.Errorf("mlp: checkpoint checksum %08x does not match the data's %08x: file truncated or corrupt", got, want)
	}
	r := reader{b: data[len(ckptMagic):body]}
	if v := r.u32(); v != ckptVersion {
		return fmt.Errorf("mlp: checkpoint format version %d not supported: need %d", v, ckptVersion)
	}
	epoch := r.u64()
	if epoch > math.MaxInt32 {
		return fmt.Errorf("mlp: checkpoint epoch %d out of range", epoch)
	}
	var parts [3][]byte
	for i := range parts {
		n := r.u64()
		if r.err != nil || n > uint64(len(r.b)) {
			return errors.New("mlp: checkpoint truncated")
		}
		parts[i] = r.next(int(n))
	}
	if len(r.b) != 0 {
		return fmt.Errorf("mlp: %d bytes after the checkpoint's parts: need none", len(r.b))
	}
	net := new(Network[T])
	if err := net.UnmarshalBinary(parts[0]); err != nil {
		return fmt.Errorf("mlp: checkpoint network: %w", err)
	}
	*c = Checkpoint[T]{Epoch: int(epoch), Net: net,
		Optimizer: append([]byte(nil), parts[1]...), Meta: append([]byte(nil), parts[2]...)}
	return nil
}

// Save writes the checkpoint to the file at path atomically (a temporary
// file in the same directory, synced, then renamed over path), so that a
// crash leaves either the old checkpoint or the new one.
func (c *Checkpoint[T]) Save(path string) error {
	data, err := c.MarshalBinary()
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("mlp: saving checkpoint: %w", err)
	}
	return nil
}

// LoadCheckpoint reads a checkpoint with element type T from the file at
// path, written by Checkpoint.Save. A truncated or corrupt file is an error
// naming the file.
func LoadCheckpoint[T Float](path string) (*Checkpoint[T], error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mlp: loading checkpoint %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCkptSize+1))
	if err != nil {
		return nil, fmt.Errorf("mlp: loading checkpoint %s: %w", path, err)
	}
	if len(data) > maxCkptSize {
		return nil, fmt.Errorf("mlp: loading checkpoint %s: larger than any checkpoint (%d bytes)", path, int64(maxCkptSize))
	}
	c := new(Checkpoint[T])
	if err := c.UnmarshalBinary(data); err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return c, nil
}

package dataset

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// MaxIDXBytes is the largest data payload, prod(Dims) bytes, that ReadIDX
// accepts: 1 GiB, over twenty times the MNIST training images (47,040,000 bytes).
const MaxIDXBytes = 1 << 30

// MaxIDXDims is the largest number of dimensions ReadIDX accepts.
const MaxIDXDims = 4

// idxUint8 is the IDX type code of unsigned bytes, the only one supported.
const idxUint8 = 0x08

// readChunk is the first buffer size when reading data: the buffer then
// grows fourfold each time it fills, so a header that overstates the size
// costs at most readChunk or four times the bytes the stream really holds,
// and a large file is copied only a few times.
const readChunk = 1 << 20

// readGrowth is the factor by which the data buffer grows.
const readGrowth = 4

// IDX is an unsigned-byte (type 0x08) IDX array: Data holds prod(Dims)
// elements in row-major order, the last dimension varying fastest.
type IDX struct {
	Dims []int
	Data []byte
}

// ReadIDX reads an unsigned-byte IDX file from r, gzipped or not (a stream
// starting with the gzip magic 0x1f 0x8b is decompressed). It checks that
// the header is valid (two zero bytes, type code 0x08, 1 to MaxIDXDims
// dimensions, each at least 1, with product at most MaxIDXBytes) and that
// the stream holds exactly prod(Dims) data bytes: a truncated stream,
// trailing bytes and a broken gzip stream (including a CRC-32 mismatch) are
// errors matching ErrCorrupt. Whatever the header claims, it allocates at
// most about four times the bytes the stream really holds (at least 1 MiB).
func ReadIDX(r io.Reader) (*IDX, error) {
	m, err := readIDX(r)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	return m, nil
}

// gzipError marks an error returned by the gzip decompressor.
type gzipError struct{ err error }

func (e gzipError) Error() string { return e.err.Error() }
func (e gzipError) Unwrap() error { return e.err }

// gzipReader tags the decompressor's errors, other than io.EOF, so that
// they can be told apart from a short IDX payload.
type gzipReader struct{ z *gzip.Reader }

func (g gzipReader) Read(p []byte) (int, error) {
	n, err := g.z.Read(p)
	if err != nil && err != io.EOF {
		err = gzipError{err}
	}
	return n, err
}

// readIDX is ReadIDX without the package prefix on its errors.
func readIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReader(r)
	src := io.Reader(br)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, classify(err, "reading the first bytes")
	}
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		z, err := gzip.NewReader(br)
		if err != nil {
			return nil, classify(gzipError{err}, "gzip header")
		}
		defer z.Close()
		// One gzip member only, so bytes after it are reported below rather
		// than parsed as a second member.
		z.Multistream(false)
		src = gzipReader{z}
	}

	var head [4]byte
	if n, err := io.ReadFull(src, head[:]); err != nil {
		return nil, classify(err, fmt.Sprintf("header: stream ends after %d of 4 bytes", n))
	}
	if head[0] != 0 || head[1] != 0 {
		return nil, fmt.Errorf("%w: bad magic 0x%02x%02x%02x%02x: an IDX file starts with two zero bytes",
			ErrCorrupt, head[0], head[1], head[2], head[3])
	}
	if head[2] != idxUint8 {
		return nil, fmt.Errorf("%w: IDX type code 0x%02x (%s) not supported: need 0x08 (unsigned byte)",
			ErrCorrupt, head[2], idxTypeName(head[2]))
	}
	d := int(head[3])
	if d < 1 || d > MaxIDXDims {
		return nil, fmt.Errorf("%w: number of dimensions %d out of range: need 1 to %d", ErrCorrupt, d, MaxIDXDims)
	}
	var raw [4 * MaxIDXDims]byte
	if n, err := io.ReadFull(src, raw[:4*d]); err != nil {
		return nil, classify(err, fmt.Sprintf("header: stream ends after %d of %d dimension bytes", n, 4*d))
	}
	dims := make([]int, d)
	size := uint64(1)
	for i := range dims {
		v := binary.BigEndian.Uint32(raw[4*i:])
		if v == 0 {
			return nil, fmt.Errorf("%w: dimension %d is 0: need at least 1", ErrCorrupt, i)
		}
		dims[i] = int(v)
		// size <= MaxIDXBytes and v < 2^32 here, so the product fits in 62 bits.
		size *= uint64(v)
		if size > MaxIDXBytes {
			return nil, fmt.Errorf("%w: dims %v claim more than %d data bytes, the limit MaxIDXBytes",
				ErrCorrupt, dimsUpTo(raw[:4*d]), uint64(MaxIDXBytes))
		}
	}
	n := int(size)

	data, err := readN(src, n)
	if err != nil {
		return nil, classify(err, fmt.Sprintf("reading data of dims %v: %d of %d bytes read", dims, len(data), n))
	}
	if len(data) < n {
		return nil, fmt.Errorf("%w: truncated: header dims %v promise %d data bytes, the stream holds %d",
			ErrCorrupt, dims, n, len(data))
	}

	// Reading to the end also makes the gzip reader check its CRC-32 and size.
	extra, err := countRest(src)
	if err != nil {
		return nil, classify(err, fmt.Sprintf("after the %d data bytes", n))
	}
	if extra > 0 {
		return nil, fmt.Errorf("%w: trailing data: %s after the %d data bytes of dims %v",
			ErrCorrupt, extra, n, dims)
	}
	if src != io.Reader(br) {
		extra, err := countRest(br)
		if err != nil {
			return nil, classify(err, "after the gzip stream")
		}
		if extra > 0 {
			return nil, fmt.Errorf("%w: trailing data: %s after the gzip stream", ErrCorrupt, extra)
		}
	}
	return &IDX{Dims: dims, Data: data}, nil
}

// byteCount describes a count of bytes found, capped at countLimit.
type byteCount int64

// countLimit bounds the bytes countRest reads: enough to describe trailing
// data without reading an arbitrarily long stream.
const countLimit = 1 << 20

func (c byteCount) String() string {
	switch {
	case c == 1:
		return "1 byte"
	case c > countLimit:
		return fmt.Sprintf("more than %d bytes", countLimit)
	}
	return fmt.Sprintf("%d bytes", int64(c))
}

// countRest reads what is left of r, up to countLimit+1 bytes, and returns
// how many bytes it read and the first read error other than io.EOF.
func countRest(r io.Reader) (byteCount, error) {
	n, err := io.Copy(io.Discard, io.LimitReader(r, countLimit+1))
	return byteCount(n), err
}

// readN reads up to n bytes from r, returning fewer only at the end of the
// stream (with a nil error) or on a read error.
func readN(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, 0, min(n, readChunk))
	for len(buf) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(readGrowth*cap(buf), n))
			copy(grown, buf)
			buf = grown
		}
		k, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// classify wraps a read error: a gzip failure or an early end of stream is
// corruption; anything else (such as an I/O error) is returned as is.
func classify(err error, where string) error {
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe):
		return fmt.Errorf("%s: %w", where, err)
	case errors.As(err, new(gzipError)):
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("%w: %s: gzip stream truncated (%v)", ErrCorrupt, where, err)
		}
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, where, err)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: truncated: %s", ErrCorrupt, where)
	}
	return fmt.Errorf("%s: %w", where, err)
}

// dimsUpTo decodes big-endian uint32 dims for an error message.
func dimsUpTo(raw []byte) []uint32 {
	dims := make([]uint32, len(raw)/4)
	for i := range dims {
		dims[i] = binary.BigEndian.Uint32(raw[4*i:])
	}
	return dims
}

// idxTypeName names the IDX type codes of the format description.
func idxTypeName(code byte) string {
	switch code {
	case 0x08:
		return "unsigned byte"
	case 0x09:
		return "signed byte"
	case 0x0b:
		return "short"
	case 0x0c:
		return "int"
	case 0x0d:
		return "float"
	case 0x0e:
		return "double"
	}
	return "unknown"
}

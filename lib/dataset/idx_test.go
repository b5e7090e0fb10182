package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// idxBytes encodes an unsigned-byte IDX file with the given dims and data
// (which need not match, so that tests can build broken files).
func idxBytes(dims []uint32, data []byte) []byte {
	b := []byte{0, 0, idxUint8, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

// gzipBytes compresses b into a gzip stream.
func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := gzip.NewWriter(&buf)
	if _, err := z.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// randomBytes returns n bytes from a fixed seed; random bytes do not
// compress, so gzip stores them and a flipped stored byte must fail the
// CRC-32 check.
func randomBytes(n int, seed uint64) []byte {
	rnd := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rnd.IntN(256))
	}
	return b
}

func TestReadIDXRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		dims []uint32
	}{
		{"vector", []uint32{7}},
		{"images", []uint32{5, 3, 4}},
		{"4d", []uint32{2, 3, 1, 2}},
		{"one byte", []uint32{1, 1, 1, 1}},
		{"larger than a read chunk", []uint32{3, readChunk/2 + 1}},
	} {
		n := 1
		for _, d := range tc.dims {
			n *= int(d)
		}
		data := randomBytes(n, 1)
		raw := idxBytes(tc.dims, data)
		for _, enc := range []struct {
			name string
			b    []byte
		}{{"raw", raw}, {"gzip", gzipBytes(t, raw)}} {
			m, err := ReadIDX(bytes.NewReader(enc.b))
			if err != nil {
				t.Errorf("%s %s: unexpected error: %v", tc.name, enc.name, err)
				continue
			}
			want := make([]int, len(tc.dims))
			for i, d := range tc.dims {
				want[i] = int(d)
			}
			if !slices.Equal(m.Dims, want) {
				t.Errorf("%s %s: dims = %v, want %v", tc.name, enc.name, m.Dims, want)
			}
			if !bytes.Equal(m.Data, data) {
				t.Errorf("%s %s: data differ from what was written", tc.name, enc.name)
			}
		}
	}
}

func TestReadIDXErrors(t *testing.T) {
	good := idxBytes([]uint32{2, 3}, []byte{1, 2, 3, 4, 5, 6})
	withType := func(code byte) []byte {
		b := slices.Clone(good)
		b[2] = code
		return b
	}
	withDims := func(d byte) []byte {
		b := slices.Clone(good)
		b[3] = d
		return b
	}
	gz := gzipBytes(t, good)
	flipped := gzipBytes(t, idxBytes([]uint32{100}, randomBytes(100, 2)))
	// A gzip stream ends with CRC-32 and size (8 bytes): a byte 20 from the end
	// is in the stored data.
	flipped[len(flipped)-20] ^= 0xff

	for _, tc := range []struct {
		name  string
		in    []byte
		wants []string // substrings of the error message
	}{
		{"empty", nil, []string{"header", "0 of 4 bytes"}},
		{"bad magic", append([]byte{0, 1}, good[2:]...), []string{"bad magic 0x0001", "two zero bytes"}},
		{"signed byte type", withType(0x09), []string{"type code 0x09", "signed byte", "need 0x08"}},
		{"double type", withType(0x0e), []string{"type code 0x0e", "double"}},
		{"zero dims", withDims(0), []string{"number of dimensions 0", "need 1 to 4"}},
		{"five dims", withDims(5), []string{"number of dimensions 5", "need 1 to 4"}},
		{"zero size", idxBytes([]uint32{3, 0}, nil), []string{"dimension 1 is 0"}},
		{"short dims", good[:9], []string{"header", "5 of 8 dimension bytes"}},
		{"truncated data", good[:len(good)-2], []string{"truncated", "[2 3]", "6 data bytes", "holds 4"}},
		{"trailing data", append(slices.Clone(good), 9, 9, 9), []string{"trailing data", "3 bytes after the 6 data bytes"}},
		{"truncated gzip", gz[:len(gz)-10], []string{"gzip"}},
		{"gzip trailing garbage", append(slices.Clone(gz), "junk"...), []string{"trailing data", "4 bytes after the gzip stream"}},
		{"gzip inner trailing data", gzipBytes(t, append(slices.Clone(good), 7)), []string{"trailing data", "1 byte after the 6 data bytes"}},
		{"gzip flipped byte", flipped, []string{"gzip", "checksum"}},
		{"gzip bad header", []byte{0x1f, 0x8b, 0, 0}, []string{"gzip header"}},
	} {
		_, err := ReadIDX(bytes.NewReader(tc.in))
		t.Logf("%s: %v", tc.name, err)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: error %q does not match ErrCorrupt", tc.name, err)
		}
		for _, w := range tc.wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", tc.name, err, w)
			}
		}
	}
}

// TestReadIDXAbsurdDims checks that a header claiming more data than the
// stream holds fails without allocating what the header claims.
func TestReadIDXAbsurdDims(t *testing.T) {
	for _, tc := range []struct {
		name string
		dims []uint32
		held int // data bytes in the stream
		want string
	}{
		// 10^12 bytes: rejected from the header alone.
		{"10^12 bytes", []uint32{1000000, 1000000}, 100, "claim more than"},
		// (2^32-1)^4 overflows 64 bits if multiplied naively.
		{"product overflows", []uint32{1<<32 - 1, 1<<32 - 1, 1<<32 - 1, 1<<32 - 1}, 100, "claim more than"},
		// Exactly MaxIDXBytes is allowed, but the stream holds much less.
		{"1 GiB claimed, 100 bytes held", []uint32{1 << 10, 1 << 10, 1 << 10}, 100, "holds 100"},
		{"1 GiB claimed, 3 MiB held", []uint32{1 << 10, 1 << 10, 1 << 10}, 3 << 20, "holds 3145728"},
	} {
		// The buffer grows by readGrowth only once full, so its final capacity
		// is at most readGrowth·max(held, readChunk) and all buffers together
		// at most readGrowth/(readGrowth-1) times that; 1 MiB covers the
		// bufio and gzip state.
		allocLimit := uint64(readGrowth*readGrowth*max(tc.held, readChunk)/(readGrowth-1) + 1<<20)
		in := idxBytes(tc.dims, randomBytes(tc.held, 3))
		for _, enc := range []struct {
			name string
			b    []byte
		}{{"raw", in}, {"gzip", gzipBytes(t, in)}} {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := ReadIDX(bytes.NewReader(enc.b))
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s %s: error %v, want ErrCorrupt containing %q", tc.name, enc.name, err, tc.want)
			}
			got := after.TotalAlloc - before.TotalAlloc
			if got > allocLimit {
				t.Errorf("%s %s: allocated %d bytes, want at most %d", tc.name, enc.name, got, allocLimit)
			}
			t.Logf("%s %s: allocated %d bytes (limit %d)", tc.name, enc.name, got, allocLimit)
		}
	}
}

func BenchmarkReadIDX(b *testing.B) {
	// The size of the MNIST test images.
	raw := idxBytes([]uint32{10000, 28, 28}, randomBytes(10000*28*28, 4))
	gz := gzipBytes(b, raw)
	for _, enc := range []struct {
		name string
		b    []byte
	}{{"raw", raw}, {"gzip", gz}} {
		b.Run(enc.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := ReadIDX(bytes.NewReader(enc.b)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

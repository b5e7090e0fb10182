package dataset

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// readIDXAllocBound is the most ReadIDX may allocate for an input of n
// bytes: the reader's own promise (at most about four times the bytes the
// stream holds, at least 1 MiB), with the stream holding up to 1032 bytes
// per compressed byte when gzipped (deflate's largest ratio), plus slack for
// the gzip and bufio readers. However large the header's dimensions, the
// bound follows the input, not the header.
func readIDXAllocBound(data []byte) uint64 {
	const slack = 4 << 20
	n := uint64(len(data))
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		return slack + 4*1032*n
	}
	return slack + 8*n
}

// FuzzReadIDX feeds ReadIDX corrupt headers, absurd dimensions, truncated
// and gzipped streams (seeds in testdata/fuzz/FuzzReadIDX, which go test
// runs every time; POINTWISE_WRITE_SEEDS=1 go test -run TestWriteIDXSeeds
// rewrites them from idxSeeds). ReadIDX must never panic, must allocate no more than
// readIDXAllocBound, must return either an error matching ErrCorrupt or a
// valid IDX, and a valid uncompressed input must be exactly its header and
// data.
func FuzzReadIDX(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		m, err := ReadIDX(bytes.NewReader(data))
		runtime.ReadMemStats(&after)
		if alloc, bound := after.TotalAlloc-before.TotalAlloc, readIDXAllocBound(data); alloc > bound {
			t.Fatalf("ReadIDX of %d bytes allocated %d bytes, more than the bound %d", len(data), alloc, bound)
		}
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not match ErrCorrupt", err)
			}
			if m != nil {
				t.Fatalf("error %v with a non-nil IDX", err)
			}
			return
		}
		if len(m.Dims) < 1 || len(m.Dims) > MaxIDXDims {
			t.Fatalf("dims %v: want 1 to %d dimensions", m.Dims, MaxIDXDims)
		}
		size := 1
		for _, d := range m.Dims {
			if d < 1 {
				t.Fatalf("dims %v: a dimension < 1", m.Dims)
			}
			size *= d
		}
		if size != len(m.Data) {
			t.Fatalf("dims %v promise %d bytes, Data holds %d", m.Dims, size, len(m.Data))
		}
		if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
			return
		}
		dims := make([]uint32, len(m.Dims))
		for i, d := range m.Dims {
			dims[i] = uint32(d)
		}
		if re := idxBytes(dims, m.Data); !bytes.Equal(re, data) {
			t.Fatalf("re-encoded IDX differs from the input")
		}
	})
}

// idxSeeds returns the seed inputs: valid files, each header field broken,
// dimensions that would need gigabytes, truncations, trailing bytes and
// their gzipped forms. TestWriteIDXSeeds writes them to testdata.
func idxSeeds() [][]byte {
	valid := idxBytes([]uint32{2, 3, 2}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	labels := idxBytes([]uint32{4}, []byte{0, 9, 3, 7})
	absurd := idxBytes([]uint32{60000, 28, 28}, []byte{1, 2, 3})             // 47 MB promised, 3 bytes held
	gigabytes := idxBytes([]uint32{1 << 31, 1 << 31, 1 << 31, 1 << 31}, nil) // past MaxIDXBytes
	justUnder := idxBytes([]uint32{1 << 15, 1 << 15}, []byte{0})             // exactly MaxIDXBytes promised
	badMagic := append([]byte(nil), valid...)
	badMagic[1] = 1
	badType := append([]byte(nil), valid...)
	badType[2] = 0x0d
	zeroDims := append([]byte(nil), valid...)
	zeroDims[3] = 0
	manyDims := append([]byte(nil), valid...)
	manyDims[3] = 200
	zeroDim := idxBytes([]uint32{3, 0}, nil)
	trailing := append(append([]byte(nil), labels...), 0xff)
	seeds := [][]byte{
		valid, labels, absurd, gigabytes, justUnder, badMagic, badType, zeroDims, manyDims, zeroDim, trailing,
		valid[:3], valid[:9], valid[:len(valid)-1], {},
	}
	for _, s := range []([]byte){valid, absurd, gigabytes, justUnder, trailing} {
		z := gzipBytesPlain(s)
		seeds = append(seeds, z, z[:len(z)-5], append(append([]byte(nil), z...), 0))
	}
	return seeds
}

// gzipBytesPlain is gzipBytes without a testing.TB, for the seeds.
func gzipBytesPlain(b []byte) []byte {
	var buf bytes.Buffer
	z := gzip.NewWriter(&buf)
	z.Write(b)
	z.Close()
	return buf.Bytes()
}

// TestWriteIDXSeeds writes idxSeeds to testdata/fuzz/FuzzReadIDX when
// POINTWISE_WRITE_SEEDS=1 (the corpus is checked in; this regenerates it).
func TestWriteIDXSeeds(t *testing.T) {
	if os.Getenv("POINTWISE_WRITE_SEEDS") != "1" {
		t.Skip("set POINTWISE_WRITE_SEEDS=1 to rewrite testdata/fuzz/FuzzReadIDX")
	}
	writeSeeds(t, "FuzzReadIDX", idxSeeds())
}

// writeSeeds writes seeds in go test's corpus format to testdata/fuzz/name.
func writeSeeds(t *testing.T, name string, seeds [][]byte) {
	dir := filepath.Join("testdata", "fuzz", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, s := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%02d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

package mlp

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// unmarshalAllocBound is the most UnmarshalBinary (and Load, which also
// reads the file into memory) may allocate for n bytes of input: the
// parameters it keeps are at most the input's size, the header's slices
// are checked against the input before they are made, and the rest is
// slack. However large the sizes in the header, the bound follows the input.
func unmarshalAllocBound(n int) uint64 { return 1<<20 + 4*uint64(n) }

// checkUnmarshal decodes data as a network of T and checks the decoder's
// promises: no panic (the fuzzer reports one), allocations within
// unmarshalAllocBound, and a decoded network that encodes back to data.
func checkUnmarshal[T Float](t *testing.T, data []byte) {
	var before, after runtime.MemStats
	net := new(Network[T])
	runtime.ReadMemStats(&before)
	err := net.UnmarshalBinary(data)
	runtime.ReadMemStats(&after)
	if alloc, bound := after.TotalAlloc-before.TotalAlloc, unmarshalAllocBound(len(data)); alloc > bound {
		t.Fatalf("UnmarshalBinary of %d bytes allocated %d bytes, more than the bound %d", len(data), alloc, bound)
	}
	if err != nil {
		return
	}
	re, err := net.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(re, data) {
		t.Fatalf("decoded network %v encodes to %d bytes that differ from the %d read", net.Sizes(), len(re), len(data))
	}
}

// FuzzUnmarshal feeds UnmarshalBinary corrupt headers, absurd layer counts
// and widths, truncated data, bad checksums and wrong element sizes (seeds
// in testdata/fuzz/FuzzUnmarshal, which go test runs every time;
// POINTWISE_WRITE_SEEDS=1 go test -run TestWriteMLPSeeds rewrites them), as
// float32 and as float64 networks.
func FuzzUnmarshal(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		checkUnmarshal[float32](t, data)
		checkUnmarshal[float64](t, data)
		// The same bytes with a valid checksum, so that mutations reach the
		// checks behind it (sizes against the data, activations, parameters).
		if n := len(data); n >= 4 {
			fixed := append([]byte(nil), data...)
			binary.LittleEndian.PutUint32(fixed[n-4:], crc32.Checksum(fixed[:n-4], castagnoli))
			checkUnmarshal[float32](t, fixed)
			checkUnmarshal[float64](t, fixed)
		}
	})
}

// FuzzLoad is FuzzUnmarshal through a file: Load must not panic, must
// allocate within the bound, and must name the file in every error.
func FuzzLoad(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "net.bin")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		net, err := Load[float32](path)
		runtime.ReadMemStats(&after)
		if alloc, bound := after.TotalAlloc-before.TotalAlloc, unmarshalAllocBound(len(data)); alloc > bound {
			t.Fatalf("Load of %d bytes allocated %d bytes, more than the bound %d", len(data), alloc, bound)
		}
		if err != nil {
			if !bytes.Contains([]byte(err.Error()), []byte(path)) {
				t.Fatalf("error %q does not name the file %s", err, path)
			}
			return
		}
		if net.NumParams() > len(data)/4 {
			t.Fatalf("%d parameters from a %d-byte file", net.NumParams(), len(data))
		}
	})
}

// mlpSeeds returns the seed inputs: valid float32 and float64 files and
// each field of the header broken, including sizes that would need
// gigabytes, and truncations.
func mlpSeeds() [][]byte {
	net32, _ := New[float32]([]int{3, 4, 2}, ReLU, Identity)
	net32.Init(rand.New(rand.NewPCG(1, 1)), nil)
	net64 := Convert[float64](net32)
	v32, _ := net32.MarshalBinary()
	v64, _ := net64.MarshalBinary()
	header := func(version, es, layers uint32, sizes ...uint32) []byte {
		b := append([]byte(nil), magic...)
		for _, v := range append([]uint32{version, es, layers}, sizes...) {
			b = binary.LittleEndian.AppendUint32(b, v)
		}
		return b
	}
	edit := func(b []byte, at int, v uint32) []byte {
		c := append([]byte(nil), b...)
		binary.LittleEndian.PutUint32(c[at:], v)
		return c
	}
	absurdWidths := append(header(1, 4, 2, 1<<24, 1<<24, 1<<24, 1, 1), make([]byte, 64)...)
	seeds := [][]byte{
		v32, v64,
		v32[:len(v32)-1], v32[:len(v32)/2], v32[:24], v32[:8], v32[:3], {},
		append(append([]byte(nil), v32...), 0),
		edit(v32, 0, 0x4c4d5750),      // bad magic
		edit(v32, 8, 2),               // version 2
		edit(v32, 12, 2),              // 2-byte elements
		edit(v32, 16, 0),              // no layers
		edit(v32, 16, 1<<30),          // a billion layers
		edit(v32, 20, 1<<24),          // input width at MaxWidth
		edit(v32, 24, 0xffffffff),     // hidden width 2^32-1
		edit(v32, 32, 9),              // unknown activation
		edit(v32, len(v32)-4, 0),      // bad checksum
		absurdWidths,                  // 2^48 parameters promised in 100 bytes
		header(1, 8, 1025),            // more layers than MaxLayers, no body
		header(1, 4, 1, 1<<24, 1<<6),  // 2^30 parameters promised, no body
		header(1, 4, 1, 1<<15, 1<<15), // just over MaxParams
	}
	return seeds
}

// TestWriteMLPSeeds writes mlpSeeds to testdata/fuzz/FuzzUnmarshal and
// FuzzLoad when POINTWISE_WRITE_SEEDS=1 (the corpus is checked in; this
// regenerates it).
func TestWriteMLPSeeds(t *testing.T) {
	if os.Getenv("POINTWISE_WRITE_SEEDS") != "1" {
		t.Skip("set POINTWISE_WRITE_SEEDS=1 to rewrite testdata/fuzz/FuzzUnmarshal and FuzzLoad")
	}
	for _, name := range []string{"FuzzUnmarshal", "FuzzLoad"} {
		dir := filepath.Join("testdata", "fuzz", name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, s := range mlpSeeds() {
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%02d", i)), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

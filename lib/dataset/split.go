package dataset

import (
	"fmt"
	"slices"
)

// Classes is the number of classes of MNIST and Fashion-MNIST; labels are
// 0..Classes-1.
const Classes = 10

// Split is one part (training or test) of an image data set: N grey-scale
// images of Rows×Cols pixels and their labels.
type Split struct {
	// X holds the images one after the other, N×(Rows·Cols) values in
	// row-major order: pixel (r, c) of image i is X[i*Rows*Cols+r*Cols+c].
	// A value is the stored byte divided by 255, so it lies in [0, 1].
	X []float32
	// Y holds the labels, 0..Classes-1, Y[i] being that of image i.
	Y []int

	N, Rows, Cols int
}

// Dim returns the number of pixels of an image, Rows·Cols, the input
// dimension of a network on this data.
func (s *Split) Dim() int { return s.Rows * s.Cols }

// Image returns image i as a view into X, Dim() values in row-major order.
// The slice shares X's storage: do not modify it. Image panics if i is not
// in [0, N), as indexing a slice would.
func (s *Split) Image(i int) []float32 {
	if i < 0 || i >= s.N {
		panic(fmt.Sprintf("dataset: image index i = %d out of range: need 0 <= i < N = %d", i, s.N))
	}
	d := s.Dim()
	return s.X[i*d : (i+1)*d : (i+1)*d]
}

// ImageFloat64 stores image i, converted to float64, in dst and returns
// it. If dst is nil a new slice is allocated; otherwise it must have length
// Dim(). ImageFloat64 panics if i is not in [0, N) or dst has the wrong
// length.
func (s *Split) ImageFloat64(dst []float64, i int) []float64 {
	x := s.Image(i)
	if dst == nil {
		dst = make([]float64, len(x))
	}
	if len(dst) != len(x) {
		panic(fmt.Sprintf("dataset: len(dst) = %d, need Dim() = %d", len(dst), len(x)))
	}
	for j, v := range x {
		dst[j] = float64(v)
	}
	return dst
}

// Subset returns a copy of the first n images and labels, for quick runs
// on part of the data. It returns an error unless 1 <= n <= N.
func (s *Split) Subset(n int) (*Split, error) {
	if n < 1 || n > s.N {
		return nil, fmt.Errorf("dataset: subset size n = %d out of range: need 1 <= n <= N = %d", n, s.N)
	}
	return &Split{
		X:    slices.Clone(s.X[:n*s.Dim()]),
		Y:    slices.Clone(s.Y[:n]),
		N:    n,
		Rows: s.Rows,
		Cols: s.Cols,
	}, nil
}

// AsFloat64 returns X converted to float64 in a new slice of N·Dim()
// values, in the same row-major order, for gonum's mat.NewDense(N, Dim(), x).
func (s *Split) AsFloat64() []float64 {
	dst := make([]float64, len(s.X))
	for i, v := range s.X {
		dst[i] = float64(v)
	}
	return dst
}

// Set is an image data set: its name, class names and the training and
// test splits.
type Set struct {
	Name string
	// Classes names the labels: Classes[k] is the name of label k.
	Classes     []string
	Train, Test *Split
}

// newSplit builds a Split from an images IDX (N×Rows×Cols), its pixels
// scaled by scale, and a labels IDX (N), checking their shapes and labels.
// The paths name the files in errors.
func newSplit(images, labels *IDX, x []float32, imagesPath, labelsPath string) (*Split, error) {
	if len(images.Dims) != 3 {
		return nil, &FileError{imagesPath, fmt.Errorf("%w: images have dims %v: need 3 (count, rows, columns)",
			ErrCorrupt, images.Dims)}
	}
	if len(labels.Dims) != 1 {
		return nil, &FileError{labelsPath, fmt.Errorf("%w: labels have dims %v: need 1 (count)",
			ErrCorrupt, labels.Dims)}
	}
	n, rows, cols := images.Dims[0], images.Dims[1], images.Dims[2]
	if labels.Dims[0] != n {
		return nil, fmt.Errorf("dataset: %w: count mismatch: %s holds %d labels but %s holds %d images",
			ErrCorrupt, labelsPath, labels.Dims[0], imagesPath, n)
	}
	y := make([]int, n)
	for i, v := range labels.Data {
		if v >= Classes {
			return nil, &FileError{labelsPath, fmt.Errorf("%w: label %d is %d: need 0 to %d",
				ErrCorrupt, i, v, Classes-1)}
		}
		y[i] = int(v)
	}
	return &Split{X: x, Y: y, N: n, Rows: rows, Cols: cols}, nil
}

// byteScale maps a pixel byte b to float32(b)/255; a table keeps the
// conversion exact and fast.
var byteScale = func() (t [256]float32) {
	for b := range t {
		t[b] = float32(b) / 255
	}
	return t
}()

// scale returns the pixels b scaled to [0, 1] by byteScale.
func scale(b []byte) []float32 {
	x := make([]float32, len(b))
	for i, v := range b {
		x[i] = byteScale[v]
	}
	return x
}

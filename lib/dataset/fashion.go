package dataset

import (
	"fmt"
	"path/filepath"
	"pointwise/internal/modroot"
)

// FashionMNISTSystemDir is where Debian's dataset-fashion-mnist package
// installs the Fashion-MNIST files.
const FashionMNISTSystemDir = "/usr/share/datasets/fashion-mnist"

// FashionMNISTFiles returns the description of Fashion-MNIST (Xiao, Rasul
// and Vollgraf, "Fashion-MNIST: a novel image dataset for benchmarking
// machine learning algorithms", arXiv:1708.07747, 2017): 60,000 training
// and 10,000 test images of clothing, 28×28 pixels, ten classes.
//
// Each file has two accepted SHA-256 sums, measured when this code was written:
//   - the first is of the file installed by Debian's dataset-fashion-mnist
//     0.0~git20200523.55506a9-1. Its MD5 differs from the official one in
//     the Fashion-MNIST README because Debian's build rewrote the gzip
//     header (it dropped the stored file name and set the time stamp to
//     2020-06-05); the compressed data, CRC-32 and size are unchanged.
//   - the second is of the official file, rebuilt from Debian's by putting
//     back the original header (file-name flag and name, time stamp
//     2017-08-31 10:50 UTC). The rebuilt files have exactly the MD5 sums
//     of the official README (train-images 8d4fb7e6c68d591d4c3dfef9ec88bf0d,
//     train-labels 25c81989df183df01b3e8a0aad5dffbe, t10k-images
//     bef4ecab320f06d8554ea6380940ec79, t10k-labels
//     bb300cfdad3c16e7a12a480ee83cd310), which shows that Debian ships the
//     official data and lets a copy downloaded from upstream load too.
func FashionMNISTFiles() Files {
	return Files{
		Name: "Fashion-MNIST",
		Classes: []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
			"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"},
		Install: "make data (downloads it once, from " + FashionMNISTURL + ", into .cache/data/fashion-mnist of this checkout)" +
			", or set " + DataEnv + " to a folder holding fashion-mnist/ with the four files" +
			", or as root on Debian or Ubuntu: apt-get install dataset-fashion-mnist",
		TrainImages: File{"train-images-idx3-ubyte.gz", []string{
			"b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
			"3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
		}},
		TrainLabels: File{"train-labels-idx1-ubyte.gz", []string{
			"0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
			"a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
		}},
		TestImages: File{"t10k-images-idx3-ubyte.gz", []string{
			"cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
			"346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
		}},
		TestLabels: File{"t10k-labels-idx1-ubyte.gz", []string{
			"8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
			"67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
		}},
	}
}

// FashionMNIST loads Fashion-MNIST from FashionMNISTDir, verifying every
// file's checksum.
func FashionMNIST() (*Set, error) {
	dir, err := FashionMNISTDir()
	if err != nil {
		return nil, err
	}
	return Load(dir, FashionMNISTFiles())
}

// FashionMNISTDir returns the first directory holding the four
// Fashion-MNIST files among, in order: $POINTWISE_DATA/fashion-mnist (if
// POINTWISE_DATA is set), FashionMNISTSystemDir and FashionMNISTDownloadDir.
// It checks that the files are there, not their sums (loading them does).
// If none holds them it returns a *NotFoundError naming each place and
// what to do: make data, POINTWISE_DATA, or Debian's package.
func FashionMNISTDir() (string, error) {
	return findFashionMNIST(FashionMNISTSystemDir, fashionDownloadDir)
}

// FashionMNISTDownloadDir returns the folder that `make data` (which runs
// cmd/fetchdata, see Download) fills with Fashion-MNIST when it is found
// nowhere else: .cache/data/fashion-mnist in the pointwise checkout, so that
// a user without root needs no system package, and git ignores it like the
// checkout's other caches. The checkout is found from the working directory
// up, as the nearest folder whose go.mod declares module pointwise; outside
// it, FashionMNISTDownloadDir returns an error.
func FashionMNISTDownloadDir() (string, error) {
	dir, err := fashionDownloadDir()
	if err != nil {
		return "", fmt.Errorf("dataset: the Fashion-MNIST download folder: %w", err)
	}
	return dir, nil
}

// fashionDownloadDir is FashionMNISTDownloadDir with an unprefixed error,
// for the list of places FashionMNISTDir searched.
func fashionDownloadDir() (string, error) {
	root, err := modroot.Find()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, ".cache", "data", "fashion-mnist"), nil
}

// findFashionMNIST is FashionMNISTDir with the system directory and the
// function giving the download folder as parameters, for tests.
func findFashionMNIST(systemDir string, downloadDir func() (string, error)) (string, error) {
	s := &search{files: FashionMNISTFiles()}
	if dir, ok := s.inDataEnv("fashion-mnist"); ok {
		return dir, nil
	}
	if s.try(systemDir) {
		return systemDir, nil
	}
	dir, err := downloadDir()
	if err != nil {
		s.looked = append(s.looked, "the download folder .cache/data/fashion-mnist ("+err.Error()+")")
	} else if s.try(dir) {
		return dir, nil
	}
	return "", s.notFound()
}

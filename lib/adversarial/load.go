package adversarial

import (
	"fmt"
	"strings"

	"pointwise/lib/dataset"
)

// dataSets are the data sets the notebooks train on, by the lower-case name
// of their parameters, with Figure 6's panel of each.
var dataSets = []struct {
	name, panel string
	load        func() (*dataset.Set, error)
}{
	{"mnist", "fig6a", dataset.MNIST},
	{"fashion-mnist", "fig6b", dataset.FashionMNIST},
}

func lookup(name string) (int, error) {
	for i, d := range dataSets {
		if strings.EqualFold(name, d.name) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("adversarial: data set %q unknown: need \"mnist\" or \"fashion-mnist\"", name)
}

// Load returns the first trainN training and testN test images (0: all of
// them) of the data set named name, "mnist" or "fashion-mnist" in any case
// ("MNIST" and "Fashion-MNIST" too), and the names of its classes.
func Load(name string, trainN, testN int) (train, test Data, classes []string, err error) {
	i, err := lookup(name)
	if err != nil {
		return train, test, nil, err
	}
	set, err := dataSets[i].load()
	if err != nil {
		return train, test, nil, err
	}
	tr, te := set.Train, set.Test
	if trainN > 0 {
		if tr, err = tr.Subset(trainN); err != nil {
			return train, test, nil, err
		}
	}
	if testN > 0 {
		if te, err = te.Subset(testN); err != nil {
			return train, test, nil, err
		}
	}
	return Data{Name: set.Name, Split: tr}, Data{Name: set.Name, Split: te}, set.Classes, nil
}

// Figure6ID returns the id of Figure 6's panel of the data set named name
// (as Load takes it): "fig6a" for MNIST, "fig6b" for Fashion-MNIST.
func Figure6ID(name string) (string, error) {
	i, err := lookup(name)
	if err != nil {
		return "", err
	}
	return dataSets[i].panel, nil
}

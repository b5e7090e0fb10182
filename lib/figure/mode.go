package figure

import (
	"fmt"
	"os"
	"path/filepath"
	"pointwise/internal/modroot"
	"strings"
	"sync"
)

// The two modes of a notebook, the values of its Mode parameter.
const (
	// Full runs the paper's settings.
	Full = "full"
	// Quick runs small data and few epochs, for tests: the same code on less
	// work. Its figures go to their own folder (see OutDir) and every image
	// carries a "QUICK MODE" mark, so they are never mistaken for the paper's.
	Quick = "quick"
)

// QuickEnv is the environment variable that, when set, overrides a
// notebook's Mode parameter: "1" (or any value other than "0", "false",
// "no") selects Quick, "0" selects Full.
const QuickEnv = "POINTWISE_QUICK"

// OutEnv is the environment variable that names the folder figures are written
// to. The headless runner sets it; see OutDir for the default.
const OutEnv = "POINTWISE_OUT"

// current is this program's mode, set by SetMode.
var current struct {
	sync.Mutex
	mode   string
	source string // where the mode came from, for Banner
}

// Resolve returns the mode a notebook whose parameters cell says mode runs
// in, and where that comes from: QuickEnv when it is set, otherwise mode,
// which must be Full or Quick ("" means Full).
func Resolve(mode string) (resolved, source string, err error) {
	if v, ok := os.LookupEnv(QuickEnv); ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "0", "false", "no":
			return Full, QuickEnv + "=" + v, nil
		case "":
		default:
			return Quick, QuickEnv + "=" + v, nil
		}
	}
	switch mode {
	case Full, Quick:
		return mode, fmt.Sprintf("Mode = %q", mode), nil
	case "":
		return Full, "the default", nil
	}
	return Full, "", fmt.Errorf("figure: Mode = %q unknown: set Mode in the parameters cell to %q (the paper's settings) or %q (small and fast, for tests)", mode, Full, Quick)
}

// SetMode makes mode (as Resolve reads it) the mode of this program's
// figures: their output folder, their QUICK MODE mark and Banner. A notebook
// calls it before every cell, from an init function (GoNB runs each cell as a
// new program), with its Mode parameter. A program that never calls it runs
// in the mode QuickEnv selects, Full when it is unset.
func SetMode(mode string) error {
	m, src, err := Resolve(mode)
	if err != nil {
		return err
	}
	current.Lock()
	current.mode, current.source = m, src
	current.Unlock()
	return nil
}

// ModeName returns this program's mode, Full or Quick.
func ModeName() string {
	current.Lock()
	m := current.mode
	current.Unlock()
	if m == "" {
		m, _, _ = Resolve("")
	}
	return m
}

// IsQuick reports whether this program runs in Quick mode.
func IsQuick() bool { return ModeName() == Quick }

// Pick returns full, or quick when mode (as Resolve reads it) is Quick: for
// the settings of a parameters cell, such as Epochs = figure.Pick(Mode, 5, 1).
// An unknown mode picks full; SetMode reports it.
func Pick[T any](mode string, full, quick T) T {
	if m, _, err := Resolve(mode); err == nil && m == Quick {
		return quick
	}
	return full
}

// Banner returns the line a notebook prints first, so that a quick-mode figure
// is never mistaken for the real one: the mode, where it was chosen, and the
// folder the figures go to.
func Banner(id string) string {
	current.Lock()
	src := current.source
	current.Unlock()
	if src == "" {
		_, src, _ = Resolve("")
	}
	if IsQuick() {
		return fmt.Sprintf("%s: QUICK mode (%s): reduced settings, not the paper's figure; figures go to %s", id, src, OutDir())
	}
	return fmt.Sprintf("%s: full mode (%s): the paper's settings; figures go to %s", id, src, OutDir())
}

// OutDir returns the folder figures are written to: $POINTWISE_OUT when set,
// otherwise, under the root of the pointwise module found by walking up from
// the working directory (or the working directory), out/figures in Full mode
// and out/quick/figures in Quick mode.
func OutDir() string {
	if d := os.Getenv(OutEnv); d != "" {
		return d
	}
	root, err := modroot.Find()
	if err != nil {
		root = "."
	}
	if IsQuick() {
		return filepath.Join(root, "out", "quick", "figures")
	}
	return filepath.Join(root, "out", "figures")
}

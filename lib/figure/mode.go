package figure

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// QuickEnv is the environment variable that selects every notebook's quick
// mode: any value other than "", "0" or "false" means quick.
const QuickEnv = "POINTWISE_QUICK"

// OutEnv is the environment variable that names the folder figures are written
// to. The headless runner sets it; see OutDir for the default.
const OutEnv = "POINTWISE_OUT"

// Quick reports whether the quick mode is selected through QuickEnv. Quick
// mode exists for tests: smaller data, fewer epochs, the same code.
func Quick() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(QuickEnv))) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// ModeName returns "quick" or "full".
func ModeName() string {
	if Quick() {
		return "quick"
	}
	return "full"
}

// Banner returns the line a notebook prints first, so that a quick-mode figure
// is never mistaken for the real one.
func Banner(id string) string {
	if Quick() {
		return fmt.Sprintf("%s: QUICK mode (%s set): reduced settings, not the paper's figure", id, QuickEnv)
	}
	return fmt.Sprintf("%s: full mode: the settings of SPEC.md", id)
}

// OutDir returns the folder figures are written to: $POINTWISE_OUT when set,
// otherwise out/figures under the root of the pointwise module found by
// walking up from the working directory, otherwise out/figures in the working
// directory.
func OutDir() string {
	if d := os.Getenv(OutEnv); d != "" {
		return d
	}
	if root, ok := moduleRoot(); ok {
		return filepath.Join(root, "out", "figures")
	}
	return filepath.Join("out", "figures")
}

// moduleRoot finds the directory of the go.mod that declares module pointwise.
func moduleRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "module pointwise\n") {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

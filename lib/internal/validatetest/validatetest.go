// Package validatetest runs the bad-input tables that every lib package
// keeps in its validate_test.go: each case calls an exported entry point
// with a bad value and must get an error, never a panic, whose message
// names the parameter, the value and the allowed range.
package validatetest

import (
	"strings"
	"testing"
)

// Case is one bad input: Call must return an error containing every string
// of Want. It names an unnamed struct type, so that the tables can list
// their cases positionally (go vet asks for keyed fields only in literals of
// another package's named struct types).
type Case = struct {
	Name string
	Call func() error
	Want []string // substrings: parameter, value, allowed range
}

// Run runs each case as a subtest.
func Run(t *testing.T, cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panicked: %v", r)
				}
			}()
			err := c.Call()
			if err == nil {
				t.Fatalf("no error; want one naming %q", c.Want)
			}
			for _, w := range c.Want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}

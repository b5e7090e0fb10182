package modroot

import "testing"

func TestModule(t *testing.T) {
	for _, tc := range []struct{ gomod, want string }{
		{"module pointwise\n\ngo 1.26\n", "pointwise"},
		{"// a comment\nmodule pointwise\n", "pointwise"},
		{"module \"pointwise\" // quoted\n", "pointwise"},
		{"module pointwise/other\n", "pointwise/other"},
		{"go 1.26\n", ""},
	} {
		if got := module([]byte(tc.gomod)); got != tc.want {
			t.Errorf("module(%q) = %q, want %q", tc.gomod, got, tc.want)
		}
	}
}

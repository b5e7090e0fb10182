package nbformat

import (
	"encoding/json"
	"testing"
)

func TestText(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{`"a\nb"`, "a\nb"},
		{`["a\n", "b"]`, "a\nb"},
		{`[]`, ""},
		{`null`, ""},
	} {
		if got := Text(json.RawMessage(tc.raw)); got != tc.want {
			t.Errorf("Text(%s) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

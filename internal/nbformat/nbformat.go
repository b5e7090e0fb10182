// Package nbformat reads the parts of Jupyter's nbformat 4 that pointwise's
// commands share.
package nbformat

import (
	"encoding/json"
	"strings"
)

// Text reads an nbformat multiline string, which a notebook stores either as
// one string or as a list of strings to be joined.
func Text(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []string
	json.Unmarshal(raw, &parts)
	return strings.Join(parts, "")
}

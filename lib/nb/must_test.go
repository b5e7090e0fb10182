package nb

import (
	"errors"
	"strconv"
	"testing"
)

func TestMust(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		call func()
		want error // the panic's value, or nil for no panic
	}{
		{"Must ok", func() {
			if v := Must(strconv.Atoi("42")); v != 42 {
				t.Errorf("Must = %d, want 42", v)
			}
		}, nil},
		{"Must error", func() { Must(0, boom) }, boom},
		{"Must2 ok", func() {
			if a, b := Must2(1, "x", nil); a != 1 || b != "x" {
				t.Errorf("Must2 = %v, %v", a, b)
			}
		}, nil},
		{"Must2 error", func() { Must2(1, 2, boom) }, boom},
		{"Must3 ok", func() {
			if a, b, c := Must3(1, 2.5, "y", nil); a != 1 || b != 2.5 || c != "y" {
				t.Errorf("Must3 = %v, %v, %v", a, b, c)
			}
		}, nil},
		{"Must3 error", func() { Must3(1, 2, 3, boom) }, boom},
		{"Check ok", func() { Check(nil) }, nil},
		{"Check error", func() { Check(boom) }, boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if err, _ := r.(error); err != tc.want || (r == nil) != (tc.want == nil) {
					t.Errorf("panicked with %v, want %v", r, tc.want)
				}
			}()
			tc.call()
		})
	}
}

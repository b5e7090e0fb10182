package nb_test

import (
	"fmt"
	"strconv"

	"pointwise/lib/nb"
)

// A notebook cell reads as the computation: no error branch after every call.
func Example() {
	n := nb.Must(strconv.Atoi("65"))
	fmt.Println(n + 1)
	// Output: 66
}

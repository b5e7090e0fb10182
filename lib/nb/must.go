package nb

// Must returns v, or panics with err when err is not nil: in a notebook
// cell, the error ends the cell and is shown under it.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Must2 is Must for a function that returns two values and an error.
func Must2[T, U any](v T, u U, err error) (T, U) {
	if err != nil {
		panic(err)
	}
	return v, u
}

// Must3 is Must for a function that returns three values and an error.
func Must3[T, U, V any](v T, u U, w V, err error) (T, U, V) {
	if err != nil {
		panic(err)
	}
	return v, u, w
}

// Check panics with err when err is not nil: for a call that returns only
// an error, such as Figure.Publish.
func Check(err error) {
	if err != nil {
		panic(err)
	}
}

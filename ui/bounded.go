package ui

// appendNewest appends v to s and keeps at least the newest keep elements,
// at most twice that: it trims only when s has doubled, so an append costs
// O(1) amortized however long the stream runs. (Trimming on every append
// copied keep elements per element: under a flood of output that froze the
// window for a second at a time.)
func appendNewest[T any](s []T, v T, keep int) []T {
	if len(s) >= 2*keep {
		n := copy(s, s[len(s)-keep:])
		clear(s[n:]) // let what was dropped be collected
		s = s[:n]
	}
	return append(s, v)
}

package procs

import (
	"io"
	"testing"
)

// BenchmarkWatchingPoll is one poll of a watching Poller: what each tick
// of proclab tree --watch and of the window costs before drawing.
func BenchmarkWatchingPoll(b *testing.B) {
	pl := Poller{KeepOpen: true}
	defer pl.Close()
	for b.Loop() {
		if _, err := pl.Poll(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrintTree formats the whole machine's tree, as each tick of
// proclab tree --watch does.
func BenchmarkPrintTree(b *testing.B) {
	var pl Poller
	tree, err := pl.Poll()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		PrintTree(io.Discard, tree, 0)
	}
}

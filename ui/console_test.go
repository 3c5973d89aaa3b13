package ui

import (
	"fmt"
	"testing"

	"proclab/procs"
)

// The console shows the newest maxConsoleLines in order, and what it holds
// stays bounded however many lines come.
func TestConsoleKeepsTheNewestLinesBounded(t *testing.T) {
	h := newHarness(t)
	p := h.create("forever")
	c := newConsole()
	const total = 3*maxConsoleLines + 7
	for i := range total {
		c.add(p, procs.Line{Seq: uint64(i + 1), Text: fmt.Sprint("line ", i)})
		if len(c.all) > 2*maxConsoleLines {
			t.Fatalf("after %d lines the console holds %d", i+1, len(c.all))
		}
	}
	lines := c.lines()
	if len(lines) != maxConsoleLines {
		t.Fatalf("the console shows %d lines, want %d", len(lines), maxConsoleLines)
	}
	for i, l := range lines {
		if want := fmt.Sprint("line ", total-maxConsoleLines+i); l.line.Text != want {
			t.Fatalf("row %d shows %q, want %q", i, l.line.Text, want)
		}
	}
}

// One line into a full console costs the same as into an empty one: a
// flood must not make each line copy the whole console.
func BenchmarkConsoleAddWhenFull(b *testing.B) {
	lab, err := procs.NewLab(procs.Options{LogDir: "-"})
	if err != nil {
		b.Fatal(err)
	}
	defer lab.Close()
	p, _ := lab.Create(procs.Spec{Target: "forever"})
	c := newConsole()
	line := procs.Line{Text: "flood 123456 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}
	for range 2 * maxConsoleLines {
		c.add(p, line)
	}
	b.ResetTimer()
	for range b.N {
		c.add(p, line)
	}
}

package ui

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"proclab/procs"
)

// The console shows the newest maxConsoleLines in order, and what it holds
// stays bounded however many lines come.
func TestConsoleKeepsTheNewestLinesBounded(t *testing.T) {
	h := newHarness(t)
	p := h.create("forever")
	c := newConsole(nil)
	const total = 3*maxConsoleLines + 7
	for i := range total {
		c.add(p, procs.Line{Seq: uint64(i + 1), Text: fmt.Sprint("line ", i)})
		if len(c.tags) > maxConsoleLines {
			t.Fatalf("after %d lines the console holds %d tags", i+1, len(c.tags))
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
	c := newConsole(nil)
	line := procs.Line{Text: "flood 123456 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}
	for range 2 * maxConsoleLines {
		c.add(p, line)
	}
	b.ResetTimer()
	for range b.N {
		c.add(p, line)
	}
}

// A flood says so in the status line while lines are being dropped, and
// says it is over once they no longer are, without any event after it.
func TestTheStatusLineSaysWhenAFloodIsOver(t *testing.T) {
	h := newHarness(t)
	p, err := h.lab.Create(procs.Spec{Target: "flood"}) // until stopped
	if err != nil {
		t.Fatal(err)
	}
	if err := h.lab.Start(p); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); h.w.statusBar.status.Text != floodMessage(); h.sync() {
		if time.Now().After(deadline) {
			t.Fatalf("the child flooded for 10 s and the status line never said so: %q", h.w.statusBar.status.Text)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Ended from outside, as from a terminal: no action of the window's
	// puts its own message in the status line.
	if err := syscall.Kill(p.Pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.Exited()
	h.sync()
	recent := time.Since(h.w.floodAt) < floodOver // false only on a very slow machine
	if h.w.noteFloodOver(); recent && h.w.statusBar.status.Text != floodMessage() {
		t.Errorf("right after the flood the status line says %q", h.w.statusBar.status.Text)
	}
	time.Sleep(floodOver)
	h.sync()
	if h.w.noteFloodOver(); !strings.HasPrefix(h.w.statusBar.status.Text, "the flood is over") {
		t.Errorf("%v after the flood the status line says %q", floodOver, h.w.statusBar.status.Text)
	}
}

// Flooding lanes take turns: one is drawn a pass, and each in its turn.
func TestFloodingLanesTakeTurns(t *testing.T) {
	h := newHarness(t)
	ps := h.startN(3, "flood")
	t.Cleanup(func() {
		for _, p := range ps {
			_ = syscall.Kill(p.Pid(), syscall.SIGKILL)
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		n := 0
		for _, p := range ps {
			if l := h.w.lanePane.byProc[p]; p.Output().Total()-l.shownTotal > 3*floodLines {
				n++
			}
		}
		if n == len(ps) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the children did not flood in 10 s")
		}
	}
	drawn := map[*procs.Process]bool{}
	for pass := 1; pass <= len(ps); pass++ {
		for _, p := range ps {
			l := h.w.lanePane.byProc[p]
			if !l.Visible() {
				t.Fatalf("lane of %s is not on screen", p.Name())
			}
			h.w.lanePane.pending[p] = true
			if !drawn[p] {
				l.shownAt = time.Time{} // due
			}
		}
		before := map[*procs.Process]uint64{}
		for _, p := range ps {
			before[p] = h.w.lanePane.byProc[p].shownTotal
		}
		h.w.flushLanes()
		n := 0
		for _, p := range ps {
			if h.w.lanePane.byProc[p].shownTotal != before[p] {
				n++
				drawn[p] = true
			}
		}
		if n != 1 {
			t.Fatalf("pass %d drew %d flooding lanes, not one", pass, n)
		}
	}
	if len(drawn) != len(ps) {
		t.Fatalf("%d passes drew %d of %d flooding lanes", len(ps), len(drawn), len(ps))
	}
}

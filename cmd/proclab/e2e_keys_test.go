//go:build e2e

package main

import (
	"strings"
	"testing"
	"time"
)

// TestE2EKeysWorkAfterAClickOnTheTree clicks a row of the tree, as a user
// does first, and then drives the lab with the keyboard only: the arrows
// move the selection, Ctrl+Z stops the selected child (state T in /proc),
// Shift+Delete kills another, F1 shows the keys and Esc closes them, and
// Space still reaches the window.
func TestE2EKeysWorkAfterAClickOnTheTree(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import")
	bin := buildApp(t)
	s := startAppWith(t, bin, startXvfb(t), "en_US.UTF-8", "--preload", "forever:2")
	p1, p2 := s.started("Process-1"), s.started("Process-2")
	time.Sleep(time.Second) // both rows are in the tree
	out, _ := s.x("xdotool", "search", "--name", "ProcLab")
	win := strings.Fields(out)[0]
	// Process-1's row: the second row of the tree at 100 %.
	if out, err := s.x("xdotool", "mousemove", "--window", win, "150", "170", "click", "1"); err != nil {
		t.Fatalf("xdotool click: %v %s", err, out)
	}
	time.Sleep(300 * time.Millisecond)
	s.key("Down", "ctrl+z")
	deadline := time.Now().Add(3 * time.Second)
	for {
		state, _, _ := procStat(p2.Pid)
		if state == 'T' {
			break
		}
		if time.Now().After(deadline) {
			s.screenshot("keys-failed.png")
			t.Fatalf("↓ then Ctrl+Z after a click on Process-1: Process-2 is in state %c, want T (stopped)", state)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if state, _, _ := procStat(p1.Pid); state == 'T' {
		t.Errorf("Ctrl+Z stopped Process-1, the row clicked, not the one ↓ selected")
	}
	s.key("Up", "shift+Delete")
	if e := s.exited("Process-1"); e.Code != -9 {
		t.Errorf("Shift+Delete on Process-1: exit code %d, want -9", e.Code)
	}
	s.key("F1")
	s.screenshot("keys-help.png")
	// Esc closes the keys; Space pauses the view (no event reaches it while
	// Process-2, continued with Ctrl+Shift+Z, prints), Space again resumes.
	s.key("Escape", "Down", "space", "ctrl+shift+z")
	time.Sleep(1500 * time.Millisecond)
	if state, _, _ := procStat(p2.Pid); state == 'T' {
		t.Fatal("Ctrl+Shift+Z did not continue Process-2")
	}
	paused := s.outputLines("Process-2")
	time.Sleep(1500 * time.Millisecond)
	if n := s.outputLines("Process-2"); n != paused {
		t.Errorf("the view took %d lines while Space had paused it", n-paused)
	}
	s.key("space")
	s.waitFor("Process-2's lines after Space resumed the view", 5*time.Second, func(traceEvent) bool { return s.outputLines("Process-2") > paused })
}

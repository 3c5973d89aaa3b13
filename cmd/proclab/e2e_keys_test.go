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

// The tree as a task manager, driven with the pointer and the keys on a
// real window: a click on a column title sorts, Ctrl+F filters, a right
// click opens the row's menu (Kill from it ends the process with -9), Esc
// interrupts a join after a click on a row, and F5 runs a lesson.
func TestE2ETreeSortsFiltersAndHasAMenu(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import")
	bin := buildApp(t)
	display := startXvfb(t)
	s := startAppWith(t, bin, display, "en_US.UTF-8", "--preload", "forever:3")
	p1, p3 := s.started("Process-1"), s.started("Process-3")
	s.started("Process-2")
	time.Sleep(time.Second)
	click := s.clicker()
	// At 100 %: the column titles at y 126, then a row every 24.5 pixels:
	// MainProcess at 152, its first child at 176.
	const titles, firstChild = "126", "176"
	click("1", "70", titles) // Name ▲
	click("1", "70", titles) // Name ▼: Process-3 first
	click("1", "150", firstChild)
	s.key("ctrl+z")
	waitState(t, s, p3.Pid, 'T', "Ctrl+Z on the first row after sorting by name, reversed (Process-3)")
	s.key("ctrl+shift+z")

	// The filter: only Process-1 (and main above it) stay.
	s.key("ctrl+f")
	s.typeText("Process-1")
	s.key("Return")
	s.screenshot("tree-filter.png")
	click("3", "150", firstChild) // the row's menu
	s.screenshot("tree-menu.png")
	// Start, Join, Terminate, Kill: the fourth item.
	s.key("Down", "Down", "Down", "Down", "Return")
	if e := s.exited("Process-1"); e.Code != -9 || e.Pid != p1.Pid {
		t.Errorf("Kill from Process-1's menu: %+v, want exit code -9", e)
	}
	// Esc clears the filter; then a join on Process-2, interrupted by Esc
	// after a click on its row.
	click("1", "150", firstChild)
	s.key("ctrl+f", "Escape")
	click("1", "70", titles) // back to the order they came in
	click("1", "150", "200") // Process-2, the second child
	s.screenshot("tree-before-join.png")
	s.key("ctrl+j")
	s.waitFor("main blocked in join()", 5*time.Second, func(e traceEvent) bool {
		return e.Event == "state" && strings.Contains(e.Text, "blocked in p2.join()")
	})
	click("1", "150", "200")
	s.key("Escape")
	s.waitFor("the join interrupted by Esc after a click on the tree", 5*time.Second, func(e traceEvent) bool {
		return e.Event == "joined" && strings.Contains(e.Text, "KeyboardInterrupt")
	})
	// F5 after a click on the tree runs the lesson opened from the command
	// line.
	s.key("ctrl+q")
	_, _ = s.app.Process.Wait()
	s = startAppWith(t, bin, display, "en_US.UTF-8", "--lesson", "daemon")
	s.clicker()("1", "150", "152") // MainProcess's row
	s.key("F5")
	s.waitFor("the lesson's main ended after F5", 20*time.Second, func(e traceEvent) bool {
		return e.Event == "state" && e.Text == "main: ended"
	})
}

// clicker clicks a button of the mouse at a point of the app's window.
func (s *session) clicker() func(button, x, y string) {
	out, _ := s.x("xdotool", "search", "--name", "ProcLab")
	win := strings.Fields(out)[0]
	return func(button, x, y string) {
		s.t.Helper()
		if out, err := s.x("xdotool", "mousemove", "--window", win, x, y, "click", button); err != nil {
			s.t.Fatalf("xdotool click: %v %s", err, out)
		}
		time.Sleep(400 * time.Millisecond)
	}
}

// waitState waits until pid is in state want in /proc.
func waitState(t *testing.T, s *session, pid int, want byte, what string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		state, _, _ := procStat(pid)
		if state == want {
			return
		}
		if time.Now().After(deadline) {
			s.screenshot("state-failed.png")
			t.Fatalf("%s: pid %d is in state %c, want %c", what, pid, state, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

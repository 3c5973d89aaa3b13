package ui

import "time"

// The pace of the figures every view shows.

// numbersInterval is how often figures are shown while the lab has
// processes; restInterval while it has none. An empty lab shows only
// ProcLab and the cores strip, and each showing repaints the whole window
// with software GL: every 3 s, GNOME System Monitor's default, halves what
// a window projected through a lecture costs at rest. The lab's first
// process brings the figures back at once (numbersClock.rest).
const (
	numbersInterval = time.Second
	restInterval    = 3 * time.Second
)

// numbersClock paces the figures of every view (CPU, memory, threads,
// last core, the cores strip): they change on every poll, and each change
// repaints the whole window with software GL, so they are shown together
// once a second, in one frame (as often as a task manager shows them, and
// slow enough to read on a projector), while states and structure show on
// every poll. Each view keeping a clock of its own made a frame each: an empty
// lab redrew ten times a second for figures alone.
type numbersClock struct {
	at      time.Time
	due     bool // figures are shown in this pass
	resting bool // the lab is empty: figures every restInterval
}

// tick starts a pass of the views: it says whether figures are due.
func (c *numbersClock) tick() {
	every := numbersInterval
	if c.resting {
		every = restInterval
	}
	if c.due = time.Since(c.at) >= every; c.due {
		c.at = time.Now()
	}
}

// isDue reports whether the figures are shown now; a view without a clock
// (in a test) shows them always.
func (c *numbersClock) isDue() bool { return c == nil || c.due }

// rest says whether the lab is empty. Leaving the rest makes the figures
// due at once: the cores strip shows a new child's work in its first poll.
func (c *numbersClock) rest(empty bool) {
	if c.resting && !empty {
		c.at = time.Time{}
	}
	c.resting = empty
}

// now makes the figures due in the next pass (a language switch, a test).
func (c *numbersClock) now() {
	if c != nil {
		c.at = time.Time{}
	}
}

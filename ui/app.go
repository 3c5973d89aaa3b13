// Package ui is ProcLab's window: Fyne widgets, layout, theme and
// shortcuts. It holds no process logic; it drives a procs.Lab and shows
// what the lab's events and the live tree say.
package ui

// Options configure the window.
type Options struct {
	Version string
}

// Run opens the window and returns the exit status when it closes.
func Run(opts Options) int { return 0 }

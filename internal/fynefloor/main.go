// Command fynefloor is the smallest Fyne window: one label, nothing to do.
// Benchmark 10 measures it at rest beside ProcLab's window, so the cost of
// Fyne's own desktop loop (a 60 Hz tick that polls for events, whatever the
// window shows) is told apart from what ProcLab adds to it.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"

	_ "proclab/internal/quietlocale"
)

func main() {
	a := app.NewWithID("io.github.proclab.FyneFloor")
	w := a.NewWindow("Fyne floor")
	w.SetContent(widget.NewLabel("A Fyne window with nothing to do."))
	w.Resize(fyne.NewSize(1000, 700))
	w.ShowAndRun()
}

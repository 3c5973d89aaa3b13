// Package procs owns everything ProcLab knows about operating-system
// processes: the Python-shaped Process API, the tasks children run in worker
// mode, output capture, the lab (one experiment with its main process and
// events) and the live process tree.
//
// It never imports Fyne: the window in package ui consumes a Lab's
// Subscription and turns events into widget updates on the UI goroutine.
package procs

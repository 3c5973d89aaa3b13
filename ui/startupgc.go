package ui

import (
	"os"
	"runtime/debug"
	"time"
)

// startUpGC collects garbage four times as often while the window starts.
// Parsing fonts and laying out the first frames leave megabytes of garbage,
// and at Go's default pace the heap grows to twice what it keeps before a
// collection: that set the window's peak memory. Once the first frames are
// drawn, Go's pace comes back, and with it the cost of a flood's garbage
// as before. A GOGC the user set is left alone.
func startUpGC() {
	if os.Getenv("GOGC") != "" {
		return
	}
	old := debug.SetGCPercent(startUpGCPercent)
	time.AfterFunc(startUpTime, func() { debug.SetGCPercent(old) })
}

const (
	startUpGCPercent = 25
	startUpTime      = 5 * time.Second
)

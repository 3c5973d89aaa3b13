package main

import (
	"fmt"

	"proclab/internal/launch"
)

// windowUnavailable prints what to do without a window and returns the
// exit status, or returns -1 when the window can open.
func windowUnavailable(command string, stderr interface{ Write([]byte) (int, error) }) int {
	why := launch.NoDisplay()
	if why == "" {
		return -1
	}
	fmt.Fprintf(stderr, "%s: %s.\nSet DISPLAY to a running X server (e.g. DISPLAY=:0), or use the terminal commands: proclab run --headless -- PROGRAM, proclab lesson NAME, proclab tree [--watch].\n", command, why)
	return 2
}

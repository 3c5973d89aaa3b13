package main

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// terminalLines is the height of the terminal w writes to; 0 when w is no
// terminal (a file, a pipe): then there is no screen to fit.
func terminalLines(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil || ws.Row < 3 {
		return 0
	}
	return int(ws.Row)
}

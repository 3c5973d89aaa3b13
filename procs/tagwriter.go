package procs

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"syscall"
)

// tagLinesEnv asks a worker to tag each line it writes with its pid, its
// parent and its name, in the framing of the Python hook (pyhook): a
// spawner's children write into the spawner's pipe, and the lab routes
// each of their lines to their own lane and logs it under their pid, as
// it does for the processes of a Python program.
const tagLinesEnv = "PROCLAB_TAG_LINES"

// maxTagPiece bounds the text of one tagged line: a longer line goes as
// pieces ('p'), the last one 'l', each below the lab's line limit with
// its tag, so no piece arrives without one.
const maxTagPiece = 4000

// tagWriter frames what a worker writes, line by line.
type tagWriter struct {
	mu        sync.Mutex
	w         io.Writer
	pid, ppid int
	name      string
}

func newTagWriter(w io.Writer, pid, ppid int, name string) *tagWriter {
	return &tagWriter{w: w, pid: pid, ppid: ppid, name: tagName(name)}
}

// tagName keeps a name from breaking the framing, as the hook does.
func tagName(name string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', 0x1e, 0x1f:
			return '\ufffd'
		}
		return r
	}, name)
}

func (t *tagWriter) frame(kind byte, text string) string {
	return fmt.Sprintf("\x1e%c\x1f%d\x1f%d\x1f%s\x1f%s\n", kind, t.pid, t.ppid, t.name, text)
}

// Write frames every line of b; text after the last newline goes as a
// partial line ('p'), which the lab joins with the rest of its line.
func (t *tagWriter) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out strings.Builder
	text := string(b)
	for text != "" {
		line, rest, whole := strings.Cut(text, "\n")
		for len(line) > maxTagPiece {
			cut := runeBoundary([]byte(line[:maxTagPiece]))
			out.WriteString(t.frame('p', line[:cut]))
			line = line[cut:]
		}
		kind := byte('l')
		if !whole {
			kind = 'p'
		}
		out.WriteString(t.frame(kind, line))
		text = rest
	}
	if _, err := io.WriteString(t.w, out.String()); err != nil {
		return 0, err
	}
	return len(b), nil
}

// exitTag is the line that tells the lab how a tagged child ended: its
// exit code as Python's exitcode gives it (minus the signal that killed
// it).
func exitTag(pid, ppid int, name string, status syscall.WaitStatus) string {
	code := status.ExitStatus()
	if status.Signaled() {
		code = -int(status.Signal())
	}
	t := tagWriter{pid: pid, ppid: ppid, name: tagName(name)}
	return t.frame('x', fmt.Sprint(code))
}

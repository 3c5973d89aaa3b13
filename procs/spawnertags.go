package procs

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
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

// captureTagged reads a spawner's pipe: each line goes to the lane of the
// child that tagged it (a line without a tag is the spawner's). Text a
// child flushed without its newline (kind 'p') waits for the rest of its
// line.
func (l *Lab) captureTagged(p *Process, r io.Reader, emit func(to *Process, text string)) {
	partial := map[*Process]string{}
	// emitWhole emits the MaxLineBytes pieces of a long text and returns
	// the rest: a line is bounded, as an untagged one is.
	emitWhole := func(to *Process, text string) string {
		for len(text) > MaxLineBytes {
			cut := runeBoundary([]byte(text[:MaxLineBytes]))
			emit(to, text[:cut])
			text = text[cut:]
		}
		return text
	}
	_ = captureRawLines(r, func(raw []byte) {
		tag, rest, ok := parseLineTag(raw)
		var to *Process
		if ok {
			to = l.observedFor(p, tag)
		}
		if to == nil {
			emit(p, cleanLine(raw)) // untagged, or not a child of the spawner's
			return
		}
		switch tag.kind {
		case 'p':
			partial[to] = emitWhole(to, partial[to]+cleanLine(rest))
		case 'x':
			if text, ok := partial[to]; ok {
				emit(to, text)
				delete(partial, to)
			}
			if code, err := strconv.Atoi(string(bytes.TrimSpace(rest))); err == nil && to != p {
				l.observedEnded(to, code, true)
			}
		default:
			text := partial[to]
			delete(partial, to)
			emit(to, emitWhole(to, text+cleanLine(rest)))
		}
	})
	for to, text := range partial { // the pipe closed: what was flushed is shown
		emit(to, text)
	}
}

// lineTag is what a spawner's child put before a line: who wrote it.
type lineTag struct {
	kind      byte // 'l' a line, 'x' the exit code
	pid, ppid int
	name      string
}

// parseLineTag splits a raw line a spawner's child wrote; ok is false
// for a line without a tag.
func parseLineTag(raw []byte) (t lineTag, rest []byte, ok bool) {
	if len(raw) < 2 || raw[0] != 0x1e {
		return t, raw, false
	}
	fields := bytes.SplitN(raw[1:], []byte{0x1f}, 5)
	if len(fields) != 5 || len(fields[0]) != 1 || !strings.ContainsRune("lpx", rune(fields[0][0])) {
		return t, raw, false
	}
	pid, err1 := strconv.Atoi(string(fields[1]))
	ppid, err2 := strconv.Atoi(string(fields[2]))
	if err1 != nil || err2 != nil {
		return t, raw, false
	}
	return lineTag{kind: fields[0][0], pid: pid, ppid: ppid, name: string(fields[3])}, fields[4], true
}

// observedFor returns the process a tagged line belongs to: the program
// itself, or the observed child with that pid, created on its first line;
// nil when the tag cannot be the hook's (see mayBeObserved).
func (l *Lab) observedFor(root *Process, t lineTag) *Process {
	if t.pid == root.Pid() {
		return root
	}
	// The common case, once per line: a process already known and running.
	l.mu.Lock()
	known := l.observed[t.pid]
	l.mu.Unlock()
	if known != nil && !known.hasEnded() {
		return known
	}
	if !l.mayBeObserved(root, t) {
		return nil
	}
	start, startErr := readObservedStat(t.pid)
	l.mu.Lock()
	defer l.mu.Unlock()
	if o := l.observed[t.pid]; o != nil {
		// A late line of an ended process is still its own, unless its pid
		// now belongs to a new process.
		if !o.hasEnded() || startErr != nil || start == o.osStart {
			return o
		}
	}
	return l.newObservedLocked(root, t.pid, t.ppid, t.name, start)
}

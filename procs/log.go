package procs

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"time"
)

// labLog is the lab's full output on disk: every line every child printed,
// so that nothing is lost while lanes keep only a bounded tail in memory.
// One line a line: seconds since the lab began, name, pid, stream, text.
type labLog struct {
	mu   sync.Mutex
	file *os.File
	w    *bufio.Writer
	path string
	err  error  // the first write error; logging stops after it
	line []byte // the line being formatted, reused
}

// openLabLog creates a new log file in dir.
func openLabLog(dir string) (*labLog, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	pruneLogs(dir, keepLogs-1)
	name := fmt.Sprintf("lab-%s-%d.log", time.Now().Format("20060102-150405"), os.Getpid())
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &labLog{file: f, w: bufio.NewWriterSize(f, 256<<10), path: f.Name()}, nil
}

// write appends one line; it reports the error that stopped logging, once.
func (g *labLog) write(name string, pid int, l Line) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil || g.w == nil {
		return nil
	}
	// Formatted by hand: under a flood fmt.Fprintf here cost a tenth of a
	// core. The text's tabs become spaces, so a line is always 5 fields.
	b := strconv.AppendFloat(g.line[:0], l.At.Seconds(), 'f', 6, 64)
	b = append(append(b, '\t'), name...)
	b = strconv.AppendInt(append(b, '\t'), int64(pid), 10)
	b = append(append(append(b, '\t'), l.Stream.String()...), '\t')
	for i := range len(l.Text) {
		if c := l.Text[i]; c == '\t' {
			b = append(b, ' ')
		} else {
			b = append(b, c)
		}
	}
	g.line = append(b, '\n')
	if _, err := g.w.Write(g.line); err != nil {
		g.err = err
		return err
	}
	return nil
}

func (g *labLog) flush() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.w != nil && g.err == nil {
		g.err = g.w.Flush()
	}
}

func (g *labLog) close() {
	g.flush()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.file != nil {
		g.file.Close()
		g.file, g.w = nil, nil
	}
}

// DefaultLogDir is where labs write their logs unless told otherwise: the
// user's cache folder, or the temporary folder when there is none.
func DefaultLogDir() string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "proclab", "logs")
	}
	return filepath.Join(os.TempDir(), "proclab-logs")
}

// keepLogs is how many lab logs stay on disk: older ones are deleted when a
// new lab starts, so logs of past sessions do not pile up.
const keepLogs = 20

// pruneLogs deletes the oldest lab logs in dir beyond keep.
func pruneLogs(dir string, keep int) {
	logs, err := filepath.Glob(filepath.Join(dir, "lab-*.log"))
	if err != nil || len(logs) <= keep {
		return
	}
	sort.Slice(logs, func(i, j int) bool { return modTime(logs[i]).Before(modTime(logs[j])) })
	for _, old := range logs[:len(logs)-keep] {
		_ = os.Remove(old)
	}
}

func modTime(path string) time.Time {
	info, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return info.ModTime()
}

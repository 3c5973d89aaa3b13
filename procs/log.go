package procs

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// labLog is the lab's full output on disk: every line every child printed,
// so that nothing is lost while lanes keep only a bounded tail in memory.
// One line a line: seconds since the lab began, name, pid, stream, text.
//
// The file is locked (flock, shared) while the lab has it open, so that
// another ProcLab pruning the same folder leaves it alone.
type labLog struct {
	mu      sync.Mutex
	file    *os.File
	w       *bufio.Writer
	path    string
	limit   int64  // bytes the log may hold; 0 for no bound
	written int64  // bytes written so far
	err     error  // the first error, or ErrLogFull; logging stops after it
	line    []byte // the line being formatted, reused
	dirty   chan struct{}
}

// ErrLogFull is the log's error once it reached its bound.
var ErrLogFull = errors.New("the log reached its size limit")

// logSeq numbers the logs of one ProcLab, so that two labs opened in the
// same millisecond still get two files.
var logSeq atomic.Int64

// openLabLog creates a new log file in dir, holding at most limit bytes
// (0: no bound); a write signals dirty, so that the writer is flushed soon.
func openLabLog(dir string, limit int64, dirty chan struct{}) (*labLog, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot make the log folder: %w", err)
	}
	pruneLogs(dir, keepLogs-1)
	name := fmt.Sprintf("lab-%s-%d-%d.log", time.Now().Format("20060102-150405.000"), os.Getpid(), logSeq.Add(1))
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	// Shared: pruning asks for an exclusive lock and skips what it cannot get.
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
	return &labLog{file: f, w: bufio.NewWriterSize(f, 256<<10), path: f.Name(), limit: limit, dirty: dirty}, nil
}

// write appends lines of one process; it reports the error that stopped
// logging, once.
func (g *labLog) write(name string, pid int, ls Lines) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil || g.w == nil {
		return nil
	}
	// Formatted by hand: under a flood fmt.Fprintf here cost a tenth of a
	// core. The text's tabs become spaces, so a line is always 5 fields.
	prefix := strconv.AppendFloat(nil, ls.At.Seconds(), 'f', 6, 64)
	prefix = append(append(prefix, '\t'), name...)
	prefix = strconv.AppendInt(append(prefix, '\t'), int64(pid), 10)
	prefix = append(append(append(prefix, '\t'), ls.Stream.String()...), '\t')
	for _, text := range ls.Texts {
		b := append(g.line[:0], prefix...)
		if strings.IndexByte(text, '\t') < 0 {
			b = append(b, text...)
		} else {
			b = append(b, strings.ReplaceAll(text, "\t", " ")...)
		}
		g.line = append(b, '\n')
		if g.limit > 0 && g.written+int64(len(g.line)) > g.limit {
			g.err = ErrLogFull
			return g.err
		}
		if _, err := g.w.Write(g.line); err != nil {
			g.err = err
			return err
		}
		g.written += int64(len(g.line))
	}
	select {
	case g.dirty <- struct{}{}:
	default:
	}
	return nil
}

// flush writes the buffer out; the error is the first that stopped logging.
func (g *labLog) flush() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.w == nil {
		return nil
	}
	if err := g.w.Flush(); err != nil && g.err == nil {
		g.err = err
		return err
	}
	return nil
}

func (g *labLog) close() error {
	err := g.flush()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.file != nil {
		if cerr := g.file.Close(); cerr != nil && err == nil && g.err == nil {
			g.err, err = cerr, cerr
		}
		g.file, g.w = nil, nil
	}
	return err
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

// DefaultLogLimit is how much one lab's log may hold unless told otherwise.
const DefaultLogLimit = 1 << 30

// pruneLogs deletes the oldest lab logs in dir beyond keep, but never one
// that a running lab holds open (locked).
func pruneLogs(dir string, keep int) {
	logs, err := filepath.Glob(filepath.Join(dir, "lab-*.log"))
	if err != nil || len(logs) <= keep {
		return
	}
	sort.Slice(logs, func(i, j int) bool { return modTime(logs[i]).Before(modTime(logs[j])) })
	for _, old := range logs[:len(logs)-keep] {
		f, err := os.Open(old)
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			_ = os.Remove(old)
		}
		f.Close()
	}
}

func modTime(path string) time.Time {
	info, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return info.ModTime()
}

// ParseSize reads a size such as 512M, 2G, 100k or a number of bytes;
// 0 means no bound.
func ParseSize(s string) (int64, error) {
	mult := int64(1)
	num := s
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'k', 'K':
			mult, num = 1<<10, s[:n-1]
		case 'm', 'M':
			mult, num = 1<<20, s[:n-1]
		case 'g', 'G':
			mult, num = 1<<30, s[:n-1]
		}
	}
	v, err := strconv.ParseInt(num, 10, 64)
	if err != nil || v < 0 || v > (1<<50)/mult {
		return 0, fmt.Errorf("%q is not a size: write bytes or a number with k, M or G, e.g. 512M (0 for no limit)", s)
	}
	return v * mult, nil
}

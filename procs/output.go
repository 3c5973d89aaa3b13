package procs

import (
	"bufio"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// Stream says which pipe a line came from.
type Stream uint8

const (
	Stdout Stream = iota
	Stderr
)

func (s Stream) String() string {
	if s == Stderr {
		return "stderr"
	}
	return "stdout"
}

// Line is one line a process printed, stamped with the time since the lab
// began.
type Line struct {
	Seq    uint64        // position in the lane, from 1; gaps mean lines left the buffer
	At     time.Duration // since the lab began
	Stream Stream
	Text   string // valid UTF-8, no newline, control characters made visible
}

const (
	// MaxLineBytes bounds one displayed line; a longer one is split, so a
	// child that never prints a newline still shows up and memory stays bounded.
	MaxLineBytes = 4096
	// DefaultLaneLines is how many recent lines a lane keeps for display.
	DefaultLaneLines = 5000
)

// LineBuffer keeps the most recent lines of one lane: at most a number of
// lines, and, when it shares a Budget, at most its share of the lab's
// bytes. It is safe for concurrent use: the capture goroutines write, the
// window reads.
type LineBuffer struct {
	mu     sync.Mutex
	lines  []Line // lines[head:] are kept, oldest first
	head   int
	max    int
	bytes  int     // what the kept lines hold, by lineCost
	budget *Budget // nil: bounded by max alone
	seq    uint64  // number of lines ever added
}

// lineCost is what a kept line holds in memory: its text and a Line.
func lineCost(l Line) int { return len(l.Text) + 64 }

// Budget bounds the bytes the lanes of one lab keep together: each lane
// may keep an equal share, but never less than MinLaneBytes. A thousand
// lanes of 5,000 lines of 4 KiB each would otherwise hold 20 GB.
type Budget struct {
	total int64
	lanes atomic.Int64
}

const (
	// DefaultLabBytes is what the lanes of one lab keep together: with ten
	// lanes each keeps its 5,000 short lines, with a thousand about 85 —
	// and memory stops growing within a minute, however much they print.
	DefaultLabBytes = 8 << 20
	// MinLaneBytes is the least a lane keeps however many there are:
	// about 40 short lines, or one of the longest.
	MinLaneBytes = 4 << 10
)

// NewBudget shares total bytes among the lanes made with it.
func NewBudget(total int64) *Budget { return &Budget{total: total} }

// NewLineBuffer returns a lane of at most capacity lines that takes a share
// of b (nil for none).
func (b *Budget) NewLineBuffer(capacity int) *LineBuffer {
	lb := NewLineBuffer(capacity)
	if b != nil {
		b.lanes.Add(1)
		lb.budget = b
	}
	return lb
}

func (b *Budget) share() int {
	return int(max(b.total/max(b.lanes.Load(), 1), MinLaneBytes))
}

// NewLineBuffer returns a buffer that keeps the last capacity lines.
func NewLineBuffer(capacity int) *LineBuffer {
	if capacity < 1 {
		capacity = 1
	}
	// Grown as lines come, not made at full size: most processes print a
	// few lines, and 200 of them at full size held 32 MB for nothing.
	return &LineBuffer{max: capacity}
}

func (b *LineBuffer) add(l Line) Line {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	l.Seq = b.seq
	b.lines = append(b.lines, l)
	b.bytes += lineCost(l)
	limit := -1
	if b.budget != nil {
		limit = b.budget.share()
	}
	for kept := len(b.lines) - b.head; kept > b.max || (limit >= 0 && b.bytes > limit && kept > 1); kept-- {
		b.bytes -= lineCost(b.lines[b.head])
		b.lines[b.head] = Line{} // let go of its text
		b.head++
	}
	if b.head >= 32 && b.head*2 >= len(b.lines) {
		// Move the kept lines to the front now and then: dropping one line
		// costs nothing, and the slice never holds more than twice the kept
		// (and 32). Waiting for 1,024 dropped lines let each of a thousand
		// small lanes hold a thousand lines' room: 40 MB.
		n := copy(b.lines, b.lines[b.head:])
		clear(b.lines[n:])
		b.lines, b.head = b.lines[:n], 0
	}
	return l
}

// Total is the number of lines ever added, including those that left.
func (b *LineBuffer) Total() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seq
}

// Append adds a line and returns it with its Seq: for a lane the window
// fills itself (main's transcript).
func (b *LineBuffer) Append(l Line) Line { return b.add(l) }

// Span is the Seq of the oldest and the newest kept line; first > last
// when none is kept.
func (b *LineBuffer) Span() (first, last uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seq - uint64(len(b.lines)-b.head) + 1, b.seq
}

// Range appends to dst the kept lines whose Seq is from first to last,
// oldest first: what a view needs for the rows on screen, without copying
// the whole buffer.
func (b *LineBuffer) Range(first, last uint64, dst []Line) []Line {
	b.mu.Lock()
	defer b.mu.Unlock()
	kept := b.lines[b.head:]
	oldest := b.seq - uint64(len(kept)) + 1
	first = max(first, oldest)
	last = min(last, b.seq)
	if first > last {
		return dst
	}
	return append(dst, kept[first-oldest:last-oldest+1]...)
}

// Clear drops every kept line; Seq goes on from where it was.
func (b *LineBuffer) Clear() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lines, b.head, b.bytes = nil, 0, 0
}

// Tail copies the kept lines, oldest first, appending to dst.
func (b *LineBuffer) Tail(dst []Line) []Line {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append(dst, b.lines[b.head:]...)
}

// captureLines reads r until EOF and hands each line to emit. Partial lines
// at EOF are emitted too; lines longer than MaxLineBytes are split; invalid
// UTF-8 becomes U+FFFD.
func captureLines(r io.Reader, emit func(string)) error {
	return captureRawLines(r, func(b []byte) { emit(cleanLine(b)) })
}

// captureRawLines is captureLines before cleaning: each line as read, its
// newline included, valid only during the call.
func captureRawLines(r io.Reader, emit func([]byte)) error {
	br := bufio.NewReaderSize(r, MaxLineBytes)
	var carry []byte // the start of a character cut by a split, owed to the next line
	for {
		chunk, err := br.ReadSlice('\n')
		if len(carry) > 0 {
			chunk = append(carry, chunk...)
			carry = nil
		}
		// A carried fragment can push the chunk past the limit: split again.
		for len(chunk) > MaxLineBytes {
			cut := runeBoundary(chunk[:MaxLineBytes])
			emit(chunk[:cut])
			chunk = chunk[cut:]
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			cut := runeBoundary(chunk)
			carry = append([]byte(nil), chunk[cut:]...)
			emit(chunk[:cut])
			continue
		}
		if len(chunk) > 0 {
			emit(chunk)
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, os.ErrClosed) {
				return nil
			}
			return err
		}
	}
}

// runeBoundary returns where to split b so that a multi-byte character at
// its end is not cut in two.
func runeBoundary(b []byte) int {
	for back := 1; back < utf8.UTFMax && back <= len(b); back++ {
		c := b[len(b)-back]
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-back:]) {
				return len(b) - back
			}
			break
		}
	}
	return len(b)
}

// cleanLine drops the line ending and makes the text safe to display.
func cleanLine(b []byte) string {
	s := string(b)
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, isHiddenControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' {
			return ' '
		}
		if isHiddenControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// Printable is s with the characters that would act instead of showing
// (control and bidi characters) made visible, as in every line: for names a
// program gives its processes, before they reach a terminal.
func Printable(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, isHiddenControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isHiddenControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// isHiddenControl reports a character that would act instead of showing:
// control characters, and the bidirectional controls (U+202E and its kin)
// that would reverse or reorder the text around them.
func isHiddenControl(r rune) bool {
	if r < 0x80 {
		return r < 0x20 || r == 0x7f // the common case, on every character of every line
	}
	return (unicode.IsControl(r) && r != '\uFFFD') || isBidiControl(r)
}

// isBidiControl is unicode.Bidi_Control spelled out: U+061C, U+200E–U+200F,
// U+202A–U+202E, U+2066–U+2069.
func isBidiControl(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

package procs

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
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

// Lines are lines of one stream read together, stamped with one time:
// Texts[i] is the line numbered FirstSeq+i in its lane.
type Lines struct {
	At       time.Duration
	Stream   Stream
	FirstSeq uint64
	Texts    []string
	// Joined, when not "", is the block as read: each of Texts followed
	// by a newline (the last one's may be missing). Every line was plain
	// text, so a printer may copy a line and its newline in one piece.
	Joined string
}

// Line is the i-th of them.
func (ls Lines) Line(i int) Line {
	return Line{Seq: ls.FirstSeq + uint64(i), At: ls.At, Stream: ls.Stream, Text: ls.Texts[i]}
}

const (
	// MaxLineBytes bounds one displayed line; a longer one is split, so a
	// child that never prints a newline still shows up and memory stays bounded.
	// It bounds the bytes printed: cleaned, each invalid or control byte
	// becomes a U+FFFD of three (maxCleanLineBytes).
	MaxLineBytes      = 4096
	maxCleanLineBytes = 3 * MaxLineBytes
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
	b.evict(b.limit())
	return l
}

// addAll adds lines read together and returns the Seq of the first. Of a
// flood's block most would leave again at once: only those the lane can
// keep are added, and when some are not, the kept ones get a string of
// their own, so that a lane never holds a block for the sake of its last
// lines. (A block kept whole is held until its last line leaves: at most
// one block more than the lane's share.)
func (b *LineBuffer) addAll(ls Lines) uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	first := b.seq + 1
	b.seq += uint64(len(ls.Texts))
	limit := b.limit()
	keep, bytes := 0, 0
	for keep < len(ls.Texts) && keep < b.max {
		cost := len(ls.Texts[len(ls.Texts)-1-keep]) + lineCost(Line{})
		if limit >= 0 && keep > 0 && bytes+cost > limit {
			break
		}
		keep, bytes = keep+1, bytes+cost
	}
	from := len(ls.Texts) - keep
	kept := ls.Texts[from:]
	whole := ""
	if keep < len(ls.Texts) {
		whole = strings.Join(kept, "")
	}
	for i, text := range kept {
		if whole != "" {
			text, whole = whole[:len(text)], whole[len(text):]
		}
		b.lines = append(b.lines, Line{Seq: first + uint64(from+i), At: ls.At, Stream: ls.Stream, Text: text})
	}
	b.bytes += bytes
	b.evict(limit)
	return first
}

// limit is the lane's share of its budget's bytes, or -1 for no bound.
func (b *LineBuffer) limit() int {
	if b.budget == nil {
		return -1
	}
	return b.budget.share()
}

// evict drops the oldest lines beyond the lane's bounds (the last one
// stays, however long).
func (b *LineBuffer) evict(limit int) {
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

// readBlockBytes is what one read of a pipe takes at most: a pipe's own
// buffer, so that a program printing as fast as it can is read in blocks
// of a few thousand lines.
const readBlockBytes = 64 << 10

// captureLineBlocks reads r until EOF and hands over its lines a read at
// a time: partial lines at EOF too, lines longer than MaxLineBytes split,
// invalid UTF-8 as U+FFFD, control characters made visible. The lines of each
// read (complete ones, and pieces of one too long to be one) are handed
// over together, and share one string when they need no cleaning. Under a
// flood, the per-line costs of a string, a time and a hand-over each came
// to 0.6 µs a line, twenty times what `| cat` costs.
// How the pipe's bytes arrive in reads does not change the lines.
func captureLineBlocks(r io.Reader, emit func(texts []string, joined string)) error {
	buf := make([]byte, readBlockBytes)
	var texts []string
	n := 0 // buf[:n] was read and not handed over yet: the start of a line
	for {
		m, err := r.Read(buf[n:])
		n += m
		eof := err != nil
		// What is handed over now: up to the last newline, or everything at
		// the end; a longer unfinished line is cut into pieces. Only the new
		// bytes can hold a newline: the rest held none.
		end := 0
		if i := bytes.LastIndexByte(buf[n-m:n], '\n'); i >= 0 {
			end = n - m + i + 1
		}
		rest := buf[end:n]
		if eof {
			end = n
		}
		for !eof && len(rest) > MaxLineBytes {
			end += runeBoundary(rest[:MaxLineBytes])
			rest = buf[end:n]
		}
		if end > 0 {
			var joined string
			texts, joined = blockLines(buf[:end], texts[:0])
			emit(texts, joined)
			clear(texts) // let go of the block's string
			n = copy(buf, buf[end:n])
		}
		if eof {
			if errors.Is(err, io.EOF) || errors.Is(err, os.ErrClosed) {
				return nil
			}
			return err
		}
	}
}

// blockLines appends the cleaned lines of block to texts: every line of it,
// the last one with or without its newline, each cut to MaxLineBytes. Clean
// lines are slices of one string made for the whole block.
//
// It returns the block's string as joined too when every line was plain
// and short enough to be one (see Lines.Joined), "" if not.
func blockLines(block []byte, texts []string) ([]string, string) {
	whole := string(block)
	if out, ok := plainBlockLines(block, whole, texts); ok {
		return out, whole
	}
	return blockLinesBytewise(block, whole, texts)
}

// SWAR masks: each byte of a word at once.
const (
	lowSeven  = 0x7f7f7f7f7f7f7f7f
	highBits  = 0x8080808080808080
	newlines  = 0x0a0a0a0a0a0a0a0a
	below0x20 = 0x6060606060606060 // added to b&0x7f, sets bit 7 iff b&0x7f >= 0x20
)

// NewlineBytes sets bit 7 of exactly the bytes of w (eight bytes of text,
// the first in the low byte) that are newlines: a reader or a printer
// finds a word's line ends at once (bits.TrailingZeros64(mask)/8 is the
// first).
func NewlineBytes(w uint64) uint64 {
	z := w ^ newlines
	return ^(((z & lowSeven) + lowSeven) | z) & highBits
}

// plainBlockLines is blockLines for the common block: printable ASCII
// lines no longer than MaxLineBytes. It reads eight bytes at a time, finds
// the newlines of a word from one mask, and gives up (ok false, texts as
// given) at the first byte that needs a closer look. A byte at a time, the
// test of each byte was most of what a flood of short lines cost.
func plainBlockLines(block []byte, whole string, texts []string) (_ []string, ok bool) {
	given := len(texts)
	start, i := 0, 0
	line := func(stop int) bool {
		if stop-start > MaxLineBytes {
			return false
		}
		texts = append(texts, whole[start:stop])
		start = stop + 1
		return true
	}
	for ; i+8 <= len(block); i += 8 {
		w := binary.LittleEndian.Uint64(block[i:])
		high := w & highBits
		low := ^((w & lowSeven) + below0x20) & highBits &^ high // a byte below 0x20
		nl := NewlineBytes(w)
		d := w ^ lowSeven // DEL is 0x7f in every byte, like the mask
		del := ^(((d & lowSeven) + lowSeven) | d) & highBits
		if high|(low&^nl)|del != 0 {
			return texts[:given], false
		}
		for m := nl; m != 0; m &= m - 1 {
			if !line(i + bits.TrailingZeros64(m)/8) {
				return texts[:given], false
			}
		}
	}
	for ; i < len(block); i++ {
		switch c := block[i]; {
		case c == '\n':
			if !line(i) {
				return texts[:given], false
			}
		case c-0x20 > 0x7e-0x20:
			return texts[:given], false
		}
	}
	if start < len(block) && !line(len(block)) {
		return texts[:given], false
	}
	return texts, true
}

// blockLinesBytewise is blockLines for any block. One pass over the bytes
// finds the line ends and the lines that need a closer look: looking for
// each newline apart cost more than the rest together.
func blockLinesBytewise(block []byte, whole string, texts []string) ([]string, string) {
	joined := whole
	start, plain := 0, true // plain: printable ASCII so far in this line
	for i := 0; i <= len(block); i++ {
		if i < len(block) {
			if c := block[i]; c-0x20 <= 0x7e-0x20 {
				continue
			} else if c != '\n' {
				plain = false
				continue
			}
		} else if start == len(block) {
			break // the block ended with a newline
		}
		if plain && i-start <= MaxLineBytes {
			texts = append(texts, whole[start:i]) // the common case, inline
		} else {
			texts = appendLine(texts, block, whole, start, i, plain)
			joined = ""
		}
		start, plain = i+1, true
	}
	return texts, joined
}

// appendLine appends the line block[start:stop], cut to MaxLineBytes: as a
// slice of whole when it is plain or otherwise clean, cleaned if not.
func appendLine(texts []string, block []byte, whole string, start, stop int, plain bool) []string {
	for {
		cut := stop
		if cut-start > MaxLineBytes {
			cut = start + runeBoundary(block[start:start+MaxLineBytes])
		}
		if piece := block[start:cut]; plain || isClean(piece) {
			texts = append(texts, whole[start:cut])
		} else {
			texts = append(texts, cleanLine(piece))
		}
		if start = cut; start >= stop {
			return texts
		}
	}
}

// isClean reports whether b is shown as it is: valid UTF-8 without the
// characters cleanLine replaces (and without a line ending to drop).
func isClean(b []byte) bool {
	for i := 0; i < len(b); {
		if c := b[i]; c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size == 1) || isHiddenControl(r) {
			return false
		}
		i += size
	}
	return true
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

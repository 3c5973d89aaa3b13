package procs

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// captureLines is captureLineBlocks a line at a time.
func captureLines(r io.Reader, emit func(string)) error {
	return captureLineBlocks(r, func(texts []string, _ string) {
		for _, text := range texts {
			emit(text)
		}
	})
}

func capture(t *testing.T, input string) []string {
	t.Helper()
	var got []string
	if err := captureLines(strings.NewReader(input), func(s string) { got = append(got, s) }); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestCaptureLines(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"lines", "a\nb\n", []string{"a", "b"}},
		{"partial last line", "a\nno newline", []string{"a", "no newline"}},
		{"crlf", "dos\r\n", []string{"dos"}},
		{"invalid utf-8", "ok\xff\xfe!\n", []string{"ok\uFFFD!"}},
		{"controls", "a\x1b[31mred\tx\n", []string{"a\uFFFD[31mred x"}},
		{"bidi controls", "abc\u202Edef\u2066g\u200fh\n", []string{"abc\uFFFDdef\uFFFDg\uFFFDh"}},
		{"chinese", "跳舞中...\n", []string{"跳舞中..."}},
		{"empty line", "\n", []string{""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := capture(t, tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCaptureSplitsLongLinesAtRuneBoundaries(t *testing.T) {
	long := strings.Repeat("跳", MaxLineBytes) // 3 bytes each: no boundary at MaxLineBytes
	got := capture(t, long+"\n")
	if len(got) < 3 {
		t.Fatalf("a %d-byte line gave %d pieces", len(long), len(got))
	}
	for _, piece := range got {
		if len(piece) > MaxLineBytes || strings.ContainsRune(piece, '\uFFFD') {
			t.Fatalf("piece of %d bytes, or a cut character", len(piece))
		}
	}
	if strings.Join(got, "") != long {
		t.Error("pieces do not add up to the line")
	}
}

func TestLineBufferKeepsTheLastLines(t *testing.T) {
	b := NewLineBuffer(3)
	for i := range 5 {
		b.add(Line{Text: string(rune('a' + i))})
	}
	var got []string
	for _, l := range b.Tail(nil) {
		got = append(got, l.Text)
	}
	if !slices.Equal(got, []string{"c", "d", "e"}) || b.Total() != 5 {
		t.Errorf("tail %q total %d", got, b.Total())
	}
	if tail := b.Tail(nil); tail[0].Seq != 3 || tail[2].Seq != 5 {
		t.Errorf("seqs %d..%d, want 3..5", tail[0].Seq, tail[2].Seq)
	}
}

func TestIsBidiControlIsUnicodes(t *testing.T) {
	for r := rune(0); r <= 0x10ffff; r++ {
		if isBidiControl(r) != unicode.Is(unicode.Bidi_Control, r) {
			t.Fatalf("isBidiControl(%U) = %v, Unicode says %v", r, isBidiControl(r), !isBidiControl(r))
		}
	}
}

func TestLaneBuffersShareTheLabsBudget(t *testing.T) {
	b := NewBudget(100 * MinLaneBytes)
	lanes := make([]*LineBuffer, 1000)
	for i := range lanes {
		lanes[i] = b.NewLineBuffer(DefaultLaneLines)
	}
	long := strings.Repeat("x", MaxLineBytes-64)
	for range 50 {
		for _, l := range lanes {
			l.add(Line{Text: long})
		}
	}
	// A thousand lanes share 100 lanes' worth: each keeps MinLaneBytes.
	for i, l := range lanes {
		if l.bytes > MinLaneBytes {
			t.Fatalf("lane %d keeps %d bytes, more than its share %d", i, l.bytes, MinLaneBytes)
		}
		first, last := l.Span()
		if last != 50 || last-first+1 != MinLaneBytes/MaxLineBytes {
			t.Fatalf("lane %d keeps lines %d..%d", i, first, last)
		}
	}
	// A lane alone keeps its lines up to the line bound.
	alone := NewBudget(DefaultLabBytes).NewLineBuffer(100)
	for i := range 1000 {
		alone.add(Line{Text: fmt.Sprint(i)})
	}
	if got := alone.Tail(nil); len(got) != 100 || got[0].Text != "900" || got[99].Seq != 1000 {
		t.Fatalf("kept %d lines from %q", len(got), got[0].Text)
	}
	if r := alone.Range(950, 952, nil); len(r) != 3 || r[0].Text != "949" || r[2].Seq != 952 {
		t.Fatalf("Range(950, 952) = %+v", r)
	}
	if r := alone.Range(1, 5, nil); len(r) != 0 {
		t.Fatalf("Range of lines that left = %+v", r)
	}
}

// A small lane's slice stays small however many lines pass through it.
func TestLaneBufferRoomStaysNearWhatItKeeps(t *testing.T) {
	b := NewBudget(1000 * MinLaneBytes)
	lanes := make([]*LineBuffer, 1000)
	for i := range lanes {
		lanes[i] = b.NewLineBuffer(DefaultLaneLines)
	}
	for range 3000 {
		for _, l := range lanes {
			l.add(Line{Text: "循环中... 1234"})
		}
	}
	for i, l := range lanes {
		kept := len(l.lines) - l.head
		if cap(l.lines) > 2*kept+64 {
			t.Fatalf("lane %d keeps %d lines in room for %d", i, kept, cap(l.lines))
		}
	}
}

// captureBlocks is captureLineBlocks collected: the lines, and how many
// hand-overs brought them.
func captureBlocks(t testing.TB, r io.Reader) (lines []string, blocks int) {
	t.Helper()
	if err := captureLineBlocks(r, func(texts []string, joined string) {
		blocks++
		lines = append(lines, texts...)
		if joined != "" && !slices.Equal(strings.Split(strings.TrimSuffix(joined, "\n"), "\n"), texts) {
			t.Fatalf("joined %.80q is not the lines %.80q", joined, texts)
		}
	}); err != nil {
		t.Fatal(err)
	}
	return lines, blocks
}

// The lines of a pipe do not depend on how its bytes arrive: whole, a byte
// at a time, or in halves.
func TestLineBlocksDoNotDependOnReads(t *testing.T) {
	exact := strings.Repeat("a", MaxLineBytes)
	inputs := map[string]string{
		"short lines":          "1\n2\n3\n",
		"no final newline":     "a\nb",
		"empty lines":          "\n\n\nx\n\n",
		"crlf and controls":    "dos\r\n\x1b[31mred\tx\r\nbell\a\n",
		"exactly the bound":    exact + "\n" + exact + "\n",
		"one over the bound":   exact + "b\n",
		"long, chinese":        strings.Repeat("跳", MaxLineBytes) + "\nnext\n",
		"long, no newline":     strings.Repeat("舞x", 3*MaxLineBytes),
		"invalid utf-8 at cut": strings.Repeat("a", MaxLineBytes-1) + "\xe8\xb7" + "\n",
		"bidi":                 "abc\u202edef\n",
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			whole, _ := captureBlocks(t, strings.NewReader(in))
			for reader, r := range map[string]io.Reader{
				"one byte": iotest.OneByteReader(strings.NewReader(in)),
				"halves":   iotest.HalfReader(strings.NewReader(in)),
				"data+EOF": iotest.DataErrReader(strings.NewReader(in)),
			} {
				if got, _ := captureBlocks(t, r); !slices.Equal(got, whole) {
					t.Errorf("%s: %d lines %.80q, whole: %d lines %.80q", reader, len(got), got, len(whole), whole)
				}
			}
			for _, line := range whole {
				if len(line) > maxCleanLineBytes || !utf8.ValidString(line) || strings.IndexFunc(line, isHiddenControl) >= 0 {
					t.Fatalf("line %.40q: %d bytes, or not clean", line, len(line))
				}
			}
		})
	}
	if got := capture(t, exact+"\n"); len(got) != 1 {
		t.Errorf("a line of exactly MaxLineBytes gave %d lines", len(got))
	}
}

// A flood's read is handed over once, with one string under its clean
// lines; a lane keeps of it only what it may, in a string of its own.
func TestLineBlocksShareOneStringAndLanesDoNot(t *testing.T) {
	var in strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&in, "%d\n", i)
	}
	lines, blocks := captureBlocks(t, strings.NewReader(in.String()))
	if len(lines) != 5000 || blocks != (in.Len()+readBlockBytes-1)/readBlockBytes {
		t.Fatalf("%d lines in %d blocks from %d bytes", len(lines), blocks, in.Len())
	}
	// Clean lines of a block lie one after another in one string.
	if unsafe.StringData(lines[1]) != (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(lines[0])), 2)) {
		t.Error("the lines of a block are not slices of one string")
	}
	b := NewLineBuffer(100)
	first := b.addAll(Lines{At: time.Second, Stream: Stderr, Texts: lines})
	kept := b.Tail(nil)
	if first != 1 || len(kept) != 100 || kept[0].Seq != 4901 || kept[0].Text != "4900" || kept[99].Text != "4999" || kept[0].Stream != Stderr {
		t.Fatalf("first %d, kept %d lines, %+v … %+v", first, len(kept), kept[0], kept[len(kept)-1])
	}
	if unsafe.StringData(kept[0].Text) == unsafe.StringData(lines[4900]) {
		t.Error("the lane's 100 lines hold the whole block's string")
	}
	// Bounded by bytes too, and numbered on from the first block.
	budget := NewBudget(int64(MinLaneBytes))
	small := budget.NewLineBuffer(DefaultLaneLines)
	if first := small.addAll(Lines{Texts: lines}); first != 1 {
		t.Fatalf("first Seq %d", first)
	}
	if first := small.addAll(Lines{Texts: lines[:10]}); first != 5001 {
		t.Fatalf("second block's first Seq %d, want 5001", first)
	}
	if small.bytes > MinLaneBytes || small.Total() != 5010 {
		t.Fatalf("keeps %d bytes (share %d), total %d", small.bytes, MinLaneBytes, small.Total())
	}
}

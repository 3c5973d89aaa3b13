package procs

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

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

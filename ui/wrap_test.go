package ui

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// wrapRows wraps text at cells with every character one cell wide except
// the ones in wide, which take two.
func wrapRows(text string, cells int) []string {
	w := runeWidths{cell: 1, cache: map[rune]int{}}
	for _, r := range "中文字符宽" {
		w.cache[r] = 2
	}
	var out []string
	for _, row := range w.wrap(nil, 1, text, cells) {
		out = append(out, text[row.from:row.to])
	}
	return out
}

func TestWrapKeepsEveryCharacterAndFitsTheWidth(t *testing.T) {
	for _, tc := range []struct {
		text  string
		cells int
		want  []string
	}{
		{"", 10, []string{""}},
		{"short", 10, []string{"short"}},
		{"exactlyten", 10, []string{"exactlyten"}},
		{"the quick brown fox", 10, []string{"the quick ", "brown fox"}},
		{"abcdefghijklmnop", 5, []string{"abcde", "fghij", "klmno", "p"}},
		{"中文字符宽", 4, []string{"中文", "字符", "宽"}},
		{"a中文", 2, []string{"a", "中", "文"}},
		{"0/0: something on stderr", 14, []string{"0/0: something ", "on stderr"}},
		{"x", 0, []string{"x"}},
	} {
		got := wrapRows(tc.text, tc.cells)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.text, tc.cells, got, tc.want)
		}
	}
}

func FuzzWrap(f *testing.F) {
	f.Add("the quick brown fox 中文 jumps", 7)
	f.Add("   ", 1)
	f.Fuzz(func(t *testing.T, text string, cells int) {
		if !utf8.ValidString(text) || cells < 1 || cells > 1000 {
			return
		}
		w := runeWidths{cell: 1, cache: map[rune]int{}}
		rows := w.wrap(nil, 1, text, cells)
		var joined strings.Builder
		for i, row := range rows {
			part := text[row.from:row.to]
			if !utf8.ValidString(part) {
				t.Fatalf("row %d cuts a character: %q", i, part)
			}
			// A row is never wider than the lane, but for a trailing space
			// or a single character wider than it.
			if n := utf8.RuneCountInString(strings.TrimSuffix(part, " ")); n > cells && utf8.RuneCountInString(part) > 1 {
				t.Fatalf("row %d is %d cells, lane %d: %q", i, n, cells, part)
			}
			joined.WriteString(part)
		}
		if joined.String() != text {
			t.Fatalf("rows lose text: %q != %q", joined.String(), text)
		}
	})
}

// TestWrapASCIIBreaksWhereMeasuringWould checks the flood's fast path
// against the measuring one on lines of words, spaces and long runs.
func TestWrapASCIIBreaksWhereMeasuringWould(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var w runeWidths
	pieces := []string{" ", "  ", "a", "flood", "0123456789", "x=1,", "\t", "averyveryverylongwordwithoutanyspaceinit"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text, cells := b.String(), 1+rng.IntN(40)
		got := wrapASCII(nil, 7, text, cells)
		want := w.wrapRunes(nil, 7, text, cells)
		if !slices.Equal(got, want) {
			t.Fatalf("%q in %d cells: rows %v, measuring gives %v", text, cells, got, want)
		}
	}
}

// BenchmarkWrapFloodLine wraps one line of benchmark 4's flood in a lane
// of 29 cells, by index (ascii) and by measuring each character (runes).
func BenchmarkWrapFloodLine(b *testing.B) {
	line := "flood 123456 " + strings.Repeat("x", 51)
	var w runeWidths
	rows := make([]screenRow, 0, 8)
	b.Run("ascii", func(b *testing.B) {
		for range b.N {
			rows = wrapASCII(rows[:0], 1, line, 29)
		}
	})
	b.Run("runes", func(b *testing.B) {
		for range b.N {
			rows = w.wrapRunes(rows[:0], 1, line, 29)
		}
	})
}

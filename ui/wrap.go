package ui

import (
	"math"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Wrapping a line into rows of a monospace lane: every character is a cell
// or two wide, so where a row ends is arithmetic, not text shaping.

// runeWidths knows how many cells each character takes in the monospace
// font at the current size: ASCII one; any other measured once (CJK takes
// two, and a symbol the font lacks comes from a wider fallback font).
type runeWidths struct {
	cell  float32
	cache map[rune]int
}

func (w *runeWidths) reset(cell float32) {
	if w.cell != cell {
		w.cell, w.cache = cell, nil
	}
}

// of is small enough to be inlined: wrapping a flood calls it for every
// byte of every line, nearly all of them ASCII.
func (w *runeWidths) of(r rune) int {
	if r < 0x80 {
		return 1
	}
	return w.ofWide(r)
}

func (w *runeWidths) ofWide(r rune) int {
	if n, ok := w.cache[r]; ok {
		return n
	}
	n := 1
	if w.cell > 0 {
		width := fyne.MeasureText(string(r), theme.TextSize(), fyne.TextStyle{Monospace: true}).Width
		n = max(1, int(math.Ceil(float64(width/w.cell)-0.05)))
	}
	if w.cache == nil {
		w.cache = map[rune]int{}
	}
	w.cache[r] = n
	return n
}

// wrap appends the rows of one line of text, cells wide, to rows: a row
// ends after the last space that leaves it at least half full, otherwise
// at the last character that fits. An empty line is one empty row.
func (w *runeWidths) wrap(rows []screenRow, seq uint64, text string, cells int) []screenRow {
	cells = max(cells, 1)
	if isASCII(text) {
		// Most lines: a cell a byte. A flood wraps every line it keeps, so
		// this is the UI thread's work for each of them.
		return wrapASCII(rows, seq, text, cells)
	}
	return w.wrapRunes(rows, seq, text, cells)
}

// wrapASCII is wrap for text of one-cell characters: where a row ends is
// found by index, without measuring character by character.
func wrapASCII(rows []screenRow, seq uint64, text string, cells int) []screenRow {
	start, scanned, lastSpace := 0, 0, -1
	for len(text)-start > cells {
		i := start + cells // the first character that does not fit
		if k := strings.LastIndexByte(text[scanned:i], ' '); k >= 0 {
			lastSpace = scanned + k
		}
		end := i
		switch {
		case text[i] == ' ':
			end = i + 1
		case lastSpace > start && (lastSpace-start)*2 >= cells:
			end = lastSpace + 1
		}
		rows = append(rows, screenRow{seq: seq, from: int32(start), to: int32(end)})
		start, scanned, lastSpace = end, max(i, end), -1
	}
	return append(rows, screenRow{seq: seq, from: int32(start), to: int32(len(text))})
}

// wrapRunes is wrap for any text, measuring each character.
func (w *runeWidths) wrapRunes(rows []screenRow, seq uint64, text string, cells int) []screenRow {
	start, used, lastSpace := 0, 0, -1
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		n := w.of(r)
		if used+n > cells && i > start {
			end := i
			switch {
			case r == ' ':
				end = i + 1 // a space at the edge ends the row: no row starts with one
			case lastSpace > start && (lastSpace-start)*2 >= cells:
				end = lastSpace + 1 // break after the space
			}
			rows = append(rows, screenRow{seq: seq, from: int32(start), to: int32(end)})
			start, lastSpace = end, -1
			i = max(i, start)
			used = cellsOf(w, text[start:i])
			continue
		}
		if r == ' ' {
			lastSpace = i
		}
		used += n
		i += size
	}
	return append(rows, screenRow{seq: seq, from: int32(start), to: int32(len(text))})
}

// isASCII reports whether text is all ASCII, whose characters take a cell
// each.
func isASCII(text string) bool {
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func cellsOf(w *runeWidths, s string) int {
	n := 0
	for _, r := range s {
		n += w.of(r)
	}
	return n
}

// cellsOf is how many cells text takes.
func (w *runeWidths) cellsOf(text string) int {
	n := 0
	for _, r := range text {
		n += w.of(r)
	}
	return n
}

// truncateCells is the longest beginning of text that takes at most cells.
func truncateCells(text string, cells int) string {
	var w runeWidths
	used := 0
	for i, r := range text {
		if used += w.of(r); used > cells {
			return text[:i]
		}
	}
	return text
}

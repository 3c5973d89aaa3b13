package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fitText is one line of text that takes the room it is given: the whole
// text when it fits, else as much as fits and "…". It is a bare text
// without a label's padding, so a tree row is as tall as its text, and it
// keeps the whole text (full) for the view report and for whoever shows it
// whole elsewhere (the status line, on hover). A widget.Label shapes its
// text again on every refresh when it truncates; fitText measures once
// per width.
type fitText struct {
	widget.BaseWidget
	full  string
	style fyne.TextStyle
	color fyne.ThemeColorName
	// low draws the text in the muted colour (an ended row).
	low bool
	// natural asks for the whole text's width (a heading), not an ellipsis's.
	natural bool
	align   fyne.TextAlign
	// maxRows above 1 wraps the text at spaces onto up to that many rows
	// (a lane's title); the last row that does not fit ends in "…".
	maxRows int
	rows    []*canvas.Text
	// shadows thicken the Chinese in a bold text: the embedded CJK font has
	// no bold face, and a heading in Chinese lost its weight. Each is a run
	// of Chinese of a row again, a hair to the right.
	shadows []*canvas.Text
	text    *canvas.Text // the first row
	// drawnFor is the width the drawn text was fitted to; drawn the rows.
	drawnFor float32
	drawn    []string
}

func newFitText(style fyne.TextStyle) *fitText {
	t := &fitText{style: style, color: theme.ColorNameForeground, maxRows: 1, text: canvas.NewText("", color.Black)}
	t.text.TextStyle = style
	t.rows = []*canvas.Text{t.text}

	t.ExtendBaseWidget(t)
	return t
}

// set changes the text and its colour; it redraws only when they changed.
func (t *fitText) set(text string, c fyne.ThemeColorName) { t.setMuted(text, c, t.low) }

// setMuted is set, and whether the text is drawn muted.
func (t *fitText) setMuted(text string, c fyne.ThemeColorName, low bool) {
	if t.full == text && t.color == c && t.low == low {
		return
	}
	t.full, t.color, t.low = text, c, low
	t.drawnFor = -1
	t.Refresh()
}

// pad is the room above and below a heading's text, as a label has.
func (t *fitText) pad() float32 {
	if t.natural {
		return theme.InnerPadding()
	}
	return 0
}

// cut reports whether the text on screen is not the whole text.
func (t *fitText) cut() bool {
	return t.full != "" && (len(t.drawn) == 0 || strings.Join(t.drawn, "") != t.full)
}

// heightFor is the height of the text fitted to width.
func (t *fitText) heightFor(width float32) float32 {
	return float32(len(t.split(width))) * textHeight(t.style)
}

// split is the text as it is drawn at width: rows of it.
func (t *fitText) split(width float32) []string {
	size := theme.TextSize()
	if t.maxRows <= 1 {
		return []string{fitToWidth(t.full, width, size, t.style)}
	}
	return wrapToWidth(t.full, width, size, t.style, t.maxRows)
}

func (t *fitText) CreateRenderer() fyne.WidgetRenderer { return &fitTextRenderer{t: t} }

type fitTextRenderer struct{ t *fitText }

func (r *fitTextRenderer) Layout(size fyne.Size) { r.fit(size.Width) }

func (r *fitTextRenderer) MinSize() fyne.Size {
	// As tall as a line; as narrow as an ellipsis: the pane decides the
	// width, the text makes do.
	rows := max(1, len(r.t.drawn))
	width := fyne.MeasureText("…", theme.TextSize(), r.t.style).Width
	if r.t.natural {
		width = fyne.MeasureText(r.t.full, theme.TextSize(), r.t.style).Width + 2*theme.InnerPadding()
	}
	return fyne.NewSize(width, float32(rows)*textHeight(r.t.style)+2*r.t.pad())
}

func (r *fitTextRenderer) Refresh() {
	r.t.drawnFor = -1
	r.fit(r.t.Size().Width)
}

func (r *fitTextRenderer) fit(width float32) {
	t := r.t
	size := theme.TextSize()
	if t.drawnFor != width || t.text.TextSize != size {
		t.drawnFor = width
		t.drawn = t.split(width)
	}
	for len(t.rows) < len(t.drawn) {
		row := canvas.NewText("", color.Black)
		row.TextStyle = t.style
		t.rows = append(t.rows, row)
	}
	h := textHeight(t.style)
	c := theme.Color(t.color)
	if t.low {
		c = theme.Color(theme.ColorNamePlaceHolder)
	}
	shadows := 0
	for i, row := range t.rows {
		if i >= len(t.drawn) {
			row.Hide()
			continue
		}
		row.Text, row.TextSize, row.Color, row.Alignment = t.drawn[i], size, c, t.align
		x, y := t.pad(), t.pad()+float32(i)*h
		row.Move(fyne.NewPos(x, y))
		row.Resize(fyne.NewSize(width, h))
		row.Show()
		row.Refresh()
		if !t.style.Bold || t.align != fyne.TextAlignLeading {
			continue
		}
		// Each run of Chinese again, a hair to the right: Latin text has a
		// bold face of its own and must not be thickened twice.
		for _, run := range cjkRuns(row.Text) {
			if shadows == len(t.shadows) {
				shadow := canvas.NewText("", color.Black)
				shadow.TextStyle = t.style
				t.shadows = append(t.shadows, shadow)
			}
			shadow := t.shadows[shadows]
			shadows++
			at := fyne.MeasureText(row.Text[:run[0]], size, t.style).Width
			shadow.Text, shadow.TextSize, shadow.Color = row.Text[run[0]:run[1]], size, c
			shadow.Move(fyne.NewPos(x+at+max(1, size/16), y))
			shadow.Resize(fyne.NewSize(fyne.MeasureText(shadow.Text, size, t.style).Width, h))
			shadow.Show()
			shadow.Refresh()
		}
	}
	for _, shadow := range t.shadows[shadows:] {
		shadow.Hide()
	}
}

// cjkRuns are the byte ranges of text's runs of CJK characters.
func cjkRuns(text string) [][2]int {
	var runs [][2]int
	start := -1
	for i, r := range text {
		switch {
		case isCJK(r) && start < 0:
			start = i
		case !isCJK(r) && start >= 0:
			runs = append(runs, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		runs = append(runs, [2]int{start, len(text)})
	}
	return runs
}

// isCJK reports whether r is of the CJK blocks, which the embedded font
// draws without a bold face.
func isCJK(r rune) bool {
	return r >= 0x2e80 && r <= 0x9fff || r >= 0xac00 && r <= 0xd7af || r >= 0xf900 && r <= 0xfaff || r >= 0xff00 && r <= 0xffef
}

func (r *fitTextRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, 2*len(r.t.rows))
	for _, s := range r.t.shadows {
		objs = append(objs, s)
	}
	for _, row := range r.t.rows {
		objs = append(objs, row)
	}
	return objs
}
func (r *fitTextRenderer) Destroy() {}

// dotWidth is the room a state dot ("●") takes before a name, with its
// padding, at the current text size.
func dotWidth() float32 {
	return fyne.MeasureText("●", theme.TextSize(), fyne.TextStyle{}).Width + theme.Padding()
}

func textHeight(style fyne.TextStyle) float32 {
	return fyne.MeasureText("M", theme.TextSize(), style).Height
}

// fitToWidth is text, or its longest beginning that fits width with "…".
func fitToWidth(text string, width, size float32, style fyne.TextStyle) string {
	if text == "" || fyne.MeasureText(text, size, style).Width <= width {
		return text
	}
	runes := []rune(text)
	// Binary search for the longest prefix that fits with the ellipsis.
	lo, hi := 0, len(runes)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(runes[:lo]) + "…"
}

// wrapToWidth breaks text at spaces into rows no wider than width, at most
// maxRows of them; a word wider than a row is broken where it must be, and
// a last row that cannot hold the rest ends in "…". Joined, the rows are
// the text (spaces stay at the end of the row they end).
func wrapToWidth(text string, width, size float32, style fyne.TextStyle, maxRows int) []string {
	fits := func(s string) bool { return fyne.MeasureText(strings.TrimRight(s, " "), size, style).Width <= width }
	var rows []string
	for text != "" {
		if len(rows) == maxRows-1 || fits(text) {
			return append(rows, fitToWidth(text, width, size, style))
		}
		runes := []rune(text)
		// The longest beginning that fits, then back to its last space.
		lo, hi := 1, len(runes)
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if fits(string(runes[:mid])) {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		end := lo
		for i := lo; i > 0; i-- {
			if runes[i-1] == ' ' {
				end = i
				break
			}
		}
		rows = append(rows, string(runes[:end]))
		text = string(runes[end:])
	}
	if len(rows) == 0 {
		rows = []string{""}
	}
	return rows
}

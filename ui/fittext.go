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
	// low draws the text in the muted colour (a row of another owner).
	low   bool
	align fyne.TextAlign
	// maxRows above 1 wraps the text at spaces onto up to that many rows
	// (a lane's title); the last row that does not fit ends in "…".
	maxRows int
	rows    []*canvas.Text
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
	return fyne.NewSize(fyne.MeasureText("…", theme.TextSize(), r.t.style).Width, float32(rows)*textHeight(r.t.style))
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
	for i, row := range t.rows {
		if i >= len(t.drawn) {
			row.Hide()
			continue
		}
		row.Text, row.TextSize, row.Color, row.Alignment = t.drawn[i], size, c, t.align
		row.Move(fyne.NewPos(0, float32(i)*h))
		row.Resize(fyne.NewSize(width, h))
		row.Show()
		row.Refresh()
	}
}

func (r *fitTextRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, len(r.t.rows))
	for i, row := range r.t.rows {
		objs[i] = row
	}
	return objs
}
func (r *fitTextRenderer) Destroy() {}

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

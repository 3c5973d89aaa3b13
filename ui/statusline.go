package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// statusLabel is the status line: one row that truncates, so the window
// keeps its height, and a click on it shows the whole message when it is
// cut (a reason can be long: why an action is disabled, with Python's
// error), so no message is cut silently.
type statusLabel struct {
	widget.Label
	show func(text string) // shows the whole text
}

var _ fyne.Tappable = (*statusLabel)(nil)

func newStatusLabel(text string, show func(string)) *statusLabel {
	l := &statusLabel{show: show}
	l.Text = text
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// MinSize is one row of Latin text high whatever the language: the
// embedded CJK font's line is taller, and a Chinese status line took a row
// of output from every lane when projected.
func (l *statusLabel) MinSize() fyne.Size {
	m := l.Label.MinSize()
	m.Height = textHeight(l.TextStyle) + 2*theme.InnerPadding()
	return m
}

// cut reports whether the text does not fit on its row.
func (l *statusLabel) cut() bool {
	return fyne.MeasureText(firstLine(l.Text), theme.TextSize(), l.TextStyle).Width+2*theme.InnerPadding() > l.Size().Width+0.5
}

func (l *statusLabel) Tapped(*fyne.PointEvent) {
	if l.show != nil && l.Text != "" && l.cut() {
		l.show(l.Text)
	}
}

// showWhole shows text whole above the status line, wrapped to the
// window's width; a click anywhere, Esc or Enter closes it.
func (w *labWindow) showWhole(text string) {
	label := widget.NewLabel(text)
	label.Wrapping = fyne.TextWrapWord
	label.Importance = w.statusBar.importance
	c := w.win.Canvas()
	pop := widget.NewPopUp(container.NewPadded(label), c)
	width := c.Size().Width * 0.9
	pop.Resize(fyne.NewSize(width, pop.MinSize().Height))
	h := label.MinSize().Height + 4*theme.Padding()
	pop.Resize(fyne.NewSize(width, h))
	pop.ShowAtPosition(fyne.NewPos(c.Size().Width*0.05, c.Size().Height-h-w.statusBar.status.Size().Height-2*theme.Padding()))
	w.statusBar.whole = pop
}

// closeWhole closes the whole message on Esc or Enter; it reports whether
// it was open (a click outside closes it too, as any pop-up).
func (w *labWindow) closeWhole(e *fyne.KeyEvent) bool {
	pop := w.statusBar.whole
	if pop == nil || !pop.Visible() {
		return false
	}
	switch e.Name {
	case fyne.KeyEscape, fyne.KeyReturn, fyne.KeyEnter:
		pop.Hide()
		return true
	}
	return false
}

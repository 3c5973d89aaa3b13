package ui

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// laneMinWidth is the narrowest a lane gets: room for about 30 characters.
const laneMinWidth = 190

// lane is one column of output: a header naming the process and its state,
// then its timestamped lines, stderr in red. It shows the tail the lab keeps.
type lane struct {
	widget.BaseWidget
	proc     *procs.Process // nil for main's own lane
	onTap    func()
	dot      *canvas.Text
	title    *widget.Label
	state    *widget.Label
	list     *widget.List
	bg       *canvas.Rectangle
	lines    []procs.Line
	selected bool
	// shownTotal and shownAt: the lane buffer's line count and the time
	// when the lines were last drawn.
	shownTotal uint64
	shownAt    time.Time
}

var (
	_ fyne.Widget   = (*lane)(nil)
	_ fyne.Tappable = (*lane)(nil)
)

func newLane(p *procs.Process, onTap func()) *lane {
	l := &lane{proc: p, onTap: onTap}
	l.dot = canvas.NewText("●", colorInitial)
	l.title = widget.NewLabel("")
	l.title.TextStyle.Bold = true
	l.title.Truncation = fyne.TextTruncateEllipsis
	l.state = widget.NewLabel("")
	l.state.Truncation = fyne.TextTruncateEllipsis
	l.bg = canvas.NewRectangle(color.Transparent)
	l.bg.CornerRadius = theme.InputRadiusSize()
	l.bg.StrokeWidth = 2
	l.list = widget.NewList(
		func() int { return len(l.lines) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("")
			t.Truncation = fyne.TextTruncateEllipsis
			return t
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(l.lines) {
				return
			}
			line := l.lines[i]
			t := o.(*widget.Label)
			if line.Stream == procs.Stderr {
				t.Importance = widget.DangerImportance
				t.SetText(fmt.Sprintf("%7.3f err %s", line.At.Seconds(), line.Text))
				return
			}
			t.Importance = widget.MediumImportance
			t.SetText(fmt.Sprintf("%7.3f %s", line.At.Seconds(), line.Text))
		},
	)
	l.list.OnSelected = func(widget.ListItemID) {
		l.list.UnselectAll()
		l.onTap()
	}
	l.ExtendBaseWidget(l)
	return l
}

func (l *lane) CreateRenderer() fyne.WidgetRenderer {
	// The state goes under the name: a lane is narrow, and its name is
	// what tells the lanes apart.
	header := container.NewBorder(nil, nil, l.dot, nil, container.NewVBox(l.title, l.state))
	return widget.NewSimpleRenderer(container.NewStack(l.bg,
		container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, l.list)))
}

func (l *lane) Tapped(*fyne.PointEvent) { l.onTap() }

// setHeader shows who the lane belongs to and what state it is in.
func (l *lane) setHeader(title string, look stateLook) {
	if l.title.Text != title {
		l.title.SetText(title)
	}
	if l.state.Text != look.word {
		l.state.SetText(look.word)
	}
	if l.dot.Color != look.color {
		l.dot.Color = look.color
		l.dot.Refresh()
	}
}

func (l *lane) setSelected(on bool) {
	if l.selected == on {
		return
	}
	l.selected = on
	if on {
		l.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
	} else {
		l.bg.StrokeColor = color.Transparent
	}
	l.bg.Refresh()
}

// setLines replaces the shown lines and keeps the newest in view.
func (l *lane) setLines(lines []procs.Line) {
	l.lines = lines
	l.list.Refresh()
	if len(lines) > 0 {
		l.list.ScrollToBottom()
	}
}

// columns lays lanes side by side at full height, sharing the width when
// it is enough and laneMinWidth each otherwise, so the horizontal scroll
// appears only when the lanes no longer fit.
type columns struct{}

func (columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	pad := theme.Padding()
	n := float32(len(objs))
	width := max(laneMinWidth, (size.Width-(n-1)*pad)/n)
	x := float32(0)
	for _, o := range objs {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(width, size.Height))
		x += width + pad
	}
}

func (columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	n := float32(len(objs))
	return fyne.NewSize(n*laneMinWidth+max(n-1, 0)*theme.Padding(), 120)
}

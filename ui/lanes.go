package ui

import (
	"image/color"
	"slices"
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
// then its timestamped lines, stderr in red, drawn by an outputView from
// the lane's buffer: the tail the lab keeps.
type lane struct {
	widget.BaseWidget
	proc     *procs.Process // nil for main's own lane
	onTap    func()
	dot      *canvas.Text
	title    *widget.Label
	state    *widget.Label
	view     *outputView
	bg       *canvas.Rectangle
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

// newLane makes p's lane, showing the lines of out; onCopy is a right click
// on a line.
func newLane(p *procs.Process, out *procs.LineBuffer, onTap func(), onCopy func(procs.Line)) *lane {
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
	l.view = newOutputView(out, onTap, onCopy)
	l.ExtendBaseWidget(l)
	return l
}

func (l *lane) CreateRenderer() fyne.WidgetRenderer {
	// The state goes under the name: a lane is narrow, and its name is
	// what tells the lanes apart.
	header := container.NewBorder(nil, nil, l.dot, nil, container.NewVBox(l.title, l.state))
	return widget.NewSimpleRenderer(container.NewStack(l.bg,
		container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, l.view)))
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

// showNewLines draws the lines that came since the last call.
func (l *lane) showNewLines() {
	if l.view.update() {
		l.view.Refresh()
	}
}

// laneStrip holds the lanes side by side (columns). Unlike a Container, it
// lays the lanes out without refreshing each one: adding a lane to a
// thousand redrew all of them, for every lane a preload added.
type laneStrip struct {
	widget.BaseWidget
	lanes []fyne.CanvasObject
}

func newLaneStrip(lanes ...fyne.CanvasObject) *laneStrip {
	s := &laneStrip{lanes: lanes}
	s.ExtendBaseWidget(s)
	return s
}

func (s *laneStrip) add(l fyne.CanvasObject) { s.lanes = append(s.lanes, l) }

func (s *laneStrip) remove(l fyne.CanvasObject) {
	if i := slices.Index(s.lanes, l); i >= 0 {
		s.lanes = slices.Delete(s.lanes, i, i+1)
	}
}

func (s *laneStrip) CreateRenderer() fyne.WidgetRenderer { return &laneStripRenderer{strip: s} }

type laneStripRenderer struct{ strip *laneStrip }

func (r *laneStripRenderer) Layout(size fyne.Size) { columns{}.Layout(r.strip.lanes, size) }
func (r *laneStripRenderer) MinSize() fyne.Size {
	return columns{}.MinSize(r.strip.lanes)
}

// Refresh lays the lanes out again; each lane refreshes itself when its
// own content changes.
func (r *laneStripRenderer) Refresh()                     { r.Layout(r.strip.Size()) }
func (r *laneStripRenderer) Objects() []fyne.CanvasObject { return r.strip.lanes }
func (r *laneStripRenderer) Destroy()                     {}

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
	width := max(laneWidth(), (size.Width-(n-1)*pad)/n)
	x := float32(0)
	for _, o := range objs {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(width, size.Height))
		x += width + pad
	}
}

func (columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	n := float32(len(objs))
	return fyne.NewSize(n*laneWidth()+max(n-1, 0)*theme.Padding(), 120)
}

// laneWidth is the narrowest a lane gets: laneMinWidth, or room for the
// narrowest output view at the current zoom.
func laneWidth() float32 {
	return max(laneMinWidth, cellWidth()*minViewCells+3*theme.Padding())
}

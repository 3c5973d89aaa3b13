package ui

import (
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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
	proc  *procs.Process // nil for main's own lane
	onTap func()
	dot   *canvas.Text
	// header is the lane's title and state, wrapped onto up to three rows:
	// the name is what tells lanes apart, so it is not cut to one word and
	// "…"; one text for both keeps a row for the lines when projected.
	header   *fitText
	line     *canvas.Rectangle
	view     *outputView
	frame    *outline // shown when the lane is selected
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

// newLane makes p's lane, showing the lines of out; onLine is a right click
// on a line.
func newLane(p *procs.Process, out *procs.LineBuffer, onTap func(), onLine lineMenu) *lane {
	l := &lane{proc: p, onTap: onTap}
	l.dot = canvas.NewText("●", colorInitial)
	l.header = newFitText(fyne.TextStyle{Bold: true})
	l.header.maxRows = 3
	l.line = canvas.NewRectangle(color.Transparent)
	l.frame = newOutline(2)
	l.view = newOutputView(out, onTap, onLine)
	l.ExtendBaseWidget(l)
	return l
}

func (l *lane) CreateRenderer() fyne.WidgetRenderer {
	objects := append(l.frame.objects(), l.dot, l.header, l.line, l.view)
	return &laneRenderer{l: l, objects: objects}
}

// laneRenderer puts the title and the state above the lines, as many rows
// of them as the lane's width needs, and gives the lines the rest.
type laneRenderer struct {
	l       *lane
	objects []fyne.CanvasObject
}

func (r *laneRenderer) Layout(size fyne.Size) {
	l := r.l
	pad := theme.Padding()
	l.frame.layout(size)
	l.dot.TextSize = theme.TextSize()
	dotW := dotWidth()
	l.dot.Move(fyne.NewPos(pad, pad/2))
	textW := max(0, size.Width-dotW-2*pad)
	y := pad / 2
	h := l.header.heightFor(textW)
	l.header.Move(fyne.NewPos(pad+dotW, y))
	l.header.Resize(fyne.NewSize(textW, h))
	y += h + pad/2
	l.line.FillColor = theme.Color(theme.ColorNameSeparator)
	l.line.Move(fyne.NewPos(0, y))
	l.line.Resize(fyne.NewSize(size.Width, theme.SeparatorThicknessSize()))
	y += theme.SeparatorThicknessSize()
	l.view.Move(fyne.NewPos(0, y))
	l.view.Resize(fyne.NewSize(size.Width, max(0, size.Height-y)))
}

func (r *laneRenderer) MinSize() fyne.Size {
	v := r.l.view.MinSize()
	return fyne.NewSize(v.Width, v.Height+textHeight(fyne.TextStyle{Bold: true})+theme.Padding())
}

func (r *laneRenderer) Refresh() {
	r.Layout(r.l.Size())
	r.l.line.Refresh()
}

func (r *laneRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *laneRenderer) Destroy()                     {}

func (l *lane) Tapped(*fyne.PointEvent) { l.onTap() }

// setHeader shows who the lane belongs to and what state it is in.
func (l *lane) setHeader(title string, look stateLook) {
	text := title + " · " + look.word
	if l.header.full == text && l.dot.Color == look.color {
		return
	}
	rows := len(l.header.drawn)
	l.header.set(text, theme.ColorNameForeground)
	if l.dot.Color != look.color {
		l.dot.Color = look.color
		l.dot.Refresh()
	}
	// A header that now needs another row moves the lines down.
	if rows != len(l.header.split(l.header.Size().Width)) {
		l.Refresh()
	}
}

func (l *lane) setSelected(on bool) {
	if l.selected == on {
		return
	}
	l.selected = on
	if on {
		l.frame.show(theme.Color(theme.ColorNamePrimary))
	} else {
		l.frame.show(nil)
	}
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
	// solo, when set, is the one lane shown, across the whole strip (F8).
	solo fyne.CanvasObject
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
	if s.solo == l {
		s.solo = nil
	}
}

func (s *laneStrip) CreateRenderer() fyne.WidgetRenderer { return &laneStripRenderer{strip: s} }

type laneStripRenderer struct{ strip *laneStrip }

func (r *laneStripRenderer) Layout(size fyne.Size) {
	if solo := r.strip.solo; solo != nil {
		solo.Move(fyne.NewPos(0, 0))
		solo.Resize(size)
		return
	}
	columns{}.Layout(r.strip.lanes, size)
}

func (r *laneStripRenderer) MinSize() fyne.Size {
	if r.strip.solo != nil {
		return columns{}.MinSize(r.strip.lanes[:1])
	}
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

// laneCells is the fewest characters a lane's row holds when zoomed in: a
// projected lane of 16 wrapped a traceback into shreds, and its title onto
// three rows.
const laneCells = 19

// laneWidth is the narrowest a lane gets: laneMinWidth, or room for
// laneCells characters at the current zoom.
func laneWidth() float32 {
	return max(laneMinWidth, cellWidth()*laneCells+3*theme.Padding())
}

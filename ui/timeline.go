package ui

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// markKind is something that happened to a process at one moment.
type markKind int

const (
	markStart markKind = iota
	markJoin           // main blocked in join() on it: a span
	markTerminate
	markKill
	markExit
	markReap
	markAdopt
)

var markColors = map[markKind]color.NRGBA{
	markStart:     {0x22, 0xc5, 0x5e, 0xff},
	markJoin:      {0xf5, 0x9e, 0x0b, 0xff},
	markTerminate: {0xfb, 0x92, 0x3c, 0xff},
	markKill:      {0xef, 0x44, 0x44, 0xff},
	markExit:      {0xe5, 0xe7, 0xeb, 0xff},
	markReap:      {0xa8, 0x55, 0xf7, 0xff},
	markAdopt:     {0x60, 0xa5, 0xfa, 0xff},
}

type mark struct {
	at   time.Duration
	kind markKind
}

// span is a stretch of time in one state.
type span struct {
	from, to time.Duration // to == 0: still going
	state    byte          // R, S, T, Z, or 'J' for main blocked in join
}

// swimlane is one process's history since the lab began.
type swimlane struct {
	name   string
	tint   color.Color
	spans  []span
	ticks  []time.Duration // one per output line, at least the newest maxTicks
	marks  []mark
	ended  bool
	exitAt time.Duration
}

const (
	maxTicks = 4000
	maxSpans = 2000
	// tickBudget bounds the ticks of all lanes together, shared equally,
	// at least minTicks each: a thousand printing children kept 4,000
	// each, 32 MB reached after half an hour.
	tickBudget = 200_000
	minTicks   = 100
)

func (s *swimlane) setState(at time.Duration, state byte) {
	if n := len(s.spans); n > 0 {
		last := &s.spans[n-1]
		if last.state == state && last.to == 0 {
			return
		}
		if last.to == 0 {
			last.to = at
		}
	}
	s.spans = appendNewest(s.spans, span{from: at, state: state}, maxSpans)
}

func (s *swimlane) end(at time.Duration) {
	if n := len(s.spans); n > 0 && s.spans[n-1].to == 0 {
		s.spans[n-1].to = at
	}
}

// timeline draws every process of the lab as a swimlane over time: bars
// coloured by state, a tick per output line, markers for start, join,
// terminate, kill, exit, reap and adoption. It is one raster, not a widget
// per element, so thousands of ticks cost one image.
type timeline struct {
	widget.BaseWidget
	lanes  []*swimlane
	byProc map[*procs.Process]*swimlane
	byPid  map[int]*swimlane // adopted orphans
	// threadsOf are the sub-lanes of a process's threads, while the tree
	// shows them (timelinethreads.go).
	threadsOf map[*procs.Process]*threadLanes
	main      *swimlane
	now       time.Duration
	// The visible window: from start, width seconds; follow keeps the
	// newest moment in view.
	start  time.Duration
	width  time.Duration
	follow bool
	raster *canvas.Raster
	// onNames redraws the names beside the lanes; namesFor is the lane
	// count and height they were drawn for.
	onNames  func()
	namesFor [3]float32 // lanes, height and text size the names were laid out for
	axisFor  [3]float64 // start, width and text size the axis was drawn for
	// zoomed: the user zoomed or panned since the lab began, so a finished
	// run is not fitted to the view over their choice.
	zoomed bool
	// names are the swimlanes' names, axis the labels of the time axis,
	// over the raster.
	names, axis *fyne.Container
}

var (
	_ fyne.Widget       = (*timeline)(nil)
	_ fyne.Scrollable   = (*timeline)(nil)
	_ fyne.Draggable    = (*timeline)(nil)
	_ desktop.Hoverable = (*timeline)(nil)
)

func newTimeline() *timeline {
	t := &timeline{byProc: map[*procs.Process]*swimlane{}, byPid: map[int]*swimlane{}, width: 10 * time.Second, follow: true}
	t.main = &swimlane{name: "MainProcess", tint: colorRunning}
	t.main.setState(0, 'R')
	t.lanes = []*swimlane{t.main}
	t.raster = canvas.NewRaster(t.draw)
	t.ExtendBaseWidget(t)
	return t
}

func (t *timeline) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(t.raster)
}

func (t *timeline) MinSize() fyne.Size { return fyne.NewSize(200, 120) }

func (t *timeline) reset() {
	t.byProc, t.byPid, t.threadsOf = map[*procs.Process]*swimlane{}, map[int]*swimlane{}, nil
	t.now, t.start, t.follow, t.zoomed = 0, 0, true, false
	t.main = &swimlane{name: "MainProcess", tint: colorRunning}
	t.main.setState(0, 'R')
	t.lanes = []*swimlane{t.main}
	t.show()
}

func (t *timeline) lane(p *procs.Process) *swimlane {
	s := t.byProc[p]
	if s == nil {
		s = &swimlane{name: p.Name(), tint: processTint(p)}
		t.byProc[p] = s
		t.lanes = append(t.lanes, s)
	}
	return s
}

// event records a lab event.
func (t *timeline) event(e procs.Event) {
	t.now = max(t.now, e.At)
	switch e.Kind {
	case procs.EvStarted:
		s := t.lane(e.Proc)
		s.marks = append(s.marks, mark{e.At, markStart})
		s.setState(e.At, 'S')
	case procs.EvOutput:
		s := t.lane(e.Proc)
		s.ticks = appendNewest(s.ticks, e.At, max(minTicks, min(maxTicks, tickBudget/max(len(t.lanes), 1))))
	case procs.EvSignalled:
		if e.Proc == nil || e.Code == 0 {
			return
		}
		kind := markTerminate
		if e.Code == 9 {
			kind = markKill
		}
		s := t.lane(e.Proc)
		s.marks = append(s.marks, mark{e.At, kind})
	case procs.EvExited:
		s := t.lane(e.Proc)
		s.marks = append(s.marks, mark{e.At, markExit})
		s.setState(e.At, 'Z')
		s.exitAt = e.At
	case procs.EvReaped:
		if e.Proc == nil {
			return
		}
		s := t.lane(e.Proc)
		s.marks = append(s.marks, mark{e.At, markReap})
		s.end(e.At)
		s.ended = true
	case procs.EvAdopted:
		s := &swimlane{name: "adopted " + e.Text, tint: colorSleeping}
		s.marks = append(s.marks, mark{e.At, markAdopt})
		s.setState(e.At, 'S')
		t.byPid[e.Code] = s
		t.lanes = append(t.lanes, s)
	case procs.EvState:
		if e.Main.Phase == procs.MainJoining || (e.Main.Phase == procs.MainEnding && e.Main.Joining != nil) {
			t.main.setState(e.At, 'J')
		} else if e.Main.Phase == procs.MainEnded {
			t.main.end(e.At)
			t.main.ended = true
		} else {
			t.main.setState(e.At, 'R')
		}
	}
}

// poll records each running process's OS state.
func (t *timeline) poll(now time.Duration, tree *procs.Tree, lab []procs.Snapshot) {
	t.now = max(t.now, now)
	if tree == nil {
		return
	}
	for _, s := range lab {
		if s.Status != procs.Started || s.Zombie {
			continue
		}
		if info := tree.Procs[s.Pid]; info != nil {
			state := info.State
			if state == 'D' || state == 'I' {
				state = 'S'
			}
			t.lane(s.Proc).setState(now, state)
		}
	}
}

// show redraws, following the newest moment unless the user moved away.
func (t *timeline) show() {
	switch {
	case t.follow && t.main.ended && !t.zoomed:
		// The lab has ended: the whole run is the story, not its last 10 s.
		t.start, t.width = 0, max(time.Second, t.now+t.now/20)
	case t.follow:
		t.start = max(0, t.now-t.width+t.width/20)
	}
	if key := [3]float32{float32(len(t.lanes)), t.Size().Height, theme.TextSize()}; t.onNames != nil && key != t.namesFor {
		t.namesFor = key
		t.onNames()
	}
	if axis := [3]float64{float64(t.start), float64(t.width), float64(theme.TextSize())}; axis != t.axisFor {
		t.layOutAxis() // the labels move with the view
	}
	t.raster.Refresh()
}

func (t *timeline) Resize(size fyne.Size) {
	t.BaseWidget.Resize(size)
	t.show()
}

func (t *timeline) Scrolled(e *fyne.ScrollEvent) {
	factor := math.Pow(1.15, float64(-e.Scrolled.DY)/10)
	t.zoom(factor)
}

// zoom scales the visible time span, around its middle.
func (t *timeline) zoom(factor float64) {
	mid := t.start + t.width/2
	t.width = time.Duration(float64(t.width) * factor)
	t.width = max(200*time.Millisecond, min(time.Hour, t.width))
	t.start = max(0, mid-t.width/2)
	t.follow = t.start+t.width >= t.now
	t.zoomed = true
	t.show()
}

func (t *timeline) Dragged(e *fyne.DragEvent) {
	perUnit := float64(t.width) / float64(max(1, t.Size().Width-t.labelWidth()))
	t.pan(-time.Duration(float64(e.Dragged.DX) * perUnit))
}

// pan moves the visible window by d (negative: back in time).
func (t *timeline) pan(d time.Duration) {
	t.start = max(0, t.start+d)
	t.follow = t.start+t.width >= t.now
	t.zoomed = true
	t.show()
}

func (t *timeline) DragEnd()                       {}
func (t *timeline) MouseIn(*desktop.MouseEvent)    {}
func (t *timeline) MouseMoved(*desktop.MouseEvent) {}
func (t *timeline) MouseOut()                      {}

// labelWidth is the room for process names at the left, in Fyne units:
// the widest name at the current text size, at most 40 % of the width.
func (t *timeline) labelWidth() float32 {
	widest := float32(0)
	for _, s := range t.lanes {
		widest = max(widest, fyne.MeasureText(s.name, theme.TextSize(), fyne.TextStyle{}).Width)
	}
	return min(max(130, widest+20), t.Size().Width*0.4)
}

// rows are the swimlanes' geometry in Fyne units: where the first starts
// (below the axis) and each one's height, at least a line of text tall
// so a name never overlaps the next lane's bar.
func (t *timeline) rows() (top, rowH float32) {
	line := textHeight(fyne.TextStyle{})
	top = line + 4
	n := float32(max(1, len(t.lanes)))
	return top, min(max(40, line*1.5), max(8, (t.Size().Height-top-10)/n))
}

// axisStep is the time between two grid lines: a second, or a power of
// ten of it, so 4 to 40 lines show.
func (t *timeline) axisStep() time.Duration {
	step := time.Second
	for t.width/step > 40 {
		step *= 10
	}
	for t.width/step < 4 && step > 100*time.Millisecond {
		step /= 10
	}
	// Labels must not run into each other.
	label := fyne.MeasureText("000 s", theme.TextSize(), fyne.TextStyle{}).Width
	for step < time.Hour && float32(float64(step)/float64(t.width))*(t.Size().Width-t.labelWidth()) < label {
		step *= 2
	}
	return step
}

var stateColors = map[byte]color.NRGBA{
	'R': colorRunning, 'S': colorSleeping, 'T': colorStopped, 't': colorStopped,
	'Z': colorZombie, 'J': colorStopped,
}

// draw renders the visible window into an image of w×h pixels.
func (t *timeline) draw(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	bg := theme.Color(theme.ColorNameBackground)
	draw.Draw(img, img.Bounds(), &image.Uniform{bg}, image.Point{}, draw.Src)
	scale := float32(w) / max(1, t.Size().Width)
	if t.Size().Width == 0 {
		scale = 1
	}
	left := int(t.labelWidth() * scale)
	if left >= w || len(t.lanes) == 0 {
		return img
	}
	topU, rowU := t.rows()
	top, rowH := int(topU*scale), max(1, int(rowU*scale))
	x := func(at time.Duration) int {
		return left + int(float64(at-t.start)/float64(t.width)*float64(w-left))
	}
	grid := theme.Color(theme.ColorNameSeparator)
	// A grid line per step of the axis, labelled above (timelineView).
	step := t.axisStep()
	for at := (t.start / step) * step; at <= t.start+t.width; at += step {
		if gx := x(at); gx >= left && gx < w {
			fill(img, gx, top, 1, h-top, grid)
		}
	}
	for i, s := range t.lanes {
		y := top + i*rowH
		fill(img, 0, y, int(10*scale), rowH-2, s.tint) // the process's colour key
		barY, barH := y+rowH/4, rowH/2
		for _, sp := range s.spans {
			end := sp.to
			if end == 0 {
				end = t.now
			}
			x0, x1 := max(left, x(sp.from)), min(w, x(end))
			if x1 > x0 {
				fill(img, x0, barY, x1-x0, barH, stateColors[sp.state])
			}
		}
		for _, tick := range s.ticks {
			if tx := x(tick); tx >= left && tx < w {
				fill(img, tx, y, 1, rowH/4, theme.Color(theme.ColorNameForeground))
			}
		}
		for _, m := range s.marks {
			if mx := x(m.at); mx >= left-2 && mx < w {
				fill(img, mx-1, y+rowH/8, 3, rowH*3/4, markColors[m.kind])
			}
		}
	}
	return img
}

func fill(img *image.RGBA, x, y, w, h int, c color.Color) {
	draw.Draw(img, image.Rect(x, y, x+w, y+h).Intersect(img.Bounds()), &image.Uniform{c}, image.Point{}, draw.Src)
}

// timelineView is the Timeline tab: the names beside the swimlanes, zoom
// buttons, and a legend.
func newTimelineView(t *timeline, export func(), localized func(set func())) fyne.CanvasObject {
	names, axis := container.NewWithoutLayout(), container.NewWithoutLayout()
	t.names, t.axis = names, axis
	t.onNames = t.layOutNames
	legend := widget.NewLabel("")
	legend.Wrapping = fyne.TextWrapWord // all of it, on as many rows as it needs
	legend.Importance = widget.LowImportance
	// Now follows the present again (the whole run, once the lab ended).
	now := widget.NewButton("", func() { t.follow, t.zoomed = true, false; t.show() })
	localized(func() {
		legend.SetText(tr("green running · blue sleeping · amber stopped or in join() · purple zombie · ticks: output · marks: start, signal, exit, reap"))
		now.SetText(tr("Now"))
	})
	buttons := container.NewHBox(
		widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { t.zoom(0.5) }),
		widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { t.zoom(2) }),
		now,
		widget.NewButtonWithIcon("", theme.DocumentSaveIcon(), export),
	)
	return container.NewBorder(buttons, legend, nil, nil, container.NewStack(t, names, axis))
}

// layOutNames draws the swimlanes' names beside their bars, only those
// with room on screen.
func (t *timeline) layOutNames() {
	if t.names == nil {
		return
	}
	t.names.RemoveAll()
	top, rowH := t.rows()
	fg := theme.Color(theme.ColorNameForeground)
	size := min(theme.TextSize(), rowH*0.7)
	for i, s := range t.lanes {
		if top+float32(i)*rowH > t.Size().Height {
			break
		}
		l := canvas.NewText(s.name, fg)
		l.TextSize = size
		l.Move(fyne.NewPos(14, top+float32(i)*rowH+(rowH-textHeight(fyne.TextStyle{})*size/theme.TextSize())/2))
		t.names.Add(l)
	}
	t.names.Refresh()
	t.layOutAxis()
}

// layOutAxis labels the grid lines with their moment, above the lanes.
func (t *timeline) layOutAxis() {
	if t.axis == nil {
		return
	}
	t.axis.RemoveAll()
	muted := theme.Color(theme.ColorNamePlaceHolder)
	left := t.labelWidth()
	span := t.Size().Width - left
	step := t.axisStep()
	for at := (t.start/step + 1) * step; at < t.start+t.width; at += step {
		x := left + float32(float64(at-t.start)/float64(t.width))*span
		l := canvas.NewText(axisLabel(at, step), muted)
		l.TextSize = theme.TextSize()
		w := fyne.MeasureText(l.Text, l.TextSize, fyne.TextStyle{}).Width
		l.Move(fyne.NewPos(x-w/2, 0))
		t.axis.Add(l)
	}
	t.axisFor = [3]float64{float64(t.start), float64(t.width), float64(theme.TextSize())}
	t.axis.Refresh()
}

// axisLabel writes a moment of the axis: "12 s", or "1.5 s" when the step
// is below a second.
func axisLabel(at, step time.Duration) string {
	if step < time.Second {
		return fmt.Sprintf("%.1f s", at.Seconds())
	}
	return fmt.Sprintf("%.0f s", at.Seconds())
}

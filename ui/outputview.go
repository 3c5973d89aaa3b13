package ui

import (
	"fmt"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// outputView shows a lane's lines the way a terminal does: monospace, dense,
// every character of every line on screen (long lines wrap, no "…"). It
// reads the lines from the lane's buffer and keeps only where each screen
// row starts, so a new line costs its own wrapping and nothing else: no
// copy of the buffer, no text shaping for rows off screen.
//
// It follows the newest line until the user scrolls up; then it stays put,
// and a bar at the bottom says how many lines came since and returns to
// the newest when tapped. It takes no keyboard focus: the window's keys
// keep working after a click on a lane.
type outputView struct {
	widget.BaseWidget
	src *procs.LineBuffer
	// onTap is a click on the view; onLine a right click on a line.
	onTap  func()
	onLine lineMenu

	rows    []screenRow
	wrapped uint64 // the newest Seq that has rows
	cells   int    // characters per row the rows were wrapped for; 0 before the first layout
	widths  runeWidths
	scratch []procs.Line // update's copy of the new lines

	follow bool    // the newest line stays in view
	top    float64 // the first row shown, in rows (fractional while scrolling)
	newer  int     // lines that came since the user scrolled away from the newest
	shown  int     // rows fully on screen at the last layout

	drawn *outputRenderer // what is on screen, for the view report

	// tagOf, if set, names the process each line came from (the console,
	// where all processes print): a coloured column of tagCells after the
	// stamp, on a line's first row.
	tagOf    func(seq uint64) (string, color.Color)
	tagCells int
}

// screenRow is one row on screen: part of the line with Seq seq, bytes
// from to to of its text; from == 0 marks a line's first row, which
// carries the time stamp.
type screenRow struct {
	seq      uint64
	from, to int32
}

var (
	_ fyne.Widget            = (*outputView)(nil)
	_ fyne.Tappable          = (*outputView)(nil)
	_ fyne.SecondaryTappable = (*outputView)(nil)
	_ fyne.Scrollable        = (*outputView)(nil)
	_ fyne.Draggable         = (*outputView)(nil)
)

const (
	// stampCells is the width of a row's time stamp column: "%7.3f ".
	stampCells = 8
	// minTextCells is the narrowest text column; a lane narrower than it
	// and the stamps shows no stamps (zoomed in on a narrow screen).
	minTextCells = 12
	// minViewCells is the narrowest a view gets.
	minViewCells = 16
)

// lineMenu is a right click on line l of view v, at a point of the canvas.
type lineMenu func(v *outputView, l procs.Line, at fyne.Position)

func newOutputView(src *procs.LineBuffer, onTap func(), onLine lineMenu) *outputView {
	v := &outputView{src: src, onTap: onTap, onLine: onLine, follow: true}
	v.ExtendBaseWidget(v)
	return v
}

// update wraps the lines that came since the last call and forgets the
// rows of lines the buffer no longer keeps; it reports whether anything
// changed.
func (v *outputView) update() bool {
	first, last := v.src.Span()
	changed := v.drop(first)
	if v.cells == 0 || last <= v.wrapped {
		return changed
	}
	from := max(v.wrapped+1, first)
	before := len(v.rows)
	// A flood brings a whole buffer of lines at each drawing: they are
	// copied into the same scratch slice every time, and let go after.
	v.scratch = v.src.Range(from, last, v.scratch[:0])
	for _, l := range v.scratch {
		v.rows = v.widths.wrap(v.rows, l.Seq, lineBody(l), v.cells-v.leftCells())
	}
	clear(v.scratch)
	v.wrapped = last
	if !v.follow {
		v.newer += int(last - from + 1)
	}
	return changed || len(v.rows) != before
}

// drop forgets the rows of lines older than first.
func (v *outputView) drop(first uint64) bool {
	n := 0
	for n < len(v.rows) && v.rows[n].seq < first {
		n++
	}
	if n == 0 {
		return false
	}
	v.rows = v.rows[n:]
	if cap(v.rows) > 2*len(v.rows)+1024 {
		v.rows = append([]screenRow(nil), v.rows...) // give back what the dropped rows held
	}
	v.top = max(0, v.top-float64(n))
	return true
}

// stampCells is the width of the stamp column: none in a narrow view.
func (v *outputView) stampCells() int {
	if v.cells < stampCells+minTextCells {
		return 0
	}
	return stampCells
}

// leftCells is the width before a row's text: the stamp, and the tag when
// there is room for it and some text.
func (v *outputView) leftCells() int {
	left := v.stampCells()
	if v.tagOf != nil && v.cells >= left+v.tagCells+minTextCells {
		left += v.tagCells
	}
	return left
}

// setTagCells widens the tag column (a longer name came); the rows are
// wrapped again for the narrower text.
func (v *outputView) setTagCells(n int) {
	if n <= v.tagCells {
		return
	}
	v.tagCells = n
	if v.cells > 0 {
		v.rewrap(v.cells)
	}
}

// clear forgets every row (the buffer was cleared).
func (v *outputView) clear() {
	v.rows, v.top, v.newer, v.follow = nil, 0, 0, true
	_, v.wrapped = v.src.Span()
	v.Refresh()
}

// rewrap wraps every kept line again for a new width.
func (v *outputView) rewrap(cells int) {
	v.cells = cells
	v.rows = v.rows[:0]
	v.wrapped = 0
	atTop := v.top
	v.update()
	v.top = min(atTop, v.maxTop())
}

func lineBody(l procs.Line) string {
	if l.Stream == procs.Stderr {
		return "err " + l.Text
	}
	return l.Text
}

// maxTop is the first row shown when the newest row is at the bottom.
func (v *outputView) maxTop() float64 {
	return float64(max(0, len(v.rows)-max(v.shown, 1)))
}

// scrollBy moves the view by rows; reaching the newest row follows it again.
func (v *outputView) scrollBy(rows float64) {
	v.top = v.firstRow()
	v.top = math.Min(math.Max(0, v.top+rows), v.maxTop())
	v.follow = v.top >= v.maxTop()
	if v.follow {
		v.newer = 0
	}
	v.Refresh()
}

// followNewest returns to the newest line.
func (v *outputView) followNewest() {
	v.follow, v.newer = true, 0
	v.top = v.maxTop()
	v.Refresh()
}

func (v *outputView) Scrolled(e *fyne.ScrollEvent) {
	v.scrollBy(-float64(e.Scrolled.DY) / float64(rowHeight()))
}

func (v *outputView) Dragged(e *fyne.DragEvent) {
	// Dragging moves the rows with the pointer, as on a touch screen.
	v.scrollBy(-float64(e.Dragged.DY) / float64(rowHeight()))
}

func (v *outputView) DragEnd() {}

func (v *outputView) Tapped(e *fyne.PointEvent) {
	if !v.follow && e.Position.Y >= v.Size().Height-rowHeight()*1.5 {
		v.followNewest() // the "newer lines" bar
		return
	}
	if v.onTap != nil {
		v.onTap()
	}
}

func (v *outputView) TappedSecondary(e *fyne.PointEvent) {
	if v.onLine == nil {
		return
	}
	i := int(v.firstRow()) + int(e.Position.Y/rowHeight())
	if i < 0 || i >= len(v.rows) {
		return
	}
	if lines := v.src.Range(v.rows[i].seq, v.rows[i].seq, nil); len(lines) == 1 {
		v.onLine(v, lines[0], e.AbsolutePosition)
	}
}

// firstRow is the row at the top of the view.
func (v *outputView) firstRow() float64 {
	if v.follow {
		return v.maxTop()
	}
	return v.top
}

// shownLines is the text of each line with a row on screen, its rows
// joined: what a reader of the lane sees, whole.
func (v *outputView) shownLines() []string {
	first := int(v.firstRow())
	rows := v.rows[first:min(len(v.rows), first+v.shown)]
	if len(rows) == 0 {
		return nil
	}
	var out []string
	lines := v.src.Range(rows[0].seq, rows[len(rows)-1].seq, nil)
	for i, row := range rows {
		for len(lines) > 0 && lines[0].Seq < row.seq {
			lines = lines[1:]
		}
		if len(lines) == 0 || lines[0].Seq != row.seq {
			continue
		}
		part := lineBody(lines[0])[row.from:row.to]
		if i > 0 && rows[i-1].seq == row.seq {
			out[len(out)-1] += part
		} else {
			out = append(out, part)
		}
	}
	return out
}

// onScreen reports how many rows the view has room for, how many it
// shows, and how many of those are wider than the view (which wrapping
// should make none).
func (v *outputView) onScreen() (room, shown, cut int) {
	r := v.drawn
	if r == nil {
		return 0, 0, 0
	}
	room = v.shown
	for i, text := range r.texts {
		if !text.Visible() || float32(i+1)*rowHeight() > r.size.Height+0.5 {
			continue
		}
		shown++
		if text.Position().X+fyne.MeasureText(text.Text, text.TextSize, text.TextStyle).Width > r.size.Width+0.5 {
			cut++
		}
	}
	return room, shown, cut
}

func (v *outputView) CreateRenderer() fyne.WidgetRenderer {
	r := &outputRenderer{view: v}
	v.drawn = r
	r.thumb = canvas.NewRectangle(color.Transparent)
	r.thumb.CornerRadius = 2
	r.barBg = canvas.NewRectangle(color.Transparent)
	r.bar = canvas.NewText("", color.Black)
	r.bar.TextStyle.Bold = true
	return r
}

// cellSize is one character of monospace text at the theme's size: a
// row's height, a cell's width.
func cellSize() fyne.Size {
	return fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{Monospace: true})
}

func rowHeight() float32 { return cellSize().Height }

func cellWidth() float32 { return cellSize().Width }

// outputRenderer draws the rows on screen with two texts each (the stamp,
// the text), reusing them as the rows change.
type outputRenderer struct {
	view                *outputView
	stamps, texts, tags []*canvas.Text
	thumb, barBg        *canvas.Rectangle
	bar                 *canvas.Text
	objects             []fyne.CanvasObject
	size                fyne.Size
}

func (r *outputRenderer) Layout(size fyne.Size) {
	r.size = size
	r.Refresh()
}

// fit wraps the rows again when the width in characters changed (the view
// was resized, or the zoom changed the size of a character), and returns
// the size of a character.
func (r *outputRenderer) fit() fyne.Size {
	v := r.view
	c := cellSize()
	cells := int((r.size.Width - theme.Padding()) / c.Width)
	cells = max(cells, minViewCells) // below that, cut rather than wrap into nothing
	if cells != v.cells || c.Width != v.widths.cell {
		v.widths.reset(c.Width)
		v.rewrap(cells)
	}
	v.shown = int(r.size.Height / c.Height)
	return c
}

func (r *outputRenderer) MinSize() fyne.Size {
	c := cellSize()
	return fyne.NewSize(c.Width*minViewCells+theme.Padding(), c.Height*3)
}

func (r *outputRenderer) Refresh() {
	v := r.view
	if r.size.Height <= 0 {
		return
	}
	c := r.fit()
	h, cell := c.Height, c.Width
	size := theme.TextSize()
	first := int(v.firstRow())
	n := min(int(math.Ceil(float64(r.size.Height/h))), max(0, len(v.rows)-first))
	r.grow(n)
	var lines []procs.Line
	if n > 0 {
		lines = v.src.Range(v.rows[first].seq, v.rows[first+n-1].seq, make([]procs.Line, 0, n))
	}
	fg, muted, danger := theme.Color(theme.ColorNameForeground), theme.Color(theme.ColorNamePlaceHolder), theme.Color(theme.ColorNameError)
	li := 0
	for i := range r.texts {
		stamp, text := r.stamps[i], r.texts[i]
		var tag *canvas.Text
		if v.tagOf != nil {
			tag = r.tags[i]
		}
		if i >= n {
			stamp.Hide()
			text.Hide()
			if tag != nil {
				tag.Hide()
			}
			continue
		}
		row := v.rows[first+i]
		for li < len(lines) && lines[li].Seq < row.seq {
			li++
		}
		body, at, stream := "", "", procs.Stdout
		if li < len(lines) && lines[li].Seq == row.seq {
			l := lines[li]
			body = lineBody(l)[row.from:row.to]
			stream = l.Stream
			if row.from == 0 && v.stampCells() > 0 {
				at = fmt.Sprintf("%7.3f", l.At.Seconds())
			}
		}
		y := float32(i) * h
		stamp.Text, stamp.TextSize, stamp.Color = at, size, muted
		stamp.Move(fyne.NewPos(theme.Padding()/2, y))
		text.Text, text.TextSize, text.Color = body, size, fg
		if stream == procs.Stderr {
			text.Color = danger
		}
		text.Move(fyne.NewPos(theme.Padding()/2+cell*float32(v.leftCells()), y))
		if tag != nil {
			tag.Text, tag.TextSize = "", size
			if row.from == 0 && v.leftCells() > v.stampCells() {
				tag.Text, tag.Color = v.tagOf(row.seq)
			}
			tag.Move(fyne.NewPos(theme.Padding()/2+cell*float32(v.stampCells()), y))
			tag.Show()
			tag.Refresh()
		}
		stamp.Show()
		text.Show()
		stamp.Refresh()
		text.Refresh()
	}
	r.layoutScroll(first, n, h)
}

// layoutScroll draws the scroll position as a thin thumb at the right edge
// when there are more rows than fit, and the "newer lines" bar when the
// view does not follow the newest.
func (r *outputRenderer) layoutScroll(first, n int, h float32) {
	v := r.view
	total := len(v.rows)
	if total > n && n > 0 {
		height := max(r.size.Height*float32(n)/float32(total), 12)
		y := (r.size.Height - height) * float32(first) / float32(max(1, total-n))
		r.thumb.FillColor = theme.Color(theme.ColorNameScrollBar)
		r.thumb.Move(fyne.NewPos(r.size.Width-4, y))
		r.thumb.Resize(fyne.NewSize(3, height))
		r.thumb.Show()
	} else {
		r.thumb.Hide()
	}
	r.thumb.Refresh()
	if v.follow {
		r.bar.Hide()
		r.barBg.Hide()
		return
	}
	r.bar.Text = tr("↓ %d new", v.newer)
	if v.newer == 0 {
		r.bar.Text = tr("↓ newest")
	}
	r.bar.TextSize = theme.TextSize()
	r.bar.Color = theme.Color(theme.ColorNameForegroundOnPrimary)
	r.barBg.FillColor = theme.Color(theme.ColorNamePrimary)
	r.barBg.Move(fyne.NewPos(0, r.size.Height-h*1.5))
	r.barBg.Resize(fyne.NewSize(r.size.Width, h*1.5))
	r.bar.Move(fyne.NewPos(theme.Padding(), r.size.Height-h*1.25))
	r.barBg.Show()
	r.bar.Show()
	r.barBg.Refresh()
	r.bar.Refresh()
}

// grow makes sure there are texts for n rows.
func (r *outputRenderer) grow(n int) {
	if len(r.texts) >= n {
		return
	}
	mono := fyne.TextStyle{Monospace: true}
	for len(r.texts) < n {
		stamp := canvas.NewText("", color.Black)
		stamp.TextStyle = mono
		text := canvas.NewText("", color.Black)
		text.TextStyle = mono
		r.stamps = append(r.stamps, stamp)
		r.texts = append(r.texts, text)
		if r.view.tagOf != nil {
			tag := canvas.NewText("", color.Black)
			tag.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
			r.tags = append(r.tags, tag)
		}
	}
	r.objects = r.objects[:0]
	for i := range r.texts {
		r.objects = append(r.objects, r.stamps[i], r.texts[i])
		if r.view.tagOf != nil {
			r.objects = append(r.objects, r.tags[i])
		}
	}
	r.objects = append(r.objects, r.thumb, r.barBg, r.bar)
}

func (r *outputRenderer) Objects() []fyne.CanvasObject {
	if r.objects == nil {
		r.objects = []fyne.CanvasObject{r.thumb, r.barBg, r.bar}
	}
	return r.objects
}

func (r *outputRenderer) Destroy() {}

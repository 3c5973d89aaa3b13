package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// A tree row as in a task manager: the name (with the pid) takes what is
// left of the width; state, CPU % and memory are columns aligned on the
// right edge, so they line up at every depth. A row is as tall as its text
// (no label padding), so a projected tree at 200 % still shows its rows.

// treeColumn is one column of the tree, in the order of the header.
type treeColumn int

const (
	colName treeColumn = iota
	colPid
	colState
	colCPU
	colMem
	colThreads
	colCount
)

var columnTitles = [colCount]string{msg("Name"), msg("PID"), msg("State"), msg("CPU"), msg("Memory"), msg("Threads")}

// nameAndPidTitle is the name column's title when the PID column has no
// room: the name then carries the pid.
var nameAndPidTitle = msg("Name · pid")

// columnWidths are the widths of the right-hand columns (0: not shown,
// for want of room); the name column takes the rest. The tree decides them
// once for all rows from its own width (see processTree.fitColumns).
type columnWidths [colCount]float32

// fitColumns decides which columns show at width. The state always shows
// (at most 45 % of the row: a long one is cut, whole on hover); CPU, then
// memory, then the PID, then the thread count show only while the name keeps room for a child's
// name, task and pid ("Process-10 · forever · 12345") at the first level
// under main. Without the PID column the name carries the pid.
func fitColumns(width, stateWidth float32) columnWidths {
	pad := theme.Padding()
	style := fyne.TextStyle{}
	// As wide as the widest figure, or the column's title.
	widest := func(figure string, title treeColumn) float32 {
		return max(fyne.MeasureText(figure, theme.TextSize(), style).Width,
			fyne.MeasureText(tr(columnTitles[title])+" ▼", theme.TextSize(), fyne.TextStyle{Bold: true}).Width) + 2*pad
	}
	cpu, mem, pid, thr := widest("100%", colCPU), widest("999.9M", colMem), widest("4194304", colPid), widest("999", colThreads)
	state := max(stateWidth, fyne.MeasureText(tr(columnTitles[colState])+" ▼", theme.TextSize(), fyne.TextStyle{Bold: true}).Width) + 2*pad
	indent := 2 * (theme.IconInlineSize() + pad) // the expander and one level
	nameMin := indent + fyne.MeasureText("● Process-10 · forever · 12345", theme.TextSize(), style).Width
	var c columnWidths
	c[colState] = min(state, width*0.45)
	if width-c[colState]-cpu >= nameMin {
		c[colCPU] = cpu
	}
	if c[colCPU] > 0 && width-c[colState]-cpu-mem >= nameMin {
		c[colMem] = mem
	}
	if c[colMem] > 0 && width-c[colState]-cpu-mem-pid >= nameMin {
		c[colPid] = pid
	}
	if c[colPid] > 0 && width-c[colState]-cpu-mem-pid-thr >= nameMin {
		c[colThreads] = thr
	}
	c[colName] = width - c[colState] - c[colCPU] - c[colMem] - c[colPid] - c[colThreads]
	return c
}

// treeNode is the content of one row: the state dot and the cells.
type treeNode struct {
	widget.BaseWidget
	pt    *processTree
	uid   string
	dot   *canvas.Text
	cells [colCount]*fitText
	bg    *canvas.Rectangle // the flash of a new or ended process
}

var (
	_ desktop.Hoverable      = (*treeNode)(nil)
	_ fyne.SecondaryTappable = (*treeNode)(nil)
)

func newTreeNode(pt *processTree) *treeNode {
	n := &treeNode{pt: pt, dot: canvas.NewText("●", colorInitial), bg: canvas.NewRectangle(color.Transparent)}
	for i := range n.cells {
		n.cells[i] = newFitText(fyne.TextStyle{})
	}
	for _, i := range []treeColumn{colPid, colCPU, colMem, colThreads} {
		n.cells[i].align = fyne.TextAlignTrailing
	}
	n.ExtendBaseWidget(n)
	return n
}

// show draws row; only what changed is drawn again.
func (n *treeNode) show(uid string, row *treeRow) {
	n.uid = uid
	if n.dot.Text != row.look.glyph || n.dot.Color != row.look.color {
		n.dot.Text, n.dot.Color = row.look.glyph, row.look.color
		n.dot.Refresh()
	}
	name := theme.ColorNameForeground
	switch {
	case row.flash == widget.SuccessImportance:
		name = theme.ColorNameSuccess
	case row.flash == widget.DangerImportance:
		name = theme.ColorNameError
	}
	// Ended rows are muted, whoever started them: at a glance, what is
	// grey has ended and what is bright still runs (the ✕ and the state
	// say it too, in every theme).
	low := row.look.glyph == "✕" && row.flash == 0
	title, pid := row.title, ""
	if n.pt.columns[colPid] > 0 && row.shownPid > 0 {
		title, pid = row.titleWithoutPid(), fmt.Sprint(row.shownPid)
	}
	if n.pt.columns[colThreads] == 0 && row.threads > 0 && row.threadsShown {
		// No column for it: the name carries it while the threads show
		// (always, it would cut names at 100 %; hovering says it too).
		title += " · " + row.threadsWords()
	}
	n.cells[colName].setMuted(title, name, low)
	n.cells[colPid].setMuted(pid, theme.ColorNameForeground, low)
	n.cells[colState].setMuted(row.look.word, theme.ColorNameForeground, low)
	n.cells[colCPU].set(row.use.cpuText(), theme.ColorNameForeground)
	n.cells[colMem].set(row.use.memText(), theme.ColorNameForeground)
	n.cells[colThreads].set(row.threadsText(), theme.ColorNameForeground)
}

// threadsWords is a process's thread count in words: "3 threads".
func (r *treeRow) threadsWords() string {
	if r.threads == 1 {
		return tr("1 thread")
	}
	return tr("%d threads", r.threads)
}

// threadsText is a process's thread count; "" for a thread, or unknown.
func (r *treeRow) threadsText() string {
	if r.threads <= 0 {
		return ""
	}
	return fmt.Sprint(r.threads)
}

// shownCells are the cells on screen.
func (n *treeNode) shownCells() []*fitText {
	var out []*fitText
	for _, c := range n.cells {
		if c.Visible() && c.full != "" {
			out = append(out, c)
		}
	}
	return out
}

func (n *treeNode) MouseIn(*desktop.MouseEvent)    { n.pt.hover(n.uid) }
func (n *treeNode) MouseMoved(*desktop.MouseEvent) {}
func (n *treeNode) MouseOut()                      { n.pt.hover("") }

// Tapped selects the row, as a click on a tree row does: the driver gives
// a click to the row's content once it takes right clicks.
func (n *treeNode) Tapped(*fyne.PointEvent) {
	if n.uid != "" {
		n.pt.widget.Select(n.uid)
	}
}

// TappedSecondary is a right click: the row's menu.
func (n *treeNode) TappedSecondary(e *fyne.PointEvent) {
	if n.pt.onMenu != nil {
		n.pt.onMenu(n.uid, e.AbsolutePosition)
	}
}

func (n *treeNode) CreateRenderer() fyne.WidgetRenderer {
	objs := []fyne.CanvasObject{n.bg, n.dot}
	for _, c := range n.cells {
		objs = append(objs, c)
	}
	return &treeNodeRenderer{n: n, objects: objs}
}

type treeNodeRenderer struct {
	n       *treeNode
	objects []fyne.CanvasObject
}

func (r *treeNodeRenderer) Layout(size fyne.Size) {
	n := r.n
	pad := theme.Padding()
	n.bg.Resize(size)
	n.dot.TextSize = theme.TextSize()
	dotW := dotWidth()
	y := (size.Height - textHeight(fyne.TextStyle{})) / 2
	n.dot.Move(fyne.NewPos(0, y))
	cols := n.pt.columns
	// The right-hand columns are fixed; the name gets what is left of this
	// row (a deeper row has less, its indent being taken).
	right := size.Width
	for i := colCount - 1; i > colName; i-- {
		c := n.cells[i]
		if cols[i] <= 0 {
			c.Hide()
			continue
		}
		right -= cols[i]
		c.Move(fyne.NewPos(right+pad, y))
		c.Resize(fyne.NewSize(cols[i]-2*pad, textHeight(fyne.TextStyle{})))
		c.Show()
	}
	name := n.cells[colName]
	name.Move(fyne.NewPos(dotW, y))
	name.Resize(fyne.NewSize(max(0, right-dotW), textHeight(fyne.TextStyle{})))
}

func (r *treeNodeRenderer) MinSize() fyne.Size {
	// A little air above and below the text, no more.
	return fyne.NewSize(theme.IconInlineSize()*2, textHeight(fyne.TextStyle{})+theme.Padding()/2)
}

func (r *treeNodeRenderer) Refresh() {
	r.Layout(r.n.Size())
	for _, c := range r.n.cells {
		c.Refresh()
	}
}

func (r *treeNodeRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *treeNodeRenderer) Destroy()                     {}

// titleWithoutPid is the row's title without its " · pid" part, for when
// the PID column shows it.
func (r *treeRow) titleWithoutPid() string {
	return strings.Replace(r.title, fmt.Sprintf(" · %d", r.shownPid), "", 1)
}

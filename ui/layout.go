package ui

import (
	"github.com/go-gl/glfw/v3.3/glfw"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The window's layout: what goes where, and how it gives way on a small
// screen or at a large zoom. Nothing ordinary may make the window ask for
// more than the screen: every pane gives way (the toolbar to icons, names
// to "…" with the whole text on hover, the panes to a scroll as a last
// resort), and the projector layout gives the tree and the output the
// room the inspector and the cores strip took.

// Layout preferences: "" follows the zoom (the projector layout from
// projectorZoom on), "standard" and "projector" are the user's choice.
const (
	prefLayout      = "layout"
	layoutAuto      = ""
	layoutStandard  = "standard"
	layoutProjector = "projector"
	projectorZoom   = 1.75
)

// panes are the parts of the window the layout moves.
type panes struct {
	tree        *fyne.Container // the tree with its heading and column titles
	treeHeading *fyne.Container
	statusTools *fyne.Container // the poll rate and Pause
	side        *fyne.Container // the left column: the tree, or the tree and the inspector
	sideSplit   *container.Split
	split       *container.Split
}

// projector reports whether the projector layout is on.
func (w *labWindow) projector() bool {
	switch w.app.Preferences().String(prefLayout) {
	case layoutStandard:
		return false
	case layoutProjector:
		return true
	}
	return w.zoom() >= projectorZoom
}

// setLayout chooses the layout ("" for automatic) and applies it.
func (w *labWindow) setLayout(choice string) {
	w.app.Preferences().SetString(prefLayout, choice)
	w.applyLayout()
	w.buildMenu()
}

// toggleProjector is F9: the other layout than the one on screen.
func (w *labWindow) toggleProjector() {
	if w.projector() {
		w.setLayout(layoutStandard)
		w.sayTr(false, msg("standard layout: the inspector and the CPU cores are back (F9 for the projector layout)"))
	} else {
		w.setLayout(layoutProjector)
		w.sayTr(false, msg("projector layout: the tree and the output take the window (F9 for the standard layout)"))
	}
}

// applyLayout puts the panes where the layout wants them.
func (w *labWindow) applyLayout() {
	// Projected, every row counts: the tree's heading goes (its column
	// titles stay), and so do the poll rate and Pause (both in the View
	// menu, Pause on Space), which made the status bar as tall as a button.
	if w.projector() {
		w.panes.side.Objects = []fyne.CanvasObject{w.panes.tree}
		w.panes.split.Offset = 0.42
		w.panes.treeHeading.Hidden = !w.filter.box.Visible() // the filter still shows when open
		w.panes.statusTools.Hide()
	} else {
		w.panes.side.Objects = []fyne.CanvasObject{w.panes.sideSplit}
		w.panes.sideSplit.Leading = w.panes.tree
		w.panes.split.Offset = 0.36
		w.panes.treeHeading.Show()
		w.panes.statusTools.Show()
	}
	w.panes.side.Refresh()
	w.panes.split.Refresh()
	w.win.Content().Refresh()
}

// buildLayout makes the window's content from its parts; tools are the
// toolbar's buttons.
func (w *labWindow) buildLayout(tools []*actionButton) {
	w.toolbar = newToolRow(tools)
	top := container.NewBorder(nil, widget.NewSeparator(), nil, nil, container.NewHScroll(w.toolbar))

	// The filter shares the heading's row, so opening it moves no row.
	w.panes.treeHeading = container.NewBorder(nil, nil, w.heading(msg("Process tree")), nil, w.filter.box)
	w.panes.tree = container.NewBorder(container.NewVBox(w.panes.treeHeading, w.tree.header), nil, nil, nil, w.tree.widget)
	w.filter.row, w.filter.hideRow = w.panes.treeHeading, w.projector
	inspectorPane := container.NewBorder(w.heading(msg("Inspector")), w.cores.content, nil, nil, w.inspector.content)
	// The tree and the inspector share the left column, so the lanes keep
	// the whole right side: at 1280 pixels three columns would leave each
	// too narrow to read.
	w.panes.sideSplit = container.NewVSplit(w.panes.tree, inspectorPane)
	w.panes.sideSplit.Offset = 0.66
	w.panes.side = container.NewStack(w.panes.sideSplit)
	w.panes.split = container.NewHSplit(w.panes.side, w.tabs)

	w.statusBar.status.Truncation = fyne.TextTruncateEllipsis
	w.statusBar.info.Truncation = fyne.TextTruncateEllipsis
	// The status line and the counts share the width and truncate (the
	// whole status line is in main's lane when it matters).
	w.panes.statusTools = container.NewHBox(w.rate, w.pauseBtn)
	bottom := container.NewBorder(widget.NewSeparator(), nil, nil, w.panes.statusTools,
		container.NewGridWithColumns(2, w.statusBar.status, w.statusBar.info))
	// The last resort: if the panes cannot give way any more (250 % on a
	// small screen), they scroll, and the window still fits.
	w.win.SetContent(container.NewBorder(top, bottom, nil, nil, container.NewScroll(w.panes.split)))
	w.applyLayout()
}

// toolRow is the toolbar: buttons with their labels when the width allows,
// icons only when it does not (at 200 % on a 1280-pixel screen), so every
// button stays in reach; hovering a button says what it is and does.
type toolRow struct {
	widget.BaseWidget
	buttons []*actionButton
	labels  []string
	compact bool
	// fullWidth and iconWidth are each button's width with and without its
	// label, measured at textSize.
	fullWidth, iconWidth []float32
	textSize             float32
}

func newToolRow(buttons []*actionButton) *toolRow {
	t := &toolRow{buttons: buttons, labels: make([]string, len(buttons))}
	for i, b := range buttons {
		t.labels[i] = b.Text
	}
	t.ExtendBaseWidget(t)
	return t
}

// relabel takes each button's label in the current language.
func (t *toolRow) relabel(label func(*actionButton) string) {
	for i, b := range t.buttons {
		t.labels[i] = label(b)
	}
	t.textSize = 0 // measure again
	t.Refresh()
}

// measure finds each button's width with and without its label.
func (t *toolRow) measure() {
	if t.textSize == theme.TextSize() {
		return
	}
	t.textSize = theme.TextSize()
	t.fullWidth = make([]float32, len(t.buttons))
	t.iconWidth = make([]float32, len(t.buttons))
	for i, b := range t.buttons {
		// A button measures the text it last drew: set, then measure.
		b.SetText("")
		t.iconWidth[i] = b.MinSize().Width
		b.SetText(t.labels[i])
		t.fullWidth[i] = b.MinSize().Width
	}
	t.compact = false
}

func (t *toolRow) setCompact(compact bool) {
	t.compact = compact
	for i, b := range t.buttons {
		text := t.labels[i]
		if compact {
			text = ""
		}
		if b.Text != text {
			b.SetText(text)
		}
		b.label = t.labels[i]
	}
}

func (t *toolRow) CreateRenderer() fyne.WidgetRenderer {
	objs := make([]fyne.CanvasObject, len(t.buttons))
	for i, b := range t.buttons {
		objs[i] = b
	}
	return &toolRowRenderer{t: t, objects: objs}
}

type toolRowRenderer struct {
	t       *toolRow
	objects []fyne.CanvasObject
}

func (r *toolRowRenderer) Layout(size fyne.Size) {
	t := r.t
	t.measure()
	pad := theme.Padding()
	full := float32(0)
	for _, w := range t.fullWidth {
		full += w + pad
	}
	t.setCompact(full-pad > size.Width)
	x := float32(0)
	for i, b := range t.buttons {
		w := t.fullWidth[i]
		if t.compact {
			w = t.iconWidth[i]
		}
		b.Move(fyne.NewPos(x, 0))
		b.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
}

// MinSize is the row of icons: the labels come when there is room.
func (r *toolRowRenderer) MinSize() fyne.Size {
	t := r.t
	t.measure()
	w, h := float32(0), float32(0)
	for i, b := range t.buttons {
		w += t.iconWidth[i] + theme.Padding()
		h = max(h, b.MinSize().Height)
	}
	return fyne.NewSize(max(0, w-theme.Padding()), h)
}

func (r *toolRowRenderer) Refresh() {
	r.Layout(r.t.Size())
	for _, b := range r.t.buttons {
		b.Refresh()
	}
}

func (r *toolRowRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *toolRowRenderer) Destroy()                     {}

// screenSize is the primary screen's size in pixels; 0, 0 when unknown.
// It runs on the UI goroutine, which owns the display.
func screenSize() (width, height int) {
	if m := glfw.GetPrimaryMonitor(); m != nil {
		if mode := m.GetVideoMode(); mode != nil {
			return mode.Width, mode.Height
		}
	}
	return 0, 0
}

// fitToScreen sizes the window for the screen it opens on: 1280×800 on a
// screen of that size or larger, most of a larger screen (a projector at
// 1920×1080 gets the room it has), and never more than a smaller one.
func (w *labWindow) fitToScreen() {
	sw, sh := screenSize()
	scale := w.win.Canvas().Scale()
	if sw == 0 || sh == 0 || scale <= 0 {
		return
	}
	width := min(float32(sw), max(1280, float32(sw)*0.9)) / scale
	height := min(float32(sh), max(800, float32(sh)*0.9)) / scale
	if sw <= 1280 || sh <= 800 {
		width, height = min(width, float32(sw)/scale), min(height, float32(sh)/scale)
	}
	w.win.Resize(fyne.NewSize(width, height))
}

// refit lays the content out again under the menu bar once a new theme
// (zoom) has been applied: Fyne keeps the content's old size when the menu
// bar grows, and at 200 % the status line went below the bottom of the
// screen.
func (w *labWindow) refit() {
	fyne.Do(func() { w.win.SetContent(w.win.Content()) })
}

package ui

import (
	"cmp"
	"encoding/json"
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// viewReport is what a viewer of the window sees at one moment, measured
// from the live widgets where they are on screen: whether the window fits
// the screen, how many tree rows and lane lines can be read, which texts
// are cut. With --stats it is written as a JSON line when the window
// closes (DEVELOPERS.md says what each field means); the end-to-end tests
// check the lecture hall's targets against it.
type viewReport struct {
	Report     string  `json:"report"` // always "view"
	Zoom       float32 `json:"zoom"`
	FullScreen bool    `json:"full_screen"`
	Projector  bool    `json:"projector_layout"`
	Language   string  `json:"language"`
	Window     [2]int  `json:"window_px"`
	Screen     [2]int  `json:"screen_px"`
	ContentMin [2]int  `json:"content_min_px"`
	// Content is where the content lies on the canvas (x0, y0, x1, y1).
	Content [4]int `json:"content_px"`
	// Fits: neither the window nor what it asks for is larger than the
	// screen, and the content lies wholly inside the window.
	Fits bool `json:"fits"`
	// ToolbarButtons and ToolbarButtonsVisible: the toolbar's buttons, and
	// those wholly on screen without scrolling.
	ToolbarButtons        int `json:"toolbar_buttons"`
	ToolbarButtonsVisible int `json:"toolbar_buttons_visible"`
	// TreeRows are the rows the tree shows (open branches); TreeRowsVisible
	// those wholly on screen; TreeRowsRoom how many rows the tree's pane
	// has room for.
	TreeRows        int `json:"tree_rows"`
	TreeRowsVisible int `json:"tree_rows_visible"`
	TreeRowsRoom    int `json:"tree_rows_room"`
	// TreeNames are the name cells of the rows on screen, top to bottom,
	// as they read whole (a cut one whole, the pid column's pid after it).
	TreeNames []string     `json:"tree_names,omitempty"`
	Tab       string       `json:"tab"`
	Lanes     []laneReport `json:"lanes"` // the lanes wholly on screen
	// CutTexts counts the texts on screen that do not show whole (an
	// ellipsis, or wider than their place); Cut lists the first of them.
	CutTexts int      `json:"cut_texts"`
	Cut      []string `json:"cut,omitempty"`
}

// laneReport is one lane on screen.
type laneReport struct {
	Name string `json:"name"`
	// RowsRoom is how many rows of text the lane has room for;
	// RowsShown how many it shows now; CutRows those wider than the lane.
	RowsRoom  int `json:"rows_room"`
	RowsShown int `json:"rows_shown"`
	CutRows   int `json:"cut_rows"`
}

const maxCutListed = 20

// maxTreeNames bounds the tree rows a report names.
const maxTreeNames = 40

// rect is a rectangle on the canvas.
type rect struct{ x0, y0, x1, y1 float32 }

func rectOf(o fyne.CanvasObject) rect {
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	s := o.Size()
	return rect{p.X, p.Y, p.X + s.Width, p.Y + s.Height}
}

func (r rect) intersect(o rect) rect {
	return rect{max(r.x0, o.x0), max(r.y0, o.y0), min(r.x1, o.x1), min(r.y1, o.y1)}
}

// holds reports whether o lies wholly inside r (half a unit of slack for
// rounding).
func (r rect) holds(o rect) bool {
	const e = 0.5
	return o.x0 >= r.x0-e && o.y0 >= r.y0-e && o.x1 <= r.x1+e && o.y1 <= r.y1+e && o.x1 > o.x0 && o.y1 > o.y0
}

// viewReport measures the window as it is now; it runs on the UI goroutine.
func (w *labWindow) viewReport() viewReport {
	c := w.win.Canvas()
	scale := c.Scale()
	px := func(s fyne.Size) [2]int { return [2]int{int(s.Width*scale + 0.5), int(s.Height*scale + 0.5)} }
	r := viewReport{Report: "view", Zoom: w.zoom(), FullScreen: w.win.FullScreen(), Projector: w.projector(),
		Language: uiLanguage(), Window: px(c.Size()), ContentMin: px(w.win.Content().MinSize())}
	r.Screen[0], r.Screen[1] = screenSize()

	r.Fits = r.Screen[0] > 0 && r.Window[0] <= r.Screen[0] && r.Window[1] <= r.Screen[1] &&
		r.ContentMin[0] <= r.Screen[0] && r.ContentMin[1] <= r.Screen[1]
	screen := rect{0, 0, c.Size().Width, c.Size().Height}
	content := rectOf(w.win.Content())
	r.Content = [4]int{int(content.x0 * scale), int(content.y0 * scale), int(content.x1*scale + 0.5), int(content.y1*scale + 0.5)}
	r.Fits = r.Fits && screen.holds(content)

	for _, b := range w.toolbar.buttons {
		r.ToolbarButtons++
		if b.Visible() && screen.intersect(rectOf(w.toolbar)).holds(rectOf(b)) {
			r.ToolbarButtonsVisible++
		}
	}

	cut := func(text string) {
		r.CutTexts++
		if len(r.Cut) < maxCutListed {
			r.Cut = append(r.Cut, text)
		}
	}
	// The tree: rows wholly inside the tree's viewport.
	treeArea := screen.intersect(rectOf(w.tree.widget))
	type shownName struct {
		y    float32
		name string
	}
	var names []shownName
	r.TreeRows = w.tree.openRows()
	r.TreeRowsRoom = int((treeArea.y1 - treeArea.y0) / w.tree.rowHeight())
	for _, n := range w.tree.nodes {
		if !n.Visible() || !treeArea.holds(rectOf(n)) {
			continue
		}
		r.TreeRowsVisible++
		name := n.cells[colName].full
		if pid := n.cells[colPid]; pid.Visible() && pid.full != "" {
			name += " · " + pid.full
		}
		names = append(names, shownName{rectOf(n).y0, name})
		for _, t := range n.shownCells() {
			if t.cut() {
				cut(t.full)
			}
		}
	}
	slices.SortFunc(names, func(a, b shownName) int { return cmp.Compare(a.y, b.y) })
	for _, n := range names[:min(len(names), maxTreeNames)] {
		r.TreeNames = append(r.TreeNames, n.name)
	}

	r.Tab = w.tabs.Selected().Text
	if w.tabs.SelectedIndex() == 0 {
		lanesArea := screen.intersect(rectOf(w.lanePane.scroll))
		for _, o := range w.lanePane.strip.lanes {
			l := o.(*lane)
			if !l.Visible() || !lanesArea.holds(rectOf(l)) {
				continue
			}
			lr := laneReport{Name: l.header.full}
			if l.header.cut() {
				cut(l.header.full)
			}
			lr.RowsRoom, lr.RowsShown, lr.CutRows = l.view.onScreen()
			r.Lanes = append(r.Lanes, lr)
		}
	}
	// Every label on screen elsewhere (inspector, status bar, headings, a
	// verdict): one that truncates and does not fit is cut.
	if s := w.statusBar.status; s.Text != "" && s.cut() {
		cut(s.Text) // a click shows it whole, but on screen it is cut
	}
	walkShown(w.win.Content(), func(o fyne.CanvasObject) {
		l, ok := o.(*widget.Label)
		if !ok || l.Text == "" || l.Truncation == fyne.TextTruncateOff || l.Wrapping != fyne.TextWrapOff {
			return
		}
		need := fyne.MeasureText(firstLine(l.Text), theme.TextSize(), l.TextStyle).Width + 2*theme.InnerPadding()
		if need > l.Size().Width+0.5 && screen.intersect(rectOf(l)).x1 > 0 {
			cut(l.Text)
		}
	})
	return r
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// walkShown calls fn for every visible object below o that Fyne's own
// containers hold (containers, scrolls, splits, the selected tab); the
// insides of other widgets are theirs.
func walkShown(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	fn(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			walkShown(child, fn)
		}
	case *container.Scroll:
		walkShown(c.Content, fn)
	case *container.Split:
		walkShown(c.Leading, fn)
		walkShown(c.Trailing, fn)
	case *container.AppTabs:
		if t := c.Selected(); t != nil {
			walkShown(t.Content, fn)
		}
	}
}

// writeViewReport adds the view report to the stats.
func writeViewReport(out io.Writer, r viewReport) {
	_ = json.NewEncoder(out).Encode(r)
}

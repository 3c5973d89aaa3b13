package ui

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The tree's header, its sorting and its filter. A click on a column's
// title sorts the rows under each parent by it (CPU and memory biggest
// first); a second click reverses; a third goes back to the order the
// processes came in. Ctrl+F filters: a row shows when its name or state
// holds the text, with the rows above it, so it keeps its place.

// treeOrder is how the rows under each parent are sorted.
type treeOrder struct {
	on   bool
	col  treeColumn
	desc bool
}

// next is the order after a click on col's title.
func (o treeOrder) next(col treeColumn) treeOrder {
	firstDesc := col == colCPU || col == colMem || col == colThreads
	switch {
	case !o.on || o.col != col:
		return treeOrder{on: true, col: col, desc: firstDesc}
	case o.desc == firstDesc:
		return treeOrder{on: true, col: col, desc: !firstDesc}
	}
	return treeOrder{}
}

// sortKids sorts every parent's rows of m in order o (stable: equal rows
// keep the order they came in); main stays first.
func sortKids(m *treeModel, o treeOrder) {
	if !o.on {
		return
	}
	compare := func(a, b string) int {
		ra, rb := m.rows[a], m.rows[b]
		switch { // a process's threads stay above its children
		case ra.tid != 0 && rb.tid == 0:
			return -1
		case ra.tid == 0 && rb.tid != 0:
			return 1
		}
		var c int
		switch o.col {
		case colName:
			c = naturalCompare(ra.title, rb.title)
		case colPid:
			c = cmp.Compare(ra.shownPid, rb.shownPid)
		case colState:
			c = strings.Compare(ra.look.word, rb.look.word)
		case colCPU:
			c = cmp.Compare(ra.use.cpu, rb.use.cpu)
		case colMem:
			c = cmp.Compare(ra.use.rss, rb.use.rss)
		case colThreads:
			c = cmp.Compare(ra.threads, rb.threads)
		}
		if o.desc {
			c = -c
		}
		return c
	}
	for uid, kids := range m.kids {
		if uid == "" {
			continue // main, then a watched subtree
		}
		kids = slices.Clone(kids)
		slices.SortStableFunc(kids, compare)
		m.kids[uid] = kids
	}
}

// naturalCompare orders "Process-2" before "Process-10".
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		if isDigit(a[0]) && isDigit(b[0]) {
			na, nb := leadingDigits(a), leadingDigits(b)
			ta, tb := strings.TrimLeft(na, "0"), strings.TrimLeft(nb, "0")
			if c := cmp.Compare(len(ta), len(tb)); c != 0 {
				return c
			}
			if c := strings.Compare(ta, tb); c != 0 {
				return c
			}
			a, b = a[len(na):], b[len(nb):]
			continue
		}
		if c := cmp.Compare(unicode.ToLower(rune(a[0])), unicode.ToLower(rune(b[0]))); c != 0 {
			return c
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i]
}

// filterKids keeps the rows of m whose name or state holds text (any
// case), with their ancestors; "" keeps every row.
func filterKids(m *treeModel, text string) {
	text = strings.ToLower(strings.TrimSpace(text))
	if text == "" {
		return
	}
	var keep func(uid string) bool
	keep = func(uid string) bool {
		row := m.rows[uid]
		match := row != nil && (strings.Contains(strings.ToLower(row.title), text) || strings.Contains(strings.ToLower(row.look.word), text))
		var kept []string
		for _, kid := range m.kids[uid] {
			if keep(kid) {
				kept = append(kept, kid)
			}
		}
		if len(kept) > 0 || len(m.kids[uid]) > 0 {
			m.kids[uid] = kept
		}
		if len(kept) == 0 {
			delete(m.kids, uid)
		}
		return match || len(kept) > 0
	}
	var roots []string
	for _, uid := range m.kids[""] {
		if keep(uid) {
			roots = append(roots, uid)
		}
	}
	m.kids[""] = roots
}

// treeHeader shows the column titles over the tree; a click sorts.
type treeHeader struct {
	widget.BaseWidget
	pt     *processTree
	titles [colCount]*fitText
	line   *canvas.Rectangle
}

func newTreeHeader(pt *processTree) *treeHeader {
	h := &treeHeader{pt: pt, line: canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))}
	for i := range h.titles {
		h.titles[i] = newFitText(fyne.TextStyle{Bold: true})
		h.titles[i].color = theme.ColorNamePlaceHolder
	}
	h.titles[colPid].align = fyne.TextAlignTrailing
	h.titles[colCPU].align = fyne.TextAlignTrailing
	h.titles[colMem].align = fyne.TextAlignTrailing
	h.titles[colThreads].align = fyne.TextAlignTrailing
	h.relabel()
	h.ExtendBaseWidget(h)
	return h
}

// relabel writes the titles in the current language, with the sort mark.
func (h *treeHeader) relabel() {
	o := h.pt.order
	for i, t := range h.titles {
		text := tr(columnTitles[i])
		if treeColumn(i) == colName && h.pt.columns[colPid] == 0 {
			text = tr(nameAndPidTitle)
		}
		if o.on && o.col == treeColumn(i) {
			if o.desc {
				text += " ▼"
			} else {
				text += " ▲"
			}
		}
		t.set(text, theme.ColorNamePlaceHolder)
	}
}

// Tapped sorts by the column under the click.
func (h *treeHeader) Tapped(e *fyne.PointEvent) {
	for i := colCount - 1; i >= colName; i-- {
		t := h.titles[i]
		if t.Visible() && e.Position.X >= t.Position().X-theme.Padding() {
			h.pt.sortBy(i)
			return
		}
	}
}

func (h *treeHeader) CreateRenderer() fyne.WidgetRenderer {
	objs := []fyne.CanvasObject{h.line}
	for _, t := range h.titles {
		objs = append(objs, t)
	}
	return &treeHeaderRenderer{h: h, objects: objs}
}

type treeHeaderRenderer struct {
	h       *treeHeader
	objects []fyne.CanvasObject
}

func (r *treeHeaderRenderer) Layout(size fyne.Size) {
	h := r.h
	pad := theme.Padding()
	th := textHeight(fyne.TextStyle{Bold: true})
	cols := h.pt.columns
	right := size.Width
	for i := colCount - 1; i > colName; i-- {
		t := h.titles[i]
		if cols[i] <= 0 {
			t.Hide()
			continue
		}
		right -= cols[i]
		t.Move(fyne.NewPos(right+pad, pad/2))
		t.Resize(fyne.NewSize(cols[i]-2*pad, th))
		t.Show()
	}
	// The name column starts where a top-level row's name does.
	left := theme.IconInlineSize() + 2*pad
	h.titles[colName].Move(fyne.NewPos(left, pad/2))
	h.titles[colName].Resize(fyne.NewSize(max(0, right-left), th))
	h.line.FillColor = theme.Color(theme.ColorNameSeparator)
	h.line.Move(fyne.NewPos(0, size.Height-1))
	h.line.Resize(fyne.NewSize(size.Width, 1))
}

func (r *treeHeaderRenderer) MinSize() fyne.Size {
	return fyne.NewSize(theme.IconInlineSize(), textHeight(fyne.TextStyle{Bold: true})+theme.Padding()+1)
}

func (r *treeHeaderRenderer) Refresh() {
	r.Layout(r.h.Size())
	for _, t := range r.h.titles {
		t.Refresh()
	}
	r.h.line.Refresh()
}

func (r *treeHeaderRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *treeHeaderRenderer) Destroy()                     {}

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// treeFilter is the tree's filter (Ctrl+F): an entry beside the tree's
// heading, hidden until asked for. Typing filters at once; Esc clears the
// filter and gives the keys back to the tree; Enter keeps the filter and
// gives the keys back.
type treeFilter struct {
	entry *filterEntry
	box   *fyne.Container
	tree  *processTree
	// row is the row the filter shows in; it is hidden in the projector
	// layout while the filter is closed.
	row     fyne.CanvasObject
	hideRow func() bool // whether the row goes when the filter closes
	canvas  fyne.Canvas
}

type filterEntry struct {
	widget.Entry
	done func(clear bool)
}

func (e *filterEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		e.done(true)
	case fyne.KeyReturn, fyne.KeyEnter:
		e.done(false)
	default:
		e.Entry.TypedKey(k)
	}
}

func newTreeFilter(tree *processTree, canvas fyne.Canvas) *treeFilter {
	f := &treeFilter{tree: tree, entry: &filterEntry{}, canvas: canvas}
	f.entry.ExtendBaseWidget(f.entry)
	f.entry.OnChanged = tree.setFilter
	f.entry.done = f.done
	f.box = container.NewStack(f.entry)
	f.box.Hide()
	return f
}

// open shows the filter and puts the keys in it.
func (f *treeFilter) open() {
	f.entry.SetPlaceHolder(tr("filter: name, pid or state"))
	f.box.Show()
	if f.row != nil {
		f.row.Show()
	}
	f.canvas.Focus(f.entry)
}

func (f *treeFilter) done(clear bool) {
	if clear {
		f.entry.SetText("") // OnChanged shows every row again
		f.box.Hide()
		if f.hideRow != nil && f.hideRow() {
			f.row.Hide()
		}
	}
	f.tree.widget.takeFocus()
}

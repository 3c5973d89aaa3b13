package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The tree's keyboard, as in a task manager: once a click has given the
// tree the focus, ↑ and ↓ move the selection (not a separate focus cursor),
// ← closes a branch or goes to the parent, → opens one or goes to its first
// child, Delete terminates and Shift+Delete kills the selected process, and
// every other key does what it does anywhere in the window (Space, Esc,
// F1, F5, F10, F11…): a click on a row must not trap the keys.

// keyTree is a widget.Tree that hands the keys it does not own to the
// window.
type keyTree struct {
	widget.Tree
	pt *processTree
	// onKey is the window's handler of a key typed outside any entry;
	// onDelete terminates (kill: Shift held) the selected process.
	onKey    func(*fyne.KeyEvent)
	onDelete func(kill bool)
	// arrowsElsewhere reports that the arrows belong to another view now
	// (the timeline pans and zooms with them).
	arrowsElsewhere func() bool
	shift           bool
}

var (
	_ fyne.Focusable  = (*keyTree)(nil)
	_ desktop.Keyable = (*keyTree)(nil)
)

func (t *keyTree) TypedKey(e *fyne.KeyEvent) {
	arrow := e.Name == fyne.KeyUp || e.Name == fyne.KeyDown || e.Name == fyne.KeyLeft || e.Name == fyne.KeyRight
	if arrow && t.arrowsElsewhere != nil && t.arrowsElsewhere() {
		t.onKey(e)
		return
	}
	switch e.Name {
	case fyne.KeyUp:
		t.pt.moveSelection(-1)
	case fyne.KeyDown:
		t.pt.moveSelection(1)
	case fyne.KeyLeft:
		t.pt.collapseOrParent()
	case fyne.KeyRight:
		t.pt.expandOrChild()
	case fyne.KeyDelete:
		// Done in KeyDown, where Shift is known (Shift+Delete never comes
		// here: Fyne takes it for Cut).
	default:
		if t.onKey != nil {
			t.onKey(e)
		}
	}
}

func (t *keyTree) TypedRune(rune) {}

// takeFocus gives the tree the keyboard when the user selects a row. A
// tree node asks for the focus itself, but for the *widget.Tree inside,
// which no canvas knows once the tree is extended: it never got it.
func (t *keyTree) takeFocus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil && c.Focused() != t {
		c.Focus(t)
	}
}

// KeyDown follows Shift, which TypedKey is not told, and acts on Delete.
func (t *keyTree) KeyDown(e *fyne.KeyEvent) {
	switch e.Name {
	case desktop.KeyShiftLeft, desktop.KeyShiftRight:
		t.shift = true
	case fyne.KeyDelete:
		if t.onDelete != nil {
			t.onDelete(t.shift)
		}
	}
}

func (t *keyTree) KeyUp(e *fyne.KeyEvent) {
	if e.Name == desktop.KeyShiftLeft || e.Name == desktop.KeyShiftRight {
		t.shift = false
	}
}

func (t *keyTree) FocusLost() {
	t.shift = false
	t.Tree.FocusLost()
}

// shownRows lists the rows a user sees, top to bottom: the children of
// open branches only.
func (pt *processTree) shownRows() []string {
	var out []string
	var walk func(uid string)
	walk = func(uid string) {
		for _, kid := range pt.model.kids[uid] {
			out = append(out, kid)
			if pt.widget.IsBranchOpen(kid) {
				walk(kid)
			}
		}
	}
	walk("")
	return out
}

// moveSelection selects the row by rows below the selected one (above when
// negative), or the first row when none is selected.
func (pt *processTree) moveSelection(by int) {
	rows := pt.shownRows()
	if len(rows) == 0 {
		return
	}
	at := -1
	for i, uid := range rows {
		if uid == pt.current {
			at = i
		}
	}
	next := 0
	if at >= 0 {
		next = min(max(at+by, 0), len(rows)-1)
	}
	pt.choose(rows[next])
}

func (pt *processTree) collapseOrParent() {
	uid := pt.current
	if uid == "" {
		return
	}
	if len(pt.model.kids[uid]) > 0 && pt.widget.IsBranchOpen(uid) {
		pt.widget.CloseBranch(uid)
		return
	}
	for parent, kids := range pt.model.kids {
		for _, kid := range kids {
			if kid == uid && parent != "" {
				pt.choose(parent)
				return
			}
		}
	}
}

func (pt *processTree) expandOrChild() {
	uid := pt.current
	kids := pt.model.kids[uid]
	if uid == "" || len(kids) == 0 {
		return
	}
	if !pt.widget.IsBranchOpen(uid) {
		pt.widget.OpenBranch(uid)
		return
	}
	pt.choose(kids[0])
}

// choose selects uid as a click would, and keeps it in view.
func (pt *processTree) choose(uid string) {
	pt.widget.Select(uid) // calls OnSelected: the window follows
	pt.scrollTo(uid)
}

// Resize fits the columns to the tree's new width before the rows are laid
// out.
func (t *keyTree) Resize(s fyne.Size) {
	t.pt.fitColumns(s.Width)
	t.Tree.Resize(s)
}

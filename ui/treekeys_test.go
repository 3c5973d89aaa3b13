package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// After a click on a tree row the keys still do what they do everywhere,
// and the arrows move the selection, as in a task manager.
func TestTreeKeysMoveTheSelectionAndLeaveTheRestToTheWindow(t *testing.T) {
	h := newHarness(t)
	p1 := h.create("forever")
	h.w.doStart()
	p2 := h.create("forever")
	h.w.doStart()
	h.sync()
	tree := h.w.tree.widget
	h.w.selectRow(h.w.tree.model.rows[labUID(p1)])
	h.w.tree.current = labUID(p1)
	h.w.win.Canvas().Focus(tree)
	tree.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if h.w.selected != p2 {
		t.Fatalf("↓ from p1 selected %v, want p2", h.w.selected)
	}
	tree.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	tree.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if h.w.selected != nil {
		t.Fatalf("↑↑ from p2 selected %v, want MainProcess", h.w.selected)
	}
	// Space goes to the window: the view pauses.
	test.Type(tree, " ")
	tree.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if !h.w.paused.Load() {
		t.Error("Space on the focused tree did not pause the view")
	}
	// Delete terminates the selected process, as the button does.
	tree.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	tree.KeyDown(&fyne.KeyEvent{Name: fyne.KeyDelete})
	select {
	case <-p1.Exited():
	case <-time.After(5 * time.Second):
		t.Fatalf("Delete on p1's row did not terminate it (selected %v)", h.w.selected)
	}
}

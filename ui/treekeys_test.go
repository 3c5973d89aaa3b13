package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// After a click on a tree row the keys still do what they do everywhere,
// and the arrows move the selection, as in a task manager.
func TestTreeKeysMoveTheSelectionAndLeaveTheRestToTheWindow(t *testing.T) {
	h := newHarness(t)
	ps := h.startN(2, "forever")
	p1, p2 := ps[0], ps[1]
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

// One table of keys: every key a menu item, a tooltip or the F1 screen
// names is bound to a shortcut or typed to the window, and each does what
// its text says.
func TestEveryKeyATextNamesIsBound(t *testing.T) {
	h := newHarness(t)
	var named []string
	for _, m := range h.w.win.MainMenu().Items {
		for _, item := range m.Items {
			if k := keyInLabel(item.Label); k != "" {
				named = append(named, k)
			}
		}
	}
	for _, row := range keyRows() {
		named = append(named, strings.Split(row[0], " · ")...)
	}
	for _, key := range named {
		if _, ok := shortcutFor(key); ok && !h.w.bound[key] {
			t.Errorf("%q is named on screen but bound to nothing", key)
		}
	}
	want := &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift}
	if s, ok := shortcutFor("Ctrl+Shift+Z"); !ok || s.ShortcutName() != want.ShortcutName() {
		t.Errorf("Ctrl+Shift+Z is %v", s)
	}
	if s, _ := shortcutFor("Ctrl+Z"); s.ShortcutName() != (&fyne.ShortcutUndo{}).ShortcutName() {
		t.Errorf("Ctrl+Z is %v, want Fyne's Undo (what the driver sends)", s)
	}
	if _, ok := shortcutFor("F9"); ok {
		t.Error("F9 is a typed key, not a shortcut")
	}
	// F9, typed to the window, switches the layout, as F1 says.
	before := h.w.projector()
	h.w.typedKey(&fyne.KeyEvent{Name: fyne.KeyF9})
	if h.w.projector() == before {
		t.Error("F9 did not switch the layout")
	}
}

// F8 shows the selected process's lane alone, across the whole tab, and
// every lane again the second time.
func TestF8ShowsTheSelectedLaneAlone(t *testing.T) {
	h := newHarness(t)
	ps := h.startN(2, "forever")
	p1, p2 := ps[0], ps[1]
	h.w.win.Resize(fyne.NewSize(1280, 800))
	h.w.typedKey(&fyne.KeyEvent{Name: fyne.KeyF8})
	l2 := h.w.lanePane.byProc[p2]
	if h.w.lanePane.strip.solo != l2 || !l2.Visible() || h.w.lanePane.byProc[p1].Visible() || h.w.lanePane.main.Visible() {
		t.Fatalf("after F8 with Process-2 selected: solo %v, p2 shown %v, p1 shown %v", h.w.lanePane.strip.solo != nil, l2.Visible(), h.w.lanePane.byProc[p1].Visible())
	}
	if got, want := l2.Size().Width, h.w.lanePane.scroll.Size().Width; got < want-1 {
		t.Errorf("the lane alone is %v wide in a tab of %v", got, want)
	}
	h.w.typedKey(&fyne.KeyEvent{Name: fyne.KeyF8})
	if h.w.lanePane.strip.solo != nil || !h.w.lanePane.byProc[p1].Visible() || !h.w.lanePane.main.Visible() {
		t.Errorf("a second F8 did not show every lane again")
	}
}

// A status message too long for its row is cut on screen, and a click on
// it shows it whole until Esc.
func TestACutStatusMessageIsAClickAway(t *testing.T) {
	h := newHarness(t)
	long := strings.Repeat("a reason that goes on and on ", 20)
	h.w.say(long, true)
	s := h.w.statusBar.status
	s.Resize(fyne.NewSize(300, s.MinSize().Height))
	if !s.cut() {
		t.Fatal("a 600-character message fits 300 units")
	}
	test.Tap(s)
	pop := h.w.statusBar.whole
	if pop == nil || !pop.Visible() {
		t.Fatal("a click on the cut message showed nothing")
	}
	h.w.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if pop.Visible() {
		t.Error("Esc did not close the whole message")
	}
	h.w.say("short", false)
	test.Tap(s)
	if h.w.statusBar.whole != pop {
		t.Error("a click on a message that fits opened another")
	}
}

// Every dialog that only tells something closes on Esc and on Enter, and
// the keys work again afterwards.
func TestInfoDialogsCloseOnEscAndEnter(t *testing.T) {
	h := newHarness(t)
	for _, key := range []fyne.KeyName{fyne.KeyEscape, fyne.KeyReturn} {
		for name, open := range map[string]func(){"containment": h.w.doShowContainment, "log": h.w.doShowLog} { // F1's keys: the e2e test (the test theme has no bold monospace font)
			open()
			if h.w.win.Canvas().Overlays().Top() == nil || h.w.dismiss == nil {
				t.Fatalf("the %s dialog did not open with its keys", name)
			}
			h.w.typedKey(&fyne.KeyEvent{Name: key})
			if o := h.w.win.Canvas().Overlays().Top(); o != nil && o.Visible() {
				t.Errorf("%s did not close the %s dialog", key, name)
			}
			if h.w.dismiss != nil {
				t.Errorf("after %s on the %s dialog the keys still go to it", key, name)
			}
		}
	}
	paused := h.w.paused.Load()
	h.w.typedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if h.w.paused.Load() == paused {
		t.Error("Space did nothing after the dialogs closed")
	}
}

// A right click on a line offers to copy it, the lines on screen, or every
// line the lane keeps, each whole.
func TestALinesMenuCopiesOneLineOrMany(t *testing.T) {
	h := newHarness(t)
	p := h.create("forever")
	h.w.doStart()
	for deadline := time.Now().Add(10 * time.Second); p.Output().Total() < 3; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("forever printed fewer than 3 lines in 10 s")
		}
	}
	h.sync()
	l := h.w.lanePane.byProc[p]
	l.Resize(fyne.NewSize(400, 400))
	h.w.flushLanes()
	lines := p.Output().Tail(nil)
	menu := h.w.lineMenuOf(l.view, lines[1])
	if len(menu.Items) != 3 {
		t.Fatalf("the line's menu: %d items", len(menu.Items))
	}
	menu.Items[0].Action()
	if got := h.w.app.Clipboard().Content(); got != lines[1].Text {
		t.Errorf("copy this line: %q, want %q", got, lines[1].Text)
	}
	menu.Items[2].Action()
	// (forever may print another line meanwhile)
	if got := strings.Split(h.w.app.Clipboard().Content(), "\n"); len(got) < len(lines) || got[0] != lines[0].Text {
		t.Errorf("copy every line: %d lines (%q), want %d", len(got), got[0], len(lines))
	}
}

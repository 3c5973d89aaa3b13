package ui

import (
	"strings"

	"fyne.io/fyne/v2"
)

// The window's keys: typed outside an entry (on the window, or passed on
// by the tree) and the Ctrl shortcuts. F1 lists them (keyhelp.go).

// typedKey is a key typed outside any entry: on the window, or on the tree
// (which keeps only its arrows), so a click on a row never traps the keys.
func (w *labWindow) typedKey(e *fyne.KeyEvent) {
	if w.dialogKey(e) {
		return
	}
	if w.closeWhole(e) {
		return
	}
	if e.Name == fyne.KeyDelete {
		w.deleteKey(false)
	}
	// The plain keys of the table (keyhelp.go): F1, Space, Esc, F5, F9…
	name := string(e.Name)
	if e.Name == fyne.KeyEscape {
		name = "Esc"
	}
	for _, k := range otherKeys {
		if k.do == nil {
			continue
		}
		for _, key := range strings.Split(k.key, " · ") {
			if key == name {
				k.do(w, key)
			}
		}
	}
	if w.tabs.SelectedIndex() == 1 { // the timeline: arrows pan and zoom
		switch e.Name {
		case fyne.KeyLeft:
			w.timeline.pan(-w.timeline.width / 5)
		case fyne.KeyRight:
			w.timeline.pan(w.timeline.width / 5)
		case fyne.KeyUp:
			w.timeline.zoom(0.5)
		case fyne.KeyDown:
			w.timeline.zoom(2)
		}
	}
}

// deleteKey terminates the selected process (Delete) or kills it
// (Shift+Delete), with the same rules and messages as the buttons.
func (w *labWindow) deleteKey(kill bool) {
	if kill {
		w.doKill()
	} else {
		w.doTerminate()
	}
}

// addShortcuts binds the Ctrl and Alt keys the texts name (keytable.go).
// Ctrl++ is Ctrl+= on a keyboard where = needs Shift.
func (w *labWindow) addShortcuts() {
	w.bindKeys()
	w.bindKey("Ctrl++", func() { w.setZoom(w.zoom() + 0.25) })
}

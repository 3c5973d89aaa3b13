package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// The window's keys: typed outside an entry (on the window, or passed on
// by the tree) and the Ctrl shortcuts. F1 lists them (keyhelp.go).

// typedKey is a key typed outside any entry: on the window, or on the tree
// (which keeps only its arrows), so a click on a row never traps the keys.
func (w *labWindow) typedKey(e *fyne.KeyEvent) {
	if w.dismiss != nil {
		switch e.Name {
		case fyne.KeyEscape, fyne.KeyReturn, fyne.KeyEnter, fyne.KeyF1:
			w.dismiss()
		}
		return
	}
	switch e.Name {
	case fyne.KeyEscape:
		w.interruptJoin()
	case fyne.KeySpace:
		w.togglePause()
	case fyne.KeyF9:
		w.toggleProjector()
	case fyne.KeyF11:
		w.win.SetFullScreen(!w.win.FullScreen())
	case fyne.KeyF1:
		w.showKeys()
	case fyne.KeyDelete:
		w.deleteKey(false)
	case fyne.KeyF10:
		w.lessonV.step()
	case fyne.KeyF5:
		if w.lessonV.ended {
			w.lessonV.again() // F5 again: one more run, to compare
		} else {
			w.lessonV.runToEnd()
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

func (w *labWindow) addShortcuts() {
	for key, do := range map[fyne.KeyName]func(){
		fyne.KeyN: w.doNew, fyne.KeyR: w.doStart, fyne.KeyJ: w.doJoin, fyne.KeyT: w.doTerminate,
		fyne.KeyK: w.doKill, fyne.KeyD: w.doDaemon, fyne.KeyE: w.doMainEnds, fyne.KeyL: w.doNewLab,
		fyne.KeyQ: w.quit, fyne.KeyS: w.doExport, fyne.KeyI: w.doIsAlive, fyne.KeyP: w.doRunProgram, fyne.KeyW: w.doWatch,
	} {
		w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierControl},
			func(fyne.Shortcut) { do() })
	}
	// Fyne's driver turns Ctrl+Z and Ctrl+A into its Undo and Select all
	// shortcuts, never into a custom one: those are what Stop and
	// active_children() answer to (an entry, when focused, still gets them).
	w.win.Canvas().AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { w.doStop() })
	w.win.Canvas().AddShortcut(&fyne.ShortcutSelectAll{}, func(fyne.Shortcut) { w.doActiveChildren() })
	w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift},
		func(fyne.Shortcut) { w.doContinue() })
	w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift},
		func(fyne.Shortcut) { w.doClear() })
	for key, step := range map[fyne.KeyName]float32{fyne.KeyEqual: 0.25, fyne.KeyPlus: 0.25, fyne.KeyMinus: -0.25} {
		w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierControl},
			func(fyne.Shortcut) { w.setZoom(w.zoom() + step) })
	}
	w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierControl},
		func(fyne.Shortcut) { w.filter.open() })
	w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.Key0, Modifier: fyne.KeyModifierControl},
		func(fyne.Shortcut) { w.setZoom(1) })
	w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift},
		func(fyne.Shortcut) { w.doPin(false) })
	w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift},
		func(fyne.Shortcut) { w.doPin(true) })
	for i, key := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3} {
		w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierControl},
			func(fyne.Shortcut) { w.tabs.SelectIndex(i) })
	}
}

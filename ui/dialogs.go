package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// Every dialog answers to the same keys, whatever it holds: Esc cancels
// (or closes a dialog that only tells something), Enter confirms. Fyne's
// dialogs take no keys themselves; the window's typedKey passes them on
// while one is open. (A dialog with an entry, as New process, handles the
// keys in its entry, which has the focus.)

// showDialog shows d; dismiss is what Esc does, confirm what Enter does
// (nil: Enter does what Esc does).
func (w *labWindow) showDialog(d dialog.Dialog, dismiss, confirm func()) {
	w.dismiss, w.confirm = dismiss, confirm
	d.SetOnClosed(func() { w.dismiss, w.confirm = nil, nil })
	d.Show()
}

// dialogKey answers a key while a dialog is open; it reports whether one
// was.
func (w *labWindow) dialogKey(e *fyne.KeyEvent) bool {
	if w.dismiss == nil {
		return false
	}
	switch e.Name {
	case fyne.KeyEscape, fyne.KeyF1:
		w.dismiss()
	case fyne.KeyReturn, fyne.KeyEnter:
		if w.confirm != nil {
			w.confirm()
		} else {
			w.dismiss()
		}
	}
	return true
}

// showInfo shows a dialog that only tells something, with its Close
// button: Esc and Enter close it.
func (w *labWindow) showInfo(title, close string, content fyne.CanvasObject) {
	d := dialog.NewCustom(title, close, content, w.win)
	w.showDialog(d, d.Hide, nil)
}

package ui

import (
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// The F1 screen: every key of the window. The actions' keys come from the
// same texts as the toolbar's tooltips, so the two cannot disagree.

// keyInTooltip finds the key at the end of an action's tooltip: "(Ctrl+N)".
var keyInTooltip = regexp.MustCompile(`\(((?:Ctrl|Shift|F\d)[^()]*)\)$`)

// otherKeys are the keys that belong to no toolbar action.
var otherKeys = []struct{ key, does string }{
	{"F1", msg("this list of keys")},
	{"Space", msg("pause or resume the view (the processes keep running)")},
	{"Esc", msg("interrupt a join; cancel a dialog")},
	{"↑ ↓ ← →", msg("in the tree: select the row above or below, close or open a branch; in the timeline: pan and zoom")},
	{"Delete · Shift+Delete", msg("terminate · kill the selected process")},
	{"F5 · F10", msg("lesson: run to the end (again) · one step")},
	{"F9", msg("projector layout: the tree and the output take the window, or the standard layout again")},
	{"F11", msg("full screen")},
	{"Ctrl+F", msg("filter the tree by name, pid or state (Esc clears)")},
	{"Ctrl+1 · Ctrl+2 · Ctrl+3", msg("Lanes · Timeline · Console")},
	{"Ctrl+= · Ctrl+- · Ctrl+0", msg("zoom in · zoom out · actual size")},
	{"Ctrl+W", msg("watch a process of this machine")},
	{"Ctrl+Q", msg("quit: the lab's processes are ended first")},
	{msg("right click"), msg("on a line of a lane: copy the whole line; on a row of the tree: its menu")}, // a word, not a key name: translated
	{msg("click a column title"), msg("sort the tree by it; again: the other way; a third time: as the processes came")},
}

// actionKey is the key of action a, as its tooltip says it ("" if none).
func actionKey(a action) string {
	if m := keyInTooltip.FindStringSubmatch(actionTexts[a].does); m != nil {
		return m[1]
	}
	return ""
}

// keyRows is the F1 screen's rows: key and what it does, in the current
// language.
func keyRows() [][2]string {
	var rows [][2]string
	for _, a := range toolbarOrder {
		key := actionKey(a) // the key as the English text says it
		if key == "" {
			continue
		}
		does := strings.TrimSpace(strings.TrimSuffix(tr(actionTexts[a].does), "("+key+")"))
		rows = append(rows, [2]string{key, actionLabel(a) + " — " + does})
	}
	for _, k := range otherKeys {
		key := k.key
		if key == "right click" || key == "click a column title" {
			key = tr(key)
		}
		rows = append(rows, [2]string{key, tr(k.does)})
	}
	return rows
}

// showKeys shows every key in a dialog that Esc or Enter closes.
func (w *labWindow) showKeys() {
	grid := container.New(layout.NewFormLayout())
	for _, row := range keyRows() {
		key := widget.NewLabelWithStyle(row[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
		does := widget.NewLabel(row[1])
		does.Wrapping = fyne.TextWrapWord
		grid.Add(key)
		grid.Add(does)
	}
	scroll := container.NewVScroll(grid)
	size := w.win.Canvas().Size()
	scroll.SetMinSize(fyne.NewSize(size.Width*0.7, size.Height*0.6))
	d := dialog.NewCustom(tr("Keys"), tr("Close"), scroll, w.win)
	// Esc and F1 again close it (typedKey), Enter too: nothing in it takes keys.
	w.dismiss = d.Hide
	d.SetOnClosed(func() { w.dismiss = nil })
	d.Show()
}

package ui

import (
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// The F1 screen: every key of the window. The actions' keys come from the
// same texts as the toolbar's tooltips, so the two cannot disagree.

// keyInTooltip finds the key at the end of an action's tooltip: "(Ctrl+N)".
var keyInTooltip = regexp.MustCompile(`\(((?:Ctrl|Shift|F\d)[^()]*)\)$`)

// otherKeys are the keys that belong to no toolbar action: what F1 says
// of each, and what it does (nil: a widget handles it, the tree its arrows
// and Delete, a lane its right click). A key text of several keys
// ("F5 · F10") binds each, and do is told which.
var otherKeys []keyBinding

type keyBinding struct {
	key, does string
	do        func(w *labWindow, key string)
}

// The table is filled in init: F1's entry shows the table itself.
func init() { otherKeys = keyTable() }

func keyTable() []keyBinding {
	return []keyBinding{
		{"F1", msg("this list of keys"), func(w *labWindow, _ string) { w.showKeys() }},
		{"Space", msg("pause or resume the view (the processes keep running)"), func(w *labWindow, _ string) { w.togglePause() }},
		{"Esc", msg("interrupt a join; cancel a dialog"), func(w *labWindow, _ string) { w.interruptJoin() }},
		{"↑ ↓ ← →", msg("in the tree: select the row above or below, close or open a branch; in the timeline: pan and zoom"), nil},
		{"Delete · Shift+Delete", msg("terminate · kill the selected process"), nil},
		{"F5 · F10", msg("lesson: run to the end (again) · one step"), func(w *labWindow, key string) {
			switch {
			case key == "F10":
				w.lessonV.step()
			case w.lessonV.ended:
				w.lessonV.again() // F5 again: one more run, to compare
			default:
				w.lessonV.runToEnd()
			}
		}},
		{"F8", msg("the selected process's lane alone, across the tab; again: every lane"), func(w *labWindow, _ string) { w.toggleSolo() }},
		{"F9", msg("projector layout: the tree and the output take the window, or the standard layout again"), func(w *labWindow, _ string) { w.toggleProjector() }},
		{"F11", msg("full screen"), func(w *labWindow, _ string) { w.win.SetFullScreen(!w.win.FullScreen()) }},
		{"Ctrl+F", msg("filter the tree by name, pid or state (Esc clears)"), func(w *labWindow, _ string) { w.filter.open() }},
		{"Ctrl+1 · Ctrl+2 · Ctrl+3", msg("Lanes · Timeline · Console"), func(w *labWindow, key string) {
			w.tabs.SelectIndex(int(key[len(key)-1] - '1'))
		}},
		{"Ctrl+= · Ctrl+- · Ctrl+0", msg("zoom in · zoom out · actual size"), func(w *labWindow, key string) {
			switch key {
			case "Ctrl+=":
				w.setZoom(w.zoom() + 0.25)
			case "Ctrl+-":
				w.setZoom(w.zoom() - 0.25)
			default:
				w.setZoom(1)
			}
		}},
		{"Alt+L · Alt+V · Alt+E", msg("open the Lab, View or Lessons menu (arrows choose, Enter runs, Esc closes)"), func(w *labWindow, key string) {
			w.openMenu(strings.Index("LVE", key[len(key)-1:]))
		}},
		{"Ctrl+H · Ctrl+Shift+H", msg("threads of the selected process · of every process: show under it, or hide"), func(w *labWindow, key string) {
			if key == "Ctrl+H" {
				w.toggleThreads()
			} else {
				w.toggleAllThreads()
			}
		}},
		{"Ctrl+W", msg("watch a process of this machine"), func(w *labWindow, _ string) { w.doWatch() }},
		{"Ctrl+Q", msg("quit: the lab's processes are ended first"), func(w *labWindow, _ string) { w.quit() }},
		{msg("right click"), msg("on a line of a lane or the console: copy it, the lines on screen or every line; on a row of the tree: its menu"), nil}, // a word, not a key name: translated
		{msg("click a column title"), msg("sort the tree by it; again: the other way; a third time: as the processes came"), nil},
	}
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
	// Esc, Enter and F1 again close it: nothing in it takes keys.
	w.showInfo(tr("Keys"), tr("Close"), scroll)
}

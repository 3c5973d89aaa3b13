package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The tree's pointer: hovering a row shows it whole in the status line; a
// right click selects it and opens its menu, with the actions the toolbar
// has for it (disabled where the toolbar's are, the reason said on use).

// rowMenuActions are the actions a row's menu offers, in its order.
var rowMenuActions = []action{actStart, actJoin, actTerminate, actKill, actStop, actContinue, actDaemon, actClose,
	actIsAlive, actPinOne, actPinAll}

// hoverRow shows the row under the pointer whole: its name, state, CPU and
// memory, as the columns may not have room for all of it.
func (w *labWindow) hoverRow(uid string) {
	row := w.tree.model.rows[uid]
	if uid == "" || row == nil {
		w.statusBar.hint = ""
	} else {
		w.statusBar.hint = row.title + " · " + row.look.word
		if row.use.known && !row.use.shared {
			w.statusBar.hint += fmt.Sprintf(" · CPU %s · %s %s", row.use.cpuText(), tr("memory"), row.use.memText())
		} else if row.use.known {
			w.statusBar.hint += fmt.Sprintf(" · CPU %s · %s", row.use.cpuText(), tr("a thread shares its process's memory"))
		}
		if row.threads > 0 {
			w.statusBar.hint += " · " + row.threadsWords()
		}
	}
	w.refreshStatus()
}

// rowMenu selects uid's row and opens its menu at the pointer.
func (w *labWindow) rowMenu(uid string, at fyne.Position) {
	if _, ok := w.tree.model.rows[uid]; !ok {
		return
	}
	w.tree.choose(uid)
	widget.ShowPopUpMenuAtPosition(w.rowMenuOf(uid), w.win.Canvas(), at)
}

// rowMenuOf is the menu of the selected row uid.
func (w *labWindow) rowMenuOf(uid string) *fyne.Menu {
	why := w.whyNot()
	var items []*fyne.MenuItem
	for _, a := range rowMenuActions {
		item := fyne.NewMenuItem(menuLabel(a), w.actionFunc(a))
		// A Python error is still worth seeing: the toolbar's shortcut runs
		// it, and so does the menu.
		item.Disabled = why[a] != "" && !runsAnyway(why[a])
		items = append(items, item)
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(tr("Threads: show or hide (Ctrl+H)"), w.toggleThreads),
		fyne.NewMenuItem(tr("Copy name and pid"), func() {
			if row := w.tree.model.rows[uid]; row != nil {
				w.app.Clipboard().SetContent(row.title)
				w.sayTr(false, msg("copied: %s"), row.title)
			}
		}))
	return fyne.NewMenu("", items...)
}

// menuLabel is an action's label with its key, as the toolbar's hint says
// it: "Kill (Ctrl+K)".
func menuLabel(a action) string {
	label := actionLabel(a)
	if k := actionKey(a); k != "" {
		label += " (" + k + ")"
	}
	return label
}

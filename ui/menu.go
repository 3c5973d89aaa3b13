package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The main menu, and the language every fixed text follows.

// buildMenu makes the main menu in the current language.
func (w *labWindow) buildMenu() {
	var lessonItems []*fyne.MenuItem
	for _, l := range w.lessons {
		lessonItems = append(lessonItems, fyne.NewMenuItem(l.Section+"  "+l.Title[uiLanguage()], func() { w.openLesson(l) }))
	}
	choice := func(label string, on bool, do func()) *fyne.MenuItem {
		item := fyne.NewMenuItem(label, do)
		item.Checked = on
		return item
	}
	layoutChoice := w.app.Preferences().String(prefLayout)
	themeChoice := w.app.Preferences().String(prefTheme)
	flash := w.app.Preferences().FloatWithFallback(prefFlash, 2)
	// The poll rate is also beside the status line, except in the
	// projector layout.
	rates := fyne.NewMenuItem(tr("Tree polls per second"), nil)
	rates.ChildMenu = fyne.NewMenu("")
	for _, label := range w.rate.Options {
		rates.ChildMenu.Items = append(rates.ChildMenu.Items, choice(label, label == w.rate.Selected, func() { w.rate.SetSelected(label) }))
	}
	quit := w.menuItem(msg("Quit (Ctrl+Q)"), w.quit)
	quit.IsQuit = true
	chosen := w.app.Preferences().String(prefLanguage)
	languageItem := func(code, name string) *fyne.MenuItem {
		item := fyne.NewMenuItem(name, func() { w.setLanguage(code) })
		item.Checked = code == chosen
		return item
	}
	languageMenu := fyne.NewMenu("", languageItem("", tr("System language")))
	for _, l := range languages {
		languageMenu.Items = append(languageMenu.Items, languageItem(l.code, l.name))
	}
	// In both languages, whichever is on: whoever cannot read the current
	// one still finds the way back.
	language := fyne.NewMenuItem("Language · 语言", nil)
	language.ChildMenu = languageMenu
	w.win.SetMainMenu(fyne.NewMainMenu(fyne.NewMenu(tr("Lab"),
		w.menuItem(msg("New lab (Ctrl+L)"), w.doNewLab),
		w.menuItem(msg("Clear ended processes (Ctrl+Shift+L)"), w.doClear),
		w.menuItem(msg("Export as Python… (Ctrl+S)"), w.doExport),
		w.menuItem(msg("Run program… (Ctrl+P)"), w.doRunProgram),
		w.menuItem(msg("Watch a process… (Ctrl+W)"), w.doWatch),
		fyne.NewMenuItem(tr("Stop watching"), w.stopWatching),
		fyne.NewMenuItem(tr("Full output log…"), w.doShowLog),
		fyne.NewMenuItem(tr("Containment…"), w.doShowContainment),
		fyne.NewMenuItemSeparator(),
		quit,
	), fyne.NewMenu(tr("View"),
		w.menuItem(msg("Zoom in (Ctrl+=)"), func() { w.setZoom(w.zoom() + 0.25) }),
		w.menuItem(msg("Zoom out (Ctrl+-)"), func() { w.setZoom(w.zoom() - 0.25) }),
		w.menuItem(msg("Actual size (Ctrl+0)"), func() { w.setZoom(1) }),
		w.menuItem(msg("Full screen (F11)"), func() { w.win.SetFullScreen(!w.win.FullScreen()) }),
		w.menuItem(msg("Selected lane alone (F8)"), w.toggleSolo),
		w.menuItem(msg("Threads of the selected process (Ctrl+H)"), w.toggleThreads),
		w.menuItem(msg("Threads of every process (Ctrl+Shift+H)"), w.toggleAllThreads),
		fyne.NewMenuItemSeparator(),
		choice(tr("Layout: follow the zoom (projector from 175 %)"), layoutChoice == layoutAuto, func() { w.setLayout(layoutAuto) }),
		choice(tr("Layout: standard"), layoutChoice == layoutStandard, func() { w.setLayout(layoutStandard) }),
		choice(tr("Layout: projector, tree and output only (F9)"), layoutChoice == layoutProjector, func() { w.setLayout(layoutProjector) }),
		fyne.NewMenuItemSeparator(),
		choice(tr("High contrast, dark"), themeChoice == "dark", func() { w.setThemeVariant("dark") }),
		choice(tr("High contrast, light"), themeChoice == "light", func() { w.setThemeVariant("light") }),
		choice(tr("System theme"), themeChoice == "", func() { w.setThemeVariant("") }),
		fyne.NewMenuItemSeparator(),
		choice(tr("Flash new and ended processes: 2 s"), flash == 2, func() { w.setFlash(2) }),
		choice(tr("Flash: 5 s"), flash == 5, func() { w.setFlash(5) }),
		choice(tr("Flash: off"), flash == 0, func() { w.setFlash(0) }),
		fyne.NewMenuItemSeparator(),
		w.menuItem(msg("Pause or resume the view (Space)"), w.togglePause),
		rates,
		fyne.NewMenuItemSeparator(),
		language,
	), fyne.NewMenu(tr("Lessons"), lessonItems...)))
}

// setLanguage switches every string of the window to language code ("" for
// the system's) at once, and remembers the choice.
func (w *labWindow) setLanguage(code string) {
	w.app.Preferences().SetString(prefLanguage, code)
	applyLanguage(code)
	for _, relabel := range w.relabels {
		relabel()
	}
	// What was already said, said again in the new language.
	if say := w.statusBar.say; say != nil {
		w.statusBar.message = say()
		w.refreshStatus()
	}
	w.retranslateMain()
	w.refreshViews()
}

// localized sets a text now, in the current language, and again whenever
// the language changes.
func (w *labWindow) localized(set func()) {
	set()
	w.relabels = append(w.relabels, set)
}

// heading is a bold pane title that follows the language.
func (w *labWindow) heading(key string) *fitText {
	l := newFitText(fyne.TextStyle{Bold: true}) // bold in Chinese too
	l.natural = true
	w.localized(func() { l.set(tr(key), theme.ColorNameForeground) })
	return l
}

// openMenu opens the main menu's i-th menu (Alt+L, Alt+V, Alt+E) under its
// title, as a click would: the arrows choose, Enter runs, Esc closes.
func (w *labWindow) openMenu(i int) {
	menu := w.win.MainMenu()
	if menu == nil || i < 0 || i >= len(menu.Items) {
		return
	}
	x := theme.Padding()
	for _, m := range menu.Items[:i] {
		x += fyne.MeasureText(m.Label, theme.TextSize(), fyne.TextStyle{}).Width + 4*theme.InnerPadding()
	}
	y := textHeight(fyne.TextStyle{}) + 2*theme.InnerPadding()
	widget.ShowPopUpMenuAtPosition(menu.Items[i], w.win.Canvas(), fyne.NewPos(x, y))
}

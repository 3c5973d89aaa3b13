package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"proclab/assets"
	"proclab/assets/lessons"
	"proclab/procs"
)

// Options configure the window.
type Options struct {
	Version string
	Hz      float64   // tree polls per second; default 10
	Trace   io.Writer // if set, every lab event is written as one JSON line
	// Preload is started as soon as the window opens (for benchmarks and
	// demonstrations): each spec once.
	Preload []procs.Spec
	// Stats, if set, receives measurements of the window when it closes
	// (for benchmarks): the longest time work waited for the UI goroutine.
	Stats io.Writer
	// LogDir is where the lab's full output goes; "" for the default.
	LogDir string
	// LogLimit bounds one lab's log in bytes (procs.Options.LogLimit).
	LogLimit int64
	// Lesson, if set, is the name of a lesson to open at once.
	Lesson string
	// Language ("en" or "zh") overrides the remembered choice for this
	// session; "" keeps it.
	Language string
	// Run, if set, is a program (argv) run in the lab as the window opens.
	Run []string
	// Watch, if not 0, is a process whose subtree the window watches.
	Watch int
	// NoPythonHook runs Python programs as they are: one lane per program.
	NoPythonHook bool
}

// maxMainLines bounds main's lane, the transcript of what main did.
const maxMainLines = 2000

// refreshInterval bounds how often events reach the widgets: about 30 Hz.
const refreshInterval = 33 * time.Millisecond

// labWindow is ProcLab's main window: it drives one lab and shows it.
type labWindow struct {
	app   fyne.App
	win   fyne.Window
	lab   *procs.Lab
	sub   *procs.Subscription
	ctx   context.Context
	stop  context.CancelFunc
	opts  Options
	pid   int
	trace *json.Encoder

	selected   *procs.Process
	lastTarget string
	joinCancel context.CancelFunc
	poll       *procs.Tree

	tree       *processTree
	inspector  *inspector
	laneBox    *laneStrip
	laneView   *container.Scroll
	lanes      map[*procs.Process]*lane
	cleared    map[*procs.Process]bool // hidden by Clear ended
	console    *console
	timeline   *timeline
	lessons    []procs.Lesson
	lessonV    *lessonView
	timelineAt time.Time
	tabs       *container.AppTabs
	cores      *coresStrip
	coresAt    time.Time
	consoleAt  time.Time
	paused     atomic.Bool
	resumed    chan struct{}
	pollEvery  atomic.Int64 // nanoseconds between tree polls
	rate       *widget.Select
	pauseBtn   *widget.Button
	// pendingLanes have lines not drawn yet (see flushLanes).
	pendingLanes map[*procs.Process]bool
	laneBoxDirty bool          // lanes were added since the lanes were last laid out
	viewsAt      time.Time     // when refreshViews last ran
	viewsDue     bool          // refreshViews is to run soon (refreshViewsSoon)
	viewsWake    chan struct{} // wakes pumpEvents for a put-off redraw
	linesAt      time.Time     // when flushLanes last ran
	linesDue     bool          // flushLanes is to run soon (flushLanesSoon)
	mainLane     *lane
	mainLines    *procs.LineBuffer // what main did: the newest maxMainLines
	mainDirty    bool              // mainLines changed since main's lane was drawn
	buttons      [actCount]*actionButton
	status       *widget.Label
	statusDrawn  widget.Importance // the status line's colour when last drawn
	floodAt      time.Time         // when output was last dropped for a flood
	info         *widget.Label
	hint         string
	message      string
	lastProgram  string // the last command line run with Run program
	// other is the selected process when it is not the lab's (a watched
	// one, or any other row of the tree); nil otherwise.
	other *otherProcess
	watch *watchState // the subtree being watched; nil when none
	// relabels set every fixed text again when the language changes.
	relabels []func()
	probe    *uiProbe // with --stats: how long work waits for the UI goroutine
	dismiss  func()   // closes the dialog on screen that Esc closes; nil when none
}

// Run opens the window and returns the exit status when it closes.
func Run(opts Options) int {
	if opts.Hz <= 0 {
		opts.Hz = 10
	}
	lab, err := procs.NewLab(procs.Options{LogDir: opts.LogDir, LogLimit: opts.LogLimit, NoPythonHook: opts.NoPythonHook})
	if err != nil {
		fmt.Fprintln(os.Stderr, "proclab:", err)
		return 1
	}
	// go build does not read FyneApp.toml: say here what it says, including
	// the fyneDo migration, so Fyne checks that UI calls come through fyne.Do.
	app.SetMetadata(fyne.AppMetadata{ID: "io.github.proclab.ProcLab", Name: "ProcLab", Version: opts.Version,
		Icon: assets.Icon, Migrations: map[string]bool{"fyneDo": true}})
	a := app.NewWithID("io.github.proclab.ProcLab")
	a.SetIcon(assets.Icon)
	if opts.Language != "" {
		applyLanguage(opts.Language)
	} else {
		applyLanguage(a.Preferences().String(prefLanguage))
	}
	a.Settings().SetTheme(newLabTheme(float32(a.Preferences().FloatWithFallback(prefZoom, 1)), a.Preferences().String(prefTheme)))
	w := newLabWindow(a, lab, opts)
	if opts.Stats != nil {
		w.probe = startUIProbe(w.ctx)
		if len(opts.Preload) == 0 {
			w.probe.settle()
		}
	}
	w.startFeeds()
	if opts.Watch != 0 {
		w.startWatch(opts.Watch)
	}
	if len(opts.Run) > 0 {
		if err := w.runProgram(opts.Run); err != nil {
			w.say(err.Error(), true)
		}
	}
	// Said in the status line and kept in main's lane, where the next
	// message does not replace it.
	if !lab.Contained() {
		w.say(w.containmentText(), true)
		w.addMainLine(0, procs.Stderr, "# "+w.containmentText())
	}
	// Told before the window subscribed to the lab: say it now.
	if problem := lab.LogProblem(); problem != "" {
		w.say(problem, true)
		w.addMainLine(0, procs.Stderr, "# "+problem)
	}
	for _, l := range w.lessons {
		if l.Name == opts.Lesson {
			w.openLesson(l)
		}
	}

	// Ctrl+C or SIGTERM in the terminal closes the window the normal way,
	// so the lab's children are ended before ProcLab exits.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		select {
		case <-sigs:
			fyne.Do(a.Quit)
		case <-w.ctx.Done():
		}
	}()
	w.win.ShowAndRun()
	signal.Stop(sigs)
	w.shutdown()
	if w.probe != nil {
		w.probe.write(opts.Stats, w.lab.LogPath())
	}
	return 0
}

func newLabWindow(a fyne.App, lab *procs.Lab, opts Options) *labWindow {
	ctx, stop := context.WithCancel(context.Background())
	w := &labWindow{app: a, lab: lab, ctx: ctx, stop: stop, opts: opts, pid: os.Getpid(),
		lastTarget: "dance", lanes: map[*procs.Process]*lane{}, pendingLanes: map[*procs.Process]bool{}, cleared: map[*procs.Process]bool{},
		resumed: make(chan struct{}, 1), viewsWake: make(chan struct{}, 1)}
	w.pollEvery.Store(int64(time.Duration(float64(time.Second) / opts.Hz)))
	if opts.Trace != nil {
		w.trace = json.NewEncoder(opts.Trace)
	}
	w.win = a.NewWindow("ProcLab")
	w.sub = lab.Subscribe()
	w.lessons, _ = procs.LoadLessons(lessons.FS) // embedded: a failure is a build bug the tests catch
	w.build()
	w.addShortcuts()
	w.win.Resize(fyne.NewSize(1280, 800))
	return w
}

// startFeeds starts the two goroutines that feed the window: lab events
// and tree polls. Both end with w.ctx.
func (w *labWindow) startFeeds() {
	if len(w.opts.Preload) > 0 {
		go w.startPreload()
	}
	go w.pumpEvents()
	go w.pollTree()
}

// startPreload starts the preload with at most one child fewer than the
// machine has cores still in its start-up: a thousand start-ups at once
// took every core from the window for seconds.
func (w *labWindow) startPreload() {
	inStartUp := make(chan struct{}, max(1, runtime.NumCPU()-1))
	for _, spec := range w.opts.Preload {
		select {
		case inStartUp <- struct{}{}:
		case <-w.ctx.Done():
			return
		}
		p, err := w.lab.Create(spec)
		if err == nil {
			err = w.lab.Start(p)
		}
		if err != nil {
			<-inStartUp
			continue
		}
		go func() {
			// A child stopped during its start-up must not hold up the rest.
			select {
			case <-p.Going():
			case <-time.After(time.Second):
			case <-w.ctx.Done():
			}
			<-inStartUp
		}()
	}
	if w.probe != nil {
		for range cap(inStartUp) {
			inStartUp <- struct{}{} // the last start-ups are over
		}
		w.probe.settle()
	}
}

// pollTree polls the process table at the rate chosen in the status bar
// and hands each tree to the window, unless the view is paused.
func (w *labWindow) pollTree() {
	var pl procs.Poller
	for {
		t, err := pl.Poll()
		// A failed poll keeps the last tree; a paused view keeps its tree.
		if err == nil && !w.paused.Load() {
			if !w.onUI(func() { w.poll = t; w.flushLanes(); w.noteFloodOver(); w.refreshViews() }) {
				return
			}
		}
		select {
		case <-time.After(time.Duration(w.pollEvery.Load())):
		case <-w.ctx.Done():
			return
		}
	}
}

// togglePause freezes the view (processes keep running) or resumes it;
// resuming catches up with everything that happened meanwhile.
func (w *labWindow) togglePause() {
	if w.paused.Load() {
		w.paused.Store(false)
		select {
		case w.resumed <- struct{}{}:
		default:
		}
		w.labelPause()
		w.say(tr("resumed: catching up"), false)
		return
	}
	w.paused.Store(true)
	w.labelPause()
	w.say(tr("paused: the view is frozen, the processes keep running"), false)
}

func (w *labWindow) labelPause() {
	if w.paused.Load() {
		w.pauseBtn.SetText(tr("Resume (Space)"))
	} else {
		w.pauseBtn.SetText(tr("Pause (Space)"))
	}
}

func (w *labWindow) setRate(label string) {
	var hz float64
	if _, err := fmt.Sscanf(label, "%g Hz", &hz); err != nil || hz < 1 || hz > 20 {
		return
	}
	w.opts.Hz = hz
	w.pollEvery.Store(int64(time.Duration(float64(time.Second) / hz)))
	w.refreshViews()
}

// Preference keys: the projector settings persist between sessions.
const (
	prefZoom  = "zoom"
	prefTheme = "theme"
	prefFlash = "flashSeconds"
)

func (w *labWindow) setZoom(z float32) {
	z = max(0.75, min(2.5, z))
	w.app.Preferences().SetFloat(prefZoom, float64(z))
	w.app.Settings().SetTheme(newLabTheme(z, w.app.Preferences().String(prefTheme)))
	w.say(tr("zoom %.0f %%", z*100), false)
}

func (w *labWindow) zoom() float32 {
	return float32(w.app.Preferences().FloatWithFallback(prefZoom, 1))
}

func (w *labWindow) setThemeVariant(v string) {
	w.app.Preferences().SetString(prefTheme, v)
	w.app.Settings().SetTheme(newLabTheme(w.zoom(), v))
}

// flashTime is how long new processes flash green and ended ones red.
func (w *labWindow) flashTime() time.Duration {
	return time.Duration(w.app.Preferences().FloatWithFallback(prefFlash, 2) * float64(time.Second))
}

// onUI runs fn on the UI goroutine and waits until it has run, so a feed
// never queues more work than the window can do: when the window is slow,
// the feeds slow down and the lab's bounded queue absorbs the difference.
// It reports false when the window is closing.
func (w *labWindow) onUI(fn func()) bool {
	done := make(chan struct{})
	fyne.Do(func() { fn(); close(done) })
	select {
	case <-done:
		return true
	case <-w.ctx.Done():
		return false
	}
}

// shutdown ends every child and goroutine of the window.
func (w *labWindow) shutdown() {
	w.stop()
	w.lab.Close()
}

func (w *labWindow) build() {
	explain := func(a action, does func() string) func() string {
		return func() string {
			if why := w.whyNot()[a]; why != "" {
				return why
			}
			return does()
		}
	}
	show := func(s string) { w.hint = s; w.refreshStatus() }
	for a, t := range actionTexts {
		does := t.does
		w.buttons[a] = newActionButton(actionLabel(action(a)), t.icon(), w.actionFunc(action(a)), explain(action(a), func() string { return tr(does) }), show)
	}
	w.buttons[actNew].Importance = widget.HighImportance
	w.localized(func() {
		for a, b := range w.buttons {
			if label := actionLabel(action(a)); b.Text != label {
				b.SetText(label)
			}
		}
	})

	tools := container.NewHBox()
	for _, a := range toolbarOrder {
		b := w.buttons[a]
		switch a {
		case actIsAlive, actActiveChildren, actPinOne, actPinAll:
			continue // in the inspector
		case actNewLab, actClear, actExport:
			continue // in the Lab menu
		}
		tools.Add(b)
	}
	top := container.NewBorder(nil, widget.NewSeparator(), nil, nil,
		container.NewGridWithColumns(1, container.NewHScroll(tools)))

	w.tree = newProcessTree(w.selectRow)
	w.mainLines = procs.NewLineBuffer(maxMainLines)
	w.mainLane = newLane(nil, w.mainLines, func() { w.selectProcess(nil) }, w.copyLine)
	w.laneBox = newLaneStrip(w.mainLane)
	w.laneView = container.NewHScroll(w.laneBox)
	w.laneView.OnScrolled = func(fyne.Position) { w.cullLanes() }
	w.console = newConsole()
	w.cores = newCoresStrip()
	w.relabels = append(w.relabels, w.cores.relabel)
	treePane := container.NewBorder(w.heading(msg("Process tree")), w.cores.content, nil, nil, w.tree.widget)
	w.timeline = newTimeline()
	w.lessonV = newLessonView(w)
	w.relabels = append(w.relabels, w.lessonV.relabel)
	w.tabs = container.NewAppTabs(
		container.NewTabItem(msg("Lanes"), w.laneView),
		container.NewTabItem(msg("Timeline"), newTimelineView(w.timeline, w.doExportPNG, w.localized)),
		container.NewTabItem(msg("Console"), w.console.list),
		container.NewTabItem(msg("Lesson"), w.lessonV.content),
	)
	tabKeys := make([]string, len(w.tabs.Items))
	for i, t := range w.tabs.Items {
		tabKeys[i] = t.Text
	}
	w.localized(func() {
		for i, t := range w.tabs.Items {
			t.Text = tr(tabKeys[i])
		}
		w.tabs.Refresh()
	})
	w.tabs.OnSelected = func(*container.TabItem) {
		w.timeline.show()
		w.flushLanes() // lanes are not drawn while another tab is shown
	}
	lanesPane := w.tabs
	w.inspector = newInspector(
		container.NewGridWithColumns(2, w.buttons[actIsAlive], w.buttons[actActiveChildren]),
		container.NewGridWithColumns(2, w.buttons[actPinOne], w.buttons[actPinAll]))
	w.relabels = append(w.relabels, w.inspector.relabel)
	inspectorPane := container.NewBorder(w.heading(msg("Inspector")), nil, nil, nil, w.inspector.content)
	// The tree and the inspector share the left column, so the lanes keep
	// the whole right side: at 1280 pixels three columns would leave each
	// too narrow to read.
	left := container.NewVSplit(treePane, inspectorPane)
	left.Offset = 0.42
	split := container.NewHSplit(left, lanesPane)
	split.Offset = 0.36

	w.status = widget.NewLabel(tr("Ctrl+N creates a process: Enter accepts dance, Ctrl+R starts it."))
	w.status.Truncation = fyne.TextTruncateEllipsis
	w.info = widget.NewLabel("")
	w.info.Truncation = fyne.TextTruncateEllipsis
	w.rate = widget.NewSelect([]string{"1 Hz", "2 Hz", "5 Hz", "10 Hz", "20 Hz"}, w.setRate)
	w.rate.SetSelected(fmt.Sprintf("%g Hz", w.opts.Hz))
	w.pauseBtn = widget.NewButton("", w.togglePause)
	w.localized(w.labelPause)
	// The status line and the counts share the width and truncate, so that
	// at 200 % zoom the window still fits a 1280×800 projector.
	bottom := container.NewBorder(widget.NewSeparator(), nil, nil, container.NewHBox(w.rate, w.pauseBtn),
		container.NewGridWithColumns(2, w.status, w.info))
	w.win.SetContent(container.NewBorder(top, bottom, nil, nil, split))
	w.localized(w.buildMenu)
	w.localized(func() { w.win.SetTitle(tr("ProcLab — Python multiprocessing with real processes")) })
	w.win.Canvas().SetOnTypedKey(w.typedKey)
	w.tree.widget.onKey = w.typedKey
	w.tree.widget.arrowsElsewhere = func() bool { return w.tabs.SelectedIndex() == 1 } // the timeline's
	w.tree.widget.onDelete = w.deleteKey
	w.refreshViews()
}

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

// buildMenu makes the main menu in the current language.
func (w *labWindow) buildMenu() {
	var lessonItems []*fyne.MenuItem
	for _, l := range w.lessons {
		lessonItems = append(lessonItems, fyne.NewMenuItem(l.Section+"  "+l.Title[uiLanguage()], func() { w.openLesson(l) }))
	}
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
		fyne.NewMenuItem(tr("New lab (Ctrl+L)"), w.doNewLab),
		fyne.NewMenuItem(tr("Clear ended processes (Ctrl+Shift+L)"), w.doClear),
		fyne.NewMenuItem(tr("Export as Python… (Ctrl+S)"), w.doExport),
		fyne.NewMenuItem(tr("Run program… (Ctrl+P)"), w.doRunProgram),
		fyne.NewMenuItem(tr("Watch a process… (Ctrl+W)"), w.doWatch),
		fyne.NewMenuItem(tr("Stop watching"), w.stopWatching),
		fyne.NewMenuItem(tr("Full output log…"), w.doShowLog),
		fyne.NewMenuItem(tr("Containment…"), w.doShowContainment),
	), fyne.NewMenu(tr("View"),
		fyne.NewMenuItem(tr("Zoom in (Ctrl+=)"), func() { w.setZoom(w.zoom() + 0.25) }),
		fyne.NewMenuItem(tr("Zoom out (Ctrl+-)"), func() { w.setZoom(w.zoom() - 0.25) }),
		fyne.NewMenuItem(tr("Actual size (Ctrl+0)"), func() { w.setZoom(1) }),
		fyne.NewMenuItem(tr("Full screen (F11)"), func() { w.win.SetFullScreen(!w.win.FullScreen()) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(tr("High contrast, dark"), func() { w.setThemeVariant("dark") }),
		fyne.NewMenuItem(tr("High contrast, light"), func() { w.setThemeVariant("light") }),
		fyne.NewMenuItem(tr("System theme"), func() { w.setThemeVariant("") }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(tr("Flash new and ended processes: 2 s"), func() { w.app.Preferences().SetFloat(prefFlash, 2) }),
		fyne.NewMenuItem(tr("Flash: 5 s"), func() { w.app.Preferences().SetFloat(prefFlash, 5) }),
		fyne.NewMenuItem(tr("Flash: off"), func() { w.app.Preferences().SetFloat(prefFlash, 0) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(tr("Pause or resume the view (Space)"), w.togglePause),
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
	w.refreshViews()
}

// localized sets a text now, in the current language, and again whenever
// the language changes.
func (w *labWindow) localized(set func()) {
	set()
	w.relabels = append(w.relabels, set)
}

// heading is a bold pane title that follows the language.
func (w *labWindow) heading(key string) *widget.Label {
	l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.localized(func() { l.SetText(tr(key)) })
	return l
}

func (w *labWindow) addShortcuts() {
	for key, do := range map[fyne.KeyName]func(){
		fyne.KeyN: w.doNew, fyne.KeyR: w.doStart, fyne.KeyJ: w.doJoin, fyne.KeyT: w.doTerminate,
		fyne.KeyK: w.doKill, fyne.KeyD: w.doDaemon, fyne.KeyE: w.doMainEnds, fyne.KeyL: w.doNewLab,
		fyne.KeyQ: w.app.Quit, fyne.KeyS: w.doExport, fyne.KeyI: w.doIsAlive, fyne.KeyP: w.doRunProgram, fyne.KeyW: w.doWatch,
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

// whyNot evaluates the action rules for the current selection.
func (w *labWindow) whyNot() [actCount]string {
	if w.other != nil {
		return otherWhyNot(w.lab.Main(), w.other)
	}
	if w.selected == nil {
		return whyNot(w.lab.Main(), nil)
	}
	s := w.selected.Snapshot()
	return whyNot(w.lab.Main(), &s)
}

// allowed reports whether a should run; if not, the status line says why.
// An action whose only obstacle is a Python error runs anyway, so the lab
// raises it and the transcript shows it.
func (w *labWindow) allowed(a action) bool {
	why := w.whyNot()[a]
	if why == "" || runsAnyway(why) {
		return true
	}
	w.say(why, true)
	return false
}

func (w *labWindow) doNew() {
	if !w.allowed(actNew) {
		return
	}
	showNewProcessDialog(w.win, w.lastTarget, func(s procs.Spec) error {
		p, err := w.lab.Create(s)
		if err != nil {
			return err
		}
		w.lastTarget = s.Target
		w.ensureLane(p)
		w.selectProcess(p)
		return nil
	})
}

// onSelected runs a lab action on the selected process if the rules allow
// it; the lab reports errors as events, so they need no handling here.
func (w *labWindow) onSelected(a action, do func(*procs.Process) error) {
	if w.other != nil {
		w.signalOther(a)
		return
	}
	if w.allowed(a) {
		_ = do(w.selected)
	}
}

// actionFunc is what the button of action a does.
func (w *labWindow) actionFunc(a action) func() {
	return map[action]func(){
		actNew: w.doNew, actStart: w.doStart, actJoin: w.doJoin, actTerminate: w.doTerminate, actKill: w.doKill,
		actStop: w.doStop, actContinue: w.doContinue, actDaemon: w.doDaemon, actClose: w.doClose,
		actIsAlive: w.doIsAlive, actActiveChildren: w.doActiveChildren,
		actPinOne: func() { w.doPin(false) }, actPinAll: func() { w.doPin(true) },
		actMainEnds: w.doMainEnds, actNewLab: w.doNewLab, actClear: w.doClear, actExport: w.doExport, actRun: w.doRunProgram,
	}[a]
}

func (w *labWindow) doStart() { w.onSelected(actStart, w.lab.Start) }

func (w *labWindow) doJoin() {
	if !w.allowed(actJoin) {
		return
	}
	p := w.selected
	if s := p.Snapshot(); s.Status == procs.Initial || s.Closed {
		_, _ = w.lab.Join(w.ctx, p, 0) // raises at once; no need to wait aside
		return
	}
	ctx, cancel := context.WithCancel(w.ctx)
	w.joinCancel = cancel
	go func() {
		_, _ = w.lab.Join(ctx, p, 0)
		cancel()
	}()
}

func (w *labWindow) interruptJoin() {
	if w.joinCancel != nil {
		w.joinCancel()
		w.joinCancel = nil
	}
}

func (w *labWindow) doTerminate() { w.onSelected(actTerminate, w.lab.Terminate) }

func (w *labWindow) doKill() {
	if w.other != nil {
		w.signalOther(actKill)
		return
	}
	if !w.allowed(actKill) {
		return
	}
	if w.lab.Main().Phase == procs.MainJoining {
		_ = w.lab.KillFromOutside(w.selected)
		return
	}
	_ = w.lab.Kill(w.selected)
}

func (w *labWindow) doStop()     { w.onSelected(actStop, w.lab.Stop) }
func (w *labWindow) doContinue() { w.onSelected(actContinue, w.lab.Continue) }
func (w *labWindow) doClose()    { w.onSelected(actClose, w.lab.CloseProcess) }

func (w *labWindow) doIsAlive() {
	if w.allowed(actIsAlive) {
		w.lab.IsAlive(w.selected)
	}
}

func (w *labWindow) doActiveChildren() {
	if w.allowed(actActiveChildren) {
		w.lab.ActiveChildren()
	}
}

// doPin pins the selected process to core 0, or lets it use every core.
func (w *labWindow) doPin(all bool) {
	a := actPinOne
	if all {
		a = actPinAll
	}
	if !w.allowed(a) {
		return
	}
	cores := []int{0}
	if all {
		cores = nil
		for i := range runtime.NumCPU() {
			cores = append(cores, i)
		}
	}
	_ = w.lab.SetAffinity(w.selected, cores)
}

func (w *labWindow) doDaemon() {
	if w.allowed(actDaemon) {
		_ = w.lab.SetDaemon(w.selected, !w.selected.Daemon())
	}
}

func (w *labWindow) doMainEnds() {
	if w.allowed(actMainEnds) {
		go func() { _ = w.lab.MainEnds(w.ctx) }()
	}
}

// doClear hides the processes whose exit code is known: ended processes
// stay, greyed with their exit code, until the user clears them.
func (w *labWindow) doClear() {
	n := 0
	for _, p := range w.lab.Processes() {
		if s := p.Snapshot(); s.Status == procs.Stopped && !w.cleared[p] {
			w.cleared[p] = true
			w.removeLane(p)
			if w.selected == p {
				w.selected = nil
			}
			n++
		}
	}
	w.say(tr("cleared %d ended process(es); zombies stay until they are reaped", n), false)
	w.refreshViews()
}

// doShowLog tells where every line of this lab is kept on disk: lanes keep
// only the newest lines in memory.
func (w *labWindow) doShowLog() {
	path, problem := w.lab.LogPath(), w.lab.LogProblem()
	if path == "" {
		if problem == "" {
			problem = tr("this lab keeps no log on disk (--log-dir -)")
		}
		w.say(problem, true)
		return
	}
	entry := widget.NewEntry()
	entry.SetText(path)
	open := widget.NewButton(tr("Open"), func() {
		if err := w.app.OpenURL(&url.URL{Scheme: "file", Path: path}); err != nil {
			w.say(tr("cannot open the log: %v", err), true)
		}
	})
	intro := widget.NewLabel(tr("Every line every process of this lab printed, with its time, name, pid and stream:"))
	if problem != "" {
		intro = widget.NewLabel(problem)
		intro.Importance = widget.DangerImportance
	}
	intro.Wrapping = fyne.TextWrapWord
	dialog.ShowCustom(tr("Full output log"), tr("Close"), container.NewVBox(intro, entry, open), w.win)
}

// containmentText says what holds on this machine when the lab closes or
// ProcLab is killed.
func (w *labWindow) containmentText() string {
	if w.lab.Contained() {
		return tr("Every process of this lab, at any depth and in any session, is in the cgroup %s: closing the lab ends all of them, and so does the kernel if ProcLab itself is killed.", w.lab.ContainmentDetail())
	}
	return tr("This lab has no cgroup (%s). Its children and their process groups end with it, but a descendant that starts its own session can outlive a killed ProcLab. Run ProcLab as root or in a systemd user session for the kernel to hold every process.", w.lab.ContainmentDetail())
}

// doShowContainment tells how far the lab reaches (proclab doctor says the same).
func (w *labWindow) doShowContainment() {
	text := widget.NewLabel(w.containmentText())
	text.Wrapping = fyne.TextWrapWord
	dialog.ShowCustom(tr("Containment"), tr("Close"), container.NewGridWrap(fyne.NewSize(480, 160), text), w.win)
}

// openLesson shows lesson l on a fresh lab, then runs then, if set.
func (w *labWindow) openLesson(l procs.Lesson, then ...func()) {
	w.interruptJoin()
	w.tabs.SelectIndex(3)
	w.say(tr("starting lesson %s: ending the processes of the current lab…", l.Section), false)
	w.lessonV.background(w.lab.Reset, func() {
		w.lessonV.start(l)
		for _, f := range then {
			f()
		}
	})
}

// doExportPNG saves a picture of the window as the user sees it.
func (w *labWindow) doExportPNG() {
	img := w.win.Canvas().Capture()
	w.saveFile("proclab-timeline.png", func(out io.Writer) error { return png.Encode(out, img) }, msg("saved %s"))
}

// doExport saves the lab's transcript as a runnable Python program.
func (w *labWindow) doExport() {
	if !w.allowed(actExport) {
		return
	}
	w.saveFile("proclab-lab.py", func(out io.Writer) error {
		_, err := io.WriteString(out, w.lab.ExportPython())
		return err
	}, msg("saved %s: run it with python3 to see the same processes"))
}

// saveFile asks where to save name, writes it with write and says how it
// went; saved is the message on success, a format for the path.
func (w *labWindow) saveFile(name string, write func(io.Writer) error, saved string) {
	d := dialog.NewFileSave(func(out fyne.URIWriteCloser, err error) {
		if err != nil {
			w.say(tr("cannot save: %v", err), true)
			return
		}
		if out == nil {
			return // cancelled
		}
		defer out.Close()
		if err := write(out); err != nil {
			w.say(tr("cannot save %s: %v", out.URI().Name(), err), true)
			return
		}
		w.say(tr(saved, out.URI().Path()), false)
	}, w.win)
	d.SetFileName(name)
	d.Show()
}

func (w *labWindow) doNewLab() {
	w.interruptJoin()
	w.say(tr("ending every child of this lab…"), false)
	go w.lab.Reset() // waits up to a second for children to end: not on the UI goroutine
}

// say puts a message in the status line; problems show in red.
func (w *labWindow) say(msg string, problem bool) {
	w.setMessage(msg, problem)
	w.refreshStatus()
}

// setMessage changes the status message without drawing it: a batch of
// events says many things, and only the last is drawn once (every text
// drawn is shaped again, which 200 starting children made costly).
func (w *labWindow) setMessage(msg string, problem bool) {
	w.message = msg
	if problem {
		w.status.Importance = widget.DangerImportance
	} else {
		w.status.Importance = widget.MediumImportance
	}
}

func (w *labWindow) refreshStatus() {
	text := w.message
	if w.hint != "" {
		text = w.hint
	}
	if w.status.Text != text || w.statusDrawn != w.status.Importance {
		w.status.Text, w.statusDrawn = text, w.status.Importance
		w.status.Refresh()
	}
}

func (w *labWindow) selectProcess(p *procs.Process) {
	w.selected, w.other = p, nil
	w.tree.selectProcess(p)
	w.refreshViews()
	if l := w.lanes[p]; l != nil {
		w.showLane(l)
	}
}

// pumpEvents moves lab events to the widgets, at most ~30 times a second
// however fast the children print.
// catchUp applies every event the lab has published so far. It takes them
// on the UI goroutine, so that no batch is ever taken but not yet applied:
// whoever runs on the UI goroutine after catchUp sees all of them.
func (w *labWindow) catchUp() {
	events, dropped := w.sub.Take()
	w.apply(events, dropped)
	if w.viewsDue {
		w.refreshViewsSoon()
	}
	if w.linesDue {
		w.flushLanesSoon()
	}
}

func (w *labWindow) pumpEvents() {
	for {
		select {
		case _, ok := <-w.sub.C():
			if !ok {
				return
			}
		case <-w.viewsWake: // a redraw put off by refreshViewsSoon
		case <-w.ctx.Done():
			return
		}
		if w.paused.Load() {
			select {
			case <-w.resumed:
			case <-w.ctx.Done():
				return
			}
		}
		if !w.onUI(w.catchUp) {
			return
		}
		select {
		case <-time.After(refreshInterval):
		case <-w.ctx.Done():
			return
		}
	}
}

// apply runs on the UI goroutine with one batch of events.
func (w *labWindow) apply(events []procs.Event, dropped int) {
	dirty := map[*procs.Process]bool{}
	// Only lines: the tree, the inspector and the buttons show nothing a
	// line changes, and rebuilding them for every batch cost a lab of
	// 1,000 printing children most of its UI time.
	onlyLines := true
	lines := map[*procs.Process]int{}
	for _, e := range events {
		onlyLines = onlyLines && e.Kind == procs.EvOutput
		if e.Kind == procs.EvOutput {
			lines[e.Proc]++
		}
		w.traceEvent(e)
		w.timeline.event(e)
		switch e.Kind {
		case procs.EvReset:
			w.resetViews()
			dirty = map[*procs.Process]bool{}
		case procs.EvCreated:
			w.ensureLane(e.Proc)
		case procs.EvOutput:
			dirty[e.Proc] = true
			if !w.cleared[e.Proc] {
				w.console.add(e.Proc, e.Line)
			}
			w.lessonV.output(e.Line)
		case procs.EvError:
			w.setMessage(pythonError(e), true)
			w.addMainLine(e.At, procs.Stderr, pythonError(e))
			continue
		case procs.EvJoined:
			if e.Proc != nil {
				w.setMessage(e.Text, false)
			}
		case procs.EvState:
			if e.Main.Phase != procs.MainJoining {
				w.joinCancel = nil
			}
		}
		if e.Python != "" {
			w.addMainLine(e.At, procs.Stdout, e.Python)
			if e.Kind != procs.EvError {
				w.setMessage("Python: "+e.Python, false)
			}
		}
		switch {
		case e.Kind == procs.EvPolled:
			w.addMainLine(e.At, procs.Stdout, "# → "+e.Text)
		case e.Proc == nil && (e.Kind == procs.EvAdopted || e.Kind == procs.EvReaped):
			w.addMainLine(e.At, procs.Stdout, "# "+e.Text)
			w.setMessage(e.Text, false)
		case e.Kind == procs.EvExited || e.Kind == procs.EvReaped || e.Kind == procs.EvJoined || (e.Kind == procs.EvSignalled && e.Code == 0):
			w.addMainLine(e.At, procs.Stdout, "# "+e.Proc.Name()+": "+e.Text)
		}
	}
	if dropped > 0 {
		// A constant text: a changing count would make a new text texture
		// for every batch while a child floods.
		flood := false
		for _, n := range lines {
			flood = flood || n > floodLines
		}
		if flood {
			w.setMessage(floodMessage(), false)
			w.floodAt = time.Now()
		} else if w.message != floodMessage() {
			// Many processes printing a little at once (a large preload
			// starting) is no flood, and ends with no "the flood is over".
			w.setMessage(tr("many processes printed at once: the lanes show every line, a moment late"), false)
		}
	}
	for p := range dirty {
		w.pendingLanes[p] = true
	}
	if dropped > 0 {
		// Dropped events name no process: every lane with lines it has
		// not drawn is pending (the lines themselves are in its buffer).
		for p, l := range w.lanes {
			if p.Output().Total() != l.shownTotal {
				w.pendingLanes[p] = true
			}
		}
	}
	w.layOutLanes()
	w.flushLanesSoon()
	w.refreshStatus()
	// The console redraws at most ten times a second, twice while flooded.
	every := 100 * time.Millisecond
	if dropped > 0 || len(events) > floodLines {
		every = floodInterval
	}
	if time.Since(w.consoleAt) >= every {
		w.consoleAt = time.Now()
		w.console.flush()
	}
	if !onlyLines {
		w.refreshViewsSoon()
	} else {
		w.showTimeline() // its output ticks
	}
}

// floodLines is how many new lines between two refreshes mark a lane as
// flooding; floodInterval is how often a flooding lane is redrawn. Every
// distinct line drawn costs a text texture that Fyne keeps for a minute, so
// redrawing a flood 30 times a second would grow memory by megabytes a
// second, and nobody can read that fast anyway. The lane's buffer and the
// line count stay exact.
const (
	floodLines    = 60
	floodInterval = 500 * time.Millisecond
	floodOver     = 2 * time.Second // no line dropped for this long: the flood is over
)

// noteFloodOver replaces the flood's message once no line has been dropped
// for floodOver; left alone, it would outlive the flood. The tree poll
// calls it, as no event may follow a flood's end.
func (w *labWindow) noteFloodOver() {
	if w.floodAt.IsZero() || time.Since(w.floodAt) < floodOver {
		return
	}
	w.floodAt = time.Time{}
	if w.message == floodMessage() {
		if w.lab.LogPath() != "" && w.lab.LogProblem() == "" {
			w.say(tr("the flood is over: the lanes show the newest lines, and Lab → Full output log has every one"), false)
		} else {
			// Never claim a log that misses lines: say what it lacks.
			w.say(tr("the flood is over: the lanes show the newest lines, but the log does not have every one: see Lab → Full output log"), true)
		}
	}
}

func floodMessage() string {
	return tr("a child prints faster than anyone can read: its lane shows the newest lines twice a second")
}

// showTimeline redraws the timeline at most ten times a second, and only
// while it is on screen: each redraw repaints the window.
func (w *labWindow) showTimeline() {
	if w.tabs.SelectedIndex() == 1 && time.Since(w.timelineAt) >= 100*time.Millisecond {
		w.timelineAt = time.Now()
		w.timeline.show()
	}
}

func pythonError(e procs.Event) string {
	if e.Python != "" {
		return e.Python + "  →  " + e.Text
	}
	return e.Text
}

func (w *labWindow) addMainLine(at time.Duration, stream procs.Stream, text string) {
	w.mainLines.Append(procs.Line{At: at, Stream: stream, Text: text})
	w.mainDirty = true // drawn once per batch by flushLanes, not once per line
}

func (w *labWindow) resetViews() {
	w.interruptJoin()
	for p := range w.lanes {
		w.removeLane(p)
	}
	w.selected = nil
	w.cleared = map[*procs.Process]bool{}
	w.mainLines.Clear()
	w.mainLane.view.clear()
	w.console.clear()
	w.console.flush()
	w.timeline.reset()
	w.say(tr("New lab: Ctrl+N creates a process."), false)
}

// viewsInterval is the least time between two redraws of the tree, the
// lane headers and the buttons for lab events: a preload of a thousand
// children sends events in every batch, and redrawing for each batch took
// the window most of its time.
const viewsInterval = 100 * time.Millisecond

// refreshViewsSoon redraws the views now, or soon if the last redraw was
// less than viewsInterval ago: pumpEvents comes back for it.
func (w *labWindow) refreshViewsSoon() {
	if time.Since(w.viewsAt) >= viewsInterval {
		w.refreshViews()
		return
	}
	w.viewsDue = true
	w.wakePump()
}

func (w *labWindow) wakePump() {
	select {
	case w.viewsWake <- struct{}{}:
	default:
	}
}

// refreshViews redraws what depends on the lab's state and the last poll:
// tree, lane headers, toolbar and status counts.
func (w *labWindow) refreshViews() {
	w.viewsAt, w.viewsDue = time.Now(), false
	snaps := make([]procs.Snapshot, 0, len(w.lanes))
	for _, p := range w.lab.Processes() {
		if !w.cleared[p] {
			snaps = append(snaps, p.Snapshot())
		}
	}
	main := w.lab.Main()
	model := buildTree(snaps, main, w.pid, w.poll, w.lab.Adopted(), w.lab.KeeperPid(), w.lab.Since(), w.flashTime())
	w.addWatched(model)
	w.tree.set(model)
	if time.Since(w.coresAt) >= numbersInterval {
		w.coresAt = time.Now()
		w.cores.show(w.poll, snaps)
	}
	w.timeline.poll(w.lab.Since(), w.poll, snaps)
	w.showTimeline()

	w.mainLane.setHeader(tr("MainProcess · %d · transcript", w.pid), mainLook(main))
	w.mainLane.setSelected(w.selected == nil)
	live := 0
	for _, s := range snaps {
		l := w.lanes[s.Proc]
		if l == nil {
			continue
		}
		var info *procs.ProcInfo
		if w.poll != nil && s.Status == procs.Started {
			info = w.poll.Procs[s.Pid]
		}
		if s.Status == procs.Started && !s.Zombie {
			live++
		}
		if !l.Visible() {
			continue // out of view (cullLanes): its header is set when it shows, on the next poll
		}
		l.setHeader(labTitle(s), lookOf(s, info))
		l.setSelected(s.Proc == w.selected)
	}

	if w.other != nil {
		w.inspector.showOther(w.other.title, w.other.pid, w.pid, main, w.poll)
	} else {
		w.inspector.show(w.selected, w.pid, main, w.poll)
	}

	w.layOutLanes()
	w.cullLanes()

	why := w.whyNot()
	for a, b := range w.buttons {
		if why[a] == "" {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	daemonIcon := theme.CheckButtonIcon()
	if w.selected != nil && w.selected.Daemon() {
		daemonIcon = theme.CheckButtonCheckedIcon()
	}
	if daemon := w.buttons[actDaemon]; daemon.Icon != daemonIcon {
		daemon.SetIcon(daemonIcon)
	}
	info := tr("%d live · main: %s", live, mainWord(main))
	if w.paused.Load() {
		info = tr("paused") + " · " + info
	}
	if w.info.Text != info {
		w.info.SetText(info)
	}
}

// traceEvent writes the event as one JSON line for scripts and the
// end-to-end test: what the window received, with real pids.
func (w *labWindow) traceEvent(e procs.Event) {
	if w.trace == nil {
		return
	}
	rec := map[string]any{"t": e.At.Seconds(), "event": e.Kind.String()}
	if e.Proc != nil {
		s := e.Proc.Snapshot()
		rec["name"], rec["pid"], rec["target"] = s.Name, s.Pid, s.Target
	}
	switch e.Kind {
	case procs.EvExited, procs.EvSignalled, procs.EvReaped, procs.EvAdopted:
		rec["code"] = e.Code
	case procs.EvOutput:
		rec["line"] = e.Line.Text
		rec["stream"] = e.Line.Stream.String()
	case procs.EvState:
		rec["main"] = e.Main.String()
	}
	if e.Python != "" {
		rec["python"] = e.Python
	}
	if e.Text != "" {
		rec["text"] = e.Text
	}
	_ = w.trace.Encode(rec)
}

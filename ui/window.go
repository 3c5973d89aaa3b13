package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
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
	// ThreadNames starts each line a Python thread other than the main one
	// prints with the thread's name.
	ThreadNames bool
	// Exe is the binary the lab re-executes as its workers and keeper
	// (procs.Options.Exe); "" for this program.
	Exe string
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

	tree      *processTree
	filter    *treeFilter
	toolbar   *toolRow
	panes     panes // as the layout places them (layout.go)
	inspector *inspector
	lanePane  lanePane // the Lanes tab (lanepane.go)
	console   *console
	timeline  *timeline
	lessons   []procs.Lesson
	lessonV   *lessonView
	tabs      *container.AppTabs
	cores     *coresStrip
	// numbers paces every view's figures; consoleAt and timelineAt: when
	// each was last drawn.
	numbers               numbersClock
	consoleAt, timelineAt time.Time
	paused                atomic.Bool
	resumed               chan struct{}
	pollEvery             atomic.Int64  // nanoseconds between tree polls
	pollWake              chan struct{} // polls at once (pollSoon)
	// wholeMachine has the tree poll read every process, not only the
	// lab's: while a subtree is watched (it may be anywhere).
	wholeMachine atomic.Bool
	// labEmpty: the last poll found no process in the lab's cgroup.
	labEmpty    atomic.Bool
	threads     threadChoice // whose threads the poll reads (threadrows.go)
	rate        *widget.Select
	pauseBtn    *widget.Button
	views       throttle      // refreshViews for lab events (refreshViewsSoon)
	viewsWake   chan struct{} // wakes pumpEvents for a put-off redraw
	lines       throttle      // flushLanes for lab events (flushLanesSoon)
	buttons     [actCount]*actionButton
	statusBar   statusBar
	floodAt     time.Time // when output was last dropped for a flood
	lastProgram string    // the last command line run with Run program
	// other is the selected process when it is not the lab's (a watched
	// one, or any other row of the tree); nil otherwise.
	other *otherProcess
	watch *watchState // the subtree being watched; nil when none
	// relabels set every fixed text again when the language changes.
	relabels []func()
	probe    *uiProbe        // with --stats: how long work waits for the UI goroutine
	dismiss  func()          // what Esc does in the dialog on screen; nil when none (dialogs.go)
	confirm  func()          // what Enter does there; nil: what Esc does
	lastView *viewReport     // with --stats: what the window showed as it closed
	bound    map[string]bool // the keys bound to shortcuts (keytable.go)
}

// Run opens the window and returns the exit status when it closes.
func Run(opts Options) int {
	if opts.Hz <= 0 {
		opts.Hz = 10
	}
	startUpGC()
	lab, err := procs.NewLab(procs.Options{Exe: opts.Exe, LogDir: opts.LogDir, LogLimit: opts.LogLimit, NoPythonHook: opts.NoPythonHook, ThreadNames: opts.ThreadNames})
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
			fyne.Do(w.quit)
		case <-w.ctx.Done():
		}
	}()
	w.win.ShowAndRun()
	signal.Stop(sigs)
	w.shutdown()
	if w.probe != nil {
		w.probe.write(opts.Stats, w.lab.LogPath())
	}
	if w.lastView != nil {
		writeViewReport(opts.Stats, *w.lastView)
	}
	return 0
}

func newLabWindow(a fyne.App, lab *procs.Lab, opts Options) *labWindow {
	ctx, stop := context.WithCancel(context.Background())
	w := &labWindow{app: a, lab: lab, ctx: ctx, stop: stop, opts: opts, pid: os.Getpid(),
		lastTarget: "dance", lanePane: lanePane{byProc: map[*procs.Process]*lane{}, pending: map[*procs.Process]bool{}, cleared: map[*procs.Process]bool{}},
		resumed: make(chan struct{}, 1), viewsWake: make(chan struct{}, 1), pollWake: make(chan struct{}, 1)}
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
	w.win.SetCloseIntercept(w.quit)
	return w
}

// startFeeds starts the two goroutines that feed the window: lab events
// and tree polls. Both end with w.ctx.
func (w *labWindow) startFeeds() {
	if len(w.opts.Preload) > 0 {
		go w.startPreload()
	}
	fyne.Do(w.fitToScreen) // once the window is open: the screen is known then
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
	w.applyLayout() // the projector layout follows the zoom, unless chosen
	w.refit()
	w.sayTr(false, msg("zoom %.0f %%"), z*100)
}

func (w *labWindow) zoom() float32 {
	return float32(w.app.Preferences().FloatWithFallback(prefZoom, 1))
}

func (w *labWindow) setThemeVariant(v string) {
	w.app.Preferences().SetString(prefTheme, v)
	w.app.Settings().SetTheme(newLabTheme(w.zoom(), v))
	w.refit()
	w.buildMenu() // its check mark
}

// setFlash sets how long new and ended processes flash, in seconds.
func (w *labWindow) setFlash(seconds float64) {
	w.app.Preferences().SetFloat(prefFlash, seconds)
	w.buildMenu()
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

// quit closes the window and ends the lab; with --stats it first measures
// what the window shows (viewReport), while it still shows it.
func (w *labWindow) quit() {
	if w.opts.Stats != nil && w.lastView == nil {
		r := w.viewReport()
		w.lastView = &r
	}
	w.app.Quit()
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
	show := func(s string) { w.statusBar.hint = s; w.refreshStatus() }
	for a, t := range actionTexts {
		does := t.does
		w.buttons[a] = newActionButton(actionLabel(action(a)), t.icon(), w.actionFunc(action(a)), explain(action(a), func() string { return tr(does) }), show)
		w.buttons[a].action = action(a)
	}
	w.buttons[actNew].Importance = widget.HighImportance
	var tools []*actionButton
	for _, a := range toolbarOrder {
		switch a {
		case actIsAlive, actActiveChildren, actPinOne, actPinAll:
			continue // in the inspector
		case actNewLab, actClear, actExport:
			continue // in the Lab menu
		}
		tools = append(tools, w.buttons[a])
	}

	w.tree = newProcessTree(w.selectRow)
	w.tree.numbers = &w.numbers
	w.tree.rebuild = w.refreshViews
	w.tree.onHover = w.hoverRow
	w.tree.onMenu = w.rowMenu
	w.relabels = append(w.relabels, w.tree.header.relabel)
	w.filter = newTreeFilter(w.tree, w.win.Canvas())
	w.lanePane.mainLines = procs.NewLineBuffer(maxMainLines)
	w.lanePane.main = newLane(nil, w.lanePane.mainLines, func() { w.selectProcess(nil) }, w.lineMenu)
	w.lanePane.strip = newLaneStrip(w.lanePane.main)
	w.lanePane.scroll = container.NewHScroll(w.lanePane.strip)
	w.lanePane.scroll.OnScrolled = func(fyne.Position) { w.cullLanes() }
	w.console = newConsole(w.lineMenu)
	w.cores = newCoresStrip()
	w.relabels = append(w.relabels, w.cores.relabel)
	w.timeline = newTimeline()
	w.lessonV = newLessonView(w)
	w.relabels = append(w.relabels, w.lessonV.relabel)
	w.tabs = container.NewAppTabs(
		container.NewTabItem(msg("Lanes"), w.lanePane.scroll),
		container.NewTabItem(msg("Timeline"), newTimelineView(w.timeline, w.doExportPNG, w.localized)),
		container.NewTabItem(msg("Console"), w.console.view),
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
	w.inspector = newInspector(
		container.NewGridWithColumns(2, w.buttons[actIsAlive], w.buttons[actActiveChildren]),
		container.NewGridWithColumns(2, w.buttons[actPinOne], w.buttons[actPinAll]))
	w.inspector.numbers = &w.numbers
	w.relabels = append(w.relabels, w.inspector.relabel)

	w.statusBar.status = newStatusLabel(tr("Ctrl+N creates a process: Enter accepts dance, Ctrl+R starts it."), w.showWhole)
	w.statusBar.info = newStatusLabel("", w.showWhole)
	w.rate = widget.NewSelect([]string{"1 Hz", "2 Hz", "5 Hz", "10 Hz", "20 Hz"}, w.setRate)
	w.rate.SetSelected(fmt.Sprintf("%g Hz", w.opts.Hz))
	w.pauseBtn = widget.NewButton("", w.togglePause)
	w.localized(w.labelPause)
	w.buildLayout(tools)
	w.localized(func() {
		inToolbar := map[*actionButton]bool{}
		for _, b := range tools {
			inToolbar[b] = true
		}
		for a, b := range w.buttons {
			if label := actionLabel(action(a)); !inToolbar[b] && b.Text != label {
				b.SetText(label)
			}
		}
		w.toolbar.relabel(func(b *actionButton) string { return actionLabel(b.action) })
	})
	w.localized(w.buildMenu)
	w.localized(func() { w.win.SetTitle(tr("ProcLab — Python multiprocessing with real processes")) })
	w.win.Canvas().SetOnTypedKey(w.typedKey)
	w.tree.widget.onKey = w.typedKey
	w.tree.widget.arrowsElsewhere = func() bool { return w.tabs.SelectedIndex() == 1 } // the timeline's
	w.tree.widget.onDelete = w.deleteKey
	w.refreshViews()
}

// statusBar is the status line's state: the message and its colour, the
// hint of what the pointer is on (shown instead while there is one), and
// the counts beside it.
type statusBar struct {
	status     *statusLabel
	drawn      widget.Importance // the status line's colour when last drawn
	importance widget.Importance // the message's colour: red for a problem
	info       *statusLabel
	hint       string
	message    string
	whole      *widget.PopUp // the whole message, when a click asked for it
	say        func() string // writes the message in the current language; nil if fixed
}

// sayTr says a message of ProcLab's own (format, translated, and its
// arguments), in the current language and again in the next one if the
// language switches.
func (w *labWindow) sayTr(problem bool, format string, args ...any) {
	w.setMessageSaid(func() string { return tr(format, args...) }, problem)
	w.refreshStatus()
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
	w.statusBar.say = nil
	w.setMessageText(msg, problem)
}

// setMessageSaid is setMessage with a message say writes in the current
// language, and writes again when the language changes.
func (w *labWindow) setMessageSaid(say func() string, problem bool) {
	w.setMessageText(say(), problem)
	w.statusBar.say = say
}

func (w *labWindow) setMessageText(msg string, problem bool) {
	w.statusBar.message = msg
	w.statusBar.importance = widget.MediumImportance
	if problem {
		w.statusBar.importance = widget.DangerImportance
	}
}

func (w *labWindow) refreshStatus() {
	text := w.statusBar.message
	if w.statusBar.hint != "" {
		text = w.statusBar.hint
	}
	// A hint (a hovered button or row) is not a problem: never in red.
	importance := w.statusBar.importance
	if w.statusBar.hint != "" {
		importance = widget.MediumImportance
	}
	w.statusBar.status.Importance = importance
	if w.statusBar.status.Text != text || w.statusBar.drawn != w.statusBar.status.Importance {
		w.statusBar.status.Text, w.statusBar.drawn = text, w.statusBar.status.Importance
		w.statusBar.status.Refresh()
	}
}

func (w *labWindow) selectProcess(p *procs.Process) {
	w.selected, w.other = p, nil
	w.tree.selectProcess(p)
	w.refreshViews()
	if l := w.lanePane.byProc[p]; l != nil {
		w.showLane(l)
	}
}

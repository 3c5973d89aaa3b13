package ui

import (
	"image/color"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"proclab/procs"
)

// TestMain lets the test binary be the lab's worker, so the window under
// test drives real child processes.
func TestMain(m *testing.M) {
	procs.MaybeRunWorker()
	applyLanguage("en") // whatever this machine's locale is
	os.Exit(m.Run())
}

// harness is a window on Fyne's headless driver with its feeds run by
// hand from the test goroutine (the test driver runs fyne.Do inline).
type harness struct {
	t   *testing.T
	w   *labWindow
	lab *procs.Lab
}

func newHarness(t *testing.T) *harness {
	a := test.NewTempApp(t)
	lab, err := procs.NewLab(procs.Options{LogDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lab.Close)
	w := newLabWindow(a, lab, Options{Hz: 10})
	t.Cleanup(w.stop)
	// Lesson steps run on the test goroutine, one after the other, instead
	// of in the background.
	w.lessonV.background = func(work, done func()) { work(); done() }
	return &harness{t: t, w: w, lab: lab}
}

// sync applies the waiting events and a fresh poll, as the feeds would.
func (h *harness) sync() {
	h.w.catchUp()
	var pl procs.Poller
	h.w.poll, _ = pl.Poll()
	h.w.refreshViews()
}

// startN creates and starts n processes of target, as Ctrl+N then Ctrl+R
// would, and applies what happened.
func (h *harness) startN(n int, target string) []*procs.Process {
	h.t.Helper()
	var ps []*procs.Process
	for range n {
		ps = append(ps, h.create(target))
		h.w.doStart()
	}
	h.sync()
	return ps
}

// create goes through the New-process dialog with the keyboard.
func (h *harness) create(target string) *procs.Process {
	h.t.Helper()
	before := len(h.lab.Processes())
	h.w.doNew()
	focused, ok := h.w.win.Canvas().Focused().(*escSelectEntry)
	if !ok {
		h.t.Fatalf("the dialog did not focus the target field: %T", h.w.win.Canvas().Focused())
	}
	if target != "" {
		test.Type(focused, target)
	}
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	ps := h.lab.Processes()
	if len(ps) != before+1 {
		h.t.Fatalf("Enter in the dialog did not create a process (target %q)", target)
	}
	return ps[len(ps)-1]
}

func TestEscapeClosesTheDialogWithoutCreating(t *testing.T) {
	h := newHarness(t)
	h.w.doNew()
	focused := h.w.win.Canvas().Focused().(*escSelectEntry)
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if n := len(h.lab.Processes()); n != 0 || h.w.win.Canvas().Focused() != nil {
		t.Errorf("after Esc: %d processes, focus on %T", n, h.w.win.Canvas().Focused())
	}
}

// laneTexts is what a lane shows: its header and its lines, whole.
func laneTexts(l *lane) []string {
	return append([]string{l.header.full}, l.view.shownLines()...)
}

func TestWindowRunsDanceAndShowsItsLane(t *testing.T) {
	h := newHarness(t)
	p := h.create("") // the first default target is dance
	if p.Spec().Target != "dance" || h.w.selected != p {
		t.Fatalf("created %s running %s, selected %v", p.Name(), p.Spec().Target, h.w.selected)
	}
	h.sync()
	if why := h.w.whyNot(); why[actStart] != "" || why[actJoin] == "" || h.w.buttons[actJoin].Disabled() == false {
		t.Errorf("before start: start %q, join %q (disabled=%v)", why[actStart], why[actJoin], h.w.buttons[actJoin].Disabled())
	}
	h.w.doStart()
	h.sync()
	row := h.w.tree.model.rows[p.Var()]
	if row == nil || !strings.Contains(row.title, "Process-1 · dance · ") {
		t.Fatalf("tree row for p1: %+v", row)
	}
	<-p.Exited()
	time.Sleep(50 * time.Millisecond)
	h.sync()
	// Ended but not joined: a zombie, as in Python.
	if got := h.w.tree.model.rows[p.Var()].look.word; got != "zombie · not reaped" {
		t.Errorf("tree says %q for the ended, unjoined dance", got)
	}
	h.w.doJoin()
	<-p.Done()
	h.sync()
	l := h.w.lanePane.byProc[p]
	l.Resize(fyne.NewSize(300, 400))
	joined := strings.Join(laneTexts(l), "\n")
	if strings.Count(joined, "跳舞中...") != 3 || !strings.Contains(joined, "exitcode 0") {
		t.Errorf("the dance lane shows:\n%s", joined)
	}
	if got := h.w.tree.model.rows[p.Var()].look.word; got != "exitcode 0" {
		t.Errorf("tree says %q for the ended dance", got)
	}
	// The dialog remembers the last target: Ctrl+N then Enter makes another dance.
	if q := h.create(""); q.Spec().Target != "dance" || q.Name() != "Process-2" {
		t.Errorf("second Enter created %s running %s", q.Name(), q.Spec().Target)
	}
}

func TestWindowTerminateAndStderr(t *testing.T) {
	h := newHarness(t)
	p := h.create("forever")
	h.w.doStart()
	h.sync()
	h.w.doTerminate()
	<-p.Exited()
	bad := h.create("crash")
	h.w.doStart() // reaps the terminated p1 first, as Python's start() does
	<-bad.Exited()
	h.w.doJoin()
	<-bad.Done()
	time.Sleep(50 * time.Millisecond)
	h.sync()
	if c, _ := p.ExitCode(); c != -15 {
		t.Errorf("terminate gave %d", c)
	}
	if why := h.w.whyNot()[actKill]; !strings.Contains(why, "has ended with exitcode 1") {
		t.Errorf("kill on an ended process: %q", why)
	}
	l := h.w.lanePane.byProc[bad]
	l.Resize(fyne.NewSize(300, 400))
	found := false
	for _, text := range laneTexts(l) {
		if strings.Contains(text, "sys.exit(1)") {
			found = true
		}
	}
	if !found {
		t.Error("crash's lane does not show sys.exit(1)")
	}
	// main's lane is the transcript.
	var transcript []string
	for _, line := range h.w.lanePane.mainLines.Tail(nil) {
		transcript = append(transcript, line.Text)
	}
	want := []string{"p1 = multiprocessing.Process(target=forever)", "p1.start()", "p1.terminate()",
		"# Process-1: ended with exit status -SIGTERM; a zombie until main reaps it",
		"p2 = multiprocessing.Process(target=crash)",
		"# Process-1: reaped by p2.start(): exitcode=-SIGTERM", "p2.start()"}
	if got := strings.Join(transcript[:7], "|"); got != strings.Join(want, "|") {
		t.Errorf("transcript\n%s\nwant\n%s", strings.Join(transcript, "\n"), strings.Join(want, "\n"))
	}
}

func TestNewProcessFormExplainsBadInput(t *testing.T) {
	test.NewTempApp(t)
	for _, tc := range []struct {
		target, args, kwargs, command, want string
	}{
		{"", "", "", "", "target: choose what the process runs"},
		{"nope", "", "", "", `target "nope" is not a task`},
		{"show_info", "Tom, 30", "", "", "args column 1: Tom is not a value: put text in quotes"},
		{"show_info", "", "{'age' 15}", "", "kwargs column 8: expected ':' after key 'age'"},
		{"show_info", "'Tom'", "", "", "show_info() missing 1 required positional argument: 'age' — Python raises this"},
		{"command", "", "", "", "command: type a program"},
		{"command", "", "", "echo 'x", "quote is not closed"},
		{"dance", "", "", "sleep 1", "command is only for the target"},
	} {
		f := newNewProcessForm(tc.target)
		f.args.SetText(tc.args)
		f.kwargs.SetText(tc.kwargs)
		f.command.SetText(tc.command)
		_, err := f.spec()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc, err, tc.want)
		}
	}
	// A TypeError is a warning: Create again goes ahead, as Python would.
	f := newNewProcessForm("show_info")
	f.args.SetText("'Tom'")
	_, _ = f.spec()
	if s, err := f.spec(); err != nil || len(s.Args) != 1 {
		t.Errorf("second Create: %v %+v", err, s)
	}
	f = newNewProcessForm("show_info")
	f.kwargs.SetText("{'age': 15, 'name': 'Jerry'}")
	if s, err := f.spec(); err != nil || procs.ReprKwargs(s.Kwargs) != "{'age': 15, 'name': 'Jerry'}" {
		t.Errorf("kwargs form: %v %+v", err, s)
	}
}

func TestActionRules(t *testing.T) {
	lab, _ := procs.NewLab(procs.Options{LogDir: "-"})
	defer lab.Close()
	p, _ := lab.Create(procs.Spec{Target: "dance"})
	initial := p.Snapshot()
	running := initial
	running.Status = procs.Started
	ended := initial
	ended.Status, ended.ExitCode = procs.Stopped, -9
	free := procs.MainState{}
	for _, tc := range []struct {
		main procs.MainState
		sel  *procs.Snapshot
		act  action
		want string // "" for allowed, else part of the reason
	}{
		{free, nil, actNew, ""},
		{free, nil, actStart, "select a process first"},
		{free, &initial, actStart, ""},
		{free, &initial, actJoin, "can only join a started process"},
		{free, &initial, actDaemon, ""},
		{free, &running, actStart, "cannot start a process twice"},
		{free, &running, actDaemon, "process has already started"},
		{free, &running, actKill, ""},
		{free, &ended, actTerminate, "exitcode -SIGKILL"},
		{free, &ended, actJoin, ""},
		{procs.MainState{Phase: procs.MainJoining, Joining: p}, &running, actStart, "blocked in p1.join()"},
		{procs.MainState{Phase: procs.MainJoining, Joining: p}, &running, actKill, ""},
		{procs.MainState{Phase: procs.MainEnded}, nil, actNew, "main has ended"},
		{procs.MainState{Phase: procs.MainEnded}, nil, actNewLab, ""},
	} {
		got := whyNot(tc.main, tc.sel)[tc.act]
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("main %v, action %d: %q, want %q", tc.main, tc.act, got, tc.want)
		}
	}
}

func TestTreeKeepsEndedProcessesAndShowsGrandchildren(t *testing.T) {
	h := newHarness(t)
	sp := h.create("spawner")
	h.w.doStart()
	deadline := time.Now().Add(5 * time.Second)
	for len(sp.Output().Tail(nil)) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	h.sync()
	kids := h.w.tree.model.kids[sp.Var()]
	if len(kids) != 2 {
		t.Fatalf("the spawner has %d rows under it, want 2", len(kids))
	}
	if title := h.w.tree.model.rows[kids[0]].title; !strings.HasPrefix(title, "Process-1:1 · forever · ") {
		t.Errorf("grandchild row %q", title)
	}
	// Each grandchild has a lane of its own, with its own lines.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		h.sync()
		own := 0
		for p, l := range h.w.lanePane.byProc {
			if p.ObservedBy() == sp && strings.HasPrefix(l.header.full, "Process-1:") && p.Output().Total() > 0 {
				own++
			}
		}
		if own == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of the spawner's 2 children have a lane of their own", own)
		}
	}
	h.w.doKill()
	<-sp.Exited()
	h.lab.ActiveChildren()
	time.Sleep(50 * time.Millisecond)
	h.sync()
	if row := h.w.tree.model.rows[sp.Var()]; row == nil || row.look.word != "exitcode -SIGKILL" {
		t.Errorf("the killed spawner's row: %+v", row)
	}
}

func TestInspectorShowsBothViewsAndReapingOnDemand(t *testing.T) {
	h := newHarness(t)
	p := h.create("add_data")
	h.w.doStart()
	<-p.Exited()
	time.Sleep(50 * time.Millisecond)
	h.sync()
	field := func(name string) string { return h.w.inspector.fields[name].Text }
	if got := field("globals"); got != "g_list = [0, 1, 2]" {
		t.Errorf("globals %q", got)
	}
	if got := field("exitcode"); got != "None — until reaped (the kernel holds 0)" {
		t.Errorf("exitcode of a zombie %q", got)
	}
	if got := field("state"); got != "zombie (Z)" {
		t.Errorf("OS state %q", got)
	}
	h.w.doIsAlive()
	h.sync()
	if field("exitcode") != "0" || field("reaped by") != "p1.is_alive()" || field("is_alive()") != "False" {
		t.Errorf("after is_alive(): exitcode %q, reaped by %q, is_alive %q", field("exitcode"), field("reaped by"), field("is_alive()"))
	}
	h.w.selectProcess(nil)
	if got := field("globals"); got != "g_list = []" {
		t.Errorf("main's own g_list %q", got)
	}
	if main := h.w.lanePane.mainLines.Tail(nil); main[len(main)-1].Text != "# → False" {
		last := main[len(main)-1].Text
		t.Errorf("transcript ends with %q", last)
	}
}

func TestClearEndedHidesOnlyReapedProcesses(t *testing.T) {
	h := newHarness(t)
	ended := h.create("sing")
	h.w.doStart()
	<-ended.Exited()
	h.lab.ActiveChildren() // reaps it
	zombie := h.create("sing")
	h.w.doStart()
	<-zombie.Exited()
	h.sync()
	h.w.doClear()
	h.sync()
	if _, ok := h.w.tree.model.rows[ended.Var()]; ok || h.w.lanePane.byProc[ended] != nil {
		t.Error("the reaped process is still shown")
	}
	if _, ok := h.w.tree.model.rows[zombie.Var()]; !ok || h.w.lanePane.byProc[zombie] == nil {
		t.Error("the zombie was cleared: it has not been reaped yet")
	}
}

// A shortcut on an action Python would refuse runs it anyway: the button is
// disabled, but the transcript shows the exception, word for word.
func TestShortcutsShowPythonsErrors(t *testing.T) {
	h := newHarness(t)
	p := h.create("forever")
	h.w.doJoin() // before start
	h.w.doStart()
	h.w.doStart() // twice
	h.w.doDaemon()
	h.w.doClose()
	h.w.doKill()
	<-p.Exited()
	h.sync()
	var errs []string
	for _, l := range h.w.lanePane.mainLines.Tail(nil) {
		if l.Stream == procs.Stderr {
			errs = append(errs, l.Text)
		}
	}
	want := []string{
		"p1.join()  →  AssertionError: can only join a started process",
		"p1.start()  →  AssertionError: cannot start a process twice",
		"p1.daemon = True  →  AssertionError: process has already started",
		"p1.close()  →  ValueError: Cannot close a process while it is still running. You should first call join() or terminate().",
	}
	if strings.Join(errs, "\n") != strings.Join(want, "\n") {
		t.Errorf("transcript errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(want, "\n"))
	}
}

func TestConsoleShowsLinesInArrivalOrderTagged(t *testing.T) {
	h := newHarness(t)
	p1 := h.create("sing")
	h.w.doStart()
	p2 := h.create("dance")
	h.w.doStart()
	<-p1.Exited()
	<-p2.Exited()
	time.Sleep(50 * time.Millisecond)
	h.sync()
	h.w.console.flush()
	var got []string
	var last time.Duration
	for _, l := range h.w.console.lines() {
		got = append(got, l.name+" "+l.line.Text)
		if l.line.At < last {
			t.Errorf("console out of order at %q", l.line.Text)
		}
		last = l.line.At
	}
	joined := strings.Join(got, "\n")
	if strings.Count(joined, "Process-1 唱歌中...") != 3 || strings.Count(joined, "Process-2 跳舞中...") != 3 {
		t.Errorf("console:\n%s", joined)
	}
}

func TestPinningAndCoresStrip(t *testing.T) {
	if !procs.AffinitySupported {
		t.Skip("no affinity here")
	}
	h := newHarness(t)
	p := h.create("burn")
	h.w.doStart()
	h.w.doPin(false)
	time.Sleep(400 * time.Millisecond)
	var pl procs.Poller
	_, _ = pl.Poll()
	time.Sleep(300 * time.Millisecond)
	h.w.poll, _ = pl.Poll()
	h.w.numbers.now()
	evs, _ := h.w.sub.Take()
	h.w.apply(evs, 0)
	if info := h.w.poll.Procs[p.Pid()]; info == nil || info.Core != 0 {
		t.Fatalf("the pinned burn last ran on %+v, want core 0", info)
	}
	if got := h.w.cores.who[0].Text; !strings.Contains(got, "Process-1") {
		t.Errorf("core 0 lists %q, want the pinned Process-1", got)
	}
	found := false
	for _, l := range h.w.lanePane.mainLines.Tail(nil) {
		found = found || l.Text == "os.sched_setaffinity(p1.pid, {0})"
	}
	if !found {
		t.Error("the transcript lacks os.sched_setaffinity(p1.pid, {0})")
	}
}

func TestPauseFreezesTheViewAndZoomScales(t *testing.T) {
	h := newHarness(t)
	h.w.togglePause()
	if !h.w.paused.Load() {
		t.Fatal("not paused")
	}
	h.w.refreshViews()
	if !strings.HasPrefix(h.w.statusBar.info.Text, "paused · ") {
		t.Errorf("status says %q while paused", h.w.statusBar.info.Text)
	}
	h.w.togglePause()
	if h.w.paused.Load() {
		t.Fatal("still paused")
	}
	base := newLabTheme(1, "").Size("text")
	h.w.setZoom(2)
	if got := h.w.app.Settings().Theme().Size("text"); got != 2*base {
		t.Errorf("text size at 200 %%: %v, want %v", got, 2*base)
	}
	if h.w.zoom() != 2 {
		t.Errorf("zoom preference %v", h.w.zoom())
	}
	h.w.setZoom(9)
	if h.w.zoom() != 2.5 {
		t.Errorf("zoom is not capped: %v", h.w.zoom())
	}
}

// The timeline draws what happened: a bar over each process's lifetime in
// the colour of its state, and marks where it was started and killed.
func TestTimelineDrawsLifetimesAndMarks(t *testing.T) {
	h := newHarness(t)
	p := h.create("forever")
	h.w.doStart()
	time.Sleep(600 * time.Millisecond)
	h.sync()
	h.w.doKill()
	<-p.Exited()
	h.lab.ActiveChildren()
	time.Sleep(50 * time.Millisecond)
	h.sync()
	tl := h.w.timeline
	lane := tl.byProc[p]
	if lane == nil || len(lane.ticks) == 0 {
		t.Fatalf("no swimlane with output ticks for %s", p.Name())
	}
	var started, killed time.Duration
	for _, m := range lane.marks {
		switch m.kind {
		case markStart:
			started = m.at
		case markKill:
			killed = m.at
		}
	}
	if started == 0 || killed <= started {
		t.Fatalf("marks %+v: want a start and a later kill", lane.marks)
	}
	// Show from 0 to a second past the kill, however slow this machine is.
	tl.Resize(fyne.NewSize(1130, 300))
	tl.width = killed + time.Second
	tl.follow = false
	tl.start = 0
	img := tl.draw(1130, 300)
	left := int(tl.labelWidth())
	x := func(at time.Duration) int {
		return left + int(float64(at)/float64(tl.width)*float64(1130-left))
	}
	top, rowU := tl.rows()
	rowH := int(rowU)
	y := int(top) + 1*rowH + rowH/2 // the bar's middle in Process-1's row (row 0 is main)
	mid := (started + killed) / 2
	if got := img.At(x(mid), y); !sameColor(got, colorSleeping) && !sameColor(got, colorRunning) {
		t.Errorf("mid-life pixel %v, want the sleeping or running colour", got)
	}
	if got := img.At(x(killed), y); !sameColor(got, markColors[markKill]) && !sameColor(got, markColors[markExit]) && !sameColor(got, markColors[markReap]) {
		t.Errorf("pixel at the kill %v, want a kill, exit or reap mark", got)
	}
	if got := img.At(x(killed+500*time.Millisecond), y); !sameColor(got, theme.Color(theme.ColorNameBackground)) && !sameColor(got, theme.Color(theme.ColorNameSeparator)) {
		t.Errorf("pixel after the reap %v, want background: the bar must end", got)
	}
}

func sameColor(a, b color.Color) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	return r1>>8 == r2>>8 && g1>>8 == g2>>8 && b1>>8 == b2>>8
}

// A process created with the dialog is selected and scrolled into view,
// although its row only exists once the tree has been rebuilt.
func TestANewProcessIsScrolledIntoView(t *testing.T) {
	h := newHarness(t)
	for range 3 {
		p := h.create("forever")
		h.sync()
		if uid := labUID(p); h.w.tree.scrolledTo != uid || h.w.selected != p {
			t.Errorf("after creating %s: selected %v, scrolled to %q", uid, h.w.selected, h.w.tree.scrolledTo)
		}
	}
}

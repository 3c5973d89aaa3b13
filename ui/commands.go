package ui

import (
	"context"
	"image/png"
	"io"
	"net/url"
	"runtime"

	"proclab/procs"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// What the toolbar, the menus and the keys ask for: each action on the
// selected process, with the rules that say when it applies.

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

func (w *labWindow) doStop() { w.onSelected(actStop, w.lab.Stop) }

func (w *labWindow) doContinue() { w.onSelected(actContinue, w.lab.Continue) }

func (w *labWindow) doClose() { w.onSelected(actClose, w.lab.CloseProcess) }

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
		if s := p.Snapshot(); s.Status == procs.Stopped && !w.lanePane.cleared[p] {
			w.lanePane.cleared[p] = true
			w.removeLane(p)
			if w.selected == p {
				w.selected = nil
			}
			n++
		}
	}
	w.sayTr(false, msg("cleared %d ended process(es); zombies stay until they are reaped"), n)
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
			w.sayTr(true, msg("cannot open the log: %v"), err)
		}
	})
	intro := widget.NewLabel(tr("Every line every process of this lab printed, with its time, name, pid and stream:"))
	if problem != "" {
		intro = widget.NewLabel(problem)
		intro.Importance = widget.DangerImportance
	}
	intro.Wrapping = fyne.TextWrapWord
	w.showInfo(tr("Full output log"), tr("Close"), container.NewVBox(intro, entry, open))
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
	w.showInfo(tr("Containment"), tr("Close"), container.NewGridWrap(fyne.NewSize(480, 160), text))
}

// openLesson shows lesson l on a fresh lab, then runs then, if set.
func (w *labWindow) openLesson(l procs.Lesson, then ...func()) {
	w.interruptJoin()
	w.tabs.SelectIndex(3)
	w.sayTr(false, msg("starting lesson %s: ending the processes of the current lab…"), l.Section)
	w.lessonV.background(w.lab.Reset, func() {
		w.lessonV.start(l)
		for _, f := range then {
			f()
		}
	})
}

// doExportPNG saves a picture of the window as the user sees it.
func (w *labWindow) doExportPNG() {
	img, err := w.timeline.exportImage()
	if err != nil {
		w.sayTr(true, msg("cannot draw the timeline: %v"), err)
		return
	}
	w.saveFile("proclab-timeline-"+exportedAt()+".png", func(out io.Writer) error { return png.Encode(out, img) }, msg("saved %s"))
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
			w.sayTr(true, msg("cannot save: %v"), err)
			return
		}
		if out == nil {
			return // cancelled
		}
		defer out.Close()
		if err := write(out); err != nil {
			w.sayTr(true, msg("cannot save %s: %v"), out.URI().Name(), err)
			return
		}
		w.say(tr(saved, out.URI().Path()), false)
	}, w.win)
	d.SetFileName(name)
	d.Show()
}

func (w *labWindow) doNewLab() {
	w.interruptJoin()
	w.sayTr(false, msg("ending every child of this lab…"))
	go w.lab.Reset() // waits up to a second for children to end: not on the UI goroutine
}

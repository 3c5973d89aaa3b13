package ui

// The tree poll: what it reads, at what pace, and the pause that freezes it.

import (
	"fmt"
	"time"

	"proclab/procs"
)

// pollTree polls the process table at the rate chosen in the status bar
// and hands each tree to the window, unless the view is paused.
func (w *labWindow) pollTree() {
	w.threads.mu.Lock()
	w.threads.mainPid = w.pid
	w.threads.mu.Unlock()
	pl := procs.Poller{Threads: w.threads.wanted, MaxThreads: maxThreadRows, KeepOpen: true, Only: w.polledPids}
	defer pl.Close()
	for {
		// A paused view keeps its tree, and reads nothing meanwhile; a
		// failed poll keeps the last tree.
		if !w.paused.Load() {
			if t, err := pl.Poll(); err == nil {
				if !w.onUI(func() {
					if t.Partial && w.watch != nil {
						w.pollSoon() // read before the watch began: it lacks the watched processes
						return
					}
					w.poll = t
					w.flushLanes()
					w.noteFloodOver()
					w.refreshViews()
				}) {
					return
				}
			}
		}
		every := time.Duration(w.pollEvery.Load())
		if w.labEmpty.Load() {
			// Nothing but ProcLab and the cores strip to show, whose
			// figures an empty lab shows every restInterval: waking ten
			// times a second would cost it most of its CPU. A start polls
			// at once (pollSoon).
			every = max(every, restInterval)
		}
		select {
		case <-time.After(every):
		case <-w.pollWake:
		case <-w.ctx.Done():
			return
		}
	}
}

// polledPids names what the tree poll reads: ProcLab and every process in
// its lab's cgroup (re-parented daemons too), so that the window's poll
// costs the lab's size and not the machine's. Without a cgroup, or while a
// subtree is watched, it reads every process.
func (w *labWindow) polledPids() ([]int, bool) {
	if w.wholeMachine.Load() {
		w.labEmpty.Store(false)
		return nil, false
	}
	pids, ok := w.lab.Members()
	w.labEmpty.Store(ok && len(pids) == 0)
	if !ok {
		return nil, false
	}
	return append(pids, w.pid), true
}

// pollSoon has the tree polled now, not at the next tick: what the user
// asked to see shows at once.
func (w *labWindow) pollSoon() {
	select {
	case w.pollWake <- struct{}{}:
	default:
	}
}

// togglePause freezes the view (processes keep running) or resumes it;
// resuming catches up with everything that happened meanwhile.
func (w *labWindow) togglePause() {
	if w.paused.Load() {
		w.paused.Store(false)
		w.pollSoon() // the tree was not read while paused
		select {
		case w.resumed <- struct{}{}:
		default:
		}
		w.labelPause()
		w.sayTr(false, msg("resumed: catching up"))
		return
	}
	w.paused.Store(true)
	w.labelPause()
	w.sayTr(false, msg("paused: the view is frozen, the processes keep running"))
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
	if w.win.MainMenu() != nil {
		w.buildMenu() // its check mark
	}
	w.refreshViews()
}

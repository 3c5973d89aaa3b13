package ui

import (
	"time"

	"proclab/procs"
)

// Lab events reaching the window: taken in batches on the UI goroutine,
// applied to the lanes, the console, the timeline and main's transcript.

// catchUp applies every event the lab has published so far. It takes them
// on the UI goroutine, so that no batch is ever taken but not yet applied:
// whoever runs on the UI goroutine after catchUp sees all of them.
func (w *labWindow) catchUp() {
	events, dropped := w.sub.Take()
	w.apply(events, dropped)
	if w.views.due {
		w.refreshViewsSoon()
	}
	if w.lines.due {
		w.flushLanesSoon()
	}
}

// pumpEvents moves lab events to the widgets, at most ~30 times a second
// however fast the children print.
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
	// The closures below that say an event take a copy of their own
	// (said): had they captured e, every event of a flood would be moved
	// to the heap for the few that are said.
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
		case procs.EvStarted, procs.EvAdopted:
			w.pollSoon() // an empty lab polls slowly (pollTree): no longer empty
		case procs.EvOutput:
			dirty[e.Proc] = true
			if !w.lanePane.cleared[e.Proc] {
				w.console.add(e.Proc, e.Line)
			}
			w.lessonV.output(e.Line)
		case procs.EvError:
			w.setMessage(pythonError(e), true)
			w.addMainLine(e.At, procs.Stderr, pythonError(e))
			continue
		case procs.EvJoined:
			if e.Proc != nil {
				said := e // the closure's own copy: see said below
				w.setMessageSaid(func() string { return eventText(said) }, false)
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
			said := e
			w.addMainSaid(e.At, procs.Stdout, func() string { return "# " + eventText(said) })
			w.setMessageSaid(func() string { return eventText(said) }, false)
		case e.Kind == procs.EvExited || e.Kind == procs.EvReaped || e.Kind == procs.EvJoined || (e.Kind == procs.EvSignalled && e.Code == 0):
			name := e.Proc.Name()
			said := e
			w.addMainSaid(e.At, procs.Stdout, func() string { return "# " + name + ": " + eventText(said) })
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
		} else if w.statusBar.message != floodMessage() {
			// Many processes printing a little at once (a large preload
			// starting) is no flood, and ends with no "the flood is over".
			w.setMessage(tr("many processes printed at once: the lanes show every line, a moment late"), false)
		}
	}
	for p := range dirty {
		w.lanePane.pending[p] = true
	}
	if dropped > 0 {
		// Dropped events name no process: every lane with lines it has
		// not drawn is pending (the lines themselves are in its buffer).
		for p, l := range w.lanePane.byProc {
			if p.Output().Total() != l.shownTotal {
				w.lanePane.pending[p] = true
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
	if w.statusBar.message == floodMessage() {
		if w.lab.LogPath() != "" && w.lab.LogProblem() == "" {
			w.sayTr(false, msg("the flood is over: the lanes show the newest lines, and Lab → Full output log has every one"))
		} else {
			// Never claim a log that misses lines: say what it lacks.
			w.sayTr(true, msg("the flood is over: the lanes show the newest lines, but the log does not have every one: see Lab → Full output log"))
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
		return e.Python + "  →  " + eventText(e)
	}
	return eventText(e)
}

func (w *labWindow) addMainLine(at time.Duration, stream procs.Stream, text string) {
	w.lanePane.mainLines.Append(procs.Line{At: at, Stream: stream, Text: text})
	w.lanePane.mainDirty = true // drawn once per batch by flushLanes, not once per line
}

// eventText is what an event says, in the user's language: the lab's
// message translated, or its text when it has none (Python's own words).
func eventText(e procs.Event) string {
	if e.Say.Format == "" {
		return e.Text
	}
	return tr(e.Say.Format, e.Say.Args...)
}

// addMainSaid adds a line to main's lane that say writes in the current
// language, and writes again when the language changes.
func (w *labWindow) addMainSaid(at time.Duration, stream procs.Stream, say func() string) {
	l := w.lanePane.mainLines.Append(procs.Line{At: at, Stream: stream, Text: say()})
	if w.lanePane.mainSay == nil {
		w.lanePane.mainSay = map[uint64]func() string{}
	}
	w.lanePane.mainSay[l.Seq] = say
	w.lanePane.mainDirty = true
	// Forget the writers of lines the buffer let go.
	if first, _ := w.lanePane.mainLines.Span(); len(w.lanePane.mainSay) > maxMainLines {
		for seq := range w.lanePane.mainSay {
			if seq < first {
				delete(w.lanePane.mainSay, seq)
			}
		}
	}
}

// retranslateMain writes main's lane again in the current language.
func (w *labWindow) retranslateMain() {
	if len(w.lanePane.mainSay) == 0 {
		return
	}
	lines := w.lanePane.mainLines.Tail(nil)
	said := w.lanePane.mainSay
	w.lanePane.mainLines.Clear()
	w.lanePane.main.view.clear()
	w.lanePane.mainSay = map[uint64]func() string{}
	for _, l := range lines {
		if say := said[l.Seq]; say != nil {
			w.addMainSaid(l.At, l.Stream, say)
		} else {
			w.addMainLine(l.At, l.Stream, l.Text)
		}
	}
	w.lanePane.mainDirty = true
	w.flushLanes()
}

func (w *labWindow) resetViews() {
	w.interruptJoin()
	for p := range w.lanePane.byProc {
		w.removeLane(p)
	}
	w.selected = nil
	w.lanePane.cleared = map[*procs.Process]bool{}
	w.lanePane.mainLines.Clear()
	w.lanePane.main.view.clear()
	w.console.clear()
	w.console.flush()
	w.timeline.reset()
	w.sayTr(false, msg("New lab: Ctrl+N creates a process."))
}

// viewsInterval is the least time between two redraws of the tree, the
// lane headers and the buttons for lab events: a preload of a thousand
// children sends events in every batch, and redrawing for each batch took
// the window most of its time.
const viewsInterval = 100 * time.Millisecond

// refreshViewsSoon redraws the views now, or soon if the last redraw was
// less than viewsInterval ago: pumpEvents comes back for it.
func (w *labWindow) refreshViewsSoon() {
	if w.views.now(viewsInterval) {
		w.refreshViews()
	} else {
		w.wakePump()
	}
}

// throttle lets a redraw run at most once an interval: a call that comes
// too soon is remembered as due, and pumpEvents comes back for it.
type throttle struct {
	at  time.Time // when it last ran
	due bool      // it is to run soon
}

// now reports whether to run now; if not, the run is due.
func (t *throttle) now(interval time.Duration) bool {
	t.due = time.Since(t.at) < interval
	return !t.due
}

// ran records a run, however it was asked for.
func (t *throttle) ran() { t.at, t.due = time.Now(), false }

func (w *labWindow) wakePump() {
	select {
	case w.viewsWake <- struct{}{}:
	default:
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

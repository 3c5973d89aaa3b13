package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// The Lanes tab: one lane per process side by side, only those in view
// drawn, new lines drawn once per batch.

// lanePane is the Lanes tab's state: the lanes, main's transcript, what
// waits to be drawn.
type lanePane struct {
	strip   *laneStrip
	scroll  *container.Scroll
	byProc  map[*procs.Process]*lane
	cleared map[*procs.Process]bool // hidden by Clear ended
	// pending have lines not drawn yet (see flushLanes).
	pending   map[*procs.Process]bool
	dirty     bool              // lanes were added since the lanes were last laid out
	main      *lane             // main's lane: the transcript
	mainLines *procs.LineBuffer // what main did: the newest maxMainLines
	mainDirty bool              // mainLines changed since main's lane was drawn
	// mainSay writes, by Seq, the lines of mainLines that are the lab's
	// messages, so a language switch writes them again.
	mainSay map[uint64]func() string
}

// cullLanes hides the lanes outside the visible part of the lane strip, so
// that a lab of hundreds of processes costs only the lanes on screen when
// the window repaints.
func (w *labWindow) cullLanes() {
	left := w.lanePane.scroll.Offset.X
	right := left + w.lanePane.scroll.Size().Width
	shown := false
	solo := w.lanePane.strip.solo
	for _, o := range w.lanePane.strip.lanes {
		x := o.Position().X
		visible := x+o.Size().Width >= left && x <= right
		if solo != nil {
			visible = o == solo
		}
		if visible && !o.Visible() {
			o.Show()
			shown = true
		} else if !visible && o.Visible() {
			o.Hide()
		}
	}
	if shown {
		w.flushLanes() // lines that came while they were out of view
	}
}

// toggleSolo shows the selected process's lane alone, across the whole
// tab (F8), or every lane again.
func (w *labWindow) toggleSolo() {
	strip := w.lanePane.strip
	l := w.lanePane.main
	if w.selected != nil && w.lanePane.byProc[w.selected] != nil {
		l = w.lanePane.byProc[w.selected]
	}
	if strip.solo == l || strip.solo != nil && w.selected == nil {
		strip.solo = nil
		w.sayTr(false, msg("every lane again (F8 shows the selected one alone)"))
	} else {
		strip.solo = l
		w.sayTr(false, msg("%s alone (F8: every lane again)"), l.header.full)
	}
	w.tabs.SelectIndex(lanesTab)
	w.lanePane.scroll.ScrollToOffset(fyne.NewPos(0, 0))
	w.lanePane.scroll.Refresh()
	w.cullLanes()
	if strip.solo == nil {
		w.showLane(l)
	}
	w.flushLanes()
}

// showLane scrolls the lanes so that l is in view.
func (w *labWindow) showLane(l *lane) {
	w.lanePane.dirty = false
	w.lanePane.scroll.Refresh() // lay out a lane added a moment ago
	left, right := l.Position().X, l.Position().X+l.Size().Width
	view := w.lanePane.scroll.Offset.X
	width := w.lanePane.scroll.Size().Width
	switch {
	case left < view:
		w.lanePane.scroll.ScrollToOffset(fyne.NewPos(left, 0))
	case right > view+width:
		w.lanePane.scroll.ScrollToOffset(fyne.NewPos(right-width, 0))
	}
}

// ensureLane adds p's lane if it has none yet.
func (w *labWindow) ensureLane(p *procs.Process) *lane {
	if l := w.lanePane.byProc[p]; l != nil || w.lanePane.cleared[p] {
		return l
	}
	l := newLane(p, p.Output(), func() { w.selectProcess(p) }, w.lineMenu)
	w.lanePane.byProc[p] = l
	// Laid out once per batch of events (apply), not once per lane: a
	// preload of 1,000 children laid out every lane a thousand times.
	w.lanePane.strip.add(l)
	w.lanePane.dirty = true
	return l
}

// removeLane takes p's lane away; the lanes are laid out again with the
// next batch of events (apply) or poll.
func (w *labWindow) removeLane(p *procs.Process) {
	if l := w.lanePane.byProc[p]; l != nil {
		w.lanePane.strip.remove(l)
		delete(w.lanePane.byProc, p)
		w.lanePane.dirty = true
	}
}

// layOutLanes lays the lanes out again if lanes came or went.
func (w *labWindow) layOutLanes() {
	if w.lanePane.dirty {
		w.lanePane.dirty = false
		w.lanePane.scroll.Refresh()
		w.cullLanes()
	}
}

// lanesTab is the index of the Lanes tab.
const lanesTab = 0

// linesInterval is the least time between two drawings of new lines for
// lab events: each drawing repaints the window, and ten a second read as
// live while a lab of a thousand printing children would repaint thirty.
const linesInterval = 100 * time.Millisecond

// flushLanesSoon draws the new lines now, or soon if they were last drawn
// less than linesInterval ago: pumpEvents comes back for them.
func (w *labWindow) flushLanesSoon() {
	if w.lines.now(linesInterval) {
		w.flushLanes()
	} else {
		w.wakePump()
	}
}

// flushLanes redraws lanes with new lines, flooding ones at most every
// floodInterval. The tree poll calls it too, so the last lines of a flood
// show up even when no event follows them.
func (w *labWindow) flushLanes() {
	w.lines.ran()
	if w.lanePane.mainDirty {
		w.lanePane.mainDirty = false
		w.lanePane.main.showNewLines()
	}
	if w.tabs.SelectedIndex() != lanesTab {
		return // drawn when the Lanes tab is shown again
	}
	now := time.Now()
	// At most one flooding lane is drawn a pass: each drawing wraps a
	// whole buffer of lines and makes a texture for every row, and four
	// lanes at once held the UI goroutine for one long stretch every
	// floodInterval. Spread over passes, the lanes take turns.
	drewFlood := false
	for p := range w.lanePane.pending {
		l := w.lanePane.byProc[p]
		if l == nil {
			delete(w.lanePane.pending, p)
			continue
		}
		if !l.Visible() {
			// Scrolled out of view (cullLanes): drawing its lines would
			// cost as much as a lane on screen, for no one. It stays
			// pending and is drawn when it scrolls back.
			continue
		}
		total := p.Output().Total()
		flooding := total-l.shownTotal > floodLines
		if flooding && (drewFlood || now.Sub(l.shownAt) < floodInterval) {
			continue
		}
		drewFlood = drewFlood || flooding
		l.shownTotal, l.shownAt = total, now
		l.showNewLines()
		delete(w.lanePane.pending, p)
	}
}

// lineMenu is a right click on a line of a lane or the console: copy the
// line, the lines on screen, or every line the view keeps, whole.
func (w *labWindow) lineMenu(v *outputView, l procs.Line, at fyne.Position) {
	widget.ShowPopUpMenuAtPosition(w.lineMenuOf(v, l), w.win.Canvas(), at)
}

func (w *labWindow) lineMenuOf(v *outputView, l procs.Line) *fyne.Menu {
	shown := v.shownLines()
	all := v.src.Tail(nil)
	copyText := func(text, said string) {
		w.app.Clipboard().SetContent(text)
		w.say(said, false)
	}
	return fyne.NewMenu("",
		fyne.NewMenuItem(tr("Copy this line"), func() {
			copyText(l.Text, tr("copied the line printed at %.3f s", l.At.Seconds()))
		}),
		fyne.NewMenuItem(tr("Copy the %d lines on screen", len(shown)), func() {
			copyText(strings.Join(shown, "\n"), tr("copied %d lines", len(shown)))
		}),
		fyne.NewMenuItem(tr("Copy every line kept here (%d)", len(all)), func() {
			texts := make([]string, len(all))
			for i, line := range all {
				texts[i] = line.Text
			}
			copyText(strings.Join(texts, "\n"), tr("copied %d lines", len(all)))
		}),
	)
}

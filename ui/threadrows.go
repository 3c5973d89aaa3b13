package ui

import (
	"fmt"
	"sync"

	"proclab/procs"
)

// A process's threads in the tree: its rows come first under the process's
// own, one per thread of /proc/PID/task (main thread first), with its
// name, TID, state and CPU %. They are hidden until asked for, for one
// process (Ctrl+H, the row's menu) or for every process the window shows
// (Ctrl+Shift+H): reading every process's threads on every poll is what a
// lecture about processes does not need.

// maxThreadRows bounds the thread rows of one process: past it, one row
// says how many more there are.
const maxThreadRows = 200

// threadChoice is which processes' threads the poll reads: the UI sets it,
// the poll goroutine reads it.
type threadChoice struct {
	mu      sync.Mutex
	pids    map[int]bool // shown one by one
	all     bool         // shown for every process below ProcLab, and the watched ones
	mainPid int
	watched int // the watched subtree's root; 0 when none
}

// wanted reports whether the poll reads pid's threads.
func (c *threadChoice) wanted(t *procs.Tree, pid int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pids[pid] {
		return true
	}
	// Every process but ProcLab's own: its threads are Go's and the GPU
	// driver's, nothing a lesson is about (Ctrl+H on its row shows them).
	return c.all && pid != c.mainPid && (t.Under(pid, c.mainPid) || c.watched != 0 && t.Under(pid, c.watched))
}

// toggle shows or hides pid's threads and reports whether they show now.
func (c *threadChoice) toggle(pid int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pids == nil {
		c.pids = map[int]bool{}
	}
	shown := !c.pids[pid] && !c.all
	c.pids[pid] = shown
	if !shown && c.all {
		c.all = false // hiding one of all: hide them all, one click undoes the other
		clear(c.pids)
	}
	return shown
}

// toggleAll shows or hides the threads of every process and reports
// whether they show now.
func (c *threadChoice) toggleAll() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.all = !c.all
	clear(c.pids)
	return c.all
}

// showAll shows (or hides) the threads of every process.
func (c *threadChoice) showAll(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.all = on
	clear(c.pids)
}

func (c *threadChoice) watch(pid int) {
	c.mu.Lock()
	c.watched = pid
	c.mu.Unlock()
}

// threadLook draws a thread: a small circle, coloured as a process in that
// state is.
func threadLook(state byte) stateLook {
	look := osLook(state)
	look.glyph = "◦"
	return look
}

// addThreads adds the rows of p's threads under its row uid; the process's
// row (of) stands for them when one is selected: a thread has no buttons.
func (m *treeModel) addThreads(uid string, p *procs.ProcInfo, of *treeRow) {
	of.threadsShown = p.ThreadList != nil
	for _, th := range p.ThreadList {
		name, ok := "", false
		if m.threadName != nil {
			name, ok = m.threadName(p.Pid, th.TID)
		}
		if !ok {
			name = "{" + procs.Printable(th.Name) + "}" // the kernel's name, as pstree writes it
		}
		tuid := fmt.Sprintf("%s#%d:%d", uid, th.TID, th.StartTime)
		m.rows[tuid] = &treeRow{
			title: fmt.Sprintf("%s %s · %d", tr("thread"), name, th.TID),
			look:  threadLook(th.State), use: usage{known: true, cpu: th.CPU, shared: true},
			proc: of.proc, pid: of.pid, start: of.start, shownPid: th.TID, tid: th.TID,
		}
		m.kids[uid] = append(m.kids[uid], tuid)
	}
	if more := p.Threads - len(p.ThreadList); p.ThreadList != nil && more > 0 {
		tuid := uid + "#more"
		m.rows[tuid] = &treeRow{title: tr("… and %d more threads", more), look: stateLook{"◦", "", colorSleeping},
			proc: of.proc, pid: of.pid, start: of.start, tid: -1}
		m.kids[uid] = append(m.kids[uid], tuid)
	}
}

// toggleThreads shows or hides the threads of the selected row's process.
func (w *labWindow) toggleThreads() {
	row := w.tree.model.rows[w.tree.current]
	if row == nil {
		row = w.tree.model.rows[mainUID]
	}
	pid := 0
	switch {
	case row == nil:
	case row.tid == 0:
		pid = row.shownPid
	case row.proc != nil: // a thread row: its process
		pid = row.proc.Pid()
	case row.pid != 0:
		pid = row.pid
	default:
		pid = w.pid // a thread of main
	}
	if pid == 0 {
		w.sayTr(true, msg("select a running process to see its threads"))
		return
	}
	if w.threads.toggle(pid) {
		w.sayTr(false, msg("threads of %s shown under it (Ctrl+H hides them)"), row.title)
	} else {
		w.sayTr(false, msg("threads of %s hidden"), row.title)
	}
	w.pollSoon()
}

// toggleAllThreads shows or hides the threads of every process shown.
func (w *labWindow) toggleAllThreads() {
	if w.threads.toggleAll() {
		w.sayTr(false, msg("the threads of every process are shown under it (Ctrl+Shift+H hides them)"))
	} else {
		w.sayTr(false, msg("threads hidden"))
	}
	w.pollSoon()
}

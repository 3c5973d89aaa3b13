package procs

import (
	"io"
	"sync"
	"time"

	"proclab/procs/pyhook"
)

// pyProgram is a Python program run in the lab, as the hook's Server sees
// it (pyhook.Handler): it decides which processes are the program's, and
// gives each the lines it writes on its pipes.
type pyProgram struct {
	l    *Lab
	root *Process
	// rootOut counts the root's output readers: the pipes the lab gave it,
	// and the pipes of every process of the program. Like a pipe into cat, the program's output
	// is done when every process of it, an orphan that outlived main too,
	// has closed its own.
	rootOut *sync.WaitGroup

	mu      sync.Mutex
	writers map[int]*pyWriter // by pid: every process of the program but the root
	full    bool              // it has as many as the lab shows, and was told so
}

// pyWriter is one process of the program other than the root. It has a
// Process in the lab from its first line, its multiprocessing name or its
// end, whichever comes first.
type pyWriter struct {
	pid, ppid int
	start     uint64 // with pid, its identity
	name      string
	proc      *Process
	streams   sync.WaitGroup // its output pipes still open
}

// reapGrace is how long an exit a parent reported waits for the child's
// last lines: a lane shows the end below them, not above.
const reapGrace = 500 * time.Millisecond

func newPyProgram(l *Lab, root *Process, rootOut *sync.WaitGroup) *pyProgram {
	return &pyProgram{l: l, root: root, rootOut: rootOut, writers: map[int]*pyWriter{}}
}

// Admit takes a process that connects as the program's if it is: the
// kernel named its pid, and its parent chain (or the lab's cgroup) says
// whether it descends from the program.
func (g *pyProgram) Admit(peer pyhook.Peer) bool {
	if peer.Pid != g.root.Pid() && !g.admitOther(peer) {
		return false
	}
	g.rootOut.Add(2) // its two pipes: Output ends each
	g.l.threadNames.started(peer.Pid)
	return true
}

// admitOther admits a process of the program other than the root.
func (g *pyProgram) admitOther(peer pyhook.Peer) bool {
	ppid, start := peer.PPid, uint64(0)
	if st, err := ReadStat(peer.Pid); err == nil {
		ppid, start = st.PPid, st.StartTime // the kernel's word over the hook's
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	w := g.writers[peer.Pid]
	if w == nil || (start != 0 && w.start != 0 && start != w.start) {
		// A process not seen yet, or a new one with an old pid.
		if len(g.writers) >= g.l.opts.MaxProgramProcesses {
			g.tooMany()
			return false
		}
		if !g.l.mayBeObserved(g.root, lineTag{pid: peer.Pid, ppid: ppid}) {
			return false
		}
		w = &pyWriter{pid: peer.Pid, ppid: ppid, start: start, name: peer.Name}
		g.writers[peer.Pid] = w
	}
	w.streams.Add(2)
	return true
}

// procOf returns the Process of a writer, added to the lab on first use.
// Called with g.mu held.
func (g *pyProgram) procOfLocked(w *pyWriter) *Process {
	if w.proc == nil {
		g.l.mu.Lock()
		w.proc = g.l.newObservedLocked(g.root, w.pid, w.ppid, w.name, w.start)
		g.l.mu.Unlock()
	}
	return w.proc
}

func (g *pyProgram) writer(pid int) *pyWriter {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.writers[pid]
}

// Output reads a process's stdout or stderr to its end: every byte is text
// of that process's lane, however it was written.
func (g *pyProgram) Output(peer pyhook.Peer, s pyhook.Stream, r io.Reader) {
	stream := Stdout
	if s == pyhook.Stderr {
		stream = Stderr
	}
	defer g.rootOut.Done()
	to := func() *Process { return g.root }
	if w := g.writer(peer.Pid); w != nil && peer.Pid != g.root.Pid() {
		defer w.streams.Done()
		to = func() *Process {
			g.mu.Lock()
			defer g.mu.Unlock()
			return g.procOfLocked(w)
		}
	}
	log := g.l.currentLog()
	_ = captureRawLines(r, func(raw []byte) { g.l.emitLine(log, to(), stream, cleanLine(raw)) })
}

// Named: a multiprocessing child has its name, and is in the lab from now
// on, whether it prints or not.
func (g *pyProgram) Named(peer pyhook.Peer, name string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	w := g.writers[peer.Pid]
	if w == nil || w.proc != nil {
		return // the root, or a process already shown under its first name
	}
	w.name = name
	g.procOfLocked(w)
}

// Reaped: a process of the program reaped its child. Only the parent the
// kernel gave the child can say how it ended.
func (g *pyProgram) Reaped(peer pyhook.Peer, child, code int) {
	g.mu.Lock()
	w := g.writers[child]
	if w == nil || w.ppid != peer.Pid {
		g.mu.Unlock()
		return
	}
	proc := g.procOfLocked(w)
	g.mu.Unlock()
	done := make(chan struct{})
	go func() { w.streams.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(reapGrace):
	}
	g.l.observedEnded(proc, code, true)
}

// Thread: threading named a thread of a process of the program.
func (g *pyProgram) Thread(peer pyhook.Peer, tid int, name string) {
	g.l.threadNames.set(peer.Pid, tid, name)
}

// tooMany says, once, that the program has as many processes as the lab
// shows for one. Called with g.mu held.
func (g *pyProgram) tooMany() {
	if g.full {
		return
	}
	g.full = true
	text, m := say(msgTooManyProcesses, g.root.Name(), g.l.opts.MaxProgramProcesses)
	g.l.problem(Event{Kind: EvError, Proc: g.root, Text: text, Say: m})
}

package procs

import (
	"os"
	"os/exec"
	"syscall"
	"time"

	"proclab/procs/contain"
)

// How long the lab gives its processes when it resets or closes.
const (
	// stopGrace is how long children have between SIGTERM and SIGKILL.
	stopGrace = time.Second
	// pipeGrace is how long, once every process of the lab is gone, the
	// output readers may still drain before their pipes are closed by
	// force: a descendant outside the lab's reach (no cgroup, a new
	// session) may hold a pipe open for ever, and closing must not wait.
	pipeGrace = 500 * time.Millisecond
)

// Reset ends every child of the current lab and starts a new, empty one:
// the clock and the Process-N counter start again.
func (l *Lab) Reset() {
	// The user may start a process while the others are being stopped:
	// stop again until none is left, and forget them only then.
	for {
		l.stopAll(stopGrace)
		l.closeHooks(pipeGrace) // the old programs' processes are gone
		l.mu.Lock()
		if len(l.unreaped) == 0 {
			break
		}
		l.mu.Unlock()
	}
	l.procs = nil
	l.observed = map[int]*Process{}
	l.transcript = nil
	l.groups = map[int]bool{}
	l.created = 0
	l.budget = NewBudget(l.opts.LaneBytes) // the old lanes are gone
	l.t0 = time.Now()
	l.main = MainState{}
	text, m := say(msgNewLab)
	l.publishLocked(Event{Kind: EvReset, Text: text, Say: m})
	l.mu.Unlock()
	l.openLog()
}

// Close ends every process of the lab, at any depth, and waits for every
// goroutine the lab started. After Close no process of the lab remains;
// it returns within a few seconds whatever the processes do.
func (l *Lab) Close() {
	l.closeOnce.Do(l.close)
}

func (l *Lab) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.stopAll(stopGrace)
	if l.stopOrphan != nil {
		l.stopOrphan()
	}
	close(l.closing)
	l.waitOwners(pipeGrace)
	l.closeHooks(pipeGrace)
	l.hookMu.Lock()
	if l.hookDir != "" {
		os.RemoveAll(l.hookDir)
	}
	l.hookMu.Unlock()
	if g := l.currentLog(); g != nil {
		if err := g.close(); err != nil {
			l.logStopped(err)
		}
	}
	l.contain.Close()
	l.mu.Lock()
	for s := range l.subs {
		s.closeLocked()
	}
	l.mu.Unlock()
}

// waitOwners waits for the lab's goroutines; past grace it closes the
// output pipes still open, which ends their readers at once.
func (l *Lab) waitOwners(grace time.Duration) {
	done := make(chan struct{})
	go func() { l.owners.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(grace):
	}
	l.mu.Lock()
	open := make([]*os.File, 0, len(l.pipes))
	for f := range l.pipes {
		open = append(open, f)
	}
	l.mu.Unlock()
	for _, f := range open {
		f.Close() // a Read blocked on it returns os.ErrClosed
	}
	<-done
}

// closePipe closes one output read end, once.
func (l *Lab) closePipe(f *os.File) {
	l.mu.Lock()
	delete(l.pipes, f)
	l.mu.Unlock()
	f.Close()
}

// stopAll terminates every live child, waits up to grace, then kills what
// remains and everything else of the lab at any depth, and waits for all of
// them to be reaped.
func (l *Lab) stopAll(grace time.Duration) {
	l.mu.Lock()
	live := make([]*Process, 0, len(l.unreaped))
	for p := range l.unreaped {
		live = append(live, p)
	}
	l.mu.Unlock()
	send := func(sig syscall.Signal) {
		for _, p := range live {
			p.mu.Lock()
			if p.osProc != nil && !p.ended {
				_ = p.osProc.Signal(sig)
			}
			p.mu.Unlock()
		}
	}
	send(syscall.SIGTERM)
	send(syscall.SIGCONT) // a stopped child only acts on SIGTERM once continued
	deadline := time.After(grace)
	for _, p := range live {
		select {
		case <-p.exited:
		case <-deadline:
		}
	}
	send(syscall.SIGKILL)
	l.killDescendants(live)
	for _, p := range live {
		<-p.exited
		l.reap(p, "ProcLab (the lab closed)")
	}
	if l.subreaper {
		l.killOrphans()
	}
}

// killDescendants ends what the lab's children started: with a cgroup,
// everything in it; without, what stayed in the children's process groups.
// The children in live are not reaped yet, so their group ids cannot have
// been reused.
func (l *Lab) killDescendants(live []*Process) {
	if l.Contained() {
		l.contain.KillAll()
		return
	}
	for _, p := range live {
		p.mu.Lock()
		pid := p.pid
		p.mu.Unlock()
		if pid > 0 {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
	}
}

// retryCmd is a fresh copy of a command whose start failed, to start again.
func retryCmd(c *exec.Cmd) *exec.Cmd {
	n := exec.Command(c.Path, c.Args[1:]...)
	n.Env, n.Dir, n.Stdin, n.Stdout, n.Stderr = c.Env, c.Dir, c.Stdin, c.Stdout, c.Stderr
	n.ExtraFiles, n.SysProcAttr = c.ExtraFiles, c.SysProcAttr
	return n
}

// Containment says in a sentence how far the lab reaches on this machine:
// whether the kernel holds every descendant, or only process groups do.
func (l *Lab) Containment() string { return l.contain.Describe() }

// ContainmentDetail is the lab's cgroup when the kernel holds the lab, or
// why there is none.
func (l *Lab) ContainmentDetail() string { return l.contain.Detail() }

// Contained reports whether the kernel holds every process of the lab
// (a cgroup), so that none can outlive ProcLab.
func (l *Lab) Contained() bool { return l.contain.Guarantee() == contain.Kernel }

// Members lists every process in the lab's cgroup now, at any depth and
// whoever its parent is; ok is false without a cgroup.
func (l *Lab) Members() (pids []int, ok bool) { return l.contain.Pids() }

// KeeperPid is the pid of the helper that ends the lab if ProcLab is
// killed: a child of ProcLab that is no process of the lab, or 0.
func (l *Lab) KeeperPid() int { return l.contain.KeeperPid() }

package procs

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Signals main sends its children: terminate(), kill(), os.kill with
// SIGSTOP and SIGCONT, each checked against Python's rules.

// Terminate is p.terminate(): SIGTERM.
func (l *Lab) Terminate(p *Process) error {
	return l.signal(p, syscall.SIGTERM, p.Var()+".terminate()", false, true)
}

// Kill is p.kill(): SIGKILL.
func (l *Lab) Kill(p *Process) error {
	return l.signal(p, syscall.SIGKILL, p.Var()+".kill()", false, true)
}

// KillFromOutside is os.kill(pid, SIGKILL) from another program: allowed
// even while main is blocked in join(), as a shell next to the program could.
func (l *Lab) KillFromOutside(p *Process) error {
	return l.signal(p, syscall.SIGKILL, fmt.Sprintf("os.kill(%s.pid, signal.SIGKILL)", p.Var()), true, false)
}

// Stop is os.kill(p.pid, signal.SIGSTOP): the child is frozen (state T).
func (l *Lab) Stop(p *Process) error {
	return l.signal(p, syscall.SIGSTOP, fmt.Sprintf("os.kill(%s.pid, signal.SIGSTOP)", p.Var()), true, true)
}

// Continue is os.kill(p.pid, signal.SIGCONT): a stopped child runs again.
func (l *Lab) Continue(p *Process) error {
	return l.signal(p, syscall.SIGCONT, fmt.Sprintf("os.kill(%s.pid, signal.SIGCONT)", p.Var()), true, true)
}

// signal sends sig to p for p.terminate()/p.kill() or, with viaOSKill, for
// os.kill(p.pid, sig); byMain says main's own code does it, which it
// cannot while blocked. Signals go only to the lab's own children, through
// their pidfd, and never to a reaped pid that may belong to someone else now.
func (l *Lab) signal(p *Process, sig syscall.Signal, python string, viaOSKill, byMain bool) error {
	if byMain {
		if err := l.mayAct(); err != nil {
			return l.fail(p, python, err)
		}
	}
	if err := p.checkOpen(); err != nil {
		return l.fail(p, python, err)
	}
	p.mu.Lock()
	status, proc, ended := p.status, p.osProc, p.ended
	p.mu.Unlock()
	switch {
	case status == Initial && viaOSKill:
		return l.fail(p, python, &PyError{"TypeError", "'NoneType' object cannot be interpreted as an integer"})
	case status == Initial:
		method := "terminate"
		if sig == syscall.SIGKILL {
			method = "kill"
		}
		return l.fail(p, python, errNotStarted(method))
	case status == Stopped && viaOSKill:
		// The pid was reaped: it may name another process by now.
		return l.fail(p, python, &PyError{"ProcessLookupError", "[Errno 3] No such process"})
	case status == Stopped:
		// Python does nothing once the exit code is known.
		text, m := say(msgNothingSent)
		l.publish(Event{Kind: EvSignalled, Proc: p, Python: python, Text: text, Say: m})
		return nil
	}
	if !ended {
		p.mu.Lock()
		switch sig {
		case syscall.SIGSTOP:
			p.frozen = true
		case syscall.SIGCONT:
			p.frozen = false
		}
		p.mu.Unlock()
	}
	// Announce first: the child may die and be reaped before Signal returns,
	// and the transcript must show p.kill() above the exit it caused.
	text, m := say(msgSignalSent, signalName(sig))
	if ended {
		// Python still signals: exitcode is None until the zombie is reaped.
		text, m = say(msgSignalSentZombie, signalName(sig))
	}
	l.publish(Event{Kind: EvSignalled, Proc: p, Python: python, Code: int(sig), Text: text, Say: m})
	// os.Process signals through a pidfd on Linux, so a recycled pid is
	// never hit; ErrProcessDone means the child ended a moment ago.
	if err := proc.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return l.fail(p, python, fmt.Errorf("OSError: %w", err))
	}
	return nil
}

// MainEnds runs what happens when main's code is over (multiprocessing's
// atexit hook): every daemonic child is terminated, then every other child
// is joined. It returns when main has ended or ctx is cancelled.

package procs

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Status is the Python-visible life stage of a Process object.
type Status int

const (
	Initial Status = iota // created, start() not called
	Started               // start() called, exit code not known yet
	Stopped               // the child ended and its exit code is known
)

func (s Status) String() string {
	switch s {
	case Initial:
		return "initial"
	case Started:
		return "started"
	default:
		return "stopped"
	}
}

// Spec is what the New-process form collects: the arguments of
// multiprocessing.Process(...) plus the daemon flag.
type Spec struct {
	Name    string   // empty: Process-N
	Target  string   // a registered task, or CommandTarget
	Args    []any    // positional arguments of the task
	Kwargs  []KV     // keyword arguments of the task
	Command []string // argv, when Target is CommandTarget
	Daemon  bool
	// AutoReap: the lab reaps it as soon as it ends, as a shell would,
	// instead of leaving a zombie for main to reap (programs run in the lab).
	AutoReap bool
}

// Process is one child of the lab, shaped like multiprocessing.Process.
// All methods are safe for concurrent use.
type Process struct {
	lab    *Lab
	id     int    // N of Process-N: the lab's count of created objects
	name   string // as Python's name attribute
	spec   Spec
	output *LineBuffer

	mu         sync.Mutex
	daemon     bool
	status     Status
	cmd        *exec.Cmd
	osProc     *os.Process
	pid        int
	ended      bool // the OS process has ended; a zombie while status is Started
	osExitCode int  // its exit status as Python will report it, once ended
	exitCode   int  // Python's exitcode, once reaped
	reapedBy   string
	vars       map[string]string // the worker's globals, as Python reprs
	frozen     bool              // SIGSTOP sent and no SIGCONT since
	closed     bool              // p.close() was called
	startedAt  time.Duration
	endedAt    time.Duration
	exited     chan struct{} // closed once the child has ended (it may be a zombie)
	done       chan struct{} // closed once it is reaped and the exit code is known
	outputDone chan struct{} // closed once its output pipes are closed by every writer (set by Start)
	going      chan struct{} // closed once the child has got going (set by Start; see Going)

	// A Python program run in the lab: its output carries the hook's tags.
	tagged   bool
	watching bool // a goroutine watches its observed children (lab.mu)
	// An observed process: started by observedBy's program, not by the lab.
	observedBy *Process
	parentPid  int
	osStart    uint64 // its start time, to tell it from a later process with its pid
	exitKnown  bool   // the hook reported its exit code
}

// Snapshot is a consistent copy of a Process's state for display.
type Snapshot struct {
	Proc     *Process
	ID       int
	Name     string
	Var      string // the Python variable standing for it in the transcript, p1
	Target   string
	Daemon   bool
	Status   Status
	Pid      int
	Zombie   bool   // ended but not reaped: Python's exitcode is still None
	ExitCode int    // meaningful when Status == Stopped, or the OS status of a zombie
	ReapedBy string // the call that reaped it
	Frozen   bool   // stopped with SIGSTOP
	Closed   bool   // p.close() was called
	// Observed: a process a program run in the lab started; ParentPid is
	// its real parent, and ExitKnown whether its exit code was reported.
	Observed  bool
	ParentPid int
	ExitKnown bool
	StartedAt time.Duration
	EndedAt   time.Duration
}

// Snapshot returns the current state in one read.
func (p *Process) Snapshot() Snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Snapshot{
		Proc: p, ID: p.id, Name: p.name, Var: p.Var(), Target: p.spec.Target,
		Daemon: p.daemon, Status: p.status, Pid: p.pid, ExitCode: p.exitCode,
		Zombie: p.status == Started && p.ended, ReapedBy: p.reapedBy,
		Frozen: p.frozen && !p.ended, Closed: p.closed,
		StartedAt: p.startedAt, EndedAt: p.endedAt,
		Observed: p.observedBy != nil, ParentPid: p.parentPid, ExitKnown: p.observedBy == nil || p.exitKnown,
	}
	if s.Zombie {
		s.ExitCode = p.osExitCode
	}
	return s
}

// Name is the process's name attribute.
func (p *Process) Name() string { return p.name }

// Var is the Python variable ProcLab's transcript uses for this process.
func (p *Process) Var() string {
	if p.observedBy != nil {
		return fmt.Sprintf("pid%d", p.pid) // no Python variable of main's stands for it
	}
	return fmt.Sprintf("p%d", p.id)
}

// Spec returns what the process was created with.
func (p *Process) Spec() Spec { return p.spec }

// Output is the lane: the most recent lines the process printed.
func (p *Process) Output() *LineBuffer { return p.output }

// Daemon reports the daemon flag.
func (p *Process) Daemon() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.daemon
}

// Pid is the OS process id, 0 before start.
func (p *Process) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pid
}

// ExitCode is Python's exitcode as the lab last learned it: ok is false
// while it is None, which includes a zombie that main has not reaped yet.
// Reading it does not reap (in Python reading exitcode does: Lab.IsAlive
// is that call).
func (p *Process) ExitCode() (code int, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exitCode, p.status == Stopped
}

// Vars returns the process's own globals as it last reported them, each as
// Python's repr (g_list: "[0, 1, 2]"); nil before the first report.
func (p *Process) Vars() map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.vars
}

// Done is closed once the process is reaped and its exit code known.
func (p *Process) Done() <-chan struct{} { return p.done }

// Exited is closed once the process has ended, reaped or not.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Going is closed once the child has got going: a task's worker has been
// through its start-up and reported its globals (or ended), any other
// program has been started. Whoever starts many processes in a row waits
// for it, so that their start-ups do not all compete for the cores with
// the window at once. It is nil before Start.
func (p *Process) Going() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.going
}

// OutputDone is closed once nothing can write to the child's output any
// more: it and everything it started that held its stdout or stderr have
// ended (or the lab closed the pipes), as a pipe into cat ends. It is nil
// before Start.
func (p *Process) OutputDone() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.outputDone
}

// Repr is the object's repr() exactly as CPython prints it.
func (p *Process) Repr() string {
	s := p.Snapshot()
	info := []string{"Process", "name=" + reprString(s.Name)}
	if s.Closed {
		return fmt.Sprintf("<Process name=%s parent=%d closed>", reprString(s.Name), os.Getpid())
	}
	if s.Status != Initial {
		info = append(info, fmt.Sprintf("pid=%d", s.Pid))
	}
	parent := os.Getpid()
	if s.Observed {
		parent = s.ParentPid
	}
	info = append(info, fmt.Sprintf("parent=%d", parent), s.Status.String())
	if s.Status == Stopped {
		info = append(info, "exitcode="+ExitCodeName(s.ExitCode))
	}
	if s.Daemon {
		info = append(info, "daemon")
	}
	return "<" + strings.Join(info, " ") + ">"
}

// ExitCodeName prints an exit code as multiprocessing's repr does:
// negative codes by signal name (-SIGTERM), others as numbers.
func ExitCodeName(code int) string {
	if code < 0 {
		if name := signalName(syscall.Signal(-code)); name != "" {
			return "-" + name
		}
	}
	return fmt.Sprint(code)
}

func signalName(sig syscall.Signal) string {
	names := map[syscall.Signal]string{
		syscall.SIGHUP: "SIGHUP", syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT",
		syscall.SIGILL: "SIGILL", syscall.SIGABRT: "SIGABRT", syscall.SIGFPE: "SIGFPE",
		syscall.SIGKILL: "SIGKILL", syscall.SIGSEGV: "SIGSEGV", syscall.SIGPIPE: "SIGPIPE",
		syscall.SIGALRM: "SIGALRM", syscall.SIGTERM: "SIGTERM", syscall.SIGUSR1: "SIGUSR1",
		syscall.SIGUSR2: "SIGUSR2", syscall.SIGCHLD: "SIGCHLD", syscall.SIGCONT: "SIGCONT",
		syscall.SIGSTOP: "SIGSTOP", syscall.SIGTSTP: "SIGTSTP", syscall.SIGBUS: "SIGBUS",
	}
	return names[sig]
}

// PyError is an error the Python program would have raised, with its
// exception type and CPython's text.
type PyError struct {
	Type string // AssertionError, ValueError, ...
	Msg  string
}

func (e *PyError) Error() string { return e.Type + ": " + e.Msg }

// Errors with CPython's exact wording.
var (
	ErrStartTwice     = &PyError{"AssertionError", "cannot start a process twice"}
	ErrDaemonStarted  = &PyError{"AssertionError", "process has already started"}
	ErrJoinNotStarted = &PyError{"AssertionError", "can only join a started process"}
	ErrCloseRunning   = &PyError{"ValueError", "Cannot close a process while it is still running. You should first call join() or terminate()."}
	ErrClosed         = &PyError{"ValueError", "process object is closed"}
)

func (p *Process) checkOpen() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	if p.observedBy != nil {
		return fmt.Errorf("%s was started by the program %s runs, not by ProcLab: ProcLab only watches it", p.name, p.observedBy.name)
	}
	return nil
}

// errNotStarted is what Python raises for terminate()/kill() before start():
// the Popen object does not exist yet.
func errNotStarted(method string) error {
	return &PyError{"AttributeError", fmt.Sprintf("'NoneType' object has no attribute '%s'", method)}
}

// ErrMainBusy and ErrMainEnded refuse actions while main cannot act.
var (
	ErrMainEnded = errors.New("the main process has ended: start a new lab to continue")
)

// MainBusyError says main is blocked in a join and cannot run other code.
type MainBusyError struct{ On string }

func (e *MainBusyError) Error() string {
	return fmt.Sprintf("main is blocked in %s.join(); wait for it or interrupt it", e.On)
}

package procs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"proclab/procs/contain"
	"proclab/procs/pyhook"
)

// MainPhase is what the main process (ProcLab itself) is doing.
type MainPhase int

const (
	MainRunning MainPhase = iota // free to act
	MainJoining                  // blocked in join()
	MainEnding                   // its code is over: terminating daemons, joining the rest
	MainEnded                    // over; the lab is finished until a new one starts
)

func (m MainPhase) String() string {
	return [...]string{"running", "blocked in join()", "ending", "ended"}[m]
}

// MainState is main's phase and, while it joins, the process it waits for.
type MainState struct {
	Phase   MainPhase
	Joining *Process
}

func (m MainState) String() string {
	if m.Phase == MainJoining && m.Joining != nil {
		return "blocked in " + m.Joining.Var() + ".join()"
	}
	return m.Phase.String()
}

// EventKind names what happened in the lab.
type EventKind int

const (
	EvCreated   EventKind = iota // a Process object was created
	EvDaemon                     // its daemon flag changed
	EvStarted                    // start() created the child
	EvOutput                     // the child printed a line
	EvSignalled                  // a signal was sent
	EvExited                     // the child ended (a zombie until reaped); Code holds its exit code
	EvReaped                     // main reaped it: Python's exitcode is known; Text says which call
	EvJoined                     // a join() returned; Code is 1 if the child had ended
	EvState                      // main changed phase
	EvError                      // an action raised; Text says what Python would print
	EvReset                      // a new lab began: forget every process
	EvPolled                     // is_alive() or active_children() answered; Text is the result
	EvVars                       // a worker reported its variables (see Process.Vars)
	EvClosed                     // p.close() released the object
	EvAdopted                    // an orphan was re-parented to ProcLab; Code is its pid
)

var eventNames = [...]string{"created", "daemon", "started", "output", "signalled", "exited", "reaped", "joined", "state", "error", "reset", "polled", "vars", "closed", "adopted"}

func (k EventKind) String() string { return eventNames[k] }

// Event is one thing that happened, in order.
type Event struct {
	At     time.Duration // since the lab began
	Kind   EventKind
	Proc   *Process  // nil for main
	Line   Line      // EvOutput
	Main   MainState // EvState
	Python string    // the Python statement the action stands for, if any
	Text   string    // a message for people, in English
	// Say is Text as a format and its arguments, when it has one, so that
	// a window can say it in its user's language (Text is Say in English).
	Say  Message
	Code int // EvExited: exit code; EvSignalled: signal; EvJoined: 1 if ended
}

// Lab is one experiment: main (this program) and the children it creates.
// Every action goes through the Lab, which checks it against Python's rules
// and publishes what happened to its subscribers.
type Lab struct {
	opts Options

	mu      sync.Mutex
	t0      time.Time
	created int     // Python's _process_counter: advances per created object
	budget  *Budget // what the lanes of this lab generation keep together
	procs   []*Process
	main    MainState
	subs    map[*Subscription]struct{}
	owners  sync.WaitGroup // one goroutine per started child, its pipe readers, the orphan watch
	closed  bool

	// startMu keeps the orphan watch from looking while a child is being
	// started and has no pid in the lab yet.
	startMu sync.Mutex
	groups  map[int]bool // process groups led by lab children: their descendants are the lab's
	// unreaped holds every child started and not yet reaped, whichever lab
	// generation it belongs to: stopping the lab stops these, so a child
	// started while the lab resets is not forgotten.
	unreaped map[*Process]bool
	// observed are the processes programs run in the lab started, by pid.
	observed map[int]*Process
	hookMu   sync.Mutex
	hookDir  string // the Python hook's folder, once written (hookMu)
	// hookServers are the Servers of the Python programs run in the lab (hookMu).
	hookServers []*pyhook.Server
	hookDrops   sync.WaitGroup // dropHook calls under way
	adopted     map[int]Orphan // orphans re-parented to ProcLab, not yet reaped
	subreaper   bool
	contain     *contain.Group    // every process of the lab, at any depth (cgroup, or process groups)
	pipes       map[*os.File]bool // output read ends still open: closed by force when the lab closes
	stopOrphan  context.CancelFunc
	closing     chan struct{} // closed by Close: ends the lab's own goroutines
	closeOnce   sync.Once

	threadNames threadNames // of the threads of Python programs' processes

	transcript []Statement   // what main did, as Python (see ExportPython)
	log        *labLog       // every output line, on disk; nil when off or failed
	logProblem string        // why the current lab has no log, or why it stopped
	logDirty   chan struct{} // a line was written to the log: flush it soon
}

// NewLab returns an empty lab whose clock starts now.
func NewLab(opts Options) (*Lab, error) {
	if opts.Exe == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("cannot find the proclab binary to start workers: %w", err)
		}
		opts.Exe = exe
	}
	if opts.LaneLines <= 0 {
		opts.LaneLines = DefaultLaneLines
	}
	if opts.MaxProgramProcesses <= 0 {
		opts.MaxProgramProcesses = DefaultMaxProgramProcesses
	}
	if opts.LaneBytes <= 0 {
		opts.LaneBytes = DefaultLabBytes
	}
	if opts.LogDir == "" {
		opts.LogDir = DefaultLogDir()
	}
	if opts.LogLimit == 0 {
		opts.LogLimit = DefaultLogLimit
	}
	l := &Lab{opts: opts, t0: time.Now(), budget: NewBudget(opts.LaneBytes), subs: map[*Subscription]struct{}{},
		groups: map[int]bool{}, unreaped: map[*Process]bool{}, observed: map[int]*Process{}, adopted: map[int]Orphan{}, pipes: map[*os.File]bool{}, closing: make(chan struct{}), logDirty: make(chan struct{}, 1)}
	l.contain = contain.NewWithKeeper("lab", opts.Exe) // the workers' binary keeps them
	l.openLog()
	l.owners.Add(1)
	go l.flushLog()
	l.subreaper = becomeSubreaper()
	if l.subreaper {
		ctx, cancel := context.WithCancel(context.Background())
		l.stopOrphan = cancel
		l.owners.Add(1)
		go l.watchOrphans(ctx)
	}
	return l, nil
}

func (l *Lab) currentLog() *labLog {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.log
}

// LogPath is the file holding every line of the current lab, "" if none.
func (l *Lab) LogPath() string {
	if g := l.currentLog(); g != nil {
		g.flush()
		return g.path
	}
	return ""
}

// Subreaper reports whether orphans of the lab are adopted by ProcLab.
func (l *Lab) Subreaper() bool { return l.subreaper }

// Since is the time since the lab began.
func (l *Lab) Since() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Since(l.t0)
}

// Processes lists the lab's processes in creation order.
func (l *Lab) Processes() []*Process {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*Process(nil), l.procs...)
}

// Main returns main's state.
func (l *Lab) Main() MainState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.main
}

// live lists the processes started and not yet reaped (zombies included),
// without reaping anything: the lab's own bookkeeping, not a Python call.
func (l *Lab) live() []*Process {
	var out []*Process
	for _, p := range l.Processes() {
		if s := p.Snapshot(); s.Status == Started && !s.Observed {
			out = append(out, p)
		}
	}
	return out
}

// ActiveChildren is multiprocessing.active_children(): it reaps every child
// that has ended and returns those still running.
func (l *Lab) ActiveChildren() []*Process {
	python := "multiprocessing.active_children()"
	l.reapEnded(python)
	var alive []*Process
	var names []string
	for _, p := range l.live() {
		alive = append(alive, p)
		names = append(names, p.Repr())
	}
	l.publish(Event{Kind: EvPolled, Python: python, Text: "[" + strings.Join(names, ", ") + "]"})
	return alive
}

// IsAlive is p.is_alive(): it reaps p if p has ended.
func (l *Lab) IsAlive(p *Process) bool {
	python := p.Var() + ".is_alive()"
	if err := p.checkOpen(); err != nil {
		_ = l.fail(p, python, err)
		return false
	}
	l.reap(p, python)
	alive := p.Snapshot().Status == Started
	l.publish(Event{Kind: EvPolled, Proc: p, Python: python, Text: Repr(alive)})
	return alive
}

// ExitCodeNow is reading p.exitcode in Python: it polls, so it reaps p if
// p has ended; ok is false while the answer is None.
func (l *Lab) ExitCodeNow(p *Process) (code int, ok bool) {
	python := p.Var() + ".exitcode"
	l.reap(p, python)
	code, ok = p.ExitCode()
	text := "None"
	if ok {
		text = fmt.Sprint(code)
	}
	l.publish(Event{Kind: EvPolled, Proc: p, Python: python, Text: text})
	return code, ok
}

// reapEnded reaps every child that has ended, as multiprocessing's
// _cleanup() does before start() and in active_children().
func (l *Lab) reapEnded(by string) {
	for _, p := range l.live() {
		l.reap(p, by)
	}
}

// reap collects p's exit status if p has ended and is not reaped yet: the
// zombie goes away and Python's exitcode becomes known. by names the Python
// call that did it. It reports whether it reaped.
func (l *Lab) reap(p *Process, by string) bool {
	p.mu.Lock()
	if p.status != Started || !p.ended {
		p.mu.Unlock()
		return false
	}
	code := p.osExitCode
	if err := p.cmd.Wait(); err == nil || p.cmd.ProcessState != nil {
		code = exitCodeOf(p.cmd.ProcessState)
	}
	p.status = Stopped
	p.exitCode = code
	p.reapedBy = by
	// Its threads' names go before anyone waiting for its end is told.
	l.threadNames.forget(p.pid)
	close(p.done)
	p.mu.Unlock()
	l.mu.Lock()
	delete(l.unreaped, p)
	l.mu.Unlock()
	text, m := say(msgReaped, by, ExitCodeName(code))
	l.publish(Event{Kind: EvReaped, Proc: p, Code: code, Text: text, Say: m})
	return true
}

func exitCodeOf(state *os.ProcessState) int {
	ws, ok := state.Sys().(syscall.WaitStatus)
	if !ok {
		return state.ExitCode()
	}
	if ws.Signaled() {
		return -int(ws.Signal())
	}
	return ws.ExitStatus()
}

// publish stamps an event and queues it for every subscriber. Callers may
// hold p.mu but not l.mu.
func (l *Lab) publish(e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.publishLocked(e)
}

func (l *Lab) publishLocked(e Event) {
	if e.At == 0 {
		e.At = time.Since(l.t0)
	}
	l.record(e)
	for s := range l.subs {
		s.push(e)
	}
}

// fail publishes an action's error and returns it.
func (l *Lab) fail(p *Process, python string, err error) error {
	l.publish(Event{Kind: EvError, Proc: p, Python: python, Text: err.Error()})
	return err
}

// mayAct checks that main is free to run code.
func (l *Lab) mayAct() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch l.main.Phase {
	case MainJoining:
		return &MainBusyError{On: l.main.Joining.Var()}
	case MainEnding, MainEnded:
		return ErrMainEnded
	}
	if l.closed {
		return ErrMainEnded
	}
	return nil
}

// Create is multiprocessing.Process(target=..., name=..., args=..., kwargs=...).
func (l *Lab) Create(spec Spec) (*Process, error) {
	if err := l.mayAct(); err != nil {
		return nil, l.fail(nil, "", err)
	}
	if spec.Target == CommandTarget {
		if len(spec.Command) == 0 {
			return nil, l.fail(nil, "", errors.New("command: type the program and its arguments, e.g. sleep 3"))
		}
		if err := checkProgram(spec.Command[0]); err != nil {
			return nil, l.fail(nil, "", err)
		}
		if len(spec.Args) > 0 || len(spec.Kwargs) > 0 {
			return nil, l.fail(nil, "", errors.New("command: put the program's arguments in the command, not in args or kwargs"))
		}
	} else {
		t, ok := LookupTask(spec.Target)
		if !ok {
			return nil, l.fail(nil, "", fmt.Errorf("unknown target %q: choose one of %s, or %s", spec.Target, strings.Join(TaskNames(), ", "), CommandTarget))
		}
		// Python raises this TypeError in the child once it starts; the lab
		// lets it happen so the lane shows the traceback and exit code 1.
		_ = t
	}
	l.mu.Lock()
	l.created++
	p := &Process{lab: l, id: l.created, spec: spec, output: l.budget.NewLineBuffer(l.opts.LaneLines), daemon: spec.Daemon, exited: make(chan struct{}), done: make(chan struct{})}
	// What a program calls itself (a file name) is shown as text only:
	// its control and bidi characters made visible in the tree, the log
	// and a terminal.
	p.name = Printable(spec.Name)
	if p.name == "" {
		p.name = fmt.Sprintf("Process-%d", p.id)
	}
	l.procs = append(l.procs, p)
	l.publishLocked(Event{Kind: EvCreated, Proc: p, Python: createPython(p)})
	if spec.Daemon {
		l.publishLocked(Event{Kind: EvDaemon, Proc: p, Python: p.Var() + ".daemon = True"})
	}
	l.mu.Unlock()
	return p, nil
}

func createPython(p *Process) string {
	s := p.spec
	var parts []string
	if s.Target == CommandTarget {
		argv := make([]any, len(s.Command))
		for i, a := range s.Command {
			argv[i] = a
		}
		parts = append(parts, "target=run_command", "args="+ReprArgs(argv))
	} else {
		parts = append(parts, "target="+s.Target)
	}
	if s.Name != "" {
		parts = append(parts, "name="+reprString(s.Name))
	}
	if len(s.Args) > 0 {
		parts = append(parts, "args="+ReprArgs(s.Args))
	}
	if len(s.Kwargs) > 0 {
		parts = append(parts, "kwargs="+ReprKwargs(s.Kwargs))
	}
	return fmt.Sprintf("%s = multiprocessing.Process(%s)", p.Var(), strings.Join(parts, ", "))
}

// SetDaemon is p.daemon = on; Python refuses it once the process started.
func (l *Lab) SetDaemon(p *Process, on bool) error {
	python := p.Var() + ".daemon = " + Repr(on)
	if err := l.mayAct(); err != nil {
		return l.fail(p, python, err)
	}
	if err := p.checkOpen(); err != nil {
		return l.fail(p, python, err)
	}
	p.mu.Lock()
	if p.status != Initial {
		p.mu.Unlock()
		return l.fail(p, python, ErrDaemonStarted)
	}
	p.daemon = on
	p.mu.Unlock()
	l.publish(Event{Kind: EvDaemon, Proc: p, Python: python})
	return nil
}

// Join is p.join(timeout): main blocks until the child ends, the timeout
// passes (timeout <= 0 waits forever) or ctx is cancelled, which stands for
// a KeyboardInterrupt. It reports whether the child had ended.
func (l *Lab) Join(ctx context.Context, p *Process, timeout time.Duration) (bool, error) {
	python := p.Var() + ".join()"
	if timeout > 0 {
		python = fmt.Sprintf("%s.join(timeout=%s)", p.Var(), reprFloat(timeout.Seconds()))
	}
	if err := l.mayAct(); err != nil {
		return false, l.fail(p, python, err)
	}
	if err := p.checkOpen(); err != nil {
		return false, l.fail(p, python, err)
	}
	if p.Snapshot().Status == Initial {
		return false, l.fail(p, python, ErrJoinNotStarted)
	}
	l.setMain(MainState{Phase: MainJoining, Joining: p}, python)
	joinedAt := time.Now()
	var expire <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expire = t.C
	}
	var ended bool
	var err error
	select {
	case <-p.exited:
		ended = true
		l.reap(p, python)
	case <-expire:
	case <-ctx.Done():
		err = &PyError{"KeyboardInterrupt", "join interrupted"}
		l.markInterrupted(python, time.Since(joinedAt))
	}
	l.setMain(MainState{Phase: MainRunning}, "")
	e := Event{Kind: EvJoined, Proc: p}
	switch {
	case err != nil:
		e.Text = err.Error()
	case ended:
		e.Code = 1
		e.Text, e.Say = say(msgJoinReturned, p.Var()+".join()", p.Var(), exitRepr(p))
	default:
		e.Text, e.Say = say(msgJoinTimedOut, p.Var()+".join()", p.Var())
	}
	l.publish(e)
	return ended, err
}

func exitRepr(p *Process) string {
	if code, ok := p.ExitCode(); ok {
		return fmt.Sprint(code)
	}
	return "None"
}

func (l *Lab) setMain(m MainState, python string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.main = m
	l.publishLocked(Event{Kind: EvState, Main: m, Python: python, Text: "main: " + m.String()})
}

// CloseProcess is p.close(): it releases the object once the child has
// ended (reaping it if needed); afterwards every method raises ValueError.
func (l *Lab) CloseProcess(p *Process) error {
	python := p.Var() + ".close()"
	if err := l.mayAct(); err != nil {
		return l.fail(p, python, err)
	}
	if err := p.checkOpen(); err != nil {
		return l.fail(p, python, err)
	}
	l.reap(p, python)
	p.mu.Lock()
	if p.status == Started {
		p.mu.Unlock()
		return l.fail(p, python, ErrCloseRunning)
	}
	p.closed = true
	p.mu.Unlock()
	l.publish(Event{Kind: EvClosed, Proc: p, Python: python, Text: p.Repr()})
	return nil
}

// SetAffinity is os.sched_setaffinity(p.pid, cores): the child may run only
// on those cores. One core shows concurrency (time-slicing), all cores
// parallelism. It applies to a running child, never to a reaped pid.
func (l *Lab) SetAffinity(p *Process, cores []int) error {
	set := make([]string, len(cores))
	for i, c := range cores {
		set[i] = fmt.Sprint(c)
	}
	python := fmt.Sprintf("os.sched_setaffinity(%s.pid, {%s})", p.Var(), strings.Join(set, ", "))
	if err := l.mayAct(); err != nil {
		return l.fail(p, python, err)
	}
	s := p.Snapshot()
	switch {
	case s.Status == Initial:
		return l.fail(p, python, &PyError{"TypeError", "'NoneType' object cannot be interpreted as an integer"})
	case s.Status == Stopped || s.Zombie:
		return l.fail(p, python, &PyError{"ProcessLookupError", "[Errno 3] No such process"})
	}
	if err := setAffinity(s.Pid, cores); err != nil {
		return l.fail(p, python, err)
	}
	text, m := say(msgMayRun, strings.Join(set, ", "))
	l.publish(Event{Kind: EvSignalled, Proc: p, Python: python, Text: text, Say: m})
	return nil
}

func (l *Lab) MainEnds(ctx context.Context) error {
	python := "# main's code ends here"
	if err := l.mayAct(); err != nil {
		return l.fail(nil, python, err)
	}
	l.setMain(MainState{Phase: MainEnding}, python)
	// multiprocessing's _exit_function: active_children() reaps the ended
	// ones; daemonic children are terminated; then every child is joined.
	active := l.ActiveChildren()
	for _, p := range active {
		if p.Daemon() {
			_ = l.signal(p, syscall.SIGTERM, p.Var()+".terminate()  # daemonic: terminated when main ends", false, false)
		}
	}
	for _, p := range l.ActiveChildren() {
		python := p.Var() + ".join()"
		text, m := say(msgMainWaits, p.Name())
		l.publish(Event{Kind: EvState, Main: MainState{Phase: MainEnding, Joining: p}, Python: python, Text: text, Say: m})
		select {
		case <-p.exited:
			l.reap(p, python)
			text, m := say(msgJoinReturned, python, p.Var(), exitRepr(p))
			l.publish(Event{Kind: EvJoined, Proc: p, Code: 1, Text: text, Say: m})
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	l.mu.Lock()
	l.main = MainState{Phase: MainEnded}
	l.publishLocked(Event{Kind: EvState, Main: l.main, Text: "main: ended"})
	l.mu.Unlock()
	return nil
}

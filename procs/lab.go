package procs

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"proclab/procs/contain"
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
	Text   string    // a message for people
	Code   int       // EvExited: exit code; EvSignalled: signal; EvJoined: 1 if ended
}

// Options configure a Lab.
type Options struct {
	// Exe is the binary re-executed in worker mode; default: this program.
	Exe string
	// LaneLines is how many recent lines each lane keeps; default DefaultLaneLines.
	LaneLines int
	// LogDir receives the full output of each lab; default DefaultLogDir().
	// "-" turns the log off.
	LogDir string
	// LogLimit bounds the bytes one lab's log holds; 0: DefaultLogLimit,
	// negative: no bound.
	LogLimit int64
	// NoPythonHook runs Python programs as they are, without tagging their
	// lines per process.
	NoPythonHook bool
}

// Lab is one experiment: main (this program) and the children it creates.
// Every action goes through the Lab, which checks it against Python's rules
// and publishes what happened to its subscribers.
type Lab struct {
	opts Options

	mu      sync.Mutex
	t0      time.Time
	created int // Python's _process_counter: advances per created object
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
	observed   map[int]*Process
	hookMu     sync.Mutex
	hookDir    string         // the Python hook's folder, once written (hookMu)
	adopted    map[int]Orphan // orphans re-parented to ProcLab, not yet reaped
	subreaper  bool
	contain    *contain.Group    // every process of the lab, at any depth (cgroup, or process groups)
	pipes      map[*os.File]bool // output read ends still open: closed by force when the lab closes
	stopOrphan context.CancelFunc
	closing    chan struct{} // closed by Close: ends the lab's own goroutines
	closeOnce  sync.Once

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
	if opts.LogDir == "" {
		opts.LogDir = DefaultLogDir()
	}
	if opts.LogLimit == 0 {
		opts.LogLimit = DefaultLogLimit
	}
	l := &Lab{opts: opts, t0: time.Now(), subs: map[*Subscription]struct{}{},
		groups: map[int]bool{}, unreaped: map[*Process]bool{}, observed: map[int]*Process{}, adopted: map[int]Orphan{}, pipes: map[*os.File]bool{}, closing: make(chan struct{}), logDirty: make(chan struct{}, 1)}
	l.contain = contain.New("lab")
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
	close(p.done)
	p.mu.Unlock()
	l.mu.Lock()
	delete(l.unreaped, p)
	l.mu.Unlock()
	l.publish(Event{Kind: EvReaped, Proc: p, Code: code, Text: fmt.Sprintf("reaped by %s: exitcode=%s", by, ExitCodeName(code))})
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
	p := &Process{lab: l, id: l.created, spec: spec, output: NewLineBuffer(l.opts.LaneLines), daemon: spec.Daemon, exited: make(chan struct{}), done: make(chan struct{})}
	p.name = spec.Name
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

// Start is p.start(): the child is created now, as a real process.
func (l *Lab) Start(p *Process) error {
	python := p.Var() + ".start()"
	if err := l.mayAct(); err != nil {
		return l.fail(p, python, err)
	}
	if err := p.checkOpen(); err != nil {
		return l.fail(p, python, err)
	}
	if p.Snapshot().Status != Initial {
		return l.fail(p, python, ErrStartTwice)
	}
	// Python's start() first reaps every child that has ended (_cleanup).
	l.reapEnded(python)
	p.mu.Lock()
	if p.status != Initial {
		p.mu.Unlock()
		return l.fail(p, python, ErrStartTwice)
	}
	var cmd *exec.Cmd
	var extraEnv []string
	if p.spec.Target == CommandTarget {
		cmd = exec.Command(p.spec.Command[0], p.spec.Command[1:]...)
		if IsPython(p.spec.Command) && !l.opts.NoPythonHook {
			env, err := l.pythonEnv()
			if err != nil {
				p.mu.Unlock()
				return l.fail(p, python, fmt.Errorf("OSError: the Python hook: %w", err))
			}
			extraEnv, p.tagged = env, true
		}
	} else {
		cmd = exec.Command(l.opts.Exe, workerArgs(p.name, p.spec.Target, p.spec.Args, p.spec.Kwargs, p.daemon)...)
	}
	cmd.SysProcAttr = childAttr()
	cmd.Env = append(append(os.Environ(), "PYTHONUNBUFFERED=1"), extraEnv...)
	var stateR *os.File
	if p.spec.Target != CommandTarget {
		r, w, err := os.Pipe()
		if err != nil {
			p.mu.Unlock()
			return l.fail(p, python, fmt.Errorf("OSError: %w", err))
		}
		defer w.Close() // the child has its own copy once started
		stateR = r
		cmd.ExtraFiles = []*os.File{w} // fd 3 in the child
		cmd.Env = append(cmd.Env, stateFDEnv+"=3")
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		p.mu.Unlock()
		return l.fail(p, python, fmt.Errorf("OSError: %w", err))
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		p.mu.Unlock()
		outR.Close()
		outW.Close()
		return l.fail(p, python, fmt.Errorf("OSError: %w", err))
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	cmd.Env = append(cmd.Env, fmt.Sprintf("%s=%d", labPidEnv, os.Getpid()))
	l.startMu.Lock()
	started := l.contain.Prepare(cmd.SysProcAttr)
	err = cmd.Start()
	if err != nil && l.contain.Retry(cmd.SysProcAttr, err) {
		cmd = retryCmd(cmd)
		err = cmd.Start()
	}
	if err == nil {
		l.contain.Adopt(cmd.Process.Pid)
	}
	started()
	// The child holds its own copies of the write ends; closing ours lets
	// the readers see EOF when the child (and anything it started) is done.
	outW.Close()
	errW.Close()
	if err != nil {
		l.startMu.Unlock()
		p.mu.Unlock()
		outR.Close()
		errR.Close()
		if stateR != nil {
			stateR.Close()
		}
		return l.fail(p, python, fmt.Errorf("OSError: %w", err))
	}
	p.cmd = cmd
	p.osProc = cmd.Process
	p.pid = cmd.Process.Pid
	l.mu.Lock()
	l.groups[p.pid] = true // the child leads its own process group (childAttr)
	l.unreaped[p] = true
	l.mu.Unlock()
	l.startMu.Unlock()
	p.status = Started
	p.startedAt = l.Since()
	outputDone := make(chan struct{})
	p.outputDone = outputDone
	p.mu.Unlock()

	l.publish(Event{Kind: EvStarted, Proc: p, Python: python, Text: fmt.Sprintf("pid %d", p.pid)})
	l.owners.Add(3)
	var readers sync.WaitGroup
	readers.Add(2)
	l.mu.Lock()
	l.pipes[outR], l.pipes[errR] = true, true
	if stateR != nil {
		l.pipes[stateR] = true
	}
	l.mu.Unlock()
	capture := func(r *os.File, stream Stream) {
		defer l.owners.Done()
		defer readers.Done()
		defer l.closePipe(r)
		log := l.currentLog()
		emit := func(to *Process, text string) {
			line := to.output.add(Line{At: l.Since(), Stream: stream, Text: text})
			if log != nil {
				if err := log.write(to.name, to.pid, line); err != nil {
					l.logStopped(err)
				}
			}
			l.publish(Event{At: line.At, Kind: EvOutput, Proc: to, Line: line})
		}
		if !p.tagged {
			_ = captureLines(r, func(text string) { emit(p, text) })
			return
		}
		// A Python program: route each line to the process that wrote it.
		_ = captureRawLines(r, func(raw []byte) {
			tag, rest, ok := parsePythonTag(raw)
			if !ok {
				emit(p, cleanLine(raw)) // no hook: the program's own lane
				return
			}
			to := l.observedFor(p, tag)
			if tag.kind == 'x' {
				if code, err := strconv.Atoi(string(bytes.TrimSpace(rest))); err == nil && to != p {
					l.observedEnded(to, code, true)
				}
				return
			}
			emit(to, cleanLine(rest))
		})
	}
	go capture(outR, Stdout)
	go capture(errR, Stderr)
	if stateR != nil {
		l.owners.Add(1)
		readers.Add(1)
		go func() {
			defer l.owners.Done()
			defer readers.Done()
			defer l.closePipe(stateR)
			l.readState(p, stateR)
		}()
	}
	go func() { readers.Wait(); close(outputDone) }()
	go l.own(p, cmd, outputDone)
	return nil
}

// readState reads a worker's variable reports: one JSON object a line,
// names to values. Each value is kept as Python's repr of it.
func (l *Lab) readState(p *Process, r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		var raw map[string]json.RawMessage
		if json.Unmarshal(sc.Bytes(), &raw) != nil {
			continue // a malformed report changes nothing
		}
		vars := make(map[string]string, len(raw))
		for name, value := range raw {
			d := json.NewDecoder(bytes.NewReader(value))
			d.UseNumber()
			var v any
			if d.Decode(&v) == nil {
				vars[name] = Repr(normalize(v))
			}
		}
		p.mu.Lock()
		p.vars = vars
		p.mu.Unlock()
		l.publish(Event{Kind: EvVars, Proc: p})
	}
}

// own is the one goroutine that waits for the child. It sees the exit
// without reaping it: the child stays a zombie, and Python's exitcode stays
// None, until main reaps it (join, is_alive, active_children, start).
func (l *Lab) own(p *Process, cmd *exec.Cmd, outputDone <-chan struct{}) {
	defer l.owners.Done()
	code, err := waitExited(cmd.Process.Pid)
	zombie := err == nil
	if !zombie {
		// This system cannot wait without reaping: reap now.
		_ = cmd.Wait()
		code = exitCodeOf(cmd.ProcessState)
	}
	// Let the last lines arrive before the exit is announced, so a lane
	// never shows the end above output the child printed before it.
	// Something the child started may keep the pipe open: do not wait long.
	select {
	case <-outputDone:
	case <-time.After(200 * time.Millisecond):
	}
	p.mu.Lock()
	p.ended = true
	p.osExitCode = code
	p.endedAt = l.Since()
	if !zombie {
		p.status, p.exitCode, p.reapedBy = Stopped, code, "ProcLab"
	}
	p.mu.Unlock()
	text := fmt.Sprintf("ended with exit status %s; a zombie until main reaps it", ExitCodeName(code))
	if !zombie {
		text = "exitcode=" + ExitCodeName(code)
	}
	l.publish(Event{Kind: EvExited, Proc: p, Code: code, Text: text})
	// Closed after the event is out, so whoever waits on Exited (or Done)
	// finds the exit already in every subscription.
	close(p.exited)
	if !zombie {
		close(p.done)
	}
	if p.spec.AutoReap {
		l.reap(p, "ProcLab, as a shell would")
	}
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
		e.Text = p.Var() + ".join() returned: " + p.Var() + ".exitcode == " + exitRepr(p)
	default:
		e.Text = p.Var() + ".join() timed out: " + p.Var() + ".exitcode is None"
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
	l.publish(Event{Kind: EvSignalled, Proc: p, Python: python, Text: "may run on cores {" + strings.Join(set, ", ") + "}"})
	return nil
}

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
		l.publish(Event{Kind: EvSignalled, Proc: p, Python: python, Text: "nothing sent: the exit code is already known"})
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
	text := signalName(sig) + " sent"
	if ended {
		// Python still signals: exitcode is None until the zombie is reaped.
		text += " to a zombie: it has already ended, so nothing happens"
	}
	l.publish(Event{Kind: EvSignalled, Proc: p, Python: python, Code: int(sig), Text: text})
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
		l.publish(Event{Kind: EvState, Main: MainState{Phase: MainEnding, Joining: p}, Python: python, Text: "main waits for " + p.Name()})
		select {
		case <-p.exited:
			l.reap(p, python)
			l.publish(Event{Kind: EvJoined, Proc: p, Code: 1, Text: python + " returned: " + p.Var() + ".exitcode == " + exitRepr(p)})
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

// MaxQueuedEvents bounds a subscriber's queue. When a child prints faster
// than the window drains, output events beyond it are dropped (the lines
// stay in the lane's buffer); other events are never dropped.
const MaxQueuedEvents = 4000

// Subscription receives the lab's events in order.
type Subscription struct {
	lab     *Lab
	notify  chan struct{}
	queue   []Event
	dropped int
	closed  bool
}

// Subscribe returns a new subscription. Wait on C, then call Take.
func (l *Lab) Subscribe() *Subscription {
	s := &Subscription{lab: l, notify: make(chan struct{}, 1)}
	l.mu.Lock()
	l.subs[s] = struct{}{}
	l.mu.Unlock()
	return s
}

// C receives a value whenever events are waiting; it is closed when the
// lab closes.
func (s *Subscription) C() <-chan struct{} { return s.notify }

// Take returns the waiting events and how many output events were dropped
// since the last call.
func (s *Subscription) Take() ([]Event, int) {
	s.lab.mu.Lock()
	defer s.lab.mu.Unlock()
	q, d := s.queue, s.dropped
	s.queue, s.dropped = nil, 0
	return q, d
}

// Close stops the subscription.
func (s *Subscription) Close() {
	s.lab.mu.Lock()
	defer s.lab.mu.Unlock()
	delete(s.lab.subs, s)
	s.closeLocked()
}

func (s *Subscription) closeLocked() {
	if !s.closed {
		s.closed = true
		close(s.notify)
	}
}

func (s *Subscription) push(e Event) {
	if s.closed {
		return
	}
	if e.Kind == EvOutput && len(s.queue) >= MaxQueuedEvents {
		s.dropped++
		return
	}
	s.queue = append(s.queue, e)
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

package procs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
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
	EvExited                     // the child ended; Code holds the exit code
	EvJoined                     // a join() returned; Code is 1 if the child had ended
	EvState                      // main changed phase
	EvError                      // an action raised; Text says what Python would print
	EvReset                      // a new lab began: forget every process
)

var eventNames = [...]string{"created", "daemon", "started", "output", "signalled", "exited", "joined", "state", "error", "reset"}

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
	owners  sync.WaitGroup // one goroutine per started child, plus its pipe readers
	closed  bool
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
	return &Lab{opts: opts, t0: time.Now(), subs: map[*Subscription]struct{}{}}, nil
}

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

// ActiveChildren is Python's multiprocessing.active_children().
func (l *Lab) ActiveChildren() []*Process {
	var out []*Process
	for _, p := range l.Processes() {
		if p.IsAlive() {
			out = append(out, p)
		}
	}
	return out
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
		if _, err := exec.LookPath(spec.Command[0]); err != nil {
			return nil, l.fail(nil, "", fmt.Errorf("command: %q was not found: check the spelling or give its full path", spec.Command[0]))
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
	p := &Process{lab: l, id: l.created, spec: spec, output: NewLineBuffer(l.opts.LaneLines), daemon: spec.Daemon, done: make(chan struct{})}
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
		parts = append(parts, "target=subprocess.run", "args=("+Repr(argv)+",)")
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
	p.mu.Lock()
	if p.status != Initial {
		p.mu.Unlock()
		return l.fail(p, python, ErrStartTwice)
	}
	var cmd *exec.Cmd
	if p.spec.Target == CommandTarget {
		cmd = exec.Command(p.spec.Command[0], p.spec.Command[1:]...)
	} else {
		cmd = exec.Command(l.opts.Exe, workerArgs(p.name, p.spec.Target, p.spec.Args, p.spec.Kwargs)...)
	}
	cmd.SysProcAttr = childAttr()
	cmd.Env = append(os.Environ(), "PYTHONUNBUFFERED=1")
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
	err = cmd.Start()
	// The child holds its own copies of the write ends; closing ours lets
	// the readers see EOF when the child (and anything it started) is done.
	outW.Close()
	errW.Close()
	if err != nil {
		p.mu.Unlock()
		outR.Close()
		errR.Close()
		return l.fail(p, python, fmt.Errorf("OSError: %w", err))
	}
	p.osProc = cmd.Process
	p.pid = cmd.Process.Pid
	p.status = Started
	p.startedAt = l.Since()
	p.mu.Unlock()

	l.publish(Event{Kind: EvStarted, Proc: p, Python: python, Text: fmt.Sprintf("pid %d", p.pid)})
	l.owners.Add(3)
	var readers sync.WaitGroup
	readers.Add(2)
	capture := func(r *os.File, stream Stream) {
		defer l.owners.Done()
		defer readers.Done()
		defer r.Close()
		_ = captureLines(r, func(text string) {
			line := p.output.add(Line{At: l.Since(), Stream: stream, Text: text})
			l.publish(Event{At: line.At, Kind: EvOutput, Proc: p, Line: line})
		})
	}
	go capture(outR, Stdout)
	go capture(errR, Stderr)
	go l.own(p, cmd, &readers)
	return nil
}

// own is the one goroutine that waits for the child: it records the exit
// code Python would report and tells everyone through p.done and an event.
func (l *Lab) own(p *Process, cmd *exec.Cmd, readers *sync.WaitGroup) {
	defer l.owners.Done()
	err := cmd.Wait()
	code := 0
	if cmd.ProcessState != nil {
		ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
		switch {
		case ws.Signaled():
			code = -int(ws.Signal())
		default:
			code = ws.ExitStatus()
		}
	} else if err != nil {
		code = 1
	}
	// Let the last lines arrive before the exit is announced, so a lane
	// never shows "exited" above output the child printed before exiting.
	// Something the child started may keep the pipe open: do not wait long.
	drained := make(chan struct{})
	go func() { readers.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(200 * time.Millisecond):
	}
	p.mu.Lock()
	p.status = Stopped
	p.exitCode = code
	p.endedAt = l.Since()
	close(p.done)
	p.mu.Unlock()
	l.publish(Event{Kind: EvExited, Proc: p, Code: code, Text: "exitcode=" + ExitCodeName(code)})
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
	if p.Snapshot().Status == Initial {
		return false, l.fail(p, python, ErrJoinNotStarted)
	}
	l.setMain(MainState{Phase: MainJoining, Joining: p}, python)
	var expire <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expire = t.C
	}
	var ended bool
	var err error
	select {
	case <-p.done:
		ended = true
	case <-expire:
	case <-ctx.Done():
		err = &PyError{"KeyboardInterrupt", "join interrupted"}
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

// Terminate is p.terminate(): SIGTERM.
func (l *Lab) Terminate(p *Process) error {
	return l.signal(p, syscall.SIGTERM, p.Var()+".terminate()", "terminate", true)
}

// Kill is p.kill(): SIGKILL.
func (l *Lab) Kill(p *Process) error {
	return l.signal(p, syscall.SIGKILL, p.Var()+".kill()", "kill", true)
}

// KillFromOutside is os.kill(pid, SIGKILL) from another program: allowed
// even while main is blocked in join(), as a shell next to the program could.
func (l *Lab) KillFromOutside(p *Process) error {
	return l.signal(p, syscall.SIGKILL, fmt.Sprintf("os.kill(%s.pid, signal.SIGKILL)", p.Var()), "kill", false)
}

func (l *Lab) signal(p *Process, sig syscall.Signal, python, method string, byMain bool) error {
	if byMain {
		if err := l.mayAct(); err != nil {
			return l.fail(p, python, err)
		}
	}
	p.mu.Lock()
	status, proc := p.status, p.osProc
	p.mu.Unlock()
	switch status {
	case Initial:
		return l.fail(p, python, errNotStarted(method))
	case Stopped:
		// Python does nothing once the exit code is known.
		l.publish(Event{Kind: EvSignalled, Proc: p, Python: python, Text: "nothing sent: the exit code is already known"})
		return nil
	}
	// Announce first: the child may die and be reaped before Signal returns,
	// and the transcript must show p.kill() above the exit it caused.
	l.publish(Event{Kind: EvSignalled, Proc: p, Python: python, Code: int(sig), Text: signalName(sig) + " sent"})
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
	active := l.ActiveChildren()
	for _, p := range active {
		if p.Daemon() {
			_ = l.signal(p, syscall.SIGTERM, p.Var()+".terminate()  # daemonic: terminated when main ends", "terminate", false)
		}
	}
	for _, p := range active {
		l.publish(Event{Kind: EvState, Main: MainState{Phase: MainEnding, Joining: p}, Python: p.Var() + ".join()", Text: "main waits for " + p.Name()})
		select {
		case <-p.Done():
			l.publish(Event{Kind: EvJoined, Proc: p, Code: 1, Text: p.Var() + ".join() returned: " + p.Var() + ".exitcode == " + exitRepr(p)})
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

// Reset ends every child of the current lab and starts a new, empty one:
// the clock and the Process-N counter start again.
func (l *Lab) Reset() {
	l.stopAll(time.Second)
	l.mu.Lock()
	l.procs = nil
	l.created = 0
	l.t0 = time.Now()
	l.main = MainState{}
	l.publishLocked(Event{Kind: EvReset, Text: "new lab"})
	l.mu.Unlock()
}

// Close ends every child and waits for every goroutine the lab started.
// After Close no process of the lab remains.
func (l *Lab) Close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.stopAll(time.Second)
	l.owners.Wait()
	l.mu.Lock()
	for s := range l.subs {
		s.closeLocked()
	}
	l.mu.Unlock()
}

// stopAll terminates every live child, waits up to grace, then kills what
// remains and waits for all of them to be reaped.
func (l *Lab) stopAll(grace time.Duration) {
	live := l.ActiveChildren()
	for _, p := range live {
		p.mu.Lock()
		if p.osProc != nil && p.status == Started {
			_ = p.osProc.Signal(syscall.SIGTERM)
		}
		p.mu.Unlock()
	}
	deadline := time.After(grace)
	for _, p := range live {
		select {
		case <-p.done:
		case <-deadline:
		}
	}
	for _, p := range live {
		p.mu.Lock()
		if p.osProc != nil && p.status == Started {
			_ = p.osProc.Signal(syscall.SIGKILL)
		}
		p.mu.Unlock()
		<-p.done
	}
}

// MaxQueuedEvents bounds a subscriber's queue. When a child prints faster
// than the window drains, output events beyond it are dropped (the lines
// stay in the lane's buffer); other events are never dropped.
const MaxQueuedEvents = 20000

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

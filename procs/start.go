package procs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	"proclab/procs/pyhook"
)

// Starting a child and owning it: p.start(), the readers of its pipes, and
// the one goroutine that waits for its end.

// Start is p.start(): the child is created now, as a real process. It
// builds the child, starts it, and hands its outputs to their readers.
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
	c, err := l.buildChild(p)
	if err != nil {
		p.mu.Unlock()
		return l.fail(p, python, err)
	}
	if err := l.launch(p, c); err != nil {
		p.mu.Unlock()
		c.discard()
		return l.failStart(p, python, c.hook, fmt.Errorf("OSError: %w", err))
	}
	p.status = Started
	p.startedAt = l.Since()
	p.outputDone = make(chan struct{})
	going := make(chan struct{})
	p.going = going
	if c.stateR == nil {
		close(going) // a program reports nothing: it is going once started
	}
	p.mu.Unlock()
	l.publish(Event{Kind: EvStarted, Proc: p, Python: python, Text: fmt.Sprintf("pid %d", p.pid)})
	l.readOutputs(p, c, going)
	return nil
}

// child is a child being started: its command and the lab's ends of its
// pipes.
type child struct {
	cmd            *exec.Cmd
	hook           *pyhook.Server // a Python program's, else nil
	readers        *sync.WaitGroup
	outR, errR     *os.File
	stateR, stateW *os.File // a worker's variable reports (fd 3), else nil
}

// buildChild makes p's command: the program it runs, or a worker for its
// target, with the environment and the pipes it writes to. Called with
// p.mu held.
func (l *Lab) buildChild(p *Process) (*child, error) {
	c := &child{readers: new(sync.WaitGroup)}
	var extraEnv []string
	if p.spec.Target == CommandTarget {
		c.cmd = exec.Command(p.spec.Command[0], p.spec.Command[1:]...)
		if IsPython(p.spec.Command) && !l.opts.NoPythonHook {
			env, server, err := l.pythonEnv(newPyProgram(l, p, c.readers))
			if err != nil {
				return nil, fmt.Errorf("OSError: the Python hook: %w", err)
			}
			extraEnv, c.hook = env, server
		}
	} else {
		c.cmd = exec.Command(l.opts.Exe, workerArgs(p.name, p.spec.Target, p.spec.Args, p.spec.Kwargs, p.daemon)...)
		// A spawner's children tag their lines (tagLinesEnv): each gets its
		// own lane, as a Python program's processes do.
		p.tagged = p.spec.Target == "spawner"
	}
	cmd := c.cmd
	cmd.SysProcAttr = childAttr()
	cmd.Env = os.Environ()
	if c.hook == nil {
		// Output on a pipe would wait for a full buffer: Python without the
		// hook writes each print at once. (The hook makes it line-buffered,
		// as at a terminal.)
		cmd.Env = append(cmd.Env, "PYTHONUNBUFFERED=1")
	}
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Env = append(cmd.Env, fmt.Sprintf("%s=%d", labPidEnv, os.Getpid()))
	fail := func(err error) (*child, error) {
		c.discard()
		if c.hook != nil {
			l.dropHook(c.hook)
		}
		return nil, fmt.Errorf("OSError: %w", err)
	}
	var err error
	if p.spec.Target != CommandTarget {
		if c.stateR, c.stateW, err = os.Pipe(); err != nil {
			return fail(err)
		}
		cmd.ExtraFiles = []*os.File{c.stateW} // fd 3 in the child
		cmd.Env = append(cmd.Env, stateFDEnv+"=3")
	}
	var outW, errW *os.File
	if c.outR, outW, err = os.Pipe(); err != nil {
		return fail(err)
	}
	if c.errR, errW, err = os.Pipe(); err != nil {
		outW.Close()
		return fail(err)
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	return c, nil
}

// discard closes what buildChild opened, for a child that is not started
// (closing a file twice is harmless: os.File knows).
func (c *child) discard() {
	for _, f := range []*os.File{c.outR, c.errR, c.stateR, c.stateW} {
		if f != nil {
			f.Close()
		}
	}
}

// launch starts c as p, in the lab's cgroup, with startMu held so that the
// orphan watch never sees it without a pid in the lab. Called with p.mu
// held.
func (l *Lab) launch(p *Process, c *child) error {
	l.startMu.Lock()
	defer l.startMu.Unlock()
	started := l.contain.Prepare(c.cmd.SysProcAttr)
	err := c.cmd.Start()
	if err != nil && l.contain.Retry(c.cmd.SysProcAttr, err) {
		c.cmd = retryCmd(c.cmd)
		err = c.cmd.Start()
	}
	if err == nil {
		l.contain.Adopt(c.cmd.Process.Pid)
	}
	started()
	// The child holds its own copies of the write ends; closing ours lets
	// the readers see EOF when the child (and anything it started) is done.
	for _, w := range []io.Closer{c.cmd.Stdout.(io.Closer), c.cmd.Stderr.(io.Closer)} {
		w.Close()
	}
	if c.stateW != nil {
		c.stateW.Close()
	}
	if err != nil {
		return err
	}
	p.cmd = c.cmd
	p.osProc = c.cmd.Process
	p.pid = c.cmd.Process.Pid
	if c.stateR != nil {
		// A worker stands for a Python process: its first thread is
		// MainThread, and it names the threads it starts (readState).
		l.threadNames.started(p.pid)
	}
	l.mu.Lock()
	l.groups[p.pid] = true // the child leads its own process group (childAttr)
	l.unreaped[p] = true
	l.mu.Unlock()
	return nil
}

// readOutputs hands a started child's pipes to their readers, and starts
// the goroutine that owns the child.
func (l *Lab) readOutputs(p *Process, c *child, going chan struct{}) {
	l.owners.Add(3)
	c.readers.Add(2)
	l.mu.Lock()
	l.pipes[c.outR], l.pipes[c.errR] = true, true
	if c.stateR != nil {
		l.pipes[c.stateR] = true
	}
	l.mu.Unlock()
	capture := func(r *os.File, stream Stream) {
		defer l.owners.Done()
		defer c.readers.Done()
		defer l.closePipe(r)
		log := l.currentLog()
		emit := func(to *Process, text string) { l.emitLine(log, to, stream, text) }
		if p.tagged {
			l.captureTagged(p, r, emit)
			return
		}
		_ = captureLineBlocks(r, func(texts []string, joined string) { l.emitLines(log, p, stream, texts, joined) })
	}
	go capture(c.outR, Stdout)
	go capture(c.errR, Stderr)
	if c.stateR != nil {
		l.owners.Add(1)
		c.readers.Add(1)
		go func() {
			defer l.owners.Done()
			defer c.readers.Done()
			defer l.closePipe(c.stateR)
			l.readState(p, c.stateR, going)
		}()
	}
	outputDone := p.outputDone
	go func() {
		c.readers.Wait()
		close(outputDone)
		if c.hook != nil {
			// No process of the program holds a pipe of it any more: none
			// is left to connect, and the lab keeps no idle socket for it.
			l.dropHook(c.hook)
		}
	}()
	go l.own(p, c.cmd, outputDone)
}

// readState reads a worker's variable reports: one JSON object a line,
// names to values. Each value is kept as Python's repr of it.
func (l *Lab) readState(p *Process, r io.Reader, going chan struct{}) {
	var once sync.Once
	isGoing := func() { once.Do(func() { close(going) }) }
	defer isGoing() // a worker that ended before its first report
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		var raw map[string]json.RawMessage
		if json.Unmarshal(sc.Bytes(), &raw) != nil {
			continue // a malformed report changes nothing
		}
		if report, ok := raw[threadReport]; ok {
			var thread struct {
				tid  int
				name string
			}
			if json.Unmarshal(report, &[]any{&thread.tid, &thread.name}) == nil {
				l.threadNames.set(p.Pid(), thread.tid, thread.name)
			}
			continue
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
		isGoing()
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
	text, m := say(msgEndedZombie, ExitCodeName(code))
	if !zombie {
		text, m = "exitcode="+ExitCodeName(code), Message{} // Python's own words
	}
	l.publish(Event{Kind: EvExited, Proc: p, Code: code, Text: text, Say: m})
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

// emitLine gives one line of output to its process's lane, the headless
// printer and the log.
func (l *Lab) emitLine(log *labLog, to *Process, stream Stream, text string) {
	l.emitLines(log, to, stream, []string{text}, "")
}

// emitLines is emitLine for the lines of one read, stamped with one time.
func (l *Lab) emitLines(log *labLog, to *Process, stream Stream, texts []string, joined string) {
	ls := Lines{At: l.Since(), Stream: stream, Texts: texts, Joined: joined}
	ls.FirstSeq = to.output.addAll(ls)
	if l.opts.OnLines != nil {
		l.opts.OnLines(to, ls)
	}
	if log != nil {
		if err := log.write(to.name, to.pid, ls); err != nil {
			l.logStopped(err)
		}
	}
	// publishLocked for each line, without its per-event work: output has
	// no Python statement to record.
	l.mu.Lock()
	defer l.mu.Unlock()
	for s := range l.subs {
		s.pushOutput(to, ls)
	}
}

// failStart is fail for a child that could not be started, once its
// program's hook Server (if any) is listening.
func (l *Lab) failStart(p *Process, python string, hook *pyhook.Server, err error) error {
	if hook != nil {
		l.dropHook(hook)
	}
	return l.fail(p, python, err)
}

package procs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"proclab/procs/pyhook"
)

// Starting a child and owning it: p.start(), the readers of its pipes, and
// the one goroutine that waits for its end.

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
	var readers sync.WaitGroup // the child's output readers, and the pipes of its program's processes
	var hook *pyhook.Server
	if p.spec.Target == CommandTarget {
		cmd = exec.Command(p.spec.Command[0], p.spec.Command[1:]...)
		if IsPython(p.spec.Command) && !l.opts.NoPythonHook {
			env, server, err := l.pythonEnv(newPyProgram(l, p, &readers))
			if err != nil {
				p.mu.Unlock()
				return l.fail(p, python, fmt.Errorf("OSError: the Python hook: %w", err))
			}
			extraEnv, hook = env, server
		}
	} else {
		cmd = exec.Command(l.opts.Exe, workerArgs(p.name, p.spec.Target, p.spec.Args, p.spec.Kwargs, p.daemon)...)
		// A spawner's children tag their lines (tagLinesEnv): each gets its
		// own lane, as a Python program's processes do.
		p.tagged = p.spec.Target == "spawner"
	}
	cmd.SysProcAttr = childAttr()
	cmd.Env = os.Environ()
	if hook == nil {
		// Output on a pipe would wait for a full buffer: Python without the
		// hook writes each print at once. (The hook makes it line-buffered,
		// as at a terminal.)
		cmd.Env = append(cmd.Env, "PYTHONUNBUFFERED=1")
	}
	cmd.Env = append(cmd.Env, extraEnv...)
	var stateR *os.File
	if p.spec.Target != CommandTarget {
		r, w, err := os.Pipe()
		if err != nil {
			p.mu.Unlock()
			return l.failStart(p, python, hook, fmt.Errorf("OSError: %w", err))
		}
		defer w.Close() // the child has its own copy once started
		stateR = r
		cmd.ExtraFiles = []*os.File{w} // fd 3 in the child
		cmd.Env = append(cmd.Env, stateFDEnv+"=3")
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		p.mu.Unlock()
		return l.failStart(p, python, hook, fmt.Errorf("OSError: %w", err))
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		p.mu.Unlock()
		outR.Close()
		outW.Close()
		return l.failStart(p, python, hook, fmt.Errorf("OSError: %w", err))
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
		return l.failStart(p, python, hook, fmt.Errorf("OSError: %w", err))
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
	going := make(chan struct{})
	p.going = going
	if stateR == nil {
		close(going) // a program reports nothing: it is going once started
	}
	p.mu.Unlock()

	l.publish(Event{Kind: EvStarted, Proc: p, Python: python, Text: fmt.Sprintf("pid %d", p.pid)})
	l.owners.Add(3)
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
		emit := func(to *Process, text string) { l.emitLine(log, to, stream, text) }
		if !p.tagged {
			_ = captureLines(r, func(text string) { emit(p, text) })
			return
		}
		// A Python program: route each line to the process that wrote it.
		// Text a process flushed without its newline (kind 'p') waits for
		// the rest of its line: print('.', end='', flush=True) ten times
		// and a newline is one line, as in a terminal.
		partial := map[*Process]string{}
		// emitWhole emits the MaxLineBytes pieces of a long text and
		// returns the rest: a line is bounded, as an untagged one is.
		emitWhole := func(to *Process, text string) string {
			for len(text) > MaxLineBytes {
				cut := runeBoundary([]byte(text[:MaxLineBytes]))
				emit(to, text[:cut])
				text = text[cut:]
			}
			return text
		}
		_ = captureRawLines(r, func(raw []byte) {
			tag, rest, ok := parsePythonTag(raw)
			if !ok {
				emit(p, cleanLine(raw)) // no hook: the program's own lane
				return
			}
			to := l.observedFor(p, tag)
			if to == nil {
				emit(p, cleanLine(raw)) // not the hook's: text of the program's lane
				return
			}
			switch tag.kind {
			case 'p':
				partial[to] = emitWhole(to, partial[to]+cleanLine(rest))
			case 'x':
				if text, ok := partial[to]; ok {
					emit(to, text)
					delete(partial, to)
				}
				if code, err := strconv.Atoi(string(bytes.TrimSpace(rest))); err == nil && to != p {
					l.observedEnded(to, code, true)
				}
			default:
				text := partial[to]
				delete(partial, to)
				emit(to, emitWhole(to, text+cleanLine(rest)))
			}
		})
		for to, text := range partial { // the pipe closed: what was flushed is shown
			emit(to, text)
		}
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
			l.readState(p, stateR, going)
		}()
	}
	go func() { readers.Wait(); close(outputDone) }()
	go l.own(p, cmd, outputDone)
	return nil
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
	line := to.output.add(Line{At: l.Since(), Stream: stream, Text: text})
	if l.opts.OnLine != nil {
		l.opts.OnLine(to, line)
	}
	if log != nil {
		if err := log.write(to.name, to.pid, line); err != nil {
			l.logStopped(err)
		}
	}
	l.publish(Event{At: line.At, Kind: EvOutput, Proc: to, Line: line})
}

// failStart is fail for a child that could not be started, once its
// program's hook Server (if any) is listening.
func (l *Lab) failStart(p *Process, python string, hook *pyhook.Server, err error) error {
	if hook != nil {
		l.dropHook(hook)
	}
	return l.fail(p, python, err)
}

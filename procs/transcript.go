package procs

import (
	"fmt"
	"strings"
	"time"
)

// Statement is one line of the lab's Python transcript: what main did, in
// Python, when.
type Statement struct {
	At     time.Duration
	Python string
	Failed bool // Python raised: Error holds what it printed
	Error  string
	Auto   bool // done by multiprocessing at main's end, not by the user
	// Waited is how long an interrupted join() waited: the export turns it
	// into join(timeout=Waited), since a script cannot be interrupted by Esc.
	Waited time.Duration
}

// maxStatements bounds the transcript; a lab with more actions than this
// keeps the newest.
const maxStatements = 10000

// record adds e's statement to the transcript. Called with l.mu held.
func (l *Lab) record(e Event) {
	if e.Python == "" {
		return
	}
	s := Statement{At: e.At, Python: e.Python, Auto: l.main.Phase == MainEnding && !strings.HasPrefix(e.Python, "#")}
	if e.Kind == EvError {
		s.Failed, s.Error = true, e.Text
	}
	l.transcript = append(l.transcript, s)
	if len(l.transcript) > maxStatements {
		l.transcript = append([]Statement(nil), l.transcript[len(l.transcript)-maxStatements:]...)
	}
}

// markInterrupted notes that the last statement python, a join(), was
// interrupted after waited.
func (l *Lab) markInterrupted(python string, waited time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.transcript) - 1; i >= 0; i-- {
		if l.transcript[i].Python == python {
			l.transcript[i].Waited = waited
			return
		}
	}
}

// Transcript returns the lab's statements in order.
func (l *Lab) Transcript() []Statement {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Statement(nil), l.transcript...)
}

// ExportPython writes the lab as a runnable Python program: the note's
// task functions, then every action in order with the pauses between
// them, then what multiprocessing does when main ends, then each
// process's exit code, so running it with python3 shows the same thing.
func (l *Lab) ExportPython() string {
	statements := l.Transcript()
	var b strings.Builder
	b.WriteString(pythonHeader)
	b.WriteString("\nif __name__ == '__main__':\n")
	var last time.Duration
	ended := false
	for _, s := range statements {
		if gap := s.At - last; gap > 50*time.Millisecond && !s.Auto {
			fmt.Fprintf(&b, "    time.sleep(%.3f)\n", min(gap, 30*time.Second).Seconds())
		}
		if !s.Auto {
			last = s.At
		}
		switch {
		case s.Auto:
			continue // written out below, where main's code ends
		case strings.HasPrefix(s.Python, "# main's code ends here"):
			ended = true
			writeMainEnds(&b)
		case strings.HasPrefix(s.Python, "#"):
			fmt.Fprintf(&b, "    %s\n", s.Python)
		case s.Failed:
			fmt.Fprintf(&b, "    try:\n        %s\n    except Exception as e:  # in ProcLab: %s\n        print(f'{type(e).__name__}: {e}')\n", s.Python, s.Error)
		case s.Waited > 0:
			fmt.Fprintf(&b, "    %s  # interrupted with Esc in ProcLab\n", strings.Replace(s.Python, ".join()", fmt.Sprintf(".join(timeout=%.3f)", s.Waited.Seconds()), 1))
		default:
			fmt.Fprintf(&b, "    %s\n", s.Python)
		}
	}
	if !ended {
		writeMainEnds(&b)
	}
	var codes []string
	for _, p := range l.Processes() {
		codes = append(codes, fmt.Sprintf("'%s': %s.exitcode", p.Var(), p.Var()))
	}
	fmt.Fprintf(&b, "    print('exitcodes:', {%s})\n", strings.Join(codes, ", "))
	return b.String()
}

func writeMainEnds(b *strings.Builder) {
	b.WriteString(`    # main's code ends here. multiprocessing then does this (its atexit
    # handler), written out so that the exit codes can be printed after it:
    for p in multiprocessing.active_children():
        if p.daemon:
            p.terminate()
    for p in multiprocessing.active_children():
        p.join()
`)
}

const pythonHeader = `#!/usr/bin/env python3
# Exported from ProcLab: this lab's actions as a Python program, with the
# pauses between them. Run it with python3 to watch the same processes.
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

g_list = list()  # 全局变量


def dance():
    for i in range(3):
        print('跳舞中...', flush=True)
        time.sleep(0.2)


def sing():
    for i in range(3):
        print('唱歌中...', flush=True)
        time.sleep(0.1)


def task():
    for i in range(10):
        print('任务执行中..', flush=True)
        time.sleep(0.1)


def show_info(name, age):
    print(f'名字为{name}, 年龄为{age}', flush=True)


def add_data():
    for i in range(3):
        g_list.append(i)
        print('add:', i, flush=True)
        time.sleep(0.2)
    print('添加完成：', g_list, flush=True)


def read_data():
    print('read:', g_list, flush=True)


def pid_info(seconds=0):
    print('os.getpid():', os.getpid(), flush=True)
    print('os.getppid():', os.getppid(), flush=True)
    time.sleep(seconds)


def forever(interval=0.5):
    i = 0
    while True:
        print('循环中...', i, flush=True)
        i += 1
        time.sleep(interval)


def burn(seconds=None):
    start = time.time()
    while seconds is None or time.time() - start < seconds:
        pass


def crash(code=1):
    if isinstance(code, int):
        print(f'sys.exit({code})', flush=True)
        sys.exit(code)
    raise RuntimeError(f'crash({code!r}) raised on purpose')


def flood(seconds=None):
    start, i = time.time(), 0
    while seconds is None or time.time() - start < seconds:
        print(f'flood {i:012d} ' + 'x' * 44)
        i += 1


def spawner(n=2, target='forever'):
    children = [multiprocessing.Process(target=globals()[target]) for _ in range(n)]
    for c in children:
        c.start()
        print(f'started {c.name} pid={c.pid}', flush=True)
    for c in children:
        c.join()


def threads(n=2, target='task', daemon=False):
    # n threads of this one process run target; they share its globals.
    workers = [threading.Thread(target=globals()[target], daemon=daemon) for _ in range(n)]
    for t in workers:
        t.start()
        print('started', t.name, 'native_id:', t.native_id, flush=True)
    if daemon:
        # A daemon thread is not waited for: it dies with its process.
        print('the main thread ends: daemon threads end with the process', flush=True)
        return
    for t in workers:
        t.join()
    print('joined', n, 'threads; active_count():', threading.active_count(), flush=True)


def run_command(*argv):
    sys.exit(subprocess.run(argv).returncode)

`

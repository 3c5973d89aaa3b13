package procs

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"proclab/procs/contain"
)

// WorkerCommand is the hidden first argument that turns the proclab binary
// (or a test binary) into a child running one task.
const WorkerCommand = "worker"

func workerArgs(name, task string, args []any, kwargs []KV, daemon bool) []string {
	a, k := encodeValues(args, kwargs)
	argv := []string{WorkerCommand, "--name", name, "--task", task, "--args", a, "--kwargs", k}
	if daemon {
		argv = append(argv, "--daemon")
	}
	return argv
}

// stateFDEnv names the descriptor on which a worker reports its variables
// to the lab, one JSON object a line, so the inspector can show each
// process's own copy of its globals.
const stateFDEnv = "PROCLAB_STATE_FD"

// Worker is the child side: the running task's name and its own globals.
type Worker struct {
	Name   string
	Daemon bool
	stdout io.Writer
	stderr io.Writer
	state  io.Writer // the lab's state pipe, or nil
	// gList is this process's own copy of the note's global g_list: each
	// process starts with an empty one, which is the lesson of 3.6(1); the
	// threads of one process share it (mu).
	mu    sync.Mutex
	gList []any
	// threadCount numbers the threads the process starts, as threading's
	// counter does: Thread-1, Thread-2, ...
	threadCount int
}

// appendGList appends to the process's g_list and reports it to the lab.
func (w *Worker) appendGList(v any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.gList = append(w.gList, v)
	w.reportLocked()
}

// gListNow is a copy of the process's g_list as it is now.
func (w *Worker) gListNow() []any {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]any{}, w.gList...)
}

// Print writes its arguments as Python's print does: str() of each,
// separated by spaces, ending with a newline.
func (w *Worker) Print(a ...any) {
	parts := make([]string, len(a))
	for i, v := range a {
		if l, ok := v.([]any); ok {
			parts[i] = Repr(l)
		} else {
			parts[i] = Str(v)
		}
	}
	fmt.Fprintln(w.stdout, strings.Join(parts, " "))
}

// report sends the worker's variables to the lab.
func (w *Worker) report() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.reportLocked()
}

// reportLocked is report with w.mu held: two threads' reports reach the
// lab in the order of the changes they report, the last one last.
func (w *Worker) reportLocked() {
	if w.state == nil {
		return
	}
	line, err := json.Marshal(map[string]any{"g_list": plain(w.gList)})
	if err == nil {
		_, _ = w.state.Write(append(line, '\n'))
	}
}

// threadReport is the key of a state report that names a thread, not a
// variable: no Python name starts with @.
const threadReport = "@thread"

// reportThread tells the lab the name threading would give thread tid: the
// kernel keeps only 15 bytes of it.
func (w *Worker) reportThread(tid int, name string) {
	if w.state == nil {
		return
	}
	line, err := json.Marshal(map[string]any{threadReport: []any{tid, name}})
	if err == nil {
		_, _ = w.state.Write(append(line, '\n')) // one write: atomic on a pipe
	}
}

// RunWorker runs the task described by argv (the arguments after
// WorkerCommand) and returns the process exit code, as Python's
// multiprocessing bootstrap would: 0, n for sys.exit(n), 1 for an uncaught
// exception after printing a traceback to stderr.
func RunWorker(argv []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(WorkerCommand, flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "Process-1", "process name")
	taskName := fs.String("task", "", "task to run")
	argsJSON := fs.String("args", "[]", "positional arguments (JSON)")
	kwargsJSON := fs.String("kwargs", "[]", "keyword arguments (JSON pairs)")
	daemon := fs.Bool("daemon", false, "the process is daemonic")
	if err := fs.Parse(argv); err != nil {
		return 2
	}
	if os.Getenv(tagLinesEnv) != "" { // a spawner's child: see tagLinesEnv
		stdout = newTagWriter(stdout, os.Getpid(), os.Getppid(), *name)
		stderr = newTagWriter(stderr, os.Getpid(), os.Getppid(), *name)
	}
	w := &Worker{Name: *name, Daemon: *daemon, stdout: stdout, stderr: stderr, gList: []any{}}
	if fd, err := strconv.Atoi(os.Getenv(stateFDEnv)); err == nil && fd > 2 {
		w.state = os.NewFile(uintptr(fd), "state")
	}
	// The descriptor is this process's alone: its own children must not
	// believe they have one.
	os.Unsetenv(stateFDEnv)
	labPid, _ := strconv.Atoi(os.Getenv(labPidEnv))
	watchParentDeath(w, labPid)
	w.report()
	task, ok := LookupTask(*taskName)
	if !ok {
		fmt.Fprintf(stderr, "proclab worker: unknown task %q; known tasks: %s\n", *taskName, strings.Join(TaskNames(), ", "))
		return 2
	}
	args, kwargs, err := decodeValues(*argsJSON, *kwargsJSON)
	if err != nil {
		fmt.Fprintln(stderr, "proclab worker:", err)
		return 2
	}
	bound, err := task.bind(args, kwargs)
	if err == nil {
		err = task.run(w, bound)
	}
	var code exitCode
	var pe pyError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &code):
		return int(code)
	case errors.As(err, &pe):
		fmt.Fprintf(stderr, "Process %s:\nTraceback (most recent call last):\n  File \"proclab/%s\", in %s\n%s\n", w.Name, task.Name, task.Name, pe.Error())
		return 1
	default:
		fmt.Fprintf(stderr, "Process %s:\n%v\n", w.Name, err)
		return 1
	}
}

// MaybeRunWorker runs worker mode (or a lab's keeper, see procs/contain)
// and exits if os.Args asks for it. Call it first thing in main and in
// TestMain of packages whose tests start children.
func MaybeRunWorker() {
	contain.MaybeRunKeeper()
	if len(os.Args) > 1 && os.Args[1] == WorkerCommand {
		os.Exit(RunWorker(os.Args[2:], os.Stdout, os.Stderr))
	}
}

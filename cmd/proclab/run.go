package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"proclab/internal/launch"
	"proclab/procs"
)

// headlessLaneLines is what each lane of a headless run keeps: every line
// is printed as it comes, and no one looks at the lanes.
const headlessLaneLines = 16

// runKillGrace is how long an interrupted program has between SIGTERM and SIGKILL.
const runKillGrace = 2 * time.Second

const runUsage = "usage: proclab run [--headless] [--no-hook | --thread-names] -- PROGRAM [ARGS...]"

// runRun is `proclab run [--headless] -- CMD ARGS...`: the program runs as a
// child of a lab, in the window, or with --headless in this terminal, each
// line printed as [name pid] line and the tree with exit codes at the end.
func runRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	headless := fs.Bool("headless", false, "")
	noHook := fs.Bool("no-hook", false, "")
	threadNames := fs.Bool("thread-names", false, "")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "proclab run: %v\n%s\n", err, runUsage)
		return 2
	}
	argv := fs.Args()
	if len(argv) == 0 {
		fmt.Fprintf(stderr, "proclab run: give the program to run, e.g. proclab run -- python3 sing_dance.py\n%s\n", runUsage)
		return 2
	}
	if !*headless {
		if code := windowUnavailable("proclab run", stderr); code >= 0 {
			return code
		}
		return openWindow(launch.Window{Version: version, Hz: 10, Run: argv, NoPythonHook: *noHook, ThreadNames: *threadNames}, stderr)
	}
	if *noHook && *threadNames {
		fmt.Fprintln(stderr, "proclab run: --thread-names needs the Python hook: leave out --no-hook")
		return 2
	}
	return runHeadless(argv, procs.Options{NoPythonHook: *noHook, ThreadNames: *threadNames}, stdout, stderr)
}

// runHeadless runs argv in a lab in this terminal: every line it and its
// processes print, as [name pid] line, then the tree with exit codes.
func runHeadless(argv []string, opts procs.Options, stdout, stderr io.Writer) int {
	sink := newLineSink(stdout, stderr)
	// Its lanes are never shown: each keeps a few lines, not 5,000.
	opts.LogDir, opts.OnLines, opts.LaneLines = "-", sink.add, headlessLaneLines
	opts.OnProblem = func(text string) { fmt.Fprintln(stderr, "proclab run:", text) }
	lab, err := procs.NewLab(opts)
	if err != nil {
		fmt.Fprintln(stderr, "proclab run:", err)
		return 1
	}
	defer lab.Close()
	defer sink.giveUp()
	// A first Ctrl+C (or SIGTERM, SIGHUP) terminates the program and, after
	// a grace period, kills it; a second one kills at once. Caught from
	// before the program starts: it may print at once, and a user who
	// answers that with Ctrl+C must not kill ProcLab and leave the rest.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	p, err := lab.Create(procs.Spec{Target: procs.CommandTarget, Command: argv, Name: procs.ProgramName(argv)})
	if err == nil {
		err = lab.Start(p)
	}
	if err != nil {
		fmt.Fprintln(stderr, "proclab run:", err)
		return 1
	}
	exited, outputDone := p.Exited(), p.OutputDone()
	var killAt <-chan time.Time
	interrupted := false
	// Like a pipe into cat, the run lasts until the program has ended and
	// nothing it left behind can print any more.
	for exited != nil || outputDone != nil {
		select {
		case <-exited:
			exited = nil
			if interrupted {
				outputDone = nil // an interrupted run waits for no straggler
			}
		case <-outputDone:
			outputDone = nil
		case <-sigs:
			if interrupted {
				fmt.Fprintln(stderr, "proclab run: interrupted again: everything the program started is killed")
				sink.giveUp()
				_ = lab.Kill(p)
				outputDone, exited = nil, nil
				break
			}
			interrupted = true
			if exited == nil {
				fmt.Fprintln(stderr, "proclab run: interrupted: what the program left running is ended")
				outputDone = nil
				break
			}
			fmt.Fprintf(stderr, "proclab run: interrupted: the program is terminated (killed in %v unless it ends; Ctrl+C again kills it now)\n", runKillGrace)
			_ = lab.Terminate(p)
			killAt = time.After(runKillGrace)
		case <-killAt:
			fmt.Fprintln(stderr, "proclab run: the program did not end on SIGTERM: it is killed")
			_ = lab.Kill(p)
		}
	}
	if _, err := lab.Join(context.Background(), p, 0); err != nil && !interrupted {
		fmt.Fprintln(stderr, "proclab run:", err)
	}
	// The last observed processes end with the program: let their exits
	// in. Closing waits for the pipe readers, so for the terminal to take
	// the last lines; an interrupted run waits for it only briefly.
	closed := make(chan struct{})
	go func() { lab.Close(); close(closed) }()
	var giveUp <-chan time.Time
	if interrupted {
		giveUp = time.After(time.Second)
	}
	for waiting := true; waiting; {
		select {
		case <-closed:
			waiting = false
		case <-giveUp:
			fmt.Fprintln(stderr, "proclab run: the output is not being read: the lines not printed yet are dropped")
			sink.giveUp()
		case <-sigs:
			fmt.Fprintln(stderr, "proclab run: interrupted: the lines not printed yet are dropped")
			interrupted = true
			sink.giveUp()
		}
	}
	sink.close()
	if sink.caughtUp() {
		writeRunTree(stdout, lab.Processes())
	}
	code := p.Snapshot().ExitCode
	if code < 0 {
		return 128 - code // killed by a signal, as a shell reports it
	}
	return code
}

// writeRunTree prints the processes of the run as a tree by real parent,
// each with its exit code.
func writeRunTree(w io.Writer, ps []*procs.Process) {
	fmt.Fprintln(w, "processes:")
	byParent := map[int][]procs.Snapshot{}
	pids := map[int]bool{}
	var snaps []procs.Snapshot
	for _, p := range ps {
		s := p.Snapshot()
		snaps = append(snaps, s)
		pids[s.Pid] = true
	}
	var roots []procs.Snapshot
	for _, s := range snaps {
		switch {
		case s.Observed && pids[s.ParentPid]:
			byParent[s.ParentPid] = append(byParent[s.ParentPid], s)
		case s.Observed:
			// Its parent printed nothing (Python's forkserver, say): show
			// it under the program, with its real parent's pid.
			root := s.Proc.ObservedBy().Pid()
			byParent[root] = append(byParent[root], s)
		default:
			roots = append(roots, s)
		}
	}
	var show func(s procs.Snapshot, depth int)
	show = func(s procs.Snapshot, depth int) {
		code := "exit code unknown"
		if s.ExitKnown && s.Status == procs.Stopped {
			code = "exitcode " + procs.ExitCodeName(s.ExitCode)
		}
		parent := ""
		if s.Observed {
			parent = fmt.Sprintf(" (parent %d)", s.ParentPid)
			if root := s.Proc.ObservedBy().Snapshot(); root.EndedAt > 0 && s.EndedAt > root.EndedAt {
				parent += ", outlived " + procs.Printable(root.Name)
			}
		}
		fmt.Fprintf(w, "%s%s · %d · %s%s\n", strings.Repeat("  ", depth+1), procs.Printable(s.Name), s.Pid, code, parent)
		kids := byParent[s.Pid]
		sort.Slice(kids, func(i, j int) bool { return kids[i].Pid < kids[j].Pid })
		for _, k := range kids {
			show(k, depth+1)
		}
	}
	for _, s := range roots {
		show(s, 0)
	}
}

// runWatch is `proclab watch PID [window flags]`: the window, watching
// PID's subtree.
func runWatch(args []string, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "proclab watch: give one process id, e.g. proclab watch 1234 (proclab tree lists them)")
		return 2
	}
	if _, err := checkWatch(args[0]); err != nil {
		fmt.Fprintf(stderr, "proclab watch: %v\n", err)
		return 2
	}
	return runWindow(append([]string{"--watch", args[0]}, args[1:]...), stderr)
}

// checkWatch reads --watch: the pid of a running process.
func checkWatch(arg string) (int, error) {
	pid, err := strconv.Atoi(arg)
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("%q is not a process id: give a number, e.g. proclab watch 1234", arg)
	}
	if _, err := procs.ReadStat(pid); err != nil {
		return 0, fmt.Errorf("no process with PID %d: proclab tree lists the running ones", pid)
	}
	return pid, nil
}

// Command proclab is ProcLab: a window of live, real child processes, built
// to teach Python's multiprocessing. Without arguments it opens the window;
// subcommands work in a terminal.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"proclab/assets/lessons"
	"proclab/internal/launch"
	"proclab/internal/profile"
	"proclab/procs"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0"

const usage = `ProcLab %s — watch and control real processes, the way Python's multiprocessing does.

Usage:
  proclab [--hz N] [--lesson NAME] [--lang en|zh] [--trace FILE]
        [--preload TASK:N[:SECONDS],...] [--log-dir DIR] [--log-limit SIZE]
                          open the window; --hz sets tree polls per second (1-20,
                          default 10); --lesson opens a lesson; --lang sets the
                          language for this session (default: View → Language, or
                          the system's); --trace writes every lab event as a JSON
                          line; --preload starts N processes of TASK at once;
                          --log-dir is where the full output of each lab is kept,
                          --log-limit how much one lab's log may hold (default 1G,
                          0 for no limit)
  proclab lesson [NAME] [--json] [--lang en|zh] [--runs N]
                          list the lessons, or play one on real processes and print
                          what a terminal would show (--json: the event stream;
                          --runs N: N runs side by side, to compare their order)
  proclab watch PID       open the window on PID and its children, live and read-only
                          (a signal asks for confirmation); Ctrl+W picks another
  proclab run [--headless] [--no-hook | --thread-names] -- PROGRAM [ARGS...]
                          run a program as a child of the lab, in the window, or with
                          --headless here: each line as [name pid] line, then the tree
                          with exit codes; a Python program gets one lane per process
                          (--no-hook: run Python as it is, one lane for the program;
                          --thread-names: a line a Python thread other than the main
                          one prints starts with [its name])
  proclab bench [--seconds N] [--only N,...]
                          measure ProcLab against a bare /proc read, ps, btop, htop,
                          seq | cat and graphical process viewers (a table)
  proclab tree [PID]      print the live process tree under PID (default: the whole system)
      --watch             repeat until interrupted
      --hz N              polls per second with --watch (1-20, default 2)
      --threads           each process's threads under it, as {name}(TID)
  proclab doctor          say which guarantees hold on this machine: containment
                          by a cgroup, orphan adoption, pidfds, the log, the window
  proclab version         print the version
  proclab help            print this help
`

func main() {
	procs.MaybeRunWorker()
	os.Exit(profile.Run(func() int { return run(os.Args[1:], os.Stdout, os.Stderr) }))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "window" || (len(args[0]) > 1 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help" && args[0] != "--version") {
		return runWindow(args, stderr)
	}
	switch args[0] {
	case "tree":
		return runTree(args[1:], stdout, stderr)
	case "watch":
		return runWatch(args[1:], stderr)
	case "run":
		return runRun(args[1:], stdout, stderr)
	case "bench":
		return runBench(args[1:], stdout, stderr)
	case "lesson", "lessons":
		return runLesson(args[1:], stdout, stderr)
	case "doctor":
		return runDoctor(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintf(stdout, "proclab %s\n", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprintf(stdout, usage, version)
		return 0
	default:
		fmt.Fprintf(stderr, "proclab: unknown command %q\n\n", args[0])
		fmt.Fprintf(stderr, usage, version)
		return 2
	}
}

func runWindow(args []string, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "window" {
		args = args[1:]
	}
	fs := flag.NewFlagSet("proclab", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	hz := fs.Float64("hz", 10, "")
	trace := fs.String("trace", "", "")
	preload := fs.String("preload", "", "")
	stats := fs.String("stats", "", "")
	logDir := fs.String("log-dir", "", "")
	logLimit := fs.String("log-limit", "1G", "")
	lesson := fs.String("lesson", "", "")
	lang := fs.String("lang", "", "")
	watch := fs.String("watch", "", "")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "proclab: %v\nusage: proclab [--hz N] [--lesson NAME] [--lang en|zh] [--trace FILE] [--preload TASK:N[:SECONDS],...] [--log-dir DIR] [--log-limit SIZE]\n", err)
		return 2
	}
	watchPid := 0
	if *watch != "" {
		pid, err := checkWatch(*watch)
		if err != nil {
			fmt.Fprintf(stderr, "proclab watch: %v\n", err)
			return 2
		}
		watchPid = pid
	}
	if *lang != "" && *lang != "en" && *lang != "zh" {
		fmt.Fprintf(stderr, "proclab: --lang %q: use en or zh\n", *lang)
		return 2
	}
	if *lesson != "" {
		all, err := procs.LoadLessons(lessons.FS)
		if err == nil {
			_, err = findLesson(all, *lesson)
		}
		if err != nil {
			fmt.Fprintf(stderr, "proclab: --lesson: %v\n", err)
			return 2
		}
	}
	limit, err := procs.ParseSize(*logLimit)
	if err != nil {
		fmt.Fprintf(stderr, "proclab: --log-limit: %v\n", err)
		return 2
	}
	if limit == 0 {
		limit = -1 // no bound
	}
	specs, err := parsePreload(*preload)
	if err != nil {
		fmt.Fprintf(stderr, "proclab: --preload: %v\n", err)
		return 2
	}
	if err := checkHz(*hz); err != nil {
		fmt.Fprintf(stderr, "proclab: %v\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "proclab: unexpected argument %q; see proclab help\n", fs.Arg(0))
		return 2
	}
	if code := windowUnavailable("proclab", stderr); code >= 0 {
		return code
	}
	// --stats and --trace are opened by the window, which says so in this
	// terminal, before any window, when it cannot.
	w := launch.Window{Version: version, Hz: *hz, Preload: specs, LogDir: *logDir, LogLimit: limit, Lesson: *lesson, Language: *lang, Watch: watchPid, Stats: *stats, Trace: *trace}
	return openWindow(w, stderr)
}

// openWindow becomes the window binary, or says why it cannot.
func openWindow(w launch.Window, stderr io.Writer) int {
	err := launch.Exec(w)
	fmt.Fprintln(stderr, "proclab:", err)
	return 1
}

// checkHz refuses a poll rate outside 1..20, NaN and infinities included.
func checkHz(hz float64) error {
	if !(hz >= 1 && hz <= 20) {
		return fmt.Errorf("--hz %g is out of range: use 1 to 20 polls per second", hz)
	}
	return nil
}

// maxPreload is how many processes --preload may start in all, and
// maxPreloadSeconds the longest first argument it gives (a day).
const (
	maxPreload        = 1000
	maxPreloadSeconds = 86400
)

// parsePreload reads --preload: comma-separated TASK:N[:SECONDS], N
// processes running TASK, with SECONDS as its first argument when given
// (pid_info:200:3600 is 200 children that sleep an hour).
func parsePreload(s string) ([]procs.Spec, error) {
	var specs []procs.Spec
	if s == "" {
		return nil, nil
	}
	for _, item := range strings.Split(s, ",") {
		parts := strings.Split(item, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, fmt.Errorf("%q: write TASK:N or TASK:N:SECONDS, e.g. forever:3", item)
		}
		if _, ok := procs.LookupTask(parts[0]); !ok {
			return nil, fmt.Errorf("%q: unknown task %q; tasks: %s", item, parts[0], strings.Join(procs.TaskNames(), ", "))
		}
		n, err := strconv.Atoi(parts[1])
		if err != nil || n < 1 || n > maxPreload {
			return nil, fmt.Errorf("%q: N must be a number from 1 to %d", item, maxPreload)
		}
		if len(specs)+n > maxPreload {
			return nil, fmt.Errorf("%q: that makes %d processes in all; --preload starts at most %d", item, len(specs)+n, maxPreload)
		}
		var args []any
		if len(parts) == 3 {
			secs, err := strconv.ParseFloat(parts[2], 64)
			if err != nil || !(secs >= 0 && secs <= maxPreloadSeconds) {
				return nil, fmt.Errorf("%q: SECONDS must be a number from 0 to %d", item, maxPreloadSeconds)
			}
			args = []any{secs}
		}
		for range n {
			specs = append(specs, procs.Spec{Target: parts[0], Args: args})
		}
	}
	return specs, nil
}

func runTree(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tree", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	watch := fs.Bool("watch", false, "")
	hz := fs.Float64("hz", 2, "")
	threads := fs.Bool("threads", false, "")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "proclab tree: %v\nusage: proclab tree [--watch] [--hz N] [--threads] [PID]\n", err)
		return 2
	}
	if err := checkHz(*hz); err != nil {
		fmt.Fprintf(stderr, "proclab tree: %v\n", err)
		return 2
	}
	root := 0
	switch fs.NArg() {
	case 0:
	case 1:
		pid, err := strconv.Atoi(fs.Arg(0))
		if err != nil || pid <= 0 {
			fmt.Fprintf(stderr, "proclab tree: %q is not a process id: give a positive number such as 1\n", fs.Arg(0))
			return 2
		}
		root = pid
	default:
		fmt.Fprintf(stderr, "proclab tree: give at most one PID, not %d\n", fs.NArg())
		return 2
	}
	var pl procs.Poller
	if *threads {
		pl.Threads = func(t *procs.Tree, pid int) bool { return root == 0 || t.Under(pid, root) }
	}
	// A first read gives the CPU counters the percentages are measured from.
	first, err := pl.Poll()
	if err != nil {
		fmt.Fprintln(stderr, "proclab tree:", err)
		return 1
	}
	if root != 0 && first.Procs[root] == nil {
		fmt.Fprintf(stderr, "proclab tree: no process with PID %d\n", root)
		return 1
	}
	interval := time.Duration(float64(time.Second) / *hz)
	if !*watch {
		time.Sleep(min(interval, 200*time.Millisecond))
		t, err := pl.Poll()
		if err != nil {
			fmt.Fprintln(stderr, "proclab tree:", err)
			return 1
		}
		procs.PrintTree(stdout, t, root)
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	status := 0
	time.Sleep(interval)
	pl.Watch(ctx, interval, func(t *procs.Tree, err error) {
		if err != nil {
			fmt.Fprintln(stderr, "proclab tree:", err)
			status = 1
			stop()
			return
		}
		if root != 0 && t.Procs[root] == nil {
			fmt.Fprintf(stdout, "process %d has ended\n", root)
			stop()
			return
		}
		// A screen at a time, in one write.
		screen := bufio.NewWriterSize(stdout, 256<<10)
		fmt.Fprint(screen, "\x1b[H\x1b[2J")
		fmt.Fprintf(screen, "proclab tree — %s — %g Hz — Ctrl+C to stop\n", t.At.Format("15:04:05.0"), *hz)
		// A terminal shows one screen: what does not fit is counted, as
		// top does, not printed ten times a second to scroll away.
		procs.PrintTreeLines(screen, t, root, max(terminalLines(stdout)-2, 0))
		screen.Flush()
	})
	if errors.Is(ctx.Err(), context.Canceled) && status == 0 {
		return 0
	}
	return status
}

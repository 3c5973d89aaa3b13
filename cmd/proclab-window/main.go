// Command proclab-window is ProcLab's window. The proclab command checks
// the command line and becomes this binary (see internal/launch); started
// on its own, from a desktop menu, it opens an empty lab.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"proclab/internal/launch"
	"proclab/internal/profile"
	_ "proclab/internal/quietlocale" // its init must run before Fyne's
	"proclab/procs"
	"proclab/ui"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0"

// windowGCPercent is the window's GOGC; benchmarks 3 and 4 measured it
// against Go's default of 100.
const windowGCPercent = 50

func main() {
	// Without the proclab command beside it, this binary is the lab's
	// workers and keeper too.
	procs.MaybeRunWorker()
	os.Exit(profile.Run(func() int { return run(os.Stderr) }))
}

func run(stderr io.Writer) int {
	if len(os.Args) > 1 {
		// The command line is proclab's to read: this binary would
		// otherwise open a default window as if the options were taken.
		fmt.Fprintf(stderr, "proclab-window takes no options (%q): run proclab %s instead; see proclab help\n", os.Args[1], strings.Join(os.Args[1:], " "))
		return 2
	}
	if why := launch.NoDisplay(); why != "" {
		// Fyne's driver would panic instead.
		fmt.Fprintf(stderr, "proclab-window: %s; set DISPLAY to a running X server (e.g. DISPLAY=:0)\n", why)
		return 2
	}
	w, ok, err := launch.Take()
	if err != nil {
		fmt.Fprintln(stderr, "proclab:", err)
		return 2
	}
	if !ok {
		w = launch.Window{Version: version, Hz: 10}
	}
	opts := ui.Options{Version: w.Version, Hz: w.Hz, Preload: w.Preload, LogDir: w.LogDir, LogLimit: w.LogLimit,
		Lesson: w.Lesson, Language: w.Language, Run: w.Run, Watch: w.Watch, NoPythonHook: w.NoPythonHook,
		ThreadNames: w.ThreadNames, Exe: launch.Command()}
	for _, out := range []struct {
		path string
		to   *io.Writer
		what string
	}{{w.Stats, &opts.Stats, "the stats"}, {w.Trace, &opts.Trace, "the trace"}} {
		if out.path == "" {
			continue
		}
		f, err := os.Create(out.path)
		if err != nil {
			fmt.Fprintf(stderr, "proclab: cannot write %s: %v\n", out.what, err)
			return 1
		}
		defer f.Close()
		*out.to = f
	}
	if os.Getenv("GOGC") == "" {
		// The window keeps about 80 MB of parsed fonts (the CJK one is most
		// of it) for its whole life, and Go's default pacing lets the heap
		// grow to twice what is live before collecting: under a flood of
		// output that passed 300 MB. Collecting at half again what is live
		// keeps the peak lower at no CPU cost `make bench` could measure,
		// and, unlike a fixed memory limit, never makes a big lab collect
		// without end.
		debug.SetGCPercent(windowGCPercent)
	}
	return ui.Run(opts)
}

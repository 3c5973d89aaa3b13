package procs

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"proclab/procs/pyhook"
)

// Python programs run in the lab get one lane per process without being
// changed: ProcLab puts an interpreter hook (package pyhook) on their
// PYTHONPATH, and every process of the program writes its output on pipes
// of its own that it hands to the program's pyhook.Server (see pyProgram).
// Each process the program started gets a Process of its own, an observed
// one: the program started it, not the lab, so the lab shows it but never
// signals, joins or reaps it.
//
// A spawner's children, ProcLab workers, instead tag each line on the
// spawner's pipe (spawnertags.go).

// ObservedTarget is the target of a process the lab did not start but
// watches: a child a program run in the lab created.
const ObservedTarget = "observed"

var pythonName = regexp.MustCompile(`^python[0-9.]*$`)

// IsPython reports whether argv runs a Python interpreter (python,
// python3, python3.11, by name or path).
func IsPython(argv []string) bool {
	return len(argv) > 0 && pythonName.MatchString(filepath.Base(argv[0]))
}

// pythonEnv returns the environment entries that install the hook for a
// program, and the Server its processes connect to. The hook's folder is
// written once per lab and removed when the lab closes; each program has a
// Server of its own, closed with the lab (or dropHook if it does not start).
func (l *Lab) pythonEnv(program pyhook.Handler) ([]string, *pyhook.Server, error) {
	// Its own lock: writing files under the lab's would hold up every event.
	l.hookMu.Lock()
	defer l.hookMu.Unlock()
	if l.hookDir == "" {
		sweepHookDirs()
		dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", hookDirPrefix, os.Getpid()))
		if err != nil {
			return nil, nil, err
		}
		if err := pyhook.WriteHook(dir); err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
		l.hookDir = dir
	}
	server, err := pyhook.Listen(program)
	if err != nil {
		return nil, nil, err
	}
	l.hookServers = append(l.hookServers, server)
	path := l.hookDir
	if old := os.Getenv("PYTHONPATH"); old != "" {
		path += string(os.PathListSeparator) + old
	}
	env := []string{"PYTHONPATH=" + path, server.Env()}
	if l.opts.ThreadNames {
		env = append(env, pyhook.ThreadNamesEnv+"=1")
	}
	if l.Contained() {
		// The kernel ends the program's processes with ProcLab: the hook
		// sets no parent-death signal of its own.
		env = append(env, containedEnv+"=1")
	}
	return env, server, nil
}

// dropHook closes the Server of a program that did not start, or whose
// processes have all closed their output. One closeHooks has already taken
// is left to it; closeHooks waits for the drops under way.
func (l *Lab) dropHook(server *pyhook.Server) {
	l.hookMu.Lock()
	i := slices.Index(l.hookServers, server)
	if i < 0 {
		l.hookMu.Unlock()
		return
	}
	l.hookServers = slices.Delete(l.hookServers, i, i+1)
	l.hookDrops.Add(1)
	l.hookMu.Unlock()
	defer l.hookDrops.Done()
	server.Close(0)
}

// closeHooks closes every program's Server, giving the pipes and
// connections still open grace to end.
func (l *Lab) closeHooks(grace time.Duration) {
	l.hookMu.Lock()
	servers := l.hookServers
	l.hookServers = nil
	l.hookMu.Unlock()
	var wg sync.WaitGroup
	for _, s := range servers {
		wg.Add(1)
		go func() { defer wg.Done(); s.Close(grace) }()
	}
	wg.Wait()
	l.hookDrops.Wait()
}

// containedEnv tells the hook that the lab is held in a cgroup.
const containedEnv = "PROCLAB_CONTAINED"

// hookDirPrefix starts the name of each lab's hook folder, followed by the
// pid of the ProcLab that wrote it.
const hookDirPrefix = "proclab-pyhook-"

// sweepHookDirs removes the hook folders of ProcLabs that are gone: one
// killed with SIGKILL could not remove its own.
func sweepHookDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), hookDirPrefix+"*"))
	for _, dir := range dirs {
		rest := strings.TrimPrefix(filepath.Base(dir), hookDirPrefix)
		pid, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := ReadStat(pid); err != nil {
			os.RemoveAll(dir)
		}
	}
}

// newObservedLocked adds a process root's program started to the lab, and
// starts watching root's processes with the first. Called with l.mu held.
func (l *Lab) newObservedLocked(root *Process, pid, ppid int, name string, start uint64) *Process {
	if name == "MainProcess" {
		// A Python the program started some other way (subprocess, os.fork).
		name = fmt.Sprintf("python-%d", pid)
	}
	name = Printable(name) // text only, wherever it is shown
	o := &Process{lab: l, name: name, spec: Spec{Target: ObservedTarget}, output: l.budget.NewLineBuffer(l.opts.LaneLines),
		exited: make(chan struct{}), done: make(chan struct{}),
		status: Started, pid: pid, parentPid: ppid, observedBy: root, osStart: start, startedAt: time.Since(l.t0)}
	l.observed[pid] = o
	l.procs = append(l.procs, o)
	text, m := say(msgStartedBy, root.Name(), ppid)
	l.publishLocked(Event{Kind: EvCreated, Proc: o, Text: text, Say: m})
	l.publishLocked(Event{Kind: EvStarted, Proc: o, Text: fmt.Sprintf("pid %d", pid)})
	if !root.watching {
		root.watching = true
		l.owners.Add(1)
		go l.watchObserved(root)
	}
	return o
}

// DefaultMaxProgramProcesses bounds the processes one program may have in
// the lab (Options.MaxProgramProcesses): past it, their lines go to their
// parent's lane.
const DefaultMaxProgramProcesses = 2000

// mayBeObserved reports whether a tag naming a process the lab does not
// know yet can be the hook's: the process is, or was, below the program.
// A live one must descend from it (its parent chain in /proc); one already
// gone must name as its parent the program, a process the lab knows, or a
// live process below the program. So a program that prints the hook's
// framing itself cannot make a lane for pid 1, or for any live process not
// of its own tree, and there is a bound on how many it can make. (Claims
// about processes long gone cannot be checked, and are believed.)
func (l *Lab) mayBeObserved(root *Process, t lineTag) bool {
	rootPid := root.Pid()
	if t.pid <= 1 || t.ppid <= 0 || t.pid == rootPid {
		return false
	}
	l.mu.Lock()
	n, parentKnown := 0, t.ppid == rootPid
	for pid, o := range l.observed {
		if o.observedBy == root {
			n++
			parentKnown = parentKnown || pid == t.ppid
		}
	}
	l.mu.Unlock()
	if n >= l.opts.MaxProgramProcesses {
		return false
	}
	if parentKnown {
		return true
	}
	// The writer itself, or, once it is gone, the parent it named (a
	// forkserver's short-lived child may be gone before its first line is
	// read, and the forkserver prints nothing, so the lab does not know it).
	// When both are gone there is nothing to check against: the line is
	// believed, as a late line of a real child must be.
	for _, from := range []int{t.pid, t.ppid} {
		if below, known := l.descends(from, rootPid, t.pid); known {
			return below
		}
	}
	return true
}

// descends reports whether pid is below root by its parent chain in /proc;
// known is false when pid is gone. A chain that reaches ProcLab (an orphan
// it adopted) or init is the lab's only if claimed is in the lab's cgroup.
func (l *Lab) descends(pid, root, claimed int) (below, known bool) {
	for depth := 0; depth < 64; depth++ {
		st, err := ReadStat(pid)
		if err != nil {
			return true, depth > 0 // an ancestor that just ended: the chain held so far
		}
		if st.PPid == root {
			return true, true
		}
		if st.PPid == os.Getpid() || st.PPid <= 1 {
			in, ok := l.contain.Contains(claimed)
			return ok && in, true
		}
		pid = st.PPid
	}
	return false, true
}

// ObservedBy is the lab process whose program started p; nil unless p is
// an observed process.
func (p *Process) ObservedBy() *Process { return p.observedBy }

func (p *Process) hasEnded() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ended
}

// observedEnded records that an observed process ended; code is its exit
// code when the hook reported it.
func (l *Lab) observedEnded(o *Process, code int, known bool) {
	o.mu.Lock()
	if o.ended {
		// The watcher may see the process gone before the reader has got
		// to the exit code the hook wrote just before it ended: a loaded
		// machine widens that gap. The code is worth showing late.
		late := known && !o.exitKnown
		if late {
			o.exitCode, o.exitKnown = code, true
		}
		o.mu.Unlock()
		if late {
			text, m := say(msgExitLate, ExitCodeName(code))
			l.publish(Event{Kind: EvExited, Proc: o, Code: code, Text: text, Say: m})
		}
		return
	}
	o.ended, o.status, o.exitCode, o.exitKnown = true, Stopped, code, known
	o.endedAt = l.Since()
	o.reapedBy = "its parent in the program"
	l.threadNames.forget(o.pid) // before anyone waiting for its end is told
	close(o.exited)
	close(o.done)
	o.mu.Unlock()
	text := "ended"
	if known {
		text = "exitcode=" + ExitCodeName(code)
	}
	l.publish(Event{Kind: EvExited, Proc: o, Code: code, Text: text})
}

// watchObserved notices the end of observed children that reported no
// exit code (killed by a signal, or not multiprocessing's), and ends them
// all when the program ends. A spawner's children outlive a killed spawner
// (orphans the lab adopts): they are watched until they are gone.
func (l *Lab) watchObserved(root *Process) {
	defer l.owners.Done()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	outlive := root.spec.Target != CommandTarget
	exited := root.exited
	for {
		rootEnded := false
		select {
		case <-l.closing:
			rootEnded = true
		case <-exited:
			exited = nil // closed: selected once
			rootEnded = !outlive
		case <-tick.C:
		}
		l.mu.Lock()
		var mine []*Process
		for _, o := range l.observed {
			if o.observedBy == root {
				mine = append(mine, o)
			}
		}
		l.mu.Unlock()
		for _, o := range mine {
			if o.hasEnded() && !rootEnded {
				continue // no /proc read for what is known to be over
			}
			if rootEnded || observedGone(o.Pid(), o.osStart) {
				l.observedEnded(o, 0, false)
			}
		}
		if rootEnded || exited == nil && l.allObservedEnded(root) {
			return
		}
	}
}

// allObservedEnded reports whether every observed child of root has ended.
func (l *Lab) allObservedEnded(root *Process) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, o := range l.observed {
		if o.observedBy == root && !o.hasEnded() {
			return false
		}
	}
	return true
}

// ProgramName names the lab process of a program run in the lab: a Python
// script by its file name, anything else by its program's name.
func ProgramName(argv []string) string {
	if len(argv) == 0 {
		return ""
	}
	if IsPython(argv) {
		for _, a := range argv[1:] {
			if a == "-c" || a == "-m" {
				break
			}
			if a != "" && a[0] != '-' {
				return filepath.Base(a)
			}
		}
	}
	return filepath.Base(argv[0])
}

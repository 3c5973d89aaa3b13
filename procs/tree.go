package procs

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/shirou/gopsutil/v3/cpu"
)

// ProcStat is what one read of a process's stat record gives: identity,
// parent, state and the raw counters the tree shows.
type ProcStat struct {
	Pid, PPid int
	PGid      int    // process group: a lab child leads the group of what it starts
	Name      string // the kernel's short name (comm)
	State     byte   // R running, S sleeping, D disk wait, Z zombie, T stopped, I idle
	CPUTicks  uint64 // user + system time, in clock ticks
	StartTime uint64 // clock ticks after boot: with Pid, a process's identity
	RSS       uint64 // resident memory in bytes
	Threads   int
	Core      int  // the CPU it last ran on
	Kernel    bool // a kernel thread: it has no command line
}

// ProcInfo is one row of the live tree.
type ProcInfo struct {
	ProcStat
	CPU     float64  // percent of one core since the previous poll
	Cmdline []string // read once per process, when the poll first sees it
	// ThreadList is the process's threads, main first; read only for the
	// processes the Poller's Threads picks (nil for the others).
	ThreadList []ThreadInfo
}

// WorkerName returns the Python name and task of a ProcLab worker, read
// from its command line (worker --name Process-1:1 --task forever ...).
func (p *ProcInfo) WorkerName() (name, task string, ok bool) {
	c := p.Cmdline
	if len(c) < 6 || c[1] != WorkerCommand || c[2] != "--name" || c[4] != "--task" {
		return "", "", false
	}
	return c[3], c[5], true
}

// StateName spells out a one-letter process state.
func StateName(state byte) string {
	switch state {
	case 'R':
		return "running"
	case 'S':
		return "sleeping"
	case 'D':
		return "disk wait"
	case 'Z':
		return "zombie"
	case 'T', 't':
		return "stopped"
	case 'I':
		return "idle"
	case 'X':
		return "dead"
	}
	return "unknown"
}

// Tree is one poll of every process: who is whose parent, and what each does.
type Tree struct {
	At    time.Time
	Procs map[int]*ProcInfo
	Cores []float64 // busy percent of each CPU core since the previous poll
	// Partial is set when the poll read only the processes Poller.Only
	// named, not every process of the machine.
	Partial  bool
	children map[int][]int
}

// Children returns the children of pid, oldest first so rows never jump.
func (t *Tree) Children(pid int) []int { return t.children[pid] }

// Walk visits root and its descendants depth first. A root of 0 visits the
// whole system: every process whose parent is unknown starts a tree.
func (t *Tree) Walk(root int, visit func(p *ProcInfo, depth int, last []bool)) {
	var walk func(pid int, last []bool)
	walk = func(pid int, last []bool) {
		p := t.Procs[pid]
		if p == nil {
			return
		}
		visit(p, len(last), last)
		kids := t.children[pid]
		for i, c := range kids {
			walk(c, append(slices.Clip(last), i == len(kids)-1))
		}
	}
	if root != 0 {
		walk(root, nil)
		return
	}
	var roots []int
	for pid, p := range t.Procs {
		if _, ok := t.Procs[p.PPid]; !ok || p.PPid == pid {
			roots = append(roots, pid)
		}
	}
	slices.Sort(roots)
	for _, r := range roots {
		walk(r, nil)
	}
}

// Descendants returns the pids under root (root excluded).
func (t *Tree) Descendants(root int) []int {
	var out []int
	t.Walk(root, func(p *ProcInfo, depth int, _ []bool) {
		if depth > 0 {
			out = append(out, p.Pid)
		}
	})
	return out
}

// Poller reads the process table once per Poll and turns counter deltas
// into CPU percentages.
type Poller struct {
	// Threads, if set, picks the processes whose threads each poll reads
	// (ProcInfo.ThreadList); it is called once the tree's parents are known.
	Threads func(t *Tree, pid int) bool
	// MaxThreads bounds the threads read of one process (0: all): a
	// process of 10,000 threads is not 10,000 reads a poll.
	MaxThreads int
	// KeepOpen keeps each process's stat file open from one poll to the
	// next (one pread a process and poll), for a Poller that watches;
	// Close closes them.
	KeepOpen bool
	// Only, if set, names the processes each poll reads instead of every
	// process of the machine; when it says !ok, the poll reads them all.
	// The window names its lab's cgroup and ProcLab: a poll of an empty lab
	// then reads two processes, whatever the machine runs.
	Only  func() (pids []int, ok bool)
	files *statFiles

	prevThreadTicks map[procKey]uint64
	prevTicks       map[procKey]uint64
	prevAt          time.Time
	cmdlines        map[procKey][]string
	prevCores       []cpu.TimesStat
}

type procKey struct {
	pid   int
	start uint64
}

// Poll reads every process once.
func (pl *Poller) Poll() (*Tree, error) {
	now := time.Now()
	if pl.KeepOpen && pl.files == nil {
		pl.files = newStatFiles()
	}
	var only []int
	if pl.Only != nil {
		if pids, ok := pl.Only(); ok {
			only = append(make([]int, 0, len(pids)), pids...) // not nil: an empty set reads nothing
		}
	}
	stats, err := pl.files.readAll(only)
	if err != nil {
		return nil, err
	}
	t := &Tree{At: now, Procs: make(map[int]*ProcInfo, len(stats)), children: map[int][]int{}, Partial: only != nil}
	ticks := make(map[procKey]uint64, len(stats))
	cmdlines := make(map[procKey][]string, len(stats))
	elapsed := now.Sub(pl.prevAt).Seconds()
	for i := range stats {
		s := &stats[i]
		info := &ProcInfo{ProcStat: *s}
		key := procKey{s.Pid, s.StartTime}
		ticks[key] = s.CPUTicks
		cmd, seen := pl.cmdlines[key]
		if !seen && !s.Kernel {
			cmd = readCmdline(s.Pid)
		}
		cmdlines[key], info.Cmdline = cmd, cmd
		if prev, ok := pl.prevTicks[key]; ok && elapsed > 0 && s.CPUTicks >= prev {
			info.CPU = float64(s.CPUTicks-prev) / clockTicks / elapsed * 100
		}
		t.Procs[s.Pid] = info
	}
	for pid, p := range t.Procs {
		if p.PPid != pid {
			t.children[p.PPid] = append(t.children[p.PPid], pid)
		}
	}
	// Oldest first, by start time then pid: sorted on keys taken once (a
	// comparison that looked both up in the map cost a 5,000-process poll
	// a tenth of its time).
	type born struct {
		start uint64
		pid   int
	}
	var keys []born
	for _, kids := range t.children {
		keys = keys[:0]
		for _, pid := range kids {
			keys = append(keys, born{t.Procs[pid].StartTime, pid})
		}
		slices.SortFunc(keys, func(a, b born) int {
			if a.start != b.start {
				return compare(a.start, b.start)
			}
			return a.pid - b.pid
		})
		for i, k := range keys {
			kids[i] = k.pid
		}
	}
	pl.pollThreads(t, elapsed)
	pl.prevTicks, pl.prevAt, pl.cmdlines = ticks, now, cmdlines
	// System figures come from gopsutil: one read of the per-CPU counters.
	if cores, err := cpu.Times(true); err == nil {
		if len(cores) == len(pl.prevCores) {
			t.Cores = make([]float64, len(cores))
			for i, c := range cores {
				t.Cores[i] = busyPercent(pl.prevCores[i], c)
			}
		}
		pl.prevCores = cores
	}
	return t, nil
}

func busyPercent(a, b cpu.TimesStat) float64 {
	idle := func(t cpu.TimesStat) float64 { return t.Idle + t.Iowait }
	total := func(t cpu.TimesStat) float64 {
		return t.User + t.System + t.Nice + t.Iowait + t.Irq + t.Softirq + t.Steal + t.Idle
	}
	dt := total(b) - total(a)
	if dt <= 0 {
		return 0
	}
	return max(0, min(100, (dt-(idle(b)-idle(a)))/dt*100))
}

func compare(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Close closes the files a KeepOpen Poller keeps; it may poll again.
func (pl *Poller) Close() {
	pl.files.close()
	pl.files = nil
}

// Watch polls every interval until ctx ends, handing each tree to fn.
func Watch(ctx context.Context, interval time.Duration, fn func(*Tree, error)) {
	new(Poller).Watch(ctx, interval, fn)
}

// Watch polls with pl every interval until ctx ends, handing each tree to
// fn; it keeps the stat files open meanwhile.
func (pl *Poller) Watch(ctx context.Context, interval time.Duration, fn func(*Tree, error)) {
	pl.KeepOpen = true
	defer pl.Close()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		fn(pl.Poll())
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// FormatBytes prints a memory size the way process viewers do: 12.3M.
func FormatBytes(b uint64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%dB", b)
	}
	v := float64(b) / unit
	for _, suffix := range []string{"K", "M", "G", "T"} {
		if v < unit {
			return fmt.Sprintf("%.1f%s", v, suffix)
		}
		v /= unit
	}
	return fmt.Sprintf("%.1fP", v)
}

// PrintTree writes the tree under root like pstree -p, one process a line,
// with its state, CPU % and resident memory in aligned columns.
func PrintTree(w io.Writer, t *Tree, root int) { PrintTreeLines(w, t, root, 0) }

// PrintTreeLines is PrintTree in at most lines lines (0: no bound), as a
// screen of that height holds it: the rows that do not fit are counted on
// the last line instead, and not even formatted (a tree of 5,000
// processes redrawn ten times a second on a 50-line terminal).
func PrintTreeLines(w io.Writer, t *Tree, root, lines int) {
	type row struct {
		left string
		p    *ProcInfo
	}
	var rows []row
	width, more := 0, 0
	room := lines - 2 // the title line, and the line saying how many more
	add := func(left func() string, p *ProcInfo) {
		if lines > 0 && len(rows) >= room {
			more++
			return
		}
		text := left()
		width = max(width, len([]rune(text)))
		rows = append(rows, row{text, p})
	}
	t.Walk(root, func(p *ProcInfo, depth int, last []bool) {
		// A process may name itself with escapes.
		add(func() string { return treeIndent(last) + fmt.Sprintf("%s(%d)", Printable(p.Name), p.Pid) }, p)
		// Its threads, as pstree -p shows them: {name}(tid), before its
		// children.
		kids := len(t.children[p.Pid])
		for i, th := range p.ThreadList {
			branch := append(slices.Clip(last), i == len(p.ThreadList)-1 && kids == 0)
			add(func() string { return treeIndent(branch) + fmt.Sprintf("{%s}(%d)", Printable(th.Name), th.TID) },
				&ProcInfo{ProcStat: ProcStat{Pid: th.TID, State: th.State}, CPU: th.CPU})
		}
	})
	// One write for the whole tree, not one a row: a terminal (or tmux)
	// redrawing 5,000 rows ten times a second does far less work.
	bw := bufio.NewWriterSize(w, 64<<10)
	defer bw.Flush()
	fmt.Fprintf(bw, "%-*s  %-8s %6s %8s\n", width, "PROCESS(PID)", "STATE", "CPU%", "RSS")
	for _, r := range rows {
		pad := width - len([]rune(r.left))
		rss := FormatBytes(r.p.RSS)
		if r.p.RSS == 0 && r.p.Name == "" {
			rss = "" // a thread: its memory is its process's
		}
		line := fmt.Sprintf("%s%s  %-8s %6.1f %8s", r.left, strings.Repeat(" ", pad), StateName(r.p.State), r.p.CPU, rss)
		bw.WriteString(strings.TrimRight(line, " "))
		bw.WriteByte('\n')
	}
	if more > 0 {
		fmt.Fprintf(bw, "… %d more rows (a taller terminal shows them)\n", more)
	}
}

// treeIndent draws the branches in front of a row at depth len(last):
// last says, for each level, whether the row's ancestor there is the last
// of its siblings.
func treeIndent(last []bool) string {
	var b strings.Builder
	for i, l := range last {
		switch {
		case i < len(last)-1 && l:
			b.WriteString("  ")
		case i < len(last)-1:
			b.WriteString("│ ")
		case l:
			b.WriteString("└─")
		default:
			b.WriteString("├─")
		}
	}
	return b.String()
}

package procs

import (
	"context"
	"maps"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"
)

// Orphan is a process the lab adopted: its parent, a child of the lab,
// died first, and the kernel re-parented it to ProcLab, the subreaper.
type Orphan struct {
	Pid  int
	Name string // its Python name, e.g. Process-2:1, or its command
}

// Adopted returns the orphans the lab has adopted and not yet reaped.
func (l *Lab) Adopted() map[int]Orphan {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[int]Orphan, len(l.adopted))
	for pid, o := range l.adopted {
		out[pid] = o
	}
	return out
}

// watchOrphans notices adoptions and reaps adopted orphans that ended. It
// looks through all of ProcLab's children on every SIGCHLD (an orphan's end
// sends one to ProcLab), and twice a second, for adoptions, through what
// the cgroup holds. It ends with ctx.
func (l *Lab) watchOrphans(ctx context.Context) {
	defer l.owners.Done()
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGCHLD)
	defer signal.Stop(sigs)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		full := false
		select {
		case <-ctx.Done():
			return
		case <-sigs:
			full = true
		case <-tick.C:
		}
		l.scanOrphans(full)
	}
}

// scanOrphans finds ProcLab's children that the lab did not start but
// that belong to the lab: orphans of the lab. New ones are announced; ended
// ones are reaped. With a cgroup, belonging is being in it (whatever session
// or process group the orphan is in); without, being in a lab child's
// process group.
//
// A full scan reads every child of ProcLab's (the children files of each of
// its threads, one a thread: a thousand with a thousand children). Without
// full, and with a cgroup, it reads only what the cgroup holds and the
// orphans already known: enough to see an adoption, while an orphan's end,
// the one thing only a full scan finds, comes with a SIGCHLD.
func (l *Lab) scanOrphans(full bool) {
	// Hold off Start while reading and deciding, so a child that was just
	// started and has no pid in the lab yet is never taken for an orphan,
	// and no read is older than the lab's own state.
	// Lock order: startMu, then l.mu (Start holds p.mu, then startMu).
	l.startMu.Lock()
	defer l.startMu.Unlock()
	self := os.Getpid()
	keeper := l.contain.KeeperPid()
	l.mu.Lock()
	groups := maps.Clone(l.groups) // every lab child leads a group: these are also the lab's pids
	l.mu.Unlock()
	skip := func(pid int) bool { return groups[pid] || pid == keeper }
	var stats []ProcStat
	if members, ok := l.contain.Pids(); ok && !full {
		stats = l.memberStats(self, members, skip)
	} else {
		stats = childStats(self, skip)
	}
	for _, s := range stats {
		if in, ok := l.contain.Contains(s.Pid); (ok && !in) || (!ok && !groups[s.PGid]) {
			continue
		}
		l.mu.Lock()
		o, known := l.adopted[s.Pid]
		l.mu.Unlock()
		if !known {
			o = Orphan{Pid: s.Pid, Name: s.Name}
			info := ProcInfo{ProcStat: s, Cmdline: readCmdline(s.Pid)}
			if name, _, ok := info.WorkerName(); ok {
				o.Name = name
			}
			l.mu.Lock()
			if seen := l.observed[s.Pid]; seen != nil && seen.osStart == s.StartTime {
				o.Name = seen.name // a program's process: Process-2, not python3
			}
			l.adopted[s.Pid] = o
			text, m := say(msgAdopted, o.Name, s.Pid)
			l.publishLocked(Event{Kind: EvAdopted, Code: s.Pid, Text: text, Say: m})
			l.mu.Unlock()
		}
		if s.State != 'Z' {
			continue
		}
		if code, ok := reapOrphan(s.Pid); ok {
			l.mu.Lock()
			delete(l.adopted, s.Pid)
			text, m := say(msgOrphanReaped, o.Name, s.Pid, ExitCodeName(code))
			l.publishLocked(Event{Kind: EvReaped, Code: code, Text: text, Say: m})
			seen := l.observed[s.Pid]
			l.mu.Unlock()
			if seen != nil && seen.osStart == s.StartTime {
				// ProcLab reaped it, so only ProcLab knows how it ended.
				l.observedEnded(seen, code, true)
			}
		}
	}
}

// killOrphans ends every orphan of the lab and reaps it; used when the
// lab closes or resets. Orphans appear a moment after their parent dies,
// so it scans until two scans in a row find none — one, when the lab is in
// a cgroup: stopAll has killed the cgroup and waited for it to empty, so no
// process of the lab is left to die and leave one, and the scan only reaps. (The second scan and its
// pause were 40 ms of every headless run.) The signal goes through a pidfd
// taken while no scan can reap, so it never reaches a process that took a
// reaped orphan's pid.
func (l *Lab) killOrphans() {
	quietScans := 2
	if l.Contained() {
		quietScans = 1
	}
	deadline := time.Now().Add(2 * time.Second)
	for quiet := 0; time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		l.scanOrphans(true)
		adopted := l.Adopted()
		if len(adopted) == 0 {
			if quiet++; quiet >= quietScans {
				return
			}
		} else {
			quiet = 0
		}
		l.startMu.Lock()
		for pid := range adopted {
			_ = killByPidfd(pid)
		}
		l.startMu.Unlock()
	}
}

// memberStats reads the stats of the cgroup's members and the known
// orphans that are children of self, but those skip names.
func (l *Lab) memberStats(self int, members []int, skip func(int) bool) []ProcStat {
	l.mu.Lock()
	for pid := range l.adopted {
		members = append(members, pid)
	}
	l.mu.Unlock()
	var out []ProcStat
	seen := make(map[int]bool, len(members))
	buf := make([]byte, 4096)
	for _, pid := range members {
		if seen[pid] || skip(pid) {
			continue
		}
		seen[pid] = true
		if s, err := readStat(pid, buf); err == nil && s.PPid == self {
			out = append(out, s)
		}
	}
	return out
}

// childStatsOfAll finds self's children, but those skip names, by reading
// every process's stat.
func childStatsOfAll(self int, skip func(pid int) bool) []ProcStat {
	all, _ := readAllStats()
	out := all[:0]
	for _, s := range all {
		if s.PPid == self && !skip(s.Pid) {
			out = append(out, s)
		}
	}
	return out
}

// PidsRunning lists the live processes (zombies left out) whose command
// line is exactly argv: how the tests find the processes they started
// wherever they were re-parented.
func PidsRunning(argv ...string) []int {
	return pidsRunningWhere(func(cmdline []string) bool { return slices.Equal(cmdline, argv) })
}

// pidsRunningWhere lists the live processes (zombies left out) whose
// command line is, by match, the one looked for.
func pidsRunningWhere(match func(cmdline []string) bool) []int {
	stats, _ := readAllStats()
	var pids []int
	for _, s := range stats {
		if s.State != 'Z' && match(readCmdline(s.Pid)) {
			pids = append(pids, s.Pid)
		}
	}
	return pids
}

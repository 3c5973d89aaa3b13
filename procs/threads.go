package procs

import "slices"

// ThreadInfo is one thread of a process, as the kernel lists it under
// /proc/PID/task: a process has at least one (its main thread, whose TID
// is the process's pid), and every thread it starts is another.
type ThreadInfo struct {
	TID       int
	Name      string  // the kernel's short name (comm): a thread's own, or its process's
	State     byte    // as a process's: R, S, D, Z, T, ...
	CPUTicks  uint64  // user + system time, in clock ticks
	CPU       float64 // percent of one core since the previous poll
	Core      int     // the CPU it last ran on
	StartTime uint64  // with TID, the thread's identity
}

// IsMain reports whether t is its process's main thread.
func (t ThreadInfo) IsMain(pid int) bool { return t.TID == pid }

// Under reports whether pid is root or below it in t.
func (t *Tree) Under(pid, root int) bool {
	for range 4096 { // a parent chain is never longer; a loop of ppids ends here
		if pid == root {
			return true
		}
		p := t.Procs[pid]
		if p == nil || p.PPid == pid {
			return false
		}
		pid = p.PPid
	}
	return false
}

// pollThreads reads the threads of the processes pl.Threads picks and
// measures each one's CPU since the previous poll, as for processes.
func (pl *Poller) pollThreads(t *Tree, elapsed float64) {
	if pl.Threads == nil {
		pl.prevThreadTicks = nil
		return
	}
	ticks := map[procKey]uint64{}
	for pid, p := range t.Procs {
		if !pl.Threads(t, pid) {
			continue
		}
		threads := readThreads(pid, pl.MaxThreads)
		for i := range threads {
			th := &threads[i]
			key := procKey{th.TID, th.StartTime}
			ticks[key] = th.CPUTicks
			if prev, ok := pl.prevThreadTicks[key]; ok && elapsed > 0 && th.CPUTicks >= prev {
				th.CPU = float64(th.CPUTicks-prev) / clockTicks / elapsed * 100
			}
		}
		// The main thread first, then the others in the order they started
		// (of those read: the lowest TIDs, when there are more than MaxThreads).
		slices.SortFunc(threads, func(a, b ThreadInfo) int {
			switch {
			case a.IsMain(pid) != b.IsMain(pid):
				if a.IsMain(pid) {
					return -1
				}
				return 1
			case a.StartTime != b.StartTime:
				return compare(a.StartTime, b.StartTime)
			}
			return a.TID - b.TID
		})
		p.ThreadList = threads
	}
	pl.prevThreadTicks = ticks
}

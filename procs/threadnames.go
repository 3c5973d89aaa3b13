package procs

import (
	"os"
	"strconv"
	"sync"
)

// threadNames are the names Python's threading gave the threads of a
// program's processes, as the hook reports them: the kernel calls every
// one of them "python3".
type threadNames struct {
	mu    sync.Mutex
	byPid map[int]map[int]string // pid: tid: name
}

// maxThreadNames bounds the names kept for one process; past it, those of
// threads that have ended are dropped.
const maxThreadNames = 1024

// set records a thread's name, if tid is a thread of pid: the kernel's
// word, not the program's.
func (n *threadNames) set(pid, tid int, name string) {
	if _, err := os.Stat("/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(tid)); err != nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	names := n.byPid[pid]
	if names == nil {
		return // not a process of a program (or one that has ended)
	}
	if len(names) >= maxThreadNames {
		live := map[int]bool{}
		for _, th := range readThreads(pid, 0) {
			live[th.TID] = true
		}
		for t := range names {
			if !live[t] {
				delete(names, t)
			}
		}
		if len(names) >= maxThreadNames {
			return
		}
	}
	names[tid] = Printable(name)
}

// started: a process of a program connected; its main thread is
// threading's MainThread, and names of an earlier process with its pid go.
func (n *threadNames) started(pid int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.byPid == nil {
		n.byPid = map[int]map[int]string{}
	}
	n.byPid[pid] = map[int]string{pid: "MainThread"}
}

func (n *threadNames) get(pid, tid int) (string, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	name, ok := n.byPid[pid][tid]
	return name, ok
}

func (n *threadNames) forget(pid int) {
	n.mu.Lock()
	delete(n.byPid, pid)
	n.mu.Unlock()
}

// ThreadName is the name threading gave thread tid of pid, a process of a
// Python program run in the lab (MainThread for its main thread). ok is
// false for every other thread: the kernel's name is all there is.
func (l *Lab) ThreadName(pid, tid int) (name string, ok bool) {
	return l.threadNames.get(pid, tid)
}

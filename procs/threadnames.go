package procs

import (
	"os"
	"strconv"
	"sync"
	"time"
)

// threadNames are the names Python's threading gave the threads of a
// program's processes, as the hook reports them (and a worker's threads
// task, on its state pipe): the kernel calls every one of them "python3".
type threadNames struct {
	mu    sync.Mutex
	byPid map[int]*processThreadNames
}

// processThreadNames are the thread names of one process.
type processThreadNames struct {
	names map[int]string // tid: name
	// backOff: until then, names past the bound are not kept. A prune
	// that found most names alive sets it a second ahead, or a process
	// with thousands of live threads would have every new name read all
	// of their /proc entries.
	backOff time.Time
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
	p := n.byPid[pid]
	if p == nil {
		return // not a process of a program (or one that has ended)
	}
	if _, known := p.names[tid]; !known && len(p.names) >= maxThreadNames {
		if time.Now().Before(p.backOff) {
			return
		}
		live := map[int]bool{}
		for _, th := range readThreads(pid, 0) {
			live[th.TID] = true
		}
		for t := range p.names {
			if !live[t] {
				delete(p.names, t)
			}
		}
		if len(p.names) > maxThreadNames*3/4 {
			p.backOff = time.Now().Add(time.Second)
		}
		if len(p.names) >= maxThreadNames {
			return
		}
	}
	p.names[tid] = Printable(name)
}

// started: a process of a program connected (or a worker started); its
// main thread is threading's MainThread, and names of an earlier process
// with its pid go.
func (n *threadNames) started(pid int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.byPid == nil {
		n.byPid = map[int]*processThreadNames{}
	}
	n.byPid[pid] = &processThreadNames{names: map[int]string{pid: "MainThread"}}
}

func (n *threadNames) get(pid, tid int) (string, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	p := n.byPid[pid]
	if p == nil {
		return "", false
	}
	name, ok := p.names[tid]
	return name, ok
}

// count is how many names are kept for pid.
func (n *threadNames) count(pid int) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	if p := n.byPid[pid]; p != nil {
		return len(p.names)
	}
	return 0
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

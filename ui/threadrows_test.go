package ui

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"proclab/procs"
)

// The rows of a process's threads, from a real poll of this test's own
// process: main thread first, each with its TID, the thread count on the
// process's row, and past the bound one row saying how many more there are.
func TestThreadRowsComeFirstAndAreBounded(t *testing.T) {
	runtime.LockOSThread() // one more thread for the test's life, at least
	defer runtime.UnlockOSThread()
	pid := os.Getpid()
	pl := procs.Poller{Threads: func(_ *procs.Tree, p int) bool { return p == pid }, MaxThreads: 2}
	tree, err := pl.Poll()
	if err != nil {
		t.Fatal(err)
	}
	info := tree.Procs[pid]
	if info.Threads < 3 {
		t.Skipf("the test process has %d threads", info.Threads)
	}
	names := func(p, tid int) (string, bool) { return "MainThread", p == pid && tid == pid }
	m := buildTree(nil, procs.MainState{}, pid, tree, nil, 0, 0, 0, names)
	kids := m.kids[mainUID]
	if len(kids) < 3 {
		t.Fatalf("main's rows: %q", kids)
	}
	first, second, more := m.rows[kids[0]], m.rows[kids[1]], m.rows[kids[2]]
	if first.title != fmt.Sprintf("thread MainThread · %d", pid) || first.tid != pid || first.shownPid != pid {
		t.Errorf("the first thread row is %+v", first)
	}
	if !strings.HasPrefix(second.title, "thread {") || second.tid == 0 || second.use.memText() != "" {
		t.Errorf("the second thread row is %+v (its memory is its process's)", second)
	}
	if want := fmt.Sprintf("… and %d more threads", info.Threads-2); more.title != want {
		t.Errorf("past the bound: %q, want %q", more.title, want)
	}
	if m.rows[mainUID].threads != info.Threads || m.rows[mainUID].threadsText() != fmt.Sprint(info.Threads) {
		t.Errorf("main's row counts %d threads, the poll %d", m.rows[mainUID].threads, info.Threads)
	}
}

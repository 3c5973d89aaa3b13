package ui

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

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

// The timeline gives each shown thread of a lab process a sub-lane under
// the process's lane, named as the tree names it, and ends the sub-lanes
// when the process ends.
func TestTimelineShowsThreadsUnderTheirProcess(t *testing.T) {
	lab, err := procs.NewLab(procs.Options{LogDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	p, err := lab.Create(procs.Spec{Target: "threads", Kwargs: []procs.KV{{Key: "n", Value: int64(2)}, {Key: "target", Value: "forever"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := lab.Start(p); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(p.Output().Tail(nil)) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	pl := procs.Poller{Threads: func(_ *procs.Tree, pid int) bool { return pid == p.Pid() }}
	tl := newTimeline()
	for i := range 2 {
		tree, err := pl.Poll()
		if err != nil {
			t.Fatal(err)
		}
		tl.pollThreads(time.Duration(i)*time.Second, tree, []procs.Snapshot{p.Snapshot()}, lab.ThreadName)
	}
	var names []string
	for _, l := range tl.lanes {
		names = append(names, l.name)
	}
	if len(names) < 5 || names[1] != p.Name() || names[2] != "  ↳ MainThread" ||
		!slices.Contains(names, "  ↳ Thread-1 (forever)") || !slices.Contains(names, "  ↳ Thread-2 (forever)") {
		t.Fatalf("the timeline's lanes: %q", names)
	}
	if err := lab.Kill(p); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := lab.Join(ctx, p, 0); err != nil {
		t.Fatal(err)
	}
	tree, _ := pl.Poll()
	tl.pollThreads(3*time.Second, tree, []procs.Snapshot{p.Snapshot()}, lab.ThreadName)
	for _, l := range tl.lanes[2:] {
		if !l.ended || l.spans[len(l.spans)-1].to != 3*time.Second {
			t.Errorf("%q goes on after its process ended: %+v", l.name, l.spans)
		}
	}
}

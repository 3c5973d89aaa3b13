package procs

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// procThreads reads a process's threads straight from /proc, the way the
// test holds the poller's rows against: TID, comm and state of each.
func procThreads(t *testing.T, pid int) map[int][2]string {
	t.Helper()
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		t.Fatal(err)
	}
	out := map[int][2]string{}
	for _, e := range entries {
		tid, _ := strconv.Atoi(e.Name())
		comm, err1 := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/comm", pid, tid))
		stat, err2 := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/stat", pid, tid))
		if err1 != nil || err2 != nil {
			continue
		}
		rest := string(stat[strings.LastIndexByte(string(stat), ')')+2:])
		out[tid] = [2]string{strings.TrimSuffix(string(comm), "\n"), rest[:1]}
	}
	return out
}

// pollThreadsOf polls the tree with pid's threads until they are what
// /proc lists just before and after the poll (a Go runtime may start a
// thread between two reads), and returns the poll's rows.
func pollThreadsOf(t *testing.T, pid int) []ThreadInfo {
	t.Helper()
	pl := Poller{Threads: func(_ *Tree, p int) bool { return p == pid }}
	var got []ThreadInfo
	var want map[int][2]string
	ok := eventually(func() bool {
		before := procThreads(t, pid)
		tree, err := pl.Poll()
		if err != nil || tree.Procs[pid] == nil {
			return false
		}
		got, want = tree.Procs[pid].ThreadList, procThreads(t, pid)
		if len(got) != len(want) || len(before) != len(want) {
			return false
		}
		for _, th := range got {
			w, ok := want[th.TID]
			if !ok || w[0] != th.Name || w[1] != string(th.State) || before[th.TID] != w {
				return false
			}
		}
		return true
	})
	if !ok {
		t.Fatalf("the poll's threads of %d never matched /proc:\npoll %+v\n/proc %v", pid, got, want)
	}
	if got[0].TID != pid {
		t.Errorf("the first thread row is %d, not the main thread %d", got[0].TID, pid)
	}
	return got
}

// writeProgram writes a Python program into the test's folder.
func writeProgram(t *testing.T, name, program string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// startPython starts a Python program in lab, not waiting for its end.
func startPython(t *testing.T, lab *Lab, py, file string) *Process {
	t.Helper()
	p, err := lab.Create(Spec{Target: CommandTarget, Command: []string{py, file}, Name: filepath.Base(file), AutoReap: true})
	if err != nil {
		t.Fatal(err)
	}
	mustStart(t, lab, p)
	return p
}

// threadNamesOf maps each named thread the lab knows of pid to its name.
func threadNamesOf(lab *Lab, pid int, threads []ThreadInfo) map[int]string {
	out := map[int]string{}
	for _, th := range threads {
		if name, ok := lab.ThreadName(pid, th.TID); ok {
			out[th.TID] = name
		}
	}
	return out
}

// The threads task starts real OS threads in the worker's process: the
// poll lists them as /proc does (TIDs, kernel names, states), the lab
// knows threading's names for them, and the task's output gives the same
// TIDs as native_id.
func TestThreadRowsOfALabTaskMatchProc(t *testing.T) {
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: "threads", Kwargs: []KV{{"n", int64(3)}, {"target", "forever"}}})
	mustStart(t, lab, p)
	native := map[string]int{} // threading's name: the TID the task printed
	// Each thread prints before the main thread says it started: count
	// the "started" lines, not all lines.
	eventually(func() bool {
		for _, line := range laneTexts(p) {
			var n, tid int
			if k, _ := fmt.Sscanf(line, "started Thread-%d (forever) native_id: %d", &n, &tid); k == 2 {
				native[fmt.Sprintf("Thread-%d (forever)", n)] = tid
			}
		}
		return len(native) == 3
	})
	if len(native) != 3 {
		t.Fatalf("the task printed %d threads started: %q", len(native), laneTexts(p))
	}
	threads := pollThreadsOf(t, p.Pid())
	names := threadNamesOf(lab, p.Pid(), threads)
	if names[p.Pid()] != "MainThread" {
		t.Errorf("the main thread is named %q, want MainThread", names[p.Pid()])
	}
	for name, tid := range native {
		if names[tid] != name {
			t.Errorf("thread %d: the lab names it %q, the task printed %q", tid, names[tid], name)
		}
		i := slices.IndexFunc(threads, func(th ThreadInfo) bool { return th.TID == tid })
		if i < 0 {
			t.Errorf("thread %d (%s) is not in the poll", tid, name)
			continue
		}
		// The kernel keeps 15 bytes of a thread's name.
		if want := name[:15]; threads[i].Name != want {
			t.Errorf("thread %d: comm %q, want %q", tid, threads[i].Name, want)
		}
	}
	// proclab tree --threads: each thread under its process, as pstree
	// writes one, {comm}(TID), main thread first.
	pl := Poller{Threads: func(tree *Tree, pid int) bool { return tree.Under(pid, p.Pid()) }}
	tree, err := pl.Poll()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	PrintTree(&out, tree, p.Pid())
	rows := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(rows) < 2+len(threads) || !strings.HasPrefix(rows[2], fmt.Sprintf("├─{%s}(%d) ", threads[0].Name, p.Pid())) {
		t.Errorf("tree --threads printed\n%s", out.String())
	}
	for name, tid := range native {
		if row := fmt.Sprintf("{%s}(%d) ", name[:15], tid); !strings.Contains(out.String(), row) {
			t.Errorf("tree --threads has no row %q:\n%s", row, out.String())
		}
	}
	if err := lab.Terminate(p); err != nil {
		t.Fatal(err)
	}
	if code := join(t, lab, p); code != -15 {
		t.Errorf("terminated, the process of threads exited with %d", code)
	}
}

// Threads share their process's globals: two threads of add_data fill one
// g_list, where two processes each fill their own (lesson 3.6a).
func TestThreadsShareTheirProcessGlobals(t *testing.T) {
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: "threads", Args: []any{int64(2), "add_data"}})
	mustStart(t, lab, p)
	if code := join(t, lab, p); code != 0 {
		t.Fatalf("exit %d: %q", code, texts(p))
	}
	lines := laneTexts(p)
	if !slices.Contains(lines, "添加完成： [0, 0, 1, 1, 2, 2]") {
		t.Errorf("two threads did not fill one g_list: %q", lines)
	}
	if got := p.Vars()["g_list"]; got != "[0, 0, 1, 1, 2, 2]" {
		t.Errorf("the process's g_list is %s", got)
	}
	if last := lines[len(lines)-1]; last != "joined 2 threads; active_count(): 1" {
		t.Errorf("the main thread ended with %q", last)
	}
}

// A daemon thread is not waited for: the process ends when its main
// thread does, and its daemon threads end with it, mid-task.
func TestDaemonThreadsEndWithTheirProcess(t *testing.T) {
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: "threads", Kwargs: []KV{{"n", int64(2)}, {"target", "forever"}, {"daemon", true}}})
	mustStart(t, lab, p)
	if code := join(t, lab, p); code != 0 {
		t.Fatalf("exit %d: %q", code, texts(p))
	}
	lines := laneTexts(p)
	if !slices.Contains(lines, "the main thread ends: daemon threads end with the process") {
		t.Errorf("no word of the main thread's end: %q", lines)
	}
	if n := len(slices.DeleteFunc(slices.Clone(lines), func(l string) bool { return !strings.HasPrefix(l, "循环中...") })); n > 4 {
		t.Errorf("daemon threads printed %d lines after the main thread ended: %q", n, lines)
	}
}

// A Python program's threads: the poll lists them as /proc does, and the
// lab has each thread's threading name (which the kernel does not: every
// thread is "python3" there), as the program itself prints them.
func TestThreadRowsOfAPythonProgramMatchProc(t *testing.T) {
	py := needPython(t)
	file := writeProgram(t, "threads.py", `import sys, threading, time
ready = threading.Barrier(4)
def work():
    # One write: print writes its text and its end apart, and two threads'
    # prints mix in a line (at a terminal too).
    sys.stdout.write(f"{threading.current_thread().name} {threading.get_native_id()}\n")
    ready.wait()
    time.sleep(30)
for name in ("worker-a", None, "工人"):
    threading.Thread(target=work, name=name, daemon=True).start()
ready.wait()
print(f"MainThread {threading.get_native_id()} {threading.active_count()}", flush=True)
time.sleep(30)
`)
	lab := newLab(t)
	p := startPython(t, lab, py, file)
	if !eventually(func() bool { return len(laneTexts(p)) >= 4 }) {
		t.Fatalf("the program printed %q", texts(p))
	}
	printed := map[int]string{}
	for _, line := range laneTexts(p) {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			t.Errorf("the program printed %q", line)
			continue
		}
		if tid, err := strconv.Atoi(fields[len(fields)-1]); err == nil && fields[0] != "MainThread" {
			printed[tid] = strings.Join(fields[:len(fields)-1], " ")
		} else if len(fields) == 3 && fields[0] == "MainThread" {
			if fields[2] != "4" {
				t.Errorf("active_count() is %s, want 4", fields[2])
			}
			tid, _ := strconv.Atoi(fields[1])
			printed[tid] = "MainThread"
		}
	}
	threads := pollThreadsOf(t, p.Pid())
	if len(threads) != 4 || len(printed) != 4 {
		t.Fatalf("%d threads in the poll, %d printed: %+v %q", len(threads), len(printed), threads, laneTexts(p))
	}
	names := threadNamesOf(lab, p.Pid(), threads)
	for tid, name := range printed {
		if names[tid] != name {
			t.Errorf("thread %d: the lab names it %q, the program printed %q", tid, names[tid], name)
		}
	}
	if !strings.HasPrefix(printed[threads[2].TID], "Thread-") {
		t.Errorf("the unnamed thread is %q", printed[threads[2].TID])
	}
	if err := lab.Terminate(p); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the program did not end when terminated")
	}
	if _, ok := lab.ThreadName(p.Pid(), threads[1].TID); ok {
		t.Error("the names of an ended process's threads are kept")
	}
}

// With ThreadNames, each line a thread prints is whole and starts with
// its thread's name, however the threads' prints race: print writes its
// pieces apart, and without it four threads' lines mix.
func TestThreadNamesTellThreadsLinesApart(t *testing.T) {
	py := needPython(t)
	file := writeProgram(t, "racing_threads.py", `import threading
def work(k):
    for i in range(300):
        print('work', k, 'step', i)
ts = [threading.Thread(target=work, args=(k,), name=f"worker-{k}") for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print('main', 'done')
`)
	lab, err := NewLab(Options{LogDir: "-", ThreadNames: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lab.Close)
	p := startProgram(t, lab, 30*time.Second, py, file)
	<-p.OutputDone()
	lines := laneTexts(p)
	if len(lines) != 4*300+1 {
		t.Fatalf("%d lines, want %d: %q", len(lines), 4*300+1, lines[:min(len(lines), 20)])
	}
	next := map[string]int{}
	for _, line := range lines[:len(lines)-1] {
		var k, i int
		if n, _ := fmt.Sscanf(line, "[worker-%d] work %d step %d", &k, &k, &i); n != 3 || line != fmt.Sprintf("[worker-%d] work %d step %d", k, k, i) {
			t.Fatalf("a thread's line is not whole or not named: %q", line)
		}
		name := fmt.Sprint(k)
		if i != next[name] {
			t.Fatalf("worker-%d printed step %d after %d", k, i, next[name]-1)
		}
		next[name]++
	}
	if last := lines[len(lines)-1]; last != "main done" {
		t.Errorf("the main thread's line is %q, want it as printed", last)
	}
}

// Attacks on thread names: a program that speaks for a thread not its own
// (TID 1), names its threads with escapes, and starts 3,000 short-lived
// threads one after the other. Only its own threads get names, made
// printable, and the names kept stay bounded. With 2,000 threads alive,
// a poll bounded by MaxThreads reads the main thread and the lowest TIDs.
func TestThreadNamesAreTheKernelsThreadsOnlyAndBounded(t *testing.T) {
	py := needPython(t)
	file := writeProgram(t, "hostile_threads.py", `import sys, threading, time
import sitecustomize
sitecustomize._hook.thread(1, "init-is-mine")  # not a thread of this process
for i in range(3000):
    t = threading.Thread(target=lambda: None, name=f"short-{i}")
    t.start(); t.join()
evil = threading.Thread(target=time.sleep, args=(30,), name="evil\x1b[31m\u202eRED", daemon=True)
evil.start()
stop = threading.Event()
for i in range(2000):
    threading.Thread(target=stop.wait, daemon=True).start()
sys.stdout.write(f"ready {evil.native_id}\n"); sys.stdout.flush()
time.sleep(30)
`)
	lab := newLab(t)
	p := startPython(t, lab, py, file)
	var evil int
	start := time.Now()
	for ready := false; !ready; time.Sleep(20 * time.Millisecond) {
		for _, line := range laneTexts(p) {
			if n, _ := fmt.Sscanf(line, "ready %d", &evil); n == 1 {
				ready = true
			}
		}
		if time.Since(start) > 60*time.Second { // the race detector on a busy machine
			t.Fatalf("the program printed %q", texts(p))
		}
	}
	t.Logf("5,001 threads started and named in %v", time.Since(start))
	defer func() { _ = lab.Kill(p) }()
	if name, ok := lab.ThreadName(p.Pid(), 1); ok {
		t.Errorf("the program named thread 1 of its own: %q", name)
	}
	if name, _ := lab.ThreadName(p.Pid(), evil); name != "evil\uFFFD[31m\uFFFDRED" {
		t.Errorf("the escapes in a thread's name reach the window as %q", name)
	}
	if kept := lab.threadNames.count(p.Pid()); kept > maxThreadNames {
		t.Errorf("%d thread names kept for one process, the bound is %d", kept, maxThreadNames)
	}
	pl := Poller{Threads: func(_ *Tree, pid int) bool { return pid == p.Pid() }, MaxThreads: 200}
	start = time.Now()
	tree, err := pl.Poll()
	if err != nil {
		t.Fatal(err)
	}
	info := tree.Procs[p.Pid()]
	if info.Threads < 2002 || len(info.ThreadList) != 200 || info.ThreadList[0].TID != p.Pid() {
		t.Errorf("%d threads, %d read (want 200), the first %d", info.Threads, len(info.ThreadList), info.ThreadList[0].TID)
	}
	t.Logf("a poll with 200 of %d threads read: %v", info.Threads, time.Since(start))
}

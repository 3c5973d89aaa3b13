package procs

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"proclab/procs/contain"
)

// startMethodRunner runs a Python file with a given multiprocessing start
// method, without changing the file: the method is set before the file
// runs as __main__.
const startMethodRunner = "import multiprocessing, runpy, sys; multiprocessing.set_start_method(sys.argv[1]); " +
	"sys.argv = sys.argv[2:]; runpy.run_path(sys.argv[0], run_name='__main__')"

func needPython(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the Python hook is tested with it when it is")
	}
	return py
}

// runProgram runs argv in lab to its end and returns the lab's processes:
// the program first, then the processes it started, as the hook reported them.
func runProgram(t *testing.T, lab *Lab, argv ...string) []*Process {
	t.Helper()
	p := startProgram(t, lab, 30*time.Second, argv...)
	deadline := time.Now().Add(2 * time.Second)
	for _, q := range lab.Processes()[1:] {
		select {
		case <-q.Exited():
		case <-time.After(time.Until(deadline)):
			t.Errorf("%s (pid %d) is not seen to end after its program ended", q.Name(), q.Pid())
		}
	}
	if code := p.Snapshot().ExitCode; code != 0 {
		t.Errorf("%v exited with %d; its output: %q", argv, code, laneTexts(p))
	}
	return lab.Processes()
}

// startProgram runs argv in lab as a program the lab reaps, and waits
// up to within for it to end.
func startProgram(t *testing.T, lab *Lab, within time.Duration, argv ...string) *Process {
	t.Helper()
	p, err := lab.Create(Spec{Target: CommandTarget, Command: argv, Name: ProgramName(argv), AutoReap: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := lab.Start(p); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done():
	case <-time.After(within):
		t.Fatalf("%v did not end within %v", argv, within)
	}
	return p
}

// laneTexts is what a lane shows, without times and streams.
func laneTexts(p *Process) []string {
	var out []string
	for _, l := range p.Output().Tail(nil) {
		out = append(out, l.Text)
	}
	return out
}

func byName(t *testing.T, ps []*Process, name string) *Process {
	t.Helper()
	for _, p := range ps {
		if p.Name() == name {
			return p
		}
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name())
	}
	t.Fatalf("no process %s in the lab: %v", name, names)
	return nil
}

// The note's programs, run as they are with python3 for each start method:
// every line lands in the lane of the process that printed it, and each
// child Python created is in the lab with its real parent and exit code.
func TestNotesProgramsGetOneLanePerPythonProcess(t *testing.T) {
	py := needPython(t)
	cases := []struct {
		file  string
		lanes map[string][]string // process name → its lines; "" is the program itself
	}{
		{"sing_dance_1.py", map[string][]string{"": {"唱歌中...", "唱歌中...", "唱歌中..."}, "Process-1": {"跳舞中...", "跳舞中...", "跳舞中..."}}},
		{"sing_dance_2.py", map[string][]string{"": nil, "Process-1": {"跳舞中...", "跳舞中...", "跳舞中..."}, "Process-2": {"唱歌中...", "唱歌中...", "唱歌中..."}}},
		{"args_kwargs.py", map[string][]string{"": nil, "Process-1": {"名字为Tom, 年龄为30"}, "Process-2": {"名字为Jerry, 年龄为15"}}},
		{"globals.py", map[string][]string{"": {"主进程读取： []"}, "Process-1": {"add: 0", "add: 1", "add: 2", "添加完成： [0, 1, 2]"}, "Process-2": {"read: []"}}},
		{"main_waits.py", map[string][]string{"": {"over"}, "Process-1": slices.Repeat([]string{"任务执行中.."}, 10)}},
	}
	for _, method := range []string{"fork", "spawn", "forkserver"} {
		for _, c := range cases {
			t.Run(method+"/"+c.file, func(t *testing.T) {
				lab := newLab(t)
				file, _ := filepath.Abs(filepath.Join("testdata", "note", c.file))
				ps := runProgram(t, lab, py, "-c", startMethodRunner, method, file)
				root := ps[0]
				if len(ps) != len(c.lanes) {
					t.Errorf("%d processes in the lab, want %d", len(ps), len(c.lanes))
				}
				for name, want := range c.lanes {
					p := root
					if name != "" {
						p = byName(t, ps, name)
						s := p.Snapshot()
						if !s.Observed || !s.ExitKnown || s.ExitCode != 0 {
							t.Errorf("%s: observed %v, exit code known %v, exit code %d", name, s.Observed, s.ExitKnown, s.ExitCode)
						}
						// fork and spawn children are main's; forkserver's are the server's.
						if isMain := s.ParentPid == root.Pid(); isMain != (method != "forkserver") {
							t.Errorf("%s: parent %d, the program is %d (start method %s)", name, s.ParentPid, root.Pid(), method)
						}
					}
					if got := laneTexts(p); !slices.Equal(got, want) {
						t.Errorf("lane of %s: %q, want %q", p.Name(), got, want)
					}
				}
			})
		}
	}
}

// Output that is not written line by line still arrives as whole lines,
// each in its own process's lane; a program without the hook (here a
// shell a child starts) writes into the lane of the process that started
// it; the hook's folder is gone once the lab closes.
func TestPythonHookCopesWithUnflushedAndForeignOutput(t *testing.T) {
	py := needPython(t)
	lab := newLab(t)
	prog := filepath.Join(t.TempDir(), "mix.py")
	if err := os.WriteFile(prog, []byte(`import multiprocessing, os, sys
def pieces():
    sys.stdout.write("a")
    sys.stdout.write("b\nc")
    print("d", end="")
def shell():
    os.system("echo from a shell")
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    for target in (pieces, shell):
        p = multiprocessing.Process(target=target)
        p.start()
        p.join()
    print("main", "done", file=sys.stderr)
`), 0o644); err != nil {
		t.Fatal(err)
	}
	ps := runProgram(t, lab, py, prog)
	if got := laneTexts(byName(t, ps, "Process-1")); !slices.Equal(got, []string{"ab", "cd"}) {
		t.Errorf("pieces' lane: %q, want [ab cd]", got)
	}
	// A shell has no hook: its line is its nearest known ancestor's.
	if got := laneTexts(byName(t, ps, "Process-2")); !slices.Equal(got, []string{"from a shell"}) {
		t.Errorf("the shell's line went to %q, want Process-2's lane", got)
	}
	root := laneTexts(ps[0])
	if !slices.Equal(root, []string{"main done"}) {
		t.Errorf("the program's lane: %q", root)
	}
	for _, line := range root {
		if strings.ContainsAny(line, "\x1e\x1f\uFFFD") {
			t.Errorf("a tag was left in %q", line)
		}
	}
	// Once no process of the program holds its output, its socket is gone.
	<-ps[0].OutputDone()
	deadline := time.Now().Add(2 * time.Second)
	for {
		lab.hookMu.Lock()
		servers := len(lab.hookServers)
		lab.hookMu.Unlock()
		if servers == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d hook servers still listen after the program's output is done", servers)
		}
		time.Sleep(10 * time.Millisecond)
	}
	lab.hookMu.Lock()
	dir := lab.hookDir
	lab.hookMu.Unlock()
	if dir == "" {
		t.Fatal("no hook folder was written")
	}
	lab.Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the hook folder %s is still there after the lab closed (%v)", dir, err)
	}
}

func TestProgramName(t *testing.T) {
	for _, c := range []struct {
		argv []string
		want string
	}{
		{[]string{"python3", "-u", "dir/sing_dance.py", "x"}, "sing_dance.py"},
		{[]string{"/usr/bin/python3.11", "-c", "print(1)"}, "python3.11"},
		{[]string{"sleep", "3"}, "sleep"},
	} {
		if got := ProgramName(c.argv); got != c.want {
			t.Errorf("ProgramName(%q) = %q, want %q", c.argv, got, c.want)
		}
	}
	if IsPython([]string{"pythonista"}) || !IsPython([]string{"/opt/bin/python3.12"}) {
		t.Error("IsPython misjudges a name")
	}
}

// The processes a Python program starts do not outlive a ProcLab killed
// with SIGKILL: the program dies with ProcLab, and its children, seeing
// their parent die without ProcLab to adopt them, end too.
func TestPythonChildrenEndWithAKilledApp(t *testing.T) {
	needPython(t)
	host, pids := startHost(t, "python")
	if len(pids) != 2 {
		t.Fatalf("host printed %v", pids)
	}
	_ = host.Process.Signal(syscall.SIGKILL)
	_ = host.Wait()
	for _, pid := range pids {
		waitGone(t, pid, 10*time.Second) // generous: CI runs packages side by side
	}
	// The killed ProcLab could not remove its hook folder; the next lab
	// that runs Python does.
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), fmt.Sprintf("%s%d-*", hookDirPrefix, host.Process.Pid)))
	if len(left) != 1 {
		t.Fatalf("the killed host's hook folders: %v", left)
	}
	other := newLab(t)
	if _, _, err := other.pythonEnv(newPyProgram(other, nil, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(left[0]); !os.IsNotExist(err) {
		t.Errorf("%s is still there after another lab started Python", left[0])
	}
}

// Killing the program while ProcLab lives leaves its child an orphan that
// ProcLab adopts, as Python would: the hook ends children only when
// ProcLab itself is gone.
func TestPythonChildOfAKilledProgramIsAdopted(t *testing.T) {
	py := needPython(t)
	lab := newLab(t)
	if !lab.Subreaper() {
		t.Skip("this system has no child subreaper")
	}
	sub := lab.Subscribe()
	p, err := lab.Create(Spec{Target: CommandTarget, Command: []string{py, "-c", `
import multiprocessing, time
def child():
    print("ready", flush=True)
    time.sleep(2)
    print("still here")
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    multiprocessing.Process(target=child).start()
    time.sleep(60)
`}, AutoReap: true})
	if err != nil {
		t.Fatal(err)
	}
	mustStart(t, lab, p)
	var child *Process
	for child == nil {
		select {
		case <-sub.C():
		case <-time.After(10 * time.Second):
			t.Fatal("the child never printed")
		}
		events, _ := sub.Take()
		for _, e := range events {
			if e.Kind == EvOutput && e.Proc != p {
				child = e.Proc
			}
		}
	}
	if err := lab.Kill(p); err != nil {
		t.Fatal(err)
	}
	<-p.Done()
	var st ProcStat
	eventually(func() bool {
		st, err = ReadStat(child.Pid())
		return err == nil && st.PPid == os.Getpid()
	})
	if err != nil || st.PPid != os.Getpid() {
		t.Fatalf("the orphaned child: %+v %v, want it adopted by %d", st, err, os.Getpid())
	}
	// Adopted, it lives on: its last line comes after its parent died.
	for !slices.Contains(texts(child), "stdout: still here") {
		select {
		case <-sub.C():
			sub.Take()
		case <-time.After(10 * time.Second):
			t.Fatalf("the adopted child never printed its last line; it printed %q", texts(child))
		}
	}
}

// The watcher can see an observed process gone before the reader reaches
// the exit code its hook wrote just before the end; the code still counts.
func TestAnExitCodeReportedAfterTheEndStillCounts(t *testing.T) {
	lab := newLab(t)
	root := mustCreate(t, lab, Spec{Target: "forever"})
	o := &Process{lab: lab, name: "Process-1", observedBy: root, output: NewLineBuffer(10),
		exited: make(chan struct{}), done: make(chan struct{})}
	sub := lab.Subscribe()
	lab.observedEnded(o, 0, false) // the watcher: gone, code unknown
	if s := o.Snapshot(); !s.Observed || s.ExitKnown {
		t.Fatalf("after the watcher: %+v", s)
	}
	lab.observedEnded(o, 3, true) // the reader, late: the hook's exit record
	if s := o.Snapshot(); !s.ExitKnown || s.ExitCode != 3 {
		t.Errorf("after the late exit record: known %v, code %d", s.ExitKnown, s.ExitCode)
	}
	lab.observedEnded(o, 5, true) // a second record changes nothing
	events, _ := sub.Take()
	var texts []string
	for _, e := range events {
		if e.Kind == EvExited && e.Proc == o {
			texts = append(texts, e.Text)
		}
	}
	if len(texts) != 2 || !strings.HasPrefix(texts[1], "exitcode=3") || o.Snapshot().ExitCode != 3 {
		t.Errorf("exit events %q, code %d", texts, o.Snapshot().ExitCode)
	}
}

// A process started from a thread that then ends lives on, as in a
// terminal: the hook's parent-death signal fires when the forking thread
// ends, not its process (issue 12's Pool with maxtasksperchild hang).
func TestPythonProcessStartedFromAnEndedThreadLivesOn(t *testing.T) {
	py := needPython(t)
	prog := filepath.Join(t.TempDir(), "from_thread.py")
	if err := os.WriteFile(prog, []byte(`
import multiprocessing, threading, time
def child():
    time.sleep(0.1)  # the thread that started it has ended by now
    print("child lived on")
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    box = []
    def start():
        p = multiprocessing.Process(target=child)
        p.start()
        box.append(p)
    t = threading.Thread(target=start)
    t.start()
    t.join()
    box[0].join()
    print("exitcode", box[0].exitcode)
`), 0o644); err != nil {
		t.Fatal(err)
	}
	// 50 runs, half of them without a cgroup (the hook's parent-death
	// signal then guards the child).
	for _, fallback := range []bool{false, true} {
		if fallback {
			t.Setenv(contain.NoCgroupEnv, "1")
		}
		lab := newLab(t)
		for run := range 25 {
			ps := runProgram(t, lab, py, prog)
			if got := laneTexts(ps[0]); !slices.Contains(got, "exitcode 0") {
				t.Fatalf("no cgroup %v, run %d: main printed %q, want exitcode 0", fallback, run+1, got)
			}
			if got := laneTexts(byName(t, ps, "Process-1")); !slices.Contains(got, "child lived on") {
				t.Fatalf("no cgroup %v, run %d: the child printed %q", fallback, run+1, got)
			}
			lab.Reset()
		}
	}
}

// A Pool that replaces its workers (maxtasksperchild) forks them from its
// handler thread: every one of 50 runs ends, with every result.
func TestPythonPoolWithMaxTasksPerChildEnds(t *testing.T) {
	py := needPython(t)
	prog := filepath.Join(t.TempDir(), "pool.py")
	if err := os.WriteFile(prog, []byte(`
import multiprocessing
def f(x):
    return x * x
if __name__ == "__main__":
    with multiprocessing.Pool(2, maxtasksperchild=1) as p:
        print("sum", sum(p.map(f, range(20))))
`), 0o644); err != nil {
		t.Fatal(err)
	}
	lab := newLab(t)
	for run := range 50 {
		ps := runProgram(t, lab, py, prog)
		if got := laneTexts(ps[0]); !slices.Contains(got, "sum 2470") {
			t.Fatalf("run %d: main printed %q", run+1, got)
		}
		lab.Reset()
	}
}

// Text flushed before its newline is part of the line that follows, as in
// a terminal: dots printed one by one, and a message left open while
// multiprocessing flushes before it forks, are one line each.
func TestPythonPartialLinesStayWhole(t *testing.T) {
	py := needPython(t)
	lab := newLab(t)
	prog := filepath.Join(t.TempDir(), "dots.py")
	if err := os.WriteFile(prog, []byte(`import multiprocessing, sys
def work():
    for _ in range(5):
        print(".", end="", flush=True)
    print(" done")
    print("unfinished", end="", flush=True)
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    print("starting workers...", end="", flush=True)
    p = multiprocessing.Process(target=work)
    p.start()
    p.join()
    print(" all done")
    sys.stdout.write("x" * 10000)
    sys.stdout.flush()
`), 0o644); err != nil {
		t.Fatal(err)
	}
	ps := runProgram(t, lab, py, prog)
	if got := laneTexts(byName(t, ps, "Process-1")); !slices.Equal(got, []string{"..... done", "unfinished"}) {
		t.Errorf("the worker's lane: %q", got)
	}
	root := laneTexts(ps[0])
	if len(root) != 4 || root[0] != "starting workers... all done" {
		t.Fatalf("the program's lane: %q", root)
	}
	// A partial line is bounded like any other: split at MaxLineBytes.
	if long := strings.Join(root[1:], ""); long != strings.Repeat("x", 10000) || len(root[1]) != MaxLineBytes {
		t.Errorf("the long unfinished line came as %d pieces of %d bytes first", len(root)-1, len(root[1]))
	}
}

// A child's megabyte line comes in pieces, and every piece is the child's;
// a name with a newline or the framing's own characters cannot break the
// framing.
func TestPythonLongLinesAndOddNamesStayInTheirLane(t *testing.T) {
	py := needPython(t)
	lab := newLab(t)
	prog := filepath.Join(t.TempDir(), "long.py")
	if err := os.WriteFile(prog, []byte(`import multiprocessing
def work():
    print("中" * 300000)
    print("a" * 1000000)
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    p = multiprocessing.Process(target=work, name="odd\nname\x1e\x1f")
    p.start()
    p.join()
`), 0o644); err != nil {
		t.Fatal(err)
	}
	ps := runProgram(t, lab, py, prog)
	if len(ps) != 2 {
		t.Fatalf("the lab has %d processes, want the program and its child", len(ps))
	}
	if root := laneTexts(ps[0]); len(root) != 0 {
		t.Errorf("%d lines landed in the program's lane, first %.40q", len(root), root[0])
	}
	child := laneTexts(ps[1])
	joined := strings.Join(child, "")
	if joined != strings.Repeat("中", 300000)+strings.Repeat("a", 1000000) {
		t.Errorf("the child's lane holds %d bytes in %d lines, not its two lines", len(joined), len(child))
	}
	for i, line := range child {
		if len(line) > MaxLineBytes {
			t.Fatalf("piece %d is %d bytes", i, len(line))
		}
	}
	if name := ps[1].Name(); name != "odd\uFFFDname\uFFFD\uFFFD" {
		t.Errorf("the child is named %q", name)
	}
}

// A program that writes the hook's old framing itself (os.write, a C
// extension, a shell's printf), even naming a real child of its own, makes
// no process, sets no exit code and reaches no other lane: the kernel says
// who wrote what, and the bytes are text of the writer's lane.
func TestPythonForgedTagsAreText(t *testing.T) {
	py := needPython(t)
	lab := newLab(t)
	prog := filepath.Join(t.TempDir(), "forge.py")
	if err := os.WriteFile(prog, []byte(`import multiprocessing, os, time
def quiet():
    time.sleep(0.5)
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    child = multiprocessing.Process(target=quiet, name="real-child")
    child.start()
    os.write(1, b"\x1el\x1f1\x1f0\x1fsystemd\x1fhello from pid 1\n")
    os.write(1, b"\x1ex\x1f1\x1f0\x1fsystemd\x1f42\n")
    for pid in range(100000, 100050):
        os.write(1, b"\x1el\x1f%d\x1f1\x1fghost\x1fboo\n" % pid)
    me, c = os.getpid(), child.pid
    os.write(1, b"\x1el\x1f%d\x1f%d\x1freal-child\x1finjected\n" % (c, me))
    os.write(1, b"\x1ex\x1f%d\x1f%d\x1freal-child\x1f42\n" % (c, me))
    os.system("printf '\\036l\\037%d\\037%d\\037real-child\\037from printf\\n'" % (c, me))
    child.join()
    print("real", child.exitcode)
`), 0o644); err != nil {
		t.Fatal(err)
	}
	ps := runProgram(t, lab, py, prog)
	if len(ps) != 2 {
		var names []string
		for _, p := range ps {
			names = append(names, fmt.Sprintf("%s·%d", p.Name(), p.Pid()))
		}
		t.Fatalf("forged tags made processes: %v", names)
	}
	child := byName(t, ps, "real-child")
	if got := laneTexts(child); len(got) != 0 {
		t.Errorf("forged lines reached the child's lane: %q", got)
	}
	if code := child.Snapshot().ExitCode; code != 0 {
		t.Errorf("the child's exit code is %d, want its real 0", code)
	}
	lines := laneTexts(ps[0])
	if len(lines) != 56 || lines[55] != "real 0" || !strings.Contains(lines[0], "hello from pid 1") || strings.ContainsAny(lines[0], "\x1e\x1f") {
		t.Errorf("the program's lane: %d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
}

// A program has at most MaxProgramProcesses processes in the lab, and is told when
// it reaches the bound: the lines of the ones after stay in their parent's
// lane.
func TestPythonProcessesPastTheBoundAreSaidAndStayInTheirParentsLane(t *testing.T) {
	py := needPython(t)
	var problems []string
	var mu sync.Mutex
	lab, err := NewLab(Options{LogDir: "-", MaxProgramProcesses: 5, OnProblem: func(text string) {
		mu.Lock()
		problems = append(problems, text)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	prog := filepath.Join(t.TempDir(), "many.py")
	if err := os.WriteFile(prog, []byte(`import os
for i in range(8):
    pid = os.fork()
    if pid == 0:
        print("child", i)
        os._exit(0)
    os.waitpid(pid, 0)
`), 0o644); err != nil {
		t.Fatal(err)
	}
	ps := runProgram(t, lab, py, prog)
	if len(ps) != 6 {
		t.Errorf("the lab shows %d processes, want the program and 5", len(ps))
	}
	if got := laneTexts(ps[0]); !slices.Equal(got, []string{"child 5", "child 6", "child 7"}) {
		t.Errorf("the program's lane: %q, want the lines of the children past the bound", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) != 1 || !strings.Contains(problems[0], "has started 5 processes") {
		t.Errorf("problems said: %q", problems)
	}
}

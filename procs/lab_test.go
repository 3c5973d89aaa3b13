package procs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestDanceAndSingRunAsRealChildren(t *testing.T) {
	lab := newLab(t)
	dance := mustCreate(t, lab, Spec{Target: "dance"})
	sing := mustCreate(t, lab, Spec{Target: "sing"})
	if dance.Name() != "Process-1" || sing.Name() != "Process-2" {
		t.Fatalf("names %q %q, want Process-1 Process-2", dance.Name(), sing.Name())
	}
	mustStart(t, lab, dance)
	mustStart(t, lab, sing)
	// The child is a real process whose parent is this test.
	st, err := ReadStat(dance.Pid())
	if err != nil || st.PPid != os.Getpid() {
		t.Fatalf("stat of dance child: %+v, %v; want ppid %d", st, err, os.Getpid())
	}
	if c := join(t, lab, dance); c != 0 {
		t.Errorf("dance exitcode %d, want 0", c)
	}
	if c := join(t, lab, sing); c != 0 {
		t.Errorf("sing exitcode %d, want 0", c)
	}
	want := []string{"stdout: 跳舞中...", "stdout: 跳舞中...", "stdout: 跳舞中..."}
	if got := texts(dance); !slices.Equal(got, want) {
		t.Errorf("dance printed %q, want %q", got, want)
	}
	if got := texts(sing); len(got) != 3 || got[0] != "stdout: 唱歌中..." {
		t.Errorf("sing printed %q", got)
	}
	// dance prints every 0.2 s: the timestamps show it.
	lines := dance.Output().Tail(nil)
	if gap := lines[2].At - lines[0].At; gap < 350*time.Millisecond || gap > 2*time.Second {
		t.Errorf("dance's first and third lines are %v apart, want about 0.4 s", gap)
	}
	if alive(dance.Pid()) {
		t.Errorf("dance child %d still in /proc after join", dance.Pid())
	}
}

func TestExitCodesOfTerminateAndKill(t *testing.T) {
	lab := newLab(t)
	for _, tc := range []struct {
		action func(*Process) error
		want   int
		repr   string
	}{
		{lab.Terminate, -15, "stopped exitcode=-SIGTERM>"},
		{lab.Kill, -9, "stopped exitcode=-SIGKILL>"},
	} {
		p := mustCreate(t, lab, Spec{Target: "forever", Args: []any{0.05}})
		mustStart(t, lab, p)
		if _, ok := p.ExitCode(); ok || p.Snapshot().Status != Started {
			t.Fatalf("running child: exit code known or not started")
		}
		if err := tc.action(p); err != nil {
			t.Fatal(err)
		}
		if got := join(t, lab, p); got != tc.want {
			t.Errorf("exitcode %d, want %d", got, tc.want)
		}
		if !strings.HasSuffix(p.Repr(), tc.repr) {
			t.Errorf("repr %s, want suffix %s", p.Repr(), tc.repr)
		}
		// Once the exit code is known, terminate and kill do nothing.
		if err := lab.Kill(p); err != nil {
			t.Errorf("kill after exit: %v, want nothing", err)
		}
	}
}

func TestExitCodesOfCrash(t *testing.T) {
	lab := newLab(t)
	three := mustCreate(t, lab, Spec{Target: "crash", Args: []any{int64(3)}})
	raise := mustCreate(t, lab, Spec{Target: "crash", Kwargs: []KV{{"code", "error"}}})
	bad := mustCreate(t, lab, Spec{Target: "show_info", Args: []any{"Tom"}})
	for _, p := range []*Process{three, raise, bad} {
		mustStart(t, lab, p)
	}
	if c := join(t, lab, three); c != 3 {
		t.Errorf("crash(3) exitcode %d, want 3", c)
	}
	if c := join(t, lab, raise); c != 1 {
		t.Errorf("crash('error') exitcode %d, want 1", c)
	}
	if c := join(t, lab, bad); c != 1 {
		t.Errorf("show_info('Tom') exitcode %d, want 1", c)
	}
	got := strings.Join(texts(bad), "\n")
	if !strings.Contains(got, "stderr: TypeError: show_info() missing 1 required positional argument: 'age'") {
		t.Errorf("show_info('Tom') stderr lacks the TypeError:\n%s", got)
	}
}

func TestArgsAndKwargs(t *testing.T) {
	lab := newLab(t)
	args, err := ParseArgs("('Tom', 30)")
	if err != nil {
		t.Fatal(err)
	}
	kwargs, err := ParseKwargs("{'age': 15, 'name': 'Jerry'}")
	if err != nil {
		t.Fatal(err)
	}
	a := mustCreate(t, lab, Spec{Target: "show_info", Args: args})
	k := mustCreate(t, lab, Spec{Target: "show_info", Kwargs: kwargs})
	mustStart(t, lab, a)
	mustStart(t, lab, k)
	join(t, lab, a)
	join(t, lab, k)
	if got := texts(a); !slices.Equal(got, []string{"stdout: 名字为Tom, 年龄为30"}) {
		t.Errorf("args: %q", got)
	}
	if got := texts(k); !slices.Equal(got, []string{"stdout: 名字为Jerry, 年龄为15"}) {
		t.Errorf("kwargs: %q", got)
	}
}

// The note's 3.6(1): each process has its own g_list.
func TestGlobalsAreNotShared(t *testing.T) {
	lab := newLab(t)
	add := mustCreate(t, lab, Spec{Target: "add_data"})
	read := mustCreate(t, lab, Spec{Target: "read_data"})
	mustStart(t, lab, add)
	join(t, lab, add)
	mustStart(t, lab, read)
	join(t, lab, read)
	want := []string{"stdout: add: 0", "stdout: add: 1", "stdout: add: 2", "stdout: 添加完成： [0, 1, 2]"}
	if got := texts(add); !slices.Equal(got, want) {
		t.Errorf("add_data printed %q, want %q", got, want)
	}
	if got := texts(read); !slices.Equal(got, []string{"stdout: read: []"}) {
		t.Errorf("read_data printed %q", got)
	}
	// Each process reported its own copy of g_list to the lab.
	if g := add.Vars()["g_list"]; g != "[0, 1, 2]" {
		t.Errorf("add_data's g_list %q", g)
	}
	if g := read.Vars()["g_list"]; g != "[]" {
		t.Errorf("read_data's g_list %q", g)
	}
}

func TestDaemonicProcessCannotHaveChildren(t *testing.T) {
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: "spawner", Daemon: true})
	mustStart(t, lab, p)
	if c := join(t, lab, p); c != 1 {
		t.Errorf("daemonic spawner exit code %d, want 1", c)
	}
	if got := strings.Join(texts(p), "\n"); !strings.Contains(got, "stderr: AssertionError: daemonic processes are not allowed to have children") {
		t.Errorf("stderr:\n%s", got)
	}
}

func TestPythonErrorsWordForWord(t *testing.T) {
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: "forever"})
	ctx := context.Background()
	if _, err := lab.Join(ctx, p, 0); err == nil || err.Error() != "AssertionError: can only join a started process" {
		t.Errorf("join before start: %v", err)
	}
	if err := lab.Terminate(p); err == nil || err.Error() != "AttributeError: 'NoneType' object has no attribute 'terminate'" {
		t.Errorf("terminate before start: %v", err)
	}
	if err := lab.SetDaemon(p, true); err != nil {
		t.Fatal(err)
	}
	mustStart(t, lab, p)
	if err := lab.Start(p); err == nil || err.Error() != "AssertionError: cannot start a process twice" {
		t.Errorf("second start: %v", err)
	}
	if err := lab.SetDaemon(p, false); err == nil || err.Error() != "AssertionError: process has already started" {
		t.Errorf("daemon after start: %v", err)
	}
	want := "<Process name='Process-1' pid=" + strconv.Itoa(p.Pid()) + " parent=" + strconv.Itoa(os.Getpid()) + " started daemon>"
	if p.Repr() != want {
		t.Errorf("repr %s, want %s", p.Repr(), want)
	}
	if _, err := lab.Create(Spec{Target: "nope"}); err == nil || !strings.Contains(err.Error(), `unknown target "nope"`) {
		t.Errorf("unknown target: %v", err)
	}
}

func TestJoinTimeoutAndJoinAgain(t *testing.T) {
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: "forever"})
	mustStart(t, lab, p)
	ended, err := lab.Join(context.Background(), p, 100*time.Millisecond)
	if err != nil || ended {
		t.Fatalf("join(timeout=0.1) on forever: ended=%v err=%v", ended, err)
	}
	if _, ok := p.ExitCode(); ok {
		t.Fatal("exitcode known after a join that timed out")
	}
	// While main is blocked in join, it cannot act.
	ctx, cancel := context.WithCancel(context.Background())
	joined := make(chan error, 1)
	go func() { _, err := lab.Join(ctx, p, 0); joined <- err }()
	deadline := time.Now().Add(5 * time.Second)
	for lab.Main().Phase != MainJoining && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	var busy *MainBusyError
	if err := lab.Start(mustCreateQuiet(lab)); !errors.As(err, &busy) && err != nil {
		t.Errorf("start while main joins: %v, want MainBusyError", err)
	}
	cancel()
	if err := <-joined; err == nil || !strings.HasPrefix(err.Error(), "KeyboardInterrupt") {
		t.Errorf("interrupted join: %v", err)
	}
	if err := lab.Kill(p); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if c := join(t, lab, p); c != -9 {
			t.Errorf("exitcode %d, want -9", c)
		}
	}
}

func mustCreateQuiet(lab *Lab) *Process {
	p, _ := lab.Create(Spec{Target: "sing"})
	if p == nil {
		p = &Process{lab: lab, exited: make(chan struct{}), done: make(chan struct{})}
	}
	return p
}

// The note's 3.6(2): main waits for non-daemonic children, and a daemonic
// child is terminated as soon as main's code ends.
func TestMainEndsTerminatesDaemonsAndJoinsOthers(t *testing.T) {
	lab := newLab(t)
	daemon := mustCreate(t, lab, Spec{Target: "task", Daemon: true})
	normal := mustCreate(t, lab, Spec{Target: "task"})
	mustStart(t, lab, daemon)
	mustStart(t, lab, normal)
	time.Sleep(500 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := lab.MainEnds(ctx); err != nil {
		t.Fatal(err)
	}
	if c, _ := daemon.ExitCode(); c != -15 {
		t.Errorf("daemon exitcode %d, want -15", c)
	}
	if c, _ := normal.ExitCode(); c != 0 {
		t.Errorf("non-daemon exitcode %d, want 0", c)
	}
	if n := len(texts(normal)); n != 10 {
		t.Errorf("non-daemonic task printed %d lines, want all 10", n)
	}
	if n := len(texts(daemon)); n < 1 || n > 8 {
		t.Errorf("daemonic task printed %d lines in 0.5 s, want about 5 and surely not all 10", n)
	}
	if lab.Main().Phase != MainEnded {
		t.Errorf("main is %v after MainEnds", lab.Main())
	}
	if _, err := lab.Create(Spec{Target: "sing"}); !errors.Is(err, ErrMainEnded) {
		t.Errorf("create after main ended: %v", err)
	}
	lab.Reset()
	if p := mustCreate(t, lab, Spec{Target: "sing"}); p.Name() != "Process-1" {
		t.Errorf("after a new lab the first process is %s", p.Name())
	}
}

func TestExternalCommandByArgv(t *testing.T) {
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: CommandTarget, Command: []string{"sh", "-c", "echo out; echo err >&2; exit 3"}})
	mustStart(t, lab, p)
	if c := join(t, lab, p); c != 3 {
		t.Errorf("exit code %d, want 3", c)
	}
	got := texts(p)
	slices.Sort(got)
	if !slices.Equal(got, []string{"stderr: err", "stdout: out"}) {
		t.Errorf("lines %q", got)
	}
	if _, err := lab.Create(Spec{Target: CommandTarget, Command: []string{"no-such-program-proclab"}}); err == nil || !strings.Contains(err.Error(), "was not found") {
		t.Errorf("missing program: %v", err)
	}
}

func TestEventsArriveInOrder(t *testing.T) {
	lab := newLab(t)
	sub := lab.Subscribe()
	p := mustCreate(t, lab, Spec{Target: "sing"})
	mustStart(t, lab, p)
	join(t, lab, p)
	var kinds []string
	var python []string
	for {
		evs, _ := sub.Take()
		for _, e := range evs {
			if e.Kind != EvState && e.Kind != EvVars {
				kinds = append(kinds, e.Kind.String())
			}
			if e.Python != "" {
				python = append(python, e.Python)
			}
		}
		if slices.Contains(kinds, "joined") {
			break
		}
		<-sub.C()
	}
	want := []string{"created", "started", "output", "output", "output", "exited", "reaped", "joined"}
	if !slices.Equal(kinds, want) {
		t.Errorf("events %v, want %v", kinds, want)
	}
	if !slices.Equal(python, []string{"p1 = multiprocessing.Process(target=sing)", "p1.start()", "p1.join()"}) {
		t.Errorf("python %q", python)
	}
}

func TestCloseLeavesNoProcess(t *testing.T) {
	lab, err := NewLab(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for range 3 {
		p := mustCreate(t, lab, Spec{Target: "forever"})
		mustStart(t, lab, p)
		pids = append(pids, p.Pid())
	}
	sp := mustCreate(t, lab, Spec{Target: "spawner", Args: []any{int64(2)}})
	mustStart(t, lab, sp)
	pids = append(pids, sp.Pid())
	var pl Poller
	var grand []int
	eventually(func() bool {
		tree, _ := pl.Poll()
		grand = tree.Children(sp.Pid())
		return len(grand) == 2
	})
	if len(grand) != 2 {
		t.Fatalf("spawner has %d children in the tree, want 2", len(grand))
	}
	pids = append(pids, grand...)
	lab.Close()
	for _, pid := range pids {
		waitGone(t, pid, 2*time.Second)
	}
}

// A lab whose owner is killed with SIGKILL leaves nothing behind: the
// parent-death signal takes its children down.
func TestChildrenDieWithAKilledApp(t *testing.T) {
	host, pids := startHost(t, "1")
	// Wait for the spawner's two children.
	var pl Poller
	deadline := time.Now().Add(5 * time.Second)
	for {
		tree, _ := pl.Poll()
		if kids := tree.Children(pids[1]); len(kids) == 2 {
			pids = append(pids, kids...)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the host's spawner did not start its children")
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = host.Process.Signal(syscall.SIGKILL)
	_ = host.Wait()
	for _, pid := range pids {
		waitGone(t, pid, 2*time.Second)
	}
}

// Kill a spawner and its children are orphans: the kernel re-parents them
// to the lab's process (the subreaper), the lab marks them adopted, and it
// reaps them when they end.
func TestOrphansAreAdoptedAndReaped(t *testing.T) {
	lab := newLab(t)
	if !lab.Subreaper() {
		t.Skip("this system has no child subreaper")
	}
	sub := lab.Subscribe()
	sp := mustCreate(t, lab, Spec{Target: "spawner"})
	mustStart(t, lab, sp)
	var pl Poller
	var kids []int
	deadline := time.Now().Add(5 * time.Second)
	// Wait until both children catch their parent-death signal: killed
	// earlier, a child still starting up dies of it instead of being
	// orphaned (the signal's default action), and the test would fail
	// on a slow machine.
	for len(kids) < 2 || !catches(kids[0], syscall.SIGUSR1) || !catches(kids[1], syscall.SIGUSR1) {
		tree, _ := pl.Poll()
		kids = tree.Children(sp.Pid())
		if time.Now().After(deadline) {
			t.Fatal("the spawner did not start its children")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := lab.Kill(sp); err != nil {
		t.Fatal(err)
	}
	join(t, lab, sp)
	for _, kid := range kids {
		deadline := time.Now().Add(3 * time.Second)
		for {
			st, err := ReadStat(kid)
			if err == nil && st.PPid == os.Getpid() && st.State != 'Z' {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("orphan %d: %+v %v, want it alive under this process %d", kid, st, err, os.Getpid())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	deadline = time.Now().Add(3 * time.Second)
	for len(lab.Adopted()) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	adopted := lab.Adopted()
	if o := adopted[kids[0]]; o.Name != "Process-1:1" && o.Name != "Process-1:2" {
		t.Fatalf("adopted %+v, want both of %v named Process-1:N", adopted, kids)
	}
	// An adopted orphan that dies is reaped by the lab: no zombie stays.
	_ = syscall.Kill(kids[0], syscall.SIGKILL)
	deadline = time.Now().Add(3 * time.Second)
	for {
		if _, err := ReadStat(kids[0]); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("orphan %d was not reaped", kids[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
	var seen []string
	deadline = time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && !slices.ContainsFunc(seen, func(s string) bool { return strings.Contains(s, "reaped by MainProcess: exit status -SIGKILL") }) {
		for _, e := range drain(sub) {
			if e.Kind == EvAdopted || (e.Kind == EvReaped && e.Proc == nil) {
				seen = append(seen, e.Kind.String()+": "+e.Text)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(seen) < 3 {
		t.Errorf("events %q, want two adoptions and a reaping", seen)
	}
	lab.Close()
	waitGone(t, kids[1], 2*time.Second)
}

// A child printing as fast as it can fills neither the subscriber's queue
// nor its lane beyond their bounds, and every line is still counted.
func TestFloodStaysBounded(t *testing.T) {
	lab, err := NewLab(Options{LaneLines: 100, LogDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	sub := lab.Subscribe()
	p := mustCreate(t, lab, Spec{Target: "flood", Args: []any{0.5}})
	mustStart(t, lab, p)
	if c := join(t, lab, p); c != 0 {
		t.Fatalf("flood exit code %d", c)
	}
	events, dropped := sub.Take()
	if len(events) > MaxQueuedEvents+20 {
		t.Errorf("%d events queued, bound is %d", len(events), MaxQueuedEvents)
	}
	total := p.Output().Total()
	if total < 2*MaxQueuedEvents || dropped == 0 {
		t.Errorf("%d lines and %d dropped events: the flood did not outrun the queue", total, dropped)
	}
	tail := p.Output().Tail(nil)
	if len(tail) != 100 || tail[99].Seq != total {
		t.Errorf("lane holds %d lines ending at %d, want the last 100 of %d", len(tail), tail[len(tail)-1].Seq, total)
	}
	if last := tail[99].Text; !strings.HasPrefix(last, "flood ") || len(last) != 63 {
		t.Errorf("last line %q", last)
	}
	// The log on disk holds every line, in order.
	data, err := os.ReadFile(lab.LogPath())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if uint64(len(lines)) != total {
		t.Fatalf("the log has %d lines, the lane counted %d", len(lines), total)
	}
	for i, line := range lines {
		if want := fmt.Sprintf("flood %012d ", i); !strings.Contains(line, "\tProcess-1\t") || !strings.Contains(line, want) {
			t.Fatalf("log line %d is %q, want %q", i, line, want)
		}
	}
}

// A child that ended stays a zombie, with Python's exitcode None, until a
// Python call reaps it; each call that reaps says so.
func TestZombieUntilReaped(t *testing.T) {
	for _, tc := range []struct {
		by   string
		reap func(lab *Lab, p *Process)
	}{
		{"p1.is_alive()", func(lab *Lab, p *Process) {
			if lab.IsAlive(p) {
				t.Error("is_alive() of an ended child is True")
			}
		}},
		{"multiprocessing.active_children()", func(lab *Lab, p *Process) {
			if n := len(lab.ActiveChildren()); n != 0 {
				t.Errorf("active_children() lists %d", n)
			}
		}},
		{"p2.start()", func(lab *Lab, p *Process) {
			mustStart(t, lab, mustCreate(t, lab, Spec{Target: "sing"}))
		}},
		{"p1.join()", func(lab *Lab, p *Process) { join(t, lab, p) }},
	} {
		t.Run(tc.by, func(t *testing.T) {
			lab := newLab(t)
			sub := lab.Subscribe()
			p := mustCreate(t, lab, Spec{Target: "crash", Args: []any{int64(7)}})
			mustStart(t, lab, p)
			<-p.Exited()
			st, err := ReadStat(p.Pid())
			if err != nil || st.State != 'Z' {
				t.Fatalf("ended child in /proc: %+v %v, want state Z", st, err)
			}
			if _, ok := p.ExitCode(); ok {
				t.Fatal("exitcode known before reaping")
			}
			if s := p.Snapshot(); !s.Zombie || s.ExitCode != 7 {
				t.Fatalf("snapshot %+v, want a zombie with status 7", s)
			}
			if !strings.Contains(p.Repr(), " started>") {
				t.Errorf("repr of a zombie %s, want started (Python has not polled it)", p.Repr())
			}
			tc.reap(lab, p)
			if _, err := ReadStat(p.Pid()); err == nil {
				t.Errorf("pid %d still in /proc after %s", p.Pid(), tc.by)
			}
			if c, ok := p.ExitCode(); !ok || c != 7 {
				t.Errorf("exitcode %d %v after reaping, want 7", c, ok)
			}
			found := false
			for _, e := range drain(sub) {
				found = found || (e.Kind == EvReaped && e.Proc == p && strings.HasPrefix(e.Text, "reaped by "+tc.by))
			}
			if !found {
				t.Errorf("no reaped event naming %s", tc.by)
			}
		})
	}
}

func TestSignalsToAZombieChangeNothing(t *testing.T) {
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: "sing"})
	mustStart(t, lab, p)
	<-p.Exited()
	if err := lab.Kill(p); err != nil {
		t.Errorf("kill of a zombie: %v", err)
	}
	if c := join(t, lab, p); c != 0 {
		t.Errorf("a zombie killed after it ended reports %d, want its own 0", c)
	}
}

func drain(sub *Subscription) []Event {
	evs, _ := sub.Take()
	return evs
}

func waitState(t *testing.T, pid int, want byte) {
	t.Helper()
	waitStateIs(t, pid, fmt.Sprintf("%c", want), func(s byte) bool { return s == want })
}

// waitStateNot waits for pid to leave the state it is in.
func waitStateNot(t *testing.T, pid int, left byte) {
	t.Helper()
	waitStateIs(t, pid, fmt.Sprintf("not %c", left), func(s byte) bool { return s != left })
}

func waitStateIs(t *testing.T, pid int, want string, ok func(byte) bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		st, err := ReadStat(pid)
		if err == nil && ok(st.State) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pid %d in state %c, want %s", pid, st.State, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStopAndContinue(t *testing.T) {
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: "burn"})
	if err := lab.Stop(p); err == nil || err.Error() != "TypeError: 'NoneType' object cannot be interpreted as an integer" {
		t.Errorf("stop before start: %v", err)
	}
	mustStart(t, lab, p)
	if err := lab.Stop(p); err != nil {
		t.Fatal(err)
	}
	waitState(t, p.Pid(), 'T')
	if !p.Snapshot().Frozen {
		t.Error("snapshot does not say stopped")
	}
	if err := lab.Continue(p); err != nil {
		t.Fatal(err)
	}
	// Continued: no longer stopped. (Not R: /proc shows the state of the
	// worker's first thread, which may sleep while another burns.)
	waitStateNot(t, p.Pid(), 'T')
	if err := lab.Kill(p); err != nil {
		t.Fatal(err)
	}
	join(t, lab, p)
	if err := lab.Stop(p); err == nil || err.Error() != "ProcessLookupError: [Errno 3] No such process" {
		t.Errorf("os.kill after the pid was reaped: %v", err)
	}
}

func TestCloseFollowsPython(t *testing.T) {
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: "forever"})
	mustStart(t, lab, p)
	want := "ValueError: Cannot close a process while it is still running. You should first call join() or terminate()."
	if err := lab.CloseProcess(p); err == nil || err.Error() != want {
		t.Errorf("close while running: %v", err)
	}
	_ = lab.Terminate(p)
	<-p.Exited()
	// close() polls, so it reaps the zombie and then succeeds.
	if err := lab.CloseProcess(p); err != nil {
		t.Fatalf("close after terminate: %v", err)
	}
	wantRepr := "<Process name='Process-1' parent=" + strconv.Itoa(os.Getpid()) + " closed>"
	if p.Repr() != wantRepr {
		t.Errorf("repr %s, want %s", p.Repr(), wantRepr)
	}
	if _, err := lab.Join(context.Background(), p, 0); err == nil || err.Error() != "ValueError: process object is closed" {
		t.Errorf("join after close: %v", err)
	}
}

// Once a child is reaped its pid may be reused by any process on the
// machine. The lab never signals it again: terminate/kill do nothing, as in
// Python, os.kill-style actions are refused, and the handle underneath (a
// pidfd on Linux) refuses too.
func TestNoSignalAfterReaping(t *testing.T) {
	lab := newLab(t)
	sub := lab.Subscribe()
	p := mustCreate(t, lab, Spec{Target: "sing"})
	mustStart(t, lab, p)
	join(t, lab, p)
	drain(sub)
	if err := lab.Kill(p); err != nil {
		t.Fatal(err)
	}
	for _, e := range drain(sub) {
		if e.Kind == EvSignalled && e.Code != 0 {
			t.Errorf("a signal was sent to a reaped child: %+v", e)
		}
	}
	if err := lab.Stop(p); err == nil || !strings.Contains(err.Error(), "ProcessLookupError") {
		t.Errorf("SIGSTOP to a reaped pid: %v", err)
	}
	if err := p.osProc.Signal(syscall.SIGKILL); !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("the process handle still signals after reaping: %v", err)
	}
}

func TestAffinityPinsToOneCore(t *testing.T) {
	if !AffinitySupported {
		t.Skip("no sched_setaffinity here")
	}
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: "burn"})
	mustStart(t, lab, p)
	if err := lab.SetAffinity(p, []int{0}); err != nil {
		t.Fatal(err)
	}
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(p.Pid(), &set); err != nil || set.Count() != 1 || !set.IsSet(0) {
		t.Errorf("affinity of the child: %d cores (%v)", set.Count(), err)
	}
	_ = lab.Kill(p)
	join(t, lab, p)
	if err := lab.SetAffinity(p, []int{0}); err == nil || !strings.Contains(err.Error(), "ProcessLookupError") {
		t.Errorf("affinity of a reaped pid: %v", err)
	}
}

// A child started while the lab resets (the user presses Start as a new
// lesson clears the lab) is stopped too, and Close does not wait forever
// for a child the lab forgot.
func TestResetStopsAChildStartedMeanwhile(t *testing.T) {
	lab := newLab(t)
	old, err := lab.Create(Spec{Target: "forever"})
	if err != nil {
		t.Fatal(err)
	}
	if err := lab.Start(old); err != nil {
		t.Fatal(err)
	}
	late, err := lab.Create(Spec{Target: "forever"})
	if err != nil {
		t.Fatal(err)
	}
	reset := make(chan struct{})
	go func() { lab.Reset(); close(reset) }()
	if err := lab.Start(late); err != nil {
		t.Fatal(err)
	}
	select {
	case <-reset:
	case <-time.After(10 * time.Second):
		t.Fatal("Reset did not return")
	}
	select {
	case <-late.Exited():
	case <-time.After(5 * time.Second):
		t.Fatalf("the child started during Reset (pid %d) still runs after it", late.Pid())
	}
	if n := len(lab.Processes()); n != 0 {
		t.Errorf("the new lab starts with %d processes", n)
	}
}

// A spawner's children print into the spawner's pipe, yet each gets its own
// process in the lab (its own lane) with its own lines, logged under its own
// pid; killed, the spawner's children live on as orphans, still printing in
// their own lanes; the spawner reports the exit code of a child it reaped.
func TestASpawnersChildrenHaveTheirOwnLanes(t *testing.T) {
	lab := newLab(t)
	sp := mustCreate(t, lab, Spec{Target: "spawner", Args: []any{int64(2), "forever"}})
	mustStart(t, lab, sp)
	kids := map[string]*Process{}
	if !eventually(func() bool {
		for _, p := range lab.Processes() {
			if p.ObservedBy() == sp && p.Output().Total() >= 2 {
				kids[p.Name()] = p
			}
		}
		return len(kids) == 2
	}) {
		t.Fatalf("the spawner's children have no lanes of their own; the spawner's lane:\n%s", strings.Join(texts(sp), "\n"))
	}
	for _, name := range []string{"Process-1:1", "Process-1:2"} {
		k := kids[name]
		if k == nil {
			t.Fatalf("no lane named %s: %v", name, kids)
		}
		for _, line := range texts(k) {
			if !strings.HasPrefix(line, "stdout: 循环中... ") {
				t.Errorf("%s's lane holds %q", name, line)
			}
		}
		if s := k.Snapshot(); s.ParentPid != sp.Pid() || s.Status != Started {
			t.Errorf("%s: parent %d (spawner %d), status %v", name, s.ParentPid, sp.Pid(), s.Status)
		}
	}
	for _, line := range texts(sp) {
		if strings.Contains(line, "循环中") {
			t.Errorf("a child's line in the spawner's lane: %q", line)
		}
	}
	// Killed, the spawner leaves its children printing, in their lanes.
	if err := lab.Kill(sp); err != nil {
		t.Fatal(err)
	}
	join(t, lab, sp)
	k := kids["Process-1:1"]
	before := k.Output().Total()
	if !eventually(func() bool { return k.Output().Total() >= before+2 }) || k.Snapshot().Status != Started {
		t.Errorf("the orphan Process-1:1 stopped printing in its lane (status %v, %d lines)", k.Snapshot().Status, k.Output().Total())
	}
	log, err := os.ReadFile(lab.LogPath())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), fmt.Sprintf("Process-1:1\t%d\t", k.Pid())) && !strings.Contains(string(log), fmt.Sprintf("Process-1:1 %d ", k.Pid())) {
		t.Errorf("the log has no line under Process-1:1's pid %d:\n%s", k.Pid(), firstLines(string(log), 10))
	}
	// A child the spawner itself reaps reports its exit code.
	lab2 := newLab(t)
	sp2 := mustCreate(t, lab2, Spec{Target: "spawner", Args: []any{int64(1), "crash"}})
	mustStart(t, lab2, sp2)
	join(t, lab2, sp2)
	var crash *Process
	for _, p := range lab2.Processes() {
		if p.ObservedBy() == sp2 {
			crash = p
		}
	}
	if crash == nil {
		t.Fatal("the crash child has no lane")
	}
	eventually(func() bool { _, ok := crash.ExitCode(); return ok })
	if code, ok := crash.ExitCode(); !ok || code != 1 {
		t.Errorf("the reaped crash child: exitcode %d (known %v), want 1", code, ok)
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

package procs

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestTreeShowsTheLabsChildren(t *testing.T) {
	lab := newLab(t)
	p := mustCreate(t, lab, Spec{Target: "burn"})
	mustStart(t, lab, p)
	var pl Poller
	if _, err := pl.Poll(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	tree, err := pl.Poll()
	if err != nil {
		t.Fatal(err)
	}
	info := tree.Procs[p.Pid()]
	if info == nil || info.PPid != os.Getpid() {
		t.Fatalf("child %d not under this process in the tree: %+v", p.Pid(), info)
	}
	if info.CPU < 20 {
		t.Errorf("a burning child shows %.1f%% CPU", info.CPU)
	}
	// The child may move between cores between polls: some core must be busy.
	if len(tree.Cores) == 0 || info.Core < 0 || info.Core >= len(tree.Cores) || slices.Max(tree.Cores) < 10 {
		t.Errorf("cores %v: none is busy while a child burns (it last ran on %d)", tree.Cores, info.Core)
	}
	if info.RSS == 0 || info.Threads == 0 || info.StartTime == 0 {
		t.Errorf("empty fields: %+v", info)
	}
	found := false
	for _, d := range tree.Descendants(os.Getpid()) {
		found = found || d == p.Pid()
	}
	if !found {
		t.Error("child missing from Descendants")
	}
	var out bytes.Buffer
	PrintTree(&out, tree, os.Getpid())
	if !strings.Contains(out.String(), "└─procs.test(") && !strings.Contains(out.String(), "(") {
		t.Errorf("PrintTree:\n%s", out.String())
	}
}

// The fast path reads /proc/PID/stat itself; gopsutil reads the same
// process through its own API. On the same live processes they must agree.
func TestFastPathAgreesWithGopsutil(t *testing.T) {
	lab := newLab(t)
	for range 3 {
		mustStart(t, lab, mustCreate(t, lab, Spec{Target: "forever", Args: []any{int64(5)}}))
	}
	// Past start-up the children sleep; on a busy machine a child may still
	// be running between the two reads, so a state that differs is read
	// again before it counts.
	var problems []string
	for attempt := range 10 {
		time.Sleep(300 * time.Millisecond)
		problems = compareWithGopsutil(t)
		if len(problems) == 0 {
			return
		}
		t.Logf("attempt %d: %v", attempt+1, problems)
	}
	t.Error(strings.Join(problems, "\n"))
}

// compareWithGopsutil reads the tree both ways and says where they differ.
func compareWithGopsutil(t *testing.T) []string {
	fast, err := readAllStats()
	if err != nil {
		t.Fatal(err)
	}
	ref, err := readAllGopsutil()
	if err != nil {
		t.Fatal(err)
	}
	byPid := map[int]ProcStat{}
	for _, s := range ref {
		byPid[s.Pid] = s
	}
	var problems []string
	mine := 0
	for _, s := range fast {
		r, ok := byPid[s.Pid]
		if !ok {
			continue // ended between the two reads
		}
		if r.PPid != s.PPid {
			problems = append(problems, fmt.Sprintf("pid %d: parent %d, gopsutil says %d", s.Pid, s.PPid, r.PPid))
		}
		if s.PPid == os.Getpid() {
			mine++
			if s.State != r.State || s.Name != r.Name {
				problems = append(problems, fmt.Sprintf("pid %d: %q in state %c, gopsutil says %q in %c", s.Pid, s.Name, s.State, r.Name, r.State))
			}
		}
	}
	if mine < 3 {
		problems = append(problems, fmt.Sprintf("found %d of this test's 3 children", mine))
	}
	return problems
}

func TestParseStatWithParenthesesInName(t *testing.T) {
	line := "42 (a) b (c)) S 7 42 42 0 -1 4194560 100 0 0 0 11 4 0 0 20 0 3 0 12345 1000 25 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
	s, err := parseStat(42, []byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "a) b (c)" || s.PPid != 7 || s.State != 'S' || s.CPUTicks != 15 || s.Threads != 3 || s.StartTime != 12345 || s.Core != 1 || s.Kernel {
		t.Errorf("%+v", s)
	}
	// kthreadd's flags: PF_KTHREAD (0x00200000) among others.
	kernel := "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 0 1 0 0 0 0 0\n"
	if s, err := parseStat(2, []byte(kernel)); err != nil || !s.Kernel {
		t.Errorf("kthreadd: %+v, %v", s, err)
	}
	if _, err := parseStat(1, []byte("garbage")); err == nil {
		t.Error("garbage parsed")
	}
}

// TestPollReadsNoCommandLineOfAKernelThread: a kernel thread has no
// command line, and reading its empty one was most of a one-shot `proclab
// tree`'s system calls on a machine of kernel threads.
func TestPollReadsNoCommandLineOfAKernelThread(t *testing.T) {
	var pl Poller
	tree, err := pl.Poll()
	if err != nil {
		t.Fatal(err)
	}
	self := tree.Procs[os.Getpid()]
	if self == nil || self.Kernel || len(self.Cmdline) == 0 {
		t.Fatalf("this test's process: %+v", self)
	}
	kernel := 0
	for _, p := range tree.Procs {
		if p.Kernel {
			kernel++
			if p.Cmdline != nil {
				t.Errorf("kernel thread %d (%s) has the command line %q", p.Pid, p.Name, p.Cmdline)
			}
		}
	}
	if k := tree.Procs[2]; k != nil && k.Name == "kthreadd" && !k.Kernel {
		t.Errorf("kthreadd is not taken for a kernel thread: %+v", k)
	}
	t.Logf("%d kernel threads of %d processes", kernel, len(tree.Procs))
}

// BenchmarkReadAllStats is one poll's reading of /proc: run with extra
// processes on the machine to see the per-process cost.
func BenchmarkReadAllStats(b *testing.B) {
	for b.Loop() {
		if _, err := readAllStats(); err != nil {
			b.Fatal(err)
		}
	}
}

// A process may give itself any short name (prctl, /proc/self/comm):
// escapes in it are shown, not obeyed, by the printed tree.
func TestPrintTreeShowsEscapesInNamesAsText(t *testing.T) {
	cmd := exec.Command("sh", "-c", `printf '\033]0;owned\007\033[2J' > /proc/$$/comm; echo ready; sleep 5; :`)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	var pl Poller
	tree, err := pl.Poll()
	if err != nil {
		t.Fatal(err)
	}
	if name := tree.Procs[cmd.Process.Pid].Name; !strings.Contains(name, "\x1b") {
		t.Fatalf("the shell could not rename itself: %q", name)
	}
	var b bytes.Buffer
	PrintTree(&b, tree, cmd.Process.Pid)
	if strings.ContainsAny(b.String(), "\x1b\x07") || !strings.Contains(b.String(), "\uFFFD]0;owned") {
		t.Errorf("the printed tree: %q", b.String())
	}
}

func BenchmarkReadAllStatsKeptOpen(b *testing.B) {
	f := newStatFiles()
	defer f.close()
	for b.Loop() {
		if _, err := f.readAll(nil); err != nil {
			b.Fatal(err)
		}
	}
}

// A watching Poller keeps each stat file open between polls: it reads the
// same records as one that opens them, drops a process that ended (its
// file too), and sees a new one.
func TestKeptOpenStatFilesFollowProcesses(t *testing.T) {
	kept := Poller{KeepOpen: true}
	defer kept.Close()
	var fresh Poller
	child := exec.Command("sleep", "30")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	pid := child.Process.Pid
	// Asleep, so that two polls moments apart see the same state.
	if !eventually(func() bool { s, err := ReadStat(pid); return err == nil && s.State == 'S' && s.Name == "sleep" }) {
		t.Fatal("the child never sleeps")
	}
	for range 2 {
		a, err := kept.Poll()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := fresh.Poll()
		if a.Procs[pid] == nil || a.Procs[os.Getpid()] == nil {
			t.Fatalf("the kept poll misses the child or the test")
		}
		// The two polls are moments apart: what a process may change
		// meanwhile (a kernel worker renames itself) is not compared.
		for p, info := range b.Procs {
			if other := a.Procs[p]; other != nil && (other.StartTime != info.StartTime || other.PPid != info.PPid) {
				t.Errorf("pid %d: kept %+v, fresh %+v", p, other.ProcStat, info.ProcStat)
			}
		}
		if a.Procs[pid].Name != "sleep" || a.Procs[pid].State != b.Procs[pid].State {
			t.Errorf("the child: kept %+v, fresh %+v", a.Procs[pid].ProcStat, b.Procs[pid].ProcStat)
		}
	}
	if k := kept.files.procs[pid]; k == nil || (k.stat < 0 || k.sched < 0) && kept.files.open < kept.files.limit {
		t.Fatalf("the child's stat and schedstat files are not kept open: %+v", k)
	}
	_ = child.Process.Kill()
	_ = child.Wait()
	tree, _ := kept.Poll()
	if tree.Procs[pid] != nil {
		t.Error("an ended, reaped child is still in the kept poll")
	}
	if _, ok := kept.files.procs[pid]; ok {
		t.Error("an ended child's files are still open")
	}
	next := exec.Command("sleep", "30")
	if err := next.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = next.Process.Kill(); _ = next.Wait() }()
	if tree, _ := kept.Poll(); tree.Procs[next.Process.Pid] == nil {
		t.Error("a new process is not in the kept poll")
	}
}

// A poll told which processes to read (Poller.Only, the window's lab)
// reads those alone, and keeps their files, and their zombies until reaped; when told to read every process
// again, it lists /proc anew and misses none, though nothing was created in
// between.
func TestPollOfChosenProcesses(t *testing.T) {
	child := exec.Command("sleep", "30")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	pid, self := child.Process.Pid, os.Getpid()
	onlySelf := true
	pl := Poller{KeepOpen: true, Only: func() ([]int, bool) { return []int{self}, onlySelf }}
	defer pl.Close()
	onlySelf = false
	if tree, _ := pl.Poll(); tree.Partial || tree.Procs[pid] == nil || len(tree.Procs) < 3 {
		t.Fatalf("a poll of every process: partial %v, %d processes, the child %v", tree.Partial, len(tree.Procs), tree.Procs[pid] != nil)
	}
	onlySelf = true
	for range 2 {
		tree, err := pl.Poll()
		if err != nil {
			t.Fatal(err)
		}
		if !tree.Partial || len(tree.Procs) != 1 || tree.Procs[self] == nil {
			t.Fatalf("a poll of the test alone: partial %v, processes %v", tree.Partial, slices.Collect(maps.Keys(tree.Procs)))
		}
	}
	if k := pl.files.procs[pid]; k != nil {
		t.Error("the child's files are still kept by a poll that no longer reads it")
	}
	onlySelf = false
	if tree, _ := pl.Poll(); tree.Partial || tree.Procs[pid] == nil {
		t.Errorf("back to every process, the child is missing (partial %v, %d processes)", tree.Partial, len(tree.Procs))
	}
	// A process of the set that ends is a zombie until reaped, and a
	// cgroup no longer lists it then: the poll still shows it, as a zombie.
	brief := exec.Command("sleep", "0.2")
	if err := brief.Start(); err != nil {
		t.Fatal(err)
	}
	bpid := brief.Process.Pid
	set := []int{self, bpid}
	zp := Poller{KeepOpen: true, Only: func() ([]int, bool) { return set, true }}
	defer zp.Close()
	if tree, _ := zp.Poll(); tree.Procs[bpid] == nil {
		t.Fatal("the brief child is not in the poll of the set")
	}
	if !eventually(func() bool { s, err := ReadStat(bpid); return err == nil && s.State == 'Z' }) {
		t.Fatal("the brief child never became a zombie")
	}
	set = []int{self} // as the cgroup lists it now
	if tree, _ := zp.Poll(); tree.Procs[bpid] == nil || tree.Procs[bpid].State != 'Z' {
		t.Errorf("the zombie of the set is not in the poll as a zombie: %+v", tree.Procs[bpid])
	}
	_ = brief.Wait()
	if tree, _ := zp.Poll(); tree.Procs[bpid] != nil {
		t.Error("the reaped child is still in the poll of the set")
	}
	none := Poller{Only: func() ([]int, bool) { return nil, true }}
	if tree, _ := none.Poll(); !tree.Partial || len(tree.Procs) != 0 {
		t.Errorf("a poll of no process read %d", len(tree.Procs))
	}
}

// What a kept-open poll does not read again must not hide a change: a
// process stopped, continued, ended unreaped (a zombie) and re-parented
// when its parent dies is seen so on the very next poll, not only at the
// next full one.
func TestKeptOpenPollSeesChangesAtOnce(t *testing.T) {
	kept := Poller{KeepOpen: true}
	defer kept.Close()
	// sh starts a sleep in the background, says its pid, and waits to be
	// told to end (its stdin closing).
	sh := exec.Command("sh", "-c", `sleep 30 & echo $!; read x`)
	in, _ := sh.StdinPipe()
	out, _ := sh.StdoutPipe()
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	var orphan int
	if _, err := fmt.Fscan(out, &orphan); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(orphan, syscall.SIGKILL)
	victim := exec.Command("sleep", "30")
	if err := victim.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = victim.Process.Kill(); _ = victim.Wait() }()
	poll := func() *Tree {
		t.Helper()
		tree, err := kept.Poll()
		if err != nil {
			t.Fatal(err)
		}
		return tree
	}
	poll() // the full poll: every record read and kept
	time.Sleep(50 * time.Millisecond)
	if p := poll().Procs[orphan]; p == nil || p.PPid != sh.Process.Pid {
		t.Fatalf("the background sleep: %+v, want parent %d", p, sh.Process.Pid)
	}
	check := func(what string, pid int, ok func(*ProcInfo) bool) {
		t.Helper()
		time.Sleep(50 * time.Millisecond)
		if kept.files.polls%fullEvery == 0 {
			poll() // not the full poll: the point is the ones between
		}
		if p := poll().Procs[pid]; !ok(p) {
			t.Errorf("%s: the next poll shows %+v", what, p)
		}
	}
	_ = victim.Process.Signal(syscall.SIGSTOP)
	check("stopped", victim.Process.Pid, func(p *ProcInfo) bool { return p != nil && p.State == 'T' })
	_ = victim.Process.Signal(syscall.SIGCONT)
	check("continued", victim.Process.Pid, func(p *ProcInfo) bool { return p != nil && p.State == 'S' })
	in.Close()
	_ = sh.Wait()
	check("re-parented when its parent ended", orphan, func(p *ProcInfo) bool { return p != nil && p.PPid != sh.Process.Pid })
	_ = syscall.Kill(victim.Process.Pid, syscall.SIGKILL)
	check("a zombie", victim.Process.Pid, func(p *ProcInfo) bool { return p != nil && p.State == 'Z' })
}

// A watched tree fits its terminal: lines lines at most, the last saying
// how many rows did not fit; without a bound, every row.
func TestPrintTreeLinesFitsAScreen(t *testing.T) {
	var pl Poller
	tree, err := pl.Poll()
	if err != nil {
		t.Fatal(err)
	}
	var all, screen strings.Builder
	PrintTree(&all, tree, 0)
	PrintTreeLines(&screen, tree, 0, 10)
	rows := strings.Split(strings.TrimSuffix(all.String(), "\n"), "\n")
	got := strings.Split(strings.TrimSuffix(screen.String(), "\n"), "\n")
	if len(rows) <= 10 {
		t.Skipf("only %d rows on this machine", len(rows))
	}
	if len(got) != 10 || got[9] != fmt.Sprintf("… %d more rows (a taller terminal shows them)", len(rows)-9) {
		t.Errorf("10 lines of %d rows:\n%s", len(rows), screen.String())
	}
	for i, line := range got[1:9] {
		if strings.TrimRight(line, " ") == "" || !strings.HasPrefix(strings.Fields(rows[i+1])[0], strings.Fields(line)[0]) {
			t.Errorf("line %d: %q, the whole tree has %q", i+2, line, rows[i+1])
		}
	}
}

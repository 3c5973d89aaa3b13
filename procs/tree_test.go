package procs

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
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
	if s.Name != "a) b (c)" || s.PPid != 7 || s.State != 'S' || s.CPUTicks != 15 || s.Threads != 3 || s.StartTime != 12345 || s.Core != 1 {
		t.Errorf("%+v", s)
	}
	if _, err := parseStat(1, []byte("garbage")); err == nil {
		t.Error("garbage parsed")
	}
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

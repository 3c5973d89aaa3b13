//go:build linux

package contain

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary be a keeper, and a host that owns a group
// and is killed with SIGKILL by the test.
func TestMain(m *testing.M) {
	MaybeRunKeeper()
	if os.Getenv("PROCLAB_CONTAIN_HOST") == "1" {
		hostGroup()
	}
	os.Exit(m.Run())
}

// hostGroup owns a group holding a shell that starts a sleeper in a new
// session and one in its own process group; it prints the shell's pid and
// the group's folder, then waits to be killed.
func hostGroup() {
	g := New("host")
	if g.Guarantee() != Kernel {
		fmt.Println("no-cgroup", g.Describe())
		os.Exit(0)
	}
	cmd := exec.Command("sh", "-c", "setsid sleep 3101 & sleep 3102 & wait")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	started := g.Prepare(cmd.SysProcAttr)
	err := cmd.Start()
	started()
	if err != nil {
		fmt.Println("start:", err)
		os.Exit(3)
	}
	fmt.Println(cmd.Process.Pid, g.Path())
	time.Sleep(time.Hour)
}

func kernelGroup(t *testing.T) *Group {
	t.Helper()
	g := New("test")
	if g.Guarantee() != Kernel {
		t.Skipf("this machine gives the lab no cgroup: %s", g.Describe())
	}
	t.Cleanup(g.Close)
	return g
}

// waitMembers waits until the group holds n processes.
func waitMembers(t *testing.T, g *Group, n int) []int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pids, _ := g.Pids()
		if len(pids) >= n {
			return pids
		}
		if time.Now().After(deadline) {
			t.Fatalf("the group holds %v, want %d processes", pids, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startIn starts cmd inside the group.
func startIn(t *testing.T, g *Group, cmd *exec.Cmd) {
	t.Helper()
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	started := g.Prepare(cmd.SysProcAttr)
	err := cmd.Start()
	started()
	if err != nil {
		t.Fatal(err)
	}
}

func alive(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}

func TestAChildAndEverythingItStartsAreInTheGroup(t *testing.T) {
	g := kernelGroup(t)
	cmd := exec.Command("sh", "-c", "setsid sleep 3103 & (sleep 3104 &) ; sleep 3105")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	startIn(t, g, cmd)
	defer cmd.Wait()
	pids := waitMembers(t, g, 4)
	if !slices.Contains(pids, cmd.Process.Pid) {
		t.Errorf("the group %v lacks the child %d", pids, cmd.Process.Pid)
	}
	for _, pid := range pids {
		if in, ok := g.Contains(pid); !ok || !in {
			t.Errorf("Contains(%d) = %v, %v; want true, true", pid, in, ok)
		}
	}
	if in, _ := g.Contains(os.Getpid()); in {
		t.Error("the test itself is in the group")
	}
	g.KillAll()
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("pid %d lives on after KillAll", pid)
		}
	}
	if left, _ := g.Pids(); len(left) != 0 {
		t.Errorf("the group still holds %v", left)
	}
}

func TestCloseRemovesTheGroupAndItsKeeper(t *testing.T) {
	g := New("close")
	if g.Guarantee() != Kernel {
		t.Skipf("this machine gives the lab no cgroup: %s", g.Describe())
	}
	dir, keeper := g.Path(), g.KeeperPid()
	cmd := exec.Command("sleep", "3106")
	startIn(t, g, cmd)
	g.Close()
	_ = cmd.Wait()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the group's folder %s is still there (%v)", dir, err)
	}
	if err := syscall.Kill(keeper, 0); err == nil {
		t.Errorf("the keeper %d lives on", keeper)
	}
}

// The promise: SIGKILL of ProcLab ends every process of its lab within 2 s,
// a new session's included, and the group's folder goes too.
func TestTheKeeperEndsTheGroupWhenItsOwnerIsKilled(t *testing.T) {
	if g := New("probe"); g.Guarantee() != Kernel {
		t.Skipf("this machine gives the lab no cgroup: %s", g.Describe())
	} else {
		g.Close()
	}
	host := exec.Command(os.Args[0], "-test.run=^$")
	host.Env = append(os.Environ(), "PROCLAB_CONTAIN_HOST=1")
	out, err := host.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := host.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = host.Process.Kill()
		t.Fatalf("the host said nothing: %v", err)
	}
	var shell int
	var dir string
	if _, err := fmt.Sscan(line, &shell, &dir); err != nil {
		_ = host.Process.Kill()
		t.Fatalf("the host said %q", line)
	}
	var members []int
	for deadline := time.Now().Add(10 * time.Second); len(members) < 3 && time.Now().Before(deadline); {
		members, _ = groupPids(dir)
		time.Sleep(10 * time.Millisecond)
	}
	if len(members) < 3 {
		t.Fatalf("the shell's sleepers never appeared: %v", members)
	}
	_ = host.Process.Kill()
	_ = host.Wait()
	killed := time.Now()
	for time.Since(killed) < 2*time.Second {
		if left, _ := groupPids(dir); len(left) == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, pid := range members {
		if alive(pid) {
			t.Errorf("pid %d of the lab lives on %v after its owner was killed", pid, time.Since(killed).Round(time.Millisecond))
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	t.Logf("%d processes ended %v after their owner's SIGKILL", len(members), time.Since(killed).Round(time.Millisecond))
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			return
		}
	}
	t.Errorf("the keeper left the group's folder %s", dir)
}

func TestParseCgroup2Mount(t *testing.T) {
	hybrid := `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`
	pure := `25 30 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
`
	escaped := `41 31 0:38 / /mnt/my\040cgroups rw - cgroup2 none rw
`
	bind := `41 31 0:38 /user.slice /mnt/bound rw - cgroup2 cgroup2 rw
`
	for _, c := range []struct {
		in   string
		want string
		ok   bool
	}{{hybrid, "/sys/fs/cgroup/unified", true}, {pure, "/sys/fs/cgroup", true}, {escaped, "/mnt/my cgroups", true}, {bind, "", false}, {"", "", false}, {"garbage\n - \n", "", false}} {
		got, ok := parseCgroup2Mount([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("parseCgroup2Mount(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseOwnCgroup(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"12:pids:/\n0::/user.slice/a.scope\n", "/user.slice/a.scope", true},
		{"0::/\n", "/", true},
		{"0::/gone (deleted)\n", "/gone", true},
		{"4:memory:/x\n", "", false},
	} {
		got, ok := parseOwnCgroup([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("parseOwnCgroup(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func FuzzParseMountinfo(f *testing.F) {
	f.Add([]byte("41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"))
	f.Add([]byte(`1 2 3 / /a\0 - cgroup2`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = parseCgroup2Mount(data)
		_, _ = parseOwnCgroup(data)
	})
}

// Pids reads the group with kept files: it follows the group as processes
// come and go, as a cgroup is made below it by a child, and as KillAll
// moves to a new leaf, agreeing each time with a fresh read of every folder.
func TestPidsFollowTheGroupAsItChanges(t *testing.T) {
	g := kernelGroup(t)
	start := func(arg string) *exec.Cmd {
		cmd := exec.Command("sleep", arg)
		startIn(t, g, cmd)
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		return cmd
	}
	agree := func(when string, want ...int) {
		t.Helper()
		kept, ok := g.Pids()
		fresh, _ := groupPids(g.Path())
		slices.Sort(kept)
		slices.Sort(fresh)
		if !ok || !slices.Equal(kept, fresh) {
			t.Fatalf("%s: Pids %v (ok %v), a fresh read %v", when, kept, ok, fresh)
		}
		for _, pid := range want {
			if !slices.Contains(kept, pid) {
				t.Fatalf("%s: Pids %v lacks %d", when, kept, pid)
			}
		}
	}
	a := start("3201")
	agree("one child", a.Process.Pid)
	b := start("3202")
	agree("two children", a.Process.Pid, b.Process.Pid)
	_ = a.Process.Kill()
	_ = a.Wait()
	agree("one ended", b.Process.Pid)
	// A child that makes a cgroup of its own below the lab's, as a
	// container runtime would.
	inner := filepath.Join(g.cg.leaf, "inner")
	if err := os.Mkdir(inner, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inner, "cgroup.procs"), []byte(strconv.Itoa(b.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	agree("moved into a cgroup below", b.Process.Pid)
	g.KillAll()
	agree("after KillAll")
	c := start("3203")
	agree("a child in the next leaf", c.Process.Pid)
}

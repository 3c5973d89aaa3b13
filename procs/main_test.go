package procs

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary play the proclab binary: re-executed with
// "worker" it runs a task, as real children of the lab do.
func TestMain(m *testing.M) {
	MaybeRunWorker()
	switch os.Getenv("PROCLAB_TEST_HOST") {
	case "1":
		hostLab()
	case "python":
		hostPython()
	case "command":
		hostCommand(os.Getenv("PROCLAB_TEST_HOST_SCRIPT"))
	}
	os.Exit(m.Run())
}

// hostLab is a separate process that owns a lab with one running child; the
// no-strays test kills it with SIGKILL and checks that the child dies too.
func hostLab() {
	lab, err := NewLab(Options{})
	if err != nil {
		os.Exit(3)
	}
	p, _ := lab.Create(Spec{Target: "forever"})
	sp, _ := lab.Create(Spec{Target: "spawner"})
	if lab.Start(p) != nil || lab.Start(sp) != nil {
		os.Exit(4)
	}
	fmt.Println(p.Pid(), sp.Pid())
	select {}
}

// hostCommand is a separate process whose lab runs script in sh as a
// command child; it prints the child's pid and 1 when the lab has a cgroup
// (0 when not), then lives until it is killed.
func hostCommand(script string) {
	lab, err := NewLab(Options{LogDir: "-"})
	if err != nil {
		os.Exit(3)
	}
	p, _ := lab.Create(Spec{Target: CommandTarget, Command: []string{"sh", "-c", script}})
	if lab.Start(p) != nil {
		os.Exit(4)
	}
	contained := 0
	if lab.Contained() {
		contained = 1
	}
	fmt.Println(p.Pid(), contained)
	time.Sleep(time.Hour)
}

// hostPython is a separate process whose lab runs a Python program with a
// child; it prints both pids once the child has printed.
func hostPython() {
	lab, err := NewLab(Options{LogDir: "-"})
	if err != nil {
		os.Exit(3)
	}
	sub := lab.Subscribe()
	p, _ := lab.Create(Spec{Target: CommandTarget, Command: []string{"python3", "-c", `
import multiprocessing, time
def child():
    print("ready")
    time.sleep(60)
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    p = multiprocessing.Process(target=child)
    p.start()
    p.join()
`}})
	if lab.Start(p) != nil {
		os.Exit(4)
	}
	for range sub.C() {
		events, _ := sub.Take()
		for _, e := range events {
			if e.Kind == EvOutput && e.Proc != p {
				fmt.Println(p.Pid(), e.Proc.Pid())
			}
		}
	}
	select {}
}

func newLab(t *testing.T) *Lab {
	t.Helper()
	lab, err := NewLab(Options{LogDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lab.Close)
	return lab
}

func mustCreate(t *testing.T, lab *Lab, spec Spec) *Process {
	t.Helper()
	p, err := lab.Create(spec)
	if err != nil {
		t.Fatalf("Create(%+v): %v", spec, err)
	}
	return p
}

func mustStart(t *testing.T, lab *Lab, p *Process) {
	t.Helper()
	if err := lab.Start(p); err != nil {
		t.Fatalf("%s.start(): %v", p.Var(), err)
	}
}

func join(t *testing.T, lab *Lab, p *Process) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ended, err := lab.Join(ctx, p, 0)
	if err != nil || !ended {
		t.Fatalf("%s.join(): ended=%v err=%v", p.Var(), ended, err)
	}
	code, ok := p.ExitCode()
	if !ok {
		t.Fatalf("%s.exitcode is None after join", p.Var())
	}
	return code
}

func texts(p *Process) []string {
	var out []string
	for _, l := range p.Output().Tail(nil) {
		out = append(out, l.Stream.String()+": "+l.Text)
	}
	return out
}

// alive reports whether pid exists and is not a zombie, read from /proc.
func alive(pid int) bool {
	s, err := ReadStat(pid)
	return err == nil && s.State != 'Z'
}

func waitGone(t *testing.T, pid int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for alive(pid) {
		if time.Now().After(deadline) {
			status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
			t.Fatalf("process %d still alive after %v: %q\n%s", pid, within, strings.ReplaceAll(string(cmdline), "\x00", " "), status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// eventually polls cond until it holds or 10 s have passed, and reports
// whether it held: a fixed pause is not enough on a loaded machine.
func eventually(cond func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

func TestProcsDoesNotImportFyne(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go list unavailable: %v: %s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "fyne.io/") {
			t.Fatalf("package procs imports %s: process logic must not depend on Fyne", dep)
		}
	}
}

// catches reports whether pid has a handler for sig, from /proc/PID/status.
func catches(pid int, sig syscall.Signal) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if mask, ok := strings.CutPrefix(line, "SigCgt:"); ok {
			bits, err := strconv.ParseUint(strings.TrimSpace(mask), 16, 64)
			return err == nil && bits&(1<<(uint(sig)-1)) != 0
		}
	}
	return false
}

// startHost starts this test binary as a host process that owns a lab
// (PROCLAB_TEST_HOST=kind: see TestMain) and returns it with the pids it
// printed once its children were running.
func startHost(t *testing.T, kind string, env ...string) (*exec.Cmd, []int) {
	t.Helper()
	exe, _ := os.Executable()
	host := exec.Command(exe, "-test.run=^$")
	host.Env = append(append(os.Environ(), "PROCLAB_TEST_HOST="+kind), env...)
	out, err := host.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := host.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = host.Process.Kill(); _ = host.Wait() })
	buf := make([]byte, 64)
	n, _ := out.Read(buf)
	var pids []int
	for _, f := range strings.Fields(string(buf[:n])) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("host printed %q", buf[:n])
		}
		pids = append(pids, pid)
	}
	return host, pids
}

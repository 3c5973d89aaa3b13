package procs

import (
	"testing"
	"time"

	"proclab/procs/contain"
)

// The reliability suite: real processes that try to outlive the lab.
// Each sleeper sleeps a number of seconds no other test uses, which is how
// the test finds them in /proc whoever their parent is now.

// sleepers lists the live processes running `sleep secs`.
func sleepers(secs string) []int { return PidsRunning("sleep", secs) }

// waitSleepers waits until n sleepers of secs run.
func waitSleepers(t *testing.T, secs string, n int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := len(sleepers(secs))
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d `sleep %s` started within %v", got, n, secs, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// killStragglers ends sleepers a failed test left, so they do not outlive it.
func killStragglers(secs string) int {
	left := sleepers(secs)
	for _, pid := range left {
		_ = killByPidfd(pid)
	}
	return len(left)
}

func TestSigkillOfProcLabLeavesNoProcessOfTheLab(t *testing.T) {
	cases := []struct {
		name, secs, script string
		n                  int
	}{
		{"a command child that forks 3,000 sleepers", "3301", "i=0; while [ $i -lt 3000 ]; do sleep 3301 & i=$((i+1)); done; wait", 3000},
		{"a grandchild in its own session", "3302", "setsid sleep 3302 & wait", 1},
		{"a double-forked daemon", "3303", "( (setsid sleep 3303 &) & ); sleep 3399", 1},
		{"a grandchild that ignores SIGTERM and SIGHUP", "3304", "trap '' TERM HUP; sleep 3304 & wait", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Cleanup(func() { killStragglers(c.secs); killStragglers("3399") })
			host, said := startHost(t, "command", "PROCLAB_TEST_HOST_SCRIPT="+c.script)
			if len(said) != 2 {
				t.Fatalf("the host said %v, want its child's pid and whether it has a cgroup", said)
			}
			if said[1] == 0 {
				t.Skipf("the kernel gives this lab no cgroup (%s), so only the lab's children and their process groups end with a killed ProcLab", contain.New("probe").Describe())
			}
			waitSleepers(t, c.secs, c.n, 60*time.Second)
			_ = host.Process.Kill()
			_ = host.Wait()
			killed := time.Now()
			for len(sleepers(c.secs)) > 0 && time.Since(killed) < 2*time.Second {
				time.Sleep(20 * time.Millisecond)
			}
			if left := len(sleepers(c.secs)); left > 0 {
				t.Fatalf("%d of %d sleepers outlived ProcLab's SIGKILL by 2 s", left, c.n)
			}
			t.Logf("%d sleepers gone %v after ProcLab's SIGKILL", c.n, time.Since(killed).Round(time.Millisecond))
		})
	}
}

// A grandchild in its own session keeps the lab's output pipe open: closing
// must neither wait for it nor leave it running (where there is a cgroup).
func TestCloseEndsWhileAGrandchildHoldsTheOutputPipe(t *testing.T) {
	for _, fallback := range []bool{false, true} {
		name := "cgroup"
		if fallback {
			name = "process groups only"
		}
		t.Run(name, func(t *testing.T) {
			t.Cleanup(func() { killStragglers("3305") })
			if fallback {
				t.Setenv(contain.NoCgroupEnv, "1")
			}
			lab, err := NewLab(Options{LogDir: "-"})
			if err != nil {
				t.Fatal(err)
			}
			if !fallback && !lab.Contained() {
				lab.Close()
				t.Skip("no cgroup here: " + lab.Containment())
			}
			p := mustCreate(t, lab, Spec{Target: CommandTarget, Command: []string{"sh", "-c", "setsid sleep 3305 & sleep 3306"}})
			mustStart(t, lab, p)
			waitSleepers(t, "3305", 1, 10*time.Second)
			start := time.Now()
			done := make(chan struct{})
			go func() { lab.Close(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Close has not returned after 5 s")
			}
			t.Logf("Close took %v", time.Since(start).Round(time.Millisecond))
			if left := killStragglers("3305"); left > 0 && !fallback {
				t.Errorf("the grandchild in its own session outlived the lab's close")
			}
		})
	}
}

// A reset kills what the old lab left (its cgroup generation); children of
// the new lab start and run as usual. (Some kernels kill every process
// cloned into a cgroup that was once killed: the new lab has a new leaf.)
func TestChildrenStartedAfterAResetRun(t *testing.T) {
	lab := newLab(t)
	for round := range 3 {
		p := mustCreate(t, lab, Spec{Target: CommandTarget, Command: []string{"sh", "-c", "setsid sleep 3307 & echo started"}})
		mustStart(t, lab, p)
		if code := join(t, lab, p); code != 0 {
			t.Fatalf("round %d: exit code %d, want 0", round, code)
		}
		waitSleepers(t, "3307", 1, 5*time.Second)
		lab.Reset()
		if left := killStragglers("3307"); left > 0 && lab.Contained() {
			t.Errorf("round %d: the reset left %d of the old lab's sleepers", round, left)
		}
	}
}

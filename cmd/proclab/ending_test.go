package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"proclab/procs"
)

// cli is the test binary run as proclab in a process of its own.
type cli struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	out    bytes.Buffer
	errOut bytes.Buffer
	lines  chan string // stdout, line by line
	ended  chan struct{}
	code   int
}

func startCLI(t *testing.T, args ...string) *cli {
	t.Helper()
	return startCLIEnv(t, os.Environ(), args...)
}

// startCLIEnv is startCLI with the environment env.
func startCLIEnv(t *testing.T, env []string, args ...string) *cli {
	t.Helper()
	c := &cli{cmd: exec.Command(os.Args[0], args...), lines: make(chan string, 1024), ended: make(chan struct{})}
	c.cmd.Env = append(env, cliEnv+"=1")
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.cmd.Stderr = lockedWriter{&c.mu, &c.errOut}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.mu.Lock()
			c.out.WriteString(sc.Text() + "\n")
			c.mu.Unlock()
			select {
			case c.lines <- sc.Text():
			default:
			}
		}
		_ = c.cmd.Wait()
		c.code = c.cmd.ProcessState.ExitCode()
		close(c.ended)
	}()
	t.Cleanup(func() { _ = c.cmd.Process.Kill(); <-c.ended })
	return c
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// waitLine waits for a line of stdout that contains want.
func (c *cli) waitLine(t *testing.T, want string) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case l := <-c.lines:
			if strings.Contains(l, want) {
				return
			}
		case <-c.ended:
			t.Fatalf("proclab ended before printing %q:\n%s\n%s", want, c.stdout(), c.stderr())
		case <-timeout:
			t.Fatalf("proclab did not print %q in 20 s:\n%s", want, c.stdout())
		}
	}
}

// waitEnd waits up to within for proclab to end and says how long it took.
func (c *cli) waitEnd(t *testing.T, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	select {
	case <-c.ended:
		return time.Since(start)
	case <-time.After(within):
		t.Fatalf("proclab has not ended %v after the signal:\n%s\n%s", within, c.stdout(), c.stderr())
		return 0
	}
}

func (c *cli) stdout() string { c.mu.Lock(); defer c.mu.Unlock(); return c.out.String() }
func (c *cli) stderr() string { c.mu.Lock(); defer c.mu.Unlock(); return c.errOut.String() }

// sleepersOf lists live processes running `sleep secs`, whoever their parent.
func sleepersOf(secs string) []int { return procs.PidsRunning("sleep", secs) }

func noSleepersLeft(t *testing.T, secs string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for len(sleepersOf(secs)) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if left := sleepersOf(secs); len(left) > 0 {
		for _, pid := range left {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		t.Errorf("`sleep %s` outlived proclab: %v", secs, left)
	}
}

// Ctrl+C on a program that ignores SIGTERM: terminated, then killed after
// the grace period; ProcLab ends within 5 s with nothing left.
func TestHeadlessCtrlCEndsAProgramThatIgnoresSIGTERM(t *testing.T) {
	c := startCLI(t, "run", "--headless", "--", "sh", "-c", "trap '' TERM INT; sleep 3401 & echo ready; wait; wait")
	c.waitLine(t, "ready")
	_ = c.cmd.Process.Signal(os.Interrupt)
	took := c.waitEnd(t, 5*time.Second)
	t.Logf("ended %v after Ctrl+C", took.Round(time.Millisecond))
	if !strings.Contains(c.stderr(), "did not end on SIGTERM: it is killed") {
		t.Errorf("stderr does not say the program was killed:\n%s", c.stderr())
	}
	noSleepersLeft(t, "3401")
}

// A second Ctrl+C does not wait for the grace period.
func TestHeadlessSecondCtrlCKillsAtOnce(t *testing.T) {
	c := startCLI(t, "run", "--headless", "--", "sh", "-c", "trap '' TERM INT; sleep 3402 & echo ready; wait; wait")
	c.waitLine(t, "ready")
	_ = c.cmd.Process.Signal(os.Interrupt)
	time.Sleep(100 * time.Millisecond)
	_ = c.cmd.Process.Signal(os.Interrupt)
	if took := c.waitEnd(t, 5*time.Second); took > 1500*time.Millisecond {
		t.Errorf("the second Ctrl+C took %v to end ProcLab, want under the %v grace", took, runKillGrace)
	}
	noSleepersLeft(t, "3402")
}

// timeout 8 proclab run --headless -- setsid sleep: SIGTERM ends it all,
// although the sleeper in its own session holds the output pipe.
func TestHeadlessSIGTERMEndsAProgramInItsOwnSession(t *testing.T) {
	c := startCLI(t, "run", "--headless", "--", "sh", "-c", "setsid sleep 3403 & echo ready; wait")
	c.waitLine(t, "ready")
	for deadline := time.Now().Add(5 * time.Second); len(sleepersOf("3403")) == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	c.waitEnd(t, 5*time.Second)
	noSleepersLeft(t, "3403")
}

// Like a pipe into cat: a background job that prints after the program
// ended is still heard, and the run ends when it does.
func TestHeadlessRunWaitsForWhatTheProgramLeftPrinting(t *testing.T) {
	c := startCLI(t, "run", "--headless", "--", "sh", "-c", "(sleep 0.5; echo late) & echo early")
	c.waitEnd(t, 10*time.Second)
	out := c.stdout()
	if !strings.Contains(out, "] early") || !strings.Contains(out, "] late") {
		t.Errorf("want both lines:\n%s\n%s", out, c.stderr())
	}
	if c.code != 0 {
		t.Errorf("exit code %d, want the program's 0", c.code)
	}
}

// Under Debian's default C.UTF-8 locale a headless command prints only its
// own words: nothing from Fyne, which ProcLab links for its window.
func TestHeadlessCommandsPrintNothingFromFyne(t *testing.T) {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LANG=") && !strings.HasPrefix(kv, "LANGUAGE=") && !strings.HasPrefix(kv, "LC_") {
			env = append(env, kv)
		}
	}
	env = append(env, "LANG=C.UTF-8")
	for _, args := range [][]string{{"version"}, {"tree", "1"}, {"run", "--headless", "--", "true"}, {"lesson", "args-kwargs"}} {
		c := startCLIEnv(t, env, args...)
		c.waitEnd(t, 30*time.Second)
		if strings.Contains(c.stderr(), "Fyne") {
			t.Errorf("proclab %v printed Fyne's messages:\n%s", args, c.stderr())
		}
	}
}

package procs

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// runInTerminal runs a command with its stdout and stderr on a new
// pseudo-terminal, with Python's default buffering, and returns what it
// printed, as a user at a terminal sees it. CPython buffers a terminal's
// output by line, so each print reaches the screen whole; unbuffered
// (-u, PYTHONUNBUFFERED) its pieces are separate writes and two processes'
// prints can mix inside a line.
func runInTerminal(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = withoutUnbuffered(os.Environ())
	out, _ := runOnTerminals(t, cmd, false, nil)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

func withoutUnbuffered(env []string) []string {
	return slices.DeleteFunc(env, func(v string) bool {
		return strings.HasPrefix(v, "PYTHONUNBUFFERED=")
	})
}

// runOnTerminals starts cmd with stdout on a pseudo-terminal, and stderr on
// a second one when apart (else on the same), calls started (if any) once
// it runs, and returns what each showed once every process holding them
// has closed them. The caller waits for cmd.
func runOnTerminals(t *testing.T, cmd *exec.Cmd, apart bool, started func()) (stdout, stderr string) {
	t.Helper()
	outM, outS := openTerminal(t)
	errM, errS := outM, outS
	if apart {
		errM, errS = openTerminal(t)
	}
	cmd.Stdout, cmd.Stderr = outS, errS
	err := cmd.Start()
	outS.Close() // the command and its children hold them now
	errS.Close()
	if err != nil {
		t.Fatalf("%s: %v", cmd.Path, err)
	}
	if started != nil {
		started()
	}
	var wg sync.WaitGroup
	read := func(m *os.File, into *string) {
		defer wg.Done()
		defer m.Close()
		*into = readTerminal(t, m)
	}
	wg.Add(1)
	go read(outM, &stdout)
	if apart {
		wg.Add(1)
		go read(errM, &stderr)
	}
	wg.Wait()
	return stdout, stderr
}

// openTerminal opens a new pseudo-terminal: its master and its slave.
func openTerminal(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("name the pseudo-terminal: %v", err)
	}
	slave, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open the pseudo-terminal: %v", err)
	}
	return master, slave
}

// readTerminal reads a master to the end: EIO, once every holder of the
// slave has closed it.
func readTerminal(t *testing.T, master *os.File) string {
	var out strings.Builder
	buf := make([]byte, 64<<10)
	for {
		k, err := master.Read(buf)
		out.Write(buf[:k])
		if err != nil {
			if !errors.Is(err, syscall.EIO) {
				t.Errorf("read the pseudo-terminal: %v", err)
			}
			break
		}
	}
	// The terminal turns each "\n" into "\r\n".
	return strings.ReplaceAll(out.String(), "\r\n", "\n")
}

package procs

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
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
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("name the pseudo-terminal: %v", err)
	}
	slave, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open the pseudo-terminal: %v", err)
	}
	cmd := exec.Command(name, args...)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(v string) bool {
		return strings.HasPrefix(v, "PYTHONUNBUFFERED=")
	})
	cmd.Stdout, cmd.Stderr = slave, slave
	if err := cmd.Start(); err != nil {
		slave.Close()
		t.Fatalf("%s: %v", name, err)
	}
	slave.Close() // the command and its children hold it now
	var out strings.Builder
	buf := make([]byte, 4096)
	for {
		k, err := master.Read(buf)
		out.Write(buf[:k])
		if err != nil {
			// EIO: every holder of the terminal has closed it.
			if !errors.Is(err, syscall.EIO) {
				t.Errorf("read the pseudo-terminal: %v", err)
			}
			break
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	// The terminal turns each "\n" into "\r\n".
	return strings.ReplaceAll(out.String(), "\r\n", "\n")
}

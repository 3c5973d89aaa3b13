package contain

import (
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// KeeperCommand is the hidden first argument that turns the proclab binary
// (or a test binary) into a lab's keeper.
const KeeperCommand = "keeper"

// keeper is a small process outside the lab's cgroup. It reads a pipe whose
// only writer is ProcLab: when ProcLab ends, however it ends, the kernel
// closes the pipe, and the keeper kills the group and removes it.
type keeper struct {
	cmd  *exec.Cmd
	pipe *os.File // ProcLab's end; closing it lets the keeper finish
}

func startKeeper(exe, dir string) (*keeper, error) {
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command(exe, KeeperCommand, dir)
	cmd.Stdin = r // stdout and stderr: /dev/null, so no pipe of ProcLab's is held
	// Its own process group: a Ctrl+C in ProcLab's terminal is for ProcLab.
	// No parent-death signal: it must outlive ProcLab to do its work.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, err
	}
	return &keeper{cmd: cmd, pipe: w}, nil
}

// Pid is the keeper's process id, which a process view may want to leave out.
func (k *keeper) pid() int { return k.cmd.Process.Pid }

// release lets the keeper end: the group is already gone, so it only
// checks and leaves. It is reaped here, or it would stay a zombie of
// ProcLab's.
func (k *keeper) release() {
	k.pipe.Close()
	done := make(chan struct{})
	go func() { _ = k.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		_ = k.cmd.Process.Kill()
		<-done
	}
}

// MaybeRunKeeper runs the keeper when the program was started as one, and
// never returns then.
func MaybeRunKeeper() {
	if len(os.Args) == 3 && os.Args[1] == KeeperCommand {
		os.Exit(runKeeper(os.Args[2]))
	}
}

func runKeeper(dir string) int {
	// Only the pipe's end may end the keeper; a terminal's signals are not for it.
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE)
	if !strings.Contains(filepath.Base(dir), cgroupPrefix) {
		return 2 // never touch a folder that is not a lab's cgroup
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	if _, err := os.Stat(dir); err != nil {
		return 0 // ProcLab closed the lab itself
	}
	killGroup(dir, 10*time.Second)
	removeGroup(dir, 5*time.Second)
	return 0
}

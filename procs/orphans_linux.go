package procs

import (
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// becomeSubreaper makes ProcLab the child subreaper of everything it
// starts: when a child dies before its own children, they are re-parented
// to ProcLab instead of init, so they stay in ProcLab's tree as adopted
// orphans and ProcLab reaps them.
func becomeSubreaper() bool {
	return unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == nil
}

// grandchildAttr is for processes a worker starts. They must outlive their
// parent to become orphans, so their parent-death signal is SIGUSR1, which
// the worker handles (see watchParentDeath); they stay in their parent's
// process group, which is how the lab recognises them once adopted.
func grandchildAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGUSR1}
}

// labPidEnv tells workers the pid of the ProcLab that owns their lab.
const labPidEnv = "PROCLAB_LAB_PID"

// watchParentDeath runs in every worker. The kernel sends the parent-death
// signal each time the worker's parent dies: if the new parent is the lab
// (its subreaper), the worker was adopted and goes on; otherwise ProcLab
// itself is gone and the worker must not outlive it. The signal comes when
// the parent's *thread* that started the worker exits, which can be a
// moment before the whole parent is gone and the worker re-parented, so the
// worker waits to see its parent change before deciding.
func watchParentDeath(w *Worker, labPid int) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	parent := os.Getppid()
	go func() {
		for range sigs {
			deadline := time.Now().Add(time.Second)
			for os.Getppid() == parent && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			switch now := os.Getppid(); {
			case now == parent:
				// Only a thread of the parent ended; the parent lives on.
			case labPid != 0 && now == labPid:
				parent = now
				w.Print("my parent died: adopted by MainProcess, pid", int64(labPid))
			default:
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			}
		}
	}()
}

// reapOrphan reaps pid if it has ended, without blocking.
func reapOrphan(pid int) (code int, reaped bool) {
	var ws syscall.WaitStatus
	got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
	if err != nil || got != pid {
		return 0, false
	}
	if ws.Signaled() {
		return -int(ws.Signal()), true
	}
	return ws.ExitStatus(), true
}

// killByPidfd sends SIGKILL through a pidfd.
func killByPidfd(pid int) error {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0)
}

// childStats reads the stat of each of self's children but those skip
// names, zombies included: the children files of its threads name them, so
// the rest of the machine is not read. Where the kernel has no such files,
// all of /proc is read.
func childStats(self int, skip func(pid int) bool) []ProcStat {
	tasks, err := os.ReadDir("/proc/self/task")
	var pids []int
	for _, t := range tasks {
		data, rerr := os.ReadFile("/proc/self/task/" + t.Name() + "/children")
		if rerr != nil {
			err = rerr
			break
		}
		for f := range strings.FieldsSeq(string(data)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	if err != nil || len(tasks) == 0 {
		return childStatsOfAll(self, skip)
	}
	var out []ProcStat
	buf := make([]byte, 4096)
	for _, pid := range pids {
		if skip(pid) {
			continue
		}
		if s, err := readStat(pid, buf); err == nil {
			out = append(out, s)
		}
	}
	return out
}

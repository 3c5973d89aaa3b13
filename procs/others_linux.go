package procs

import (
	"errors"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

func processUID(pid int) (uint32, bool) {
	fi, err := os.Stat("/proc/" + strconv.Itoa(pid))
	if err != nil {
		return 0, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return st.Uid, true
}

// signalIfSame opens a pidfd first, so that once the start time is checked
// the pid cannot be recycled under the signal.
func signalIfSame(pid int, start uint64, sig syscall.Signal) error {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		if errors.Is(err, unix.ESRCH) {
			return errors.New("it has ended")
		}
		return err
	}
	defer unix.Close(fd)
	st, err := ReadStat(pid)
	if err != nil || (start != 0 && st.StartTime != start) {
		return errors.New("it has ended (its pid now belongs to another process)")
	}
	return unix.PidfdSendSignal(fd, sig, nil, 0)
}

// HavePidfd reports whether this kernel signals through pidfds (Linux 5.3).
func HavePidfd() bool {
	fd, err := unix.PidfdOpen(os.Getpid(), 0)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
}

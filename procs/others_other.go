//go:build !linux

package procs

import (
	"syscall"

	"github.com/shirou/gopsutil/v3/process"
)

func processUID(pid int) (uint32, bool) {
	p, err := process.NewProcess(int32(pid))
	if err != nil {
		return 0, false
	}
	uids, err := p.Uids()
	if err != nil || len(uids) == 0 {
		return 0, false
	}
	return uint32(uids[0]), true
}

// signalIfSame cannot pin the process here: it signals the pid.
func signalIfSame(pid int, _ uint64, sig syscall.Signal) error {
	return syscall.Kill(pid, sig)
}

// HavePidfd reports whether signals go through pidfds: Linux only.
func HavePidfd() bool { return false }

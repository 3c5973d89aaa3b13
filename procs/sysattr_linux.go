package procs

import (
	"syscall"
)

// childAttr makes every child die with SIGKILL when the process that started
// it dies, even by SIGKILL, so that no lab process outlives ProcLab. Go
// rechecks the parent after fork, closing the race where it already died.
// Each child gets its own process group, so a Ctrl+C in ProcLab's terminal
// reaches ProcLab (which then ends its lab) rather than every child at once.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
}

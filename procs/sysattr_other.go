//go:build unix && !linux

package procs

import "syscall"

// childAttr: outside Linux there is no parent-death signal; ProcLab ends its
// children itself when it closes.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

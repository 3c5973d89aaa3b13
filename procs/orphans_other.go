//go:build !linux

package procs

import "syscall"

func becomeSubreaper() bool                { return false }
func grandchildAttr() *syscall.SysProcAttr { return nil }
func watchParentDeath(*Worker, int)        {}
func reapOrphan(int) (int, bool)           { return 0, false }

const labPidEnv = "PROCLAB_LAB_PID"

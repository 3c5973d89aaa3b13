//go:build !linux

package procs

import "syscall"

func becomeSubreaper() bool                { return false }
func grandchildAttr() *syscall.SysProcAttr { return nil }
func watchParentDeath(*Worker, int)        {}
func reapOrphan(int) (int, bool)           { return 0, false }

const labPidEnv = "PROCLAB_LAB_PID"

func killByPidfd(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }

func childStats(self int, skip func(pid int) bool) []ProcStat { return childStatsOfAll(self, skip) }

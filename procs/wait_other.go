//go:build !linux

package procs

import "errors"

// waitExited: elsewhere ProcLab cannot see an exit without reaping it, so a
// finished child is reaped at once and never shows as a zombie.
func waitExited(int) (int, error) { return 0, errors.New("waiting without reaping is Linux only") }

//go:build !linux

package procs

import "errors"

// AffinitySupported says whether processes can be pinned to cores here.
const AffinitySupported = false

func setAffinity(int, []int) error {
	return errors.New("pinning a process to cores needs sched_setaffinity, which only Linux has")
}

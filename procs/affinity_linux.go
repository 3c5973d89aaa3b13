package procs

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// AffinitySupported says whether processes can be pinned to cores here.
const AffinitySupported = true

func setAffinity(pid int, cores []int) error {
	var set unix.CPUSet
	for _, c := range cores {
		set.Set(c)
	}
	if err := unix.SchedSetaffinity(pid, &set); err != nil {
		return fmt.Errorf("OSError: %w", err)
	}
	return nil
}

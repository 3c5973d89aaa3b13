//go:build !linux

package procs

// clockTicks: gopsutil reports CPU times in seconds; the tree counts them
// in hundredths, as on Linux.
const clockTicks = 100

func readAllStats() ([]ProcStat, error) { return readAllGopsutil() }

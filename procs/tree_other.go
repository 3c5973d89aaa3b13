//go:build !linux

package procs

import "github.com/shirou/gopsutil/v3/process"

// clockTicks: gopsutil reports CPU times in seconds; the tree counts them
// in hundredths, as on Linux.
const clockTicks = 100

func readAllStats() ([]ProcStat, error) { return readAllGopsutil() }

func readCmdline(pid int) []string {
	p, err := process.NewProcess(int32(pid))
	if err != nil {
		return nil
	}
	argv, _ := p.CmdlineSlice()
	return argv
}

//go:build !linux

package procs

import (
	"fmt"

	"github.com/shirou/gopsutil/v3/process"
)

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

// ReadStat reads one process's record.
func ReadStat(pid int) (ProcStat, error) {
	all, err := readAllGopsutil()
	if err != nil {
		return ProcStat{}, err
	}
	for _, s := range all {
		if s.Pid == pid {
			return s, nil
		}
	}
	return ProcStat{}, fmt.Errorf("no process %d", pid)
}

// readStat is ReadStat; the buffer is Linux's.
func readStat(pid int, _ []byte) (ProcStat, error) { return ReadStat(pid) }

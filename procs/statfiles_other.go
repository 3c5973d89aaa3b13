//go:build !linux

package procs

// statFiles: outside Linux every poll reads through gopsutil.
type statFiles struct{}

func newStatFiles() *statFiles { return nil }
func (*statFiles) close()      {}

// readAll reads every process: only (see Poller.Only) is a subset of it.
func (*statFiles) readAll(only []int) ([]ProcStat, error) { return readAllStats() }

package procs

import (
	"os"
	"strconv"
)

// readThreads reads /proc/PID/task/TID/stat for each thread of pid; nil
// once the process has ended.
func readThreads(pid int) []ThreadInfo {
	dir, err := os.Open("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return nil
	}
	names, err := dir.Readdirnames(-1)
	dir.Close()
	if err != nil {
		return nil
	}
	out := make([]ThreadInfo, 0, len(names))
	buf := make([]byte, 4096)
	for _, name := range names {
		tid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		path := append(buf[:0], "/proc/"...)
		path = strconv.AppendInt(path, int64(pid), 10)
		path = append(path, "/task/"...)
		path = strconv.AppendInt(path, int64(tid), 10)
		path = append(path, "/stat\x00"...)
		s, err := readStatFile(path, tid, buf)
		if err != nil {
			continue // the thread ended between the listing and the read
		}
		out = append(out, ThreadInfo{TID: tid, Name: s.Name, State: s.State, CPUTicks: s.CPUTicks, Core: s.Core, StartTime: s.StartTime})
	}
	return out
}

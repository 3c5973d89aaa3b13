package procs

import (
	"os"
	"slices"
	"strconv"
)

// readThreads reads /proc/PID/task/TID/stat for each thread of pid: all of
// them, or if limit > 0 the main thread and the lowest TIDs up to limit in
// all. nil once the process has ended.
func readThreads(pid, limit int) []ThreadInfo {
	dir, err := os.Open("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return nil
	}
	names, err := dir.Readdirnames(-1)
	dir.Close()
	if err != nil {
		return nil
	}
	tids := make([]int, 0, len(names))
	for _, name := range names {
		if tid, err := strconv.Atoi(name); err == nil {
			tids = append(tids, tid)
		}
	}
	if limit > 0 && len(tids) > limit {
		slices.Sort(tids)
		tids = tids[:limit]
		if !slices.Contains(tids, pid) { // TIDs wrapped: the main thread is not the lowest
			tids[limit-1] = pid
		}
	}
	out := make([]ThreadInfo, 0, len(tids))
	buf := make([]byte, 4096)
	for _, tid := range tids {
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

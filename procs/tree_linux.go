package procs

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, the unit of CPU times in /proc: 100 on every Linux
// architecture Go supports (gopsutil assumes the same).
const clockTicks = 100

var pageSize = uint64(os.Getpagesize())

// readAllStats lists /proc once and reads each /proc/PID/stat once: one
// read gives parent, state, CPU times, memory, threads, core and start time.
func readAllStats() ([]ProcStat, error) {
	dir, err := os.Open("/proc")
	if err != nil {
		return nil, err
	}
	names, err := dir.Readdirnames(-1)
	dir.Close()
	if err != nil {
		return nil, err
	}
	out := make([]ProcStat, 0, len(names))
	buf := make([]byte, 4096)
	for _, name := range names {
		if name[0] < '0' || name[0] > '9' {
			continue
		}
		pid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		s, err := readStat(pid, buf)
		if err != nil {
			continue // the process ended between the listing and the read
		}
		out = append(out, s)
	}
	return out, nil
}

// ReadStat reads one process's stat record.
func ReadStat(pid int) (ProcStat, error) { return readStat(pid, make([]byte, 4096)) }

func readStat(pid int, buf []byte) (ProcStat, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ProcStat{}, err
	}
	n, err := f.Read(buf)
	f.Close()
	if err != nil {
		return ProcStat{}, err
	}
	return parseStat(pid, buf[:n])
}

// parseStat parses "pid (comm) state ppid ...". comm may hold spaces and
// parentheses, so it runs from the first '(' to the last ')'.
func parseStat(pid int, data []byte) (ProcStat, error) {
	open := bytes.IndexByte(data, '(')
	closing := bytes.LastIndexByte(data, ')')
	if open < 0 || closing < open || closing+2 >= len(data) {
		return ProcStat{}, fmt.Errorf("/proc/%d/stat: malformed", pid)
	}
	s := ProcStat{Pid: pid, Name: string(data[open+1 : closing])}
	fields := bytes.Fields(data[closing+2:])
	// fields[0] is field 3 of proc(5): state.
	field := func(n int) uint64 {
		if n-3 >= len(fields) {
			return 0
		}
		v, _ := strconv.ParseUint(string(fields[n-3]), 10, 64)
		return v
	}
	if len(fields) < 22 {
		return ProcStat{}, fmt.Errorf("/proc/%d/stat: only %d fields", pid, len(fields)+2)
	}
	s.State = fields[0][0]
	s.PPid = int(field(4))
	s.PGid = int(field(5))
	s.CPUTicks = field(14) + field(15)
	s.Threads = int(field(20))
	s.StartTime = field(22)
	s.RSS = field(24) * pageSize
	s.Core = int(field(39))
	return s, nil
}

// readCmdline returns a process's argv; nil for kernel threads or when the
// process is gone or not readable.
func readCmdline(pid int) []string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil || len(data) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")
}

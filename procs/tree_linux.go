package procs

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// clockTicks is USER_HZ, the unit of CPU times in /proc: 100 on every Linux
// architecture Go supports (gopsutil assumes the same).
const clockTicks = 100

var pageSize = uint64(os.Getpagesize())

// readAllStats lists /proc once and reads each /proc/PID/stat once: one
// read gives parent, state, CPU times, memory, threads, core and start time.
func readAllStats() ([]ProcStat, error) { return (*statFiles)(nil).readAll(nil) }

// ReadStat reads one process's stat record.
func ReadStat(pid int) (ProcStat, error) { return readStat(pid, make([]byte, 4096)) }

func readStat(pid int, buf []byte) (ProcStat, error) {
	// The system calls themselves: os.Open adds a descriptor flag query and
	// a poller registration to every open, three system calls more for each
	// process on each poll.
	return readStatFile(statPath(buf, pid), pid, buf)
}

// statPath writes /proc/PID/stat, NUL-terminated, into buf's memory.
func statPath(buf []byte, pid int) []byte {
	path := append(buf[:0], "/proc/"...)
	path = strconv.AppendInt(path, int64(pid), 10)
	return append(path, "/stat\x00"...)
}

// readStatFile reads the stat record at path (NUL-terminated, in buf's
// memory) of a process or thread id.
func readStatFile(path []byte, pid int, buf []byte) (ProcStat, error) {
	fd, err := openRead(path)
	if err != nil {
		return ProcStat{}, err
	}
	n, err := syscall.Read(fd, buf)
	for err == syscall.EINTR {
		n, err = syscall.Read(fd, buf)
	}
	syscall.Close(fd)
	if err != nil {
		return ProcStat{}, &os.PathError{Op: "read", Path: string(path[:len(path)-1]), Err: err}
	}
	return parseStat(pid, buf[:max(n, 0)])
}

// openRead opens a NUL-terminated path for reading.
func openRead(path []byte) (int, error) {
	for {
		fd, _, errno := syscall.Syscall6(syscall.SYS_OPENAT, atFDCWD, uintptr(unsafe.Pointer(&path[0])),
			uintptr(syscall.O_RDONLY|syscall.O_CLOEXEC), 0, 0, 0)
		switch errno {
		case 0:
			return int(fd), nil
		case syscall.EINTR:
			continue
		}
		return -1, &os.PathError{Op: "open", Path: string(path[:len(path)-1]), Err: errno}
	}
}

// atFDCWD is AT_FDCWD (-100) as the system call takes it: a relative path
// is from the working directory.
var atFDCWD = uintptr(^uint(99))

// pfKthread is the flag (stat's ninth field) of a kernel thread.
const pfKthread = 0x00200000

// parseStat parses "pid (comm) state ppid ...". comm may hold spaces and
// parentheses, so it runs from the first '(' to the last ')'.
func parseStat(pid int, data []byte) (ProcStat, error) {
	open := bytes.IndexByte(data, '(')
	closing := bytes.LastIndexByte(data, ')')
	if open < 0 || closing < open || closing+2 >= len(data) {
		return ProcStat{}, fmt.Errorf("/proc/%d/stat: malformed", pid)
	}
	s := ProcStat{Pid: pid, Name: string(data[open+1 : closing])}
	// Fields from 3 on (proc(5)), space-separated numbers but for state:
	// read in one pass, without a slice of fields or a string per number.
	var fields [40]uint64
	var state byte
	n := 3
	rest := data[closing+2:]
	for i := 0; i < len(rest) && n < len(fields); n++ {
		for i < len(rest) && rest[i] == ' ' {
			i++
		}
		if i >= len(rest) || rest[i] == '\n' {
			break
		}
		if n == 3 {
			state = rest[i]
		}
		var v uint64
		for ; i < len(rest) && rest[i] != ' ' && rest[i] != '\n'; i++ {
			if c := rest[i]; c >= '0' && c <= '9' {
				v = v*10 + uint64(c-'0')
			}
		}
		fields[n] = v
	}
	if n <= 24 {
		return ProcStat{}, fmt.Errorf("/proc/%d/stat: only %d fields", pid, n-1)
	}
	s.State = state
	s.PPid = int(fields[4])
	s.PGid = int(fields[5])
	s.CPUTicks = fields[14] + fields[15]
	s.Threads = int(fields[20])
	s.StartTime = fields[22]
	s.RSS = fields[24] * pageSize
	s.Core = int(fields[39])
	s.Kernel = fields[9]&pfKthread != 0
	return s, nil
}

// readCmdline returns a process's argv; nil for kernel threads or when the
// process is gone or not readable.
// It reads with bare system calls, as readStatFile does: os.ReadFile's
// fcntl, fstat and poller calls were half of what `proclab tree` cost.
func readCmdline(pid int) []string {
	var path [32]byte
	fd, err := openRead(append(strconv.AppendInt(append(path[:0], "/proc/"...), int64(pid), 10), "/cmdline\x00"...))
	if err != nil {
		return nil
	}
	defer syscall.Close(fd)
	var small [512]byte
	data := small[:0]
	for {
		if len(data) == cap(data) {
			data = slices.Grow(data, cap(data))
		}
		n, err := syscall.Read(fd, data[len(data):cap(data)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil
		}
		if n <= 0 {
			break
		}
		data = data[:len(data)+n]
	}
	if len(data) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")
}

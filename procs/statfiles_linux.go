package procs

import (
	"bytes"
	"errors"
	"strconv"
	"syscall"
)

// statFiles is how a watching Poller reads /proc: the poll that does
// least work for the same tree.
//
//   - Each process's files stay open from one poll to the next, so a read
//     is one pread (the kernel makes the record anew on every read at
//     offset 0), not an open, a read and a close.
//   - /proc/PID/stat, the record the tree needs, costs the kernel some
//     6 µs a process; /proc/PID/schedstat (the time the process has run,
//     and how often it was scheduled) under 2 µs. A process whose schedstat
//     has not moved has not run: its state, CPU time, memory and threads
//     are what they were, and its stat record is not read again. It is
//     read when it has run, when it has more than one thread (schedstat
//     counts the main thread only), when its parent has gone (it is
//     re-parented without running), and for every process once a second
//     (fullEvery polls), which bounds what a change made from outside
//     (memory reclaimed, setpgid by its parent) can wait to be seen.
//
// An fd outlives nothing: once its process has ended a read fails (ESRCH),
// and a new process with the pid is opened anew. A nil *statFiles opens
// and closes every file, for one-off polls.
type statFiles struct {
	procs map[int]*keptProc
	// forks is the kernel's count of processes created (and threads), from
	// /proc/stat: while it stands still, no process has been created since
	// the last listing of /proc, and the pids known are all there are (an
	// ended one fails its read). pids are those of the last poll.
	forks    uint64
	pids     []int
	statFile int // /proc/stat, kept open; -1 before the first poll
	open     int // descriptors held
	limit    int // at most this many
	polls    int
	partial  bool   // the last poll read a set of processes (readAll's only)
	dir      []byte // the /proc listing's buffer, kept between polls
	buf      []byte
}

// keptProc is one process as the last poll left it.
type keptProc struct {
	stat, sched int // its files, or -1 (not kept open); sched -2: none here
	last        ProcStat
	ran         [2]uint64 // schedstat's run time and schedule count when stat was read
}

// fullEvery is how often, in polls, every stat record is read: once a
// second at 10 Hz.
const fullEvery = 10

// maxKeptStatFiles bounds the files a watching Poller keeps open, under
// half the descriptors the process may have: the rest stay for the lab.
const maxKeptStatFiles = 16384

func newStatFiles() *statFiles {
	limit := maxKeptStatFiles
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) == nil {
		limit = min(limit, int(rl.Cur/2))
	}
	return &statFiles{procs: map[int]*keptProc{}, limit: limit, statFile: -1, dir: make([]byte, 64<<10), buf: make([]byte, 64<<10)}
}

// close closes every file kept open.
func (f *statFiles) close() {
	if f == nil {
		return
	}
	for pid, k := range f.procs {
		f.drop(k)
		delete(f.procs, pid)
	}
	if f.statFile >= 0 {
		syscall.Close(f.statFile)
		f.statFile = -1
	}
	f.forks, f.pids = 0, nil
}

// forkCount reads the "processes" line of /proc/stat; 0 if it cannot.
func (f *statFiles) forkCount() uint64 {
	if f.statFile < 0 {
		fd, err := openRead([]byte("/proc/stat\x00"))
		if err != nil {
			return 0
		}
		f.statFile = fd
	}
	n, err := pread(f.statFile, f.buf)
	if err != nil {
		return 0
	}
	data := f.buf[:n]
	i := bytes.Index(data, []byte("\nprocesses "))
	if i < 0 {
		return 0
	}
	line := data[i+len("\nprocesses "):]
	if end := bytes.IndexByte(line, '\n'); end >= 0 {
		line = line[:end]
	}
	count, err := strconv.ParseUint(string(line), 10, 64)
	if err != nil {
		return 0
	}
	return count
}

func (f *statFiles) drop(k *keptProc) {
	for _, fd := range []*int{&k.stat, &k.sched} {
		if *fd >= 0 {
			syscall.Close(*fd)
			f.open--
			*fd = -1
		}
	}
}

// readAll lists /proc and gives every process's stat record; given only
// (not nil), the records of those processes, without listing /proc.
func (f *statFiles) readAll(only []int) ([]ProcStat, error) {
	if f == nil {
		return readEveryStat(only)
	}
	full := f.polls%fullEvery == 0
	f.polls++
	pids := f.pids
	var gone map[int]bool    // processes ended since the last poll: their children are re-parented
	var zombies map[int]bool // read last time, not named now: kept while zombies
	if only != nil {
		pids = only
		f.forks = 0 // the next poll of every process lists /proc
		named := make(map[int]bool, len(only))
		for _, pid := range only {
			named[pid] = true
		}
		// A cgroup does not list a process that has ended and is not yet
		// reaped: a zombie of the set is read until it is reaped (or is
		// some other process now). After a poll of every process, the
		// machine's zombies are not the set's.
		for pid, k := range f.procs {
			if !f.partial {
				f.drop(k)
				delete(f.procs, pid)
			} else if !named[pid] {
				if zombies == nil {
					zombies = map[int]bool{}
				}
				zombies[pid] = true
				pids = append(pids, pid)
			}
		}
	} else if forks := f.forkCount(); forks == 0 || forks != f.forks || full {
		// Something was created (or it cannot be told): list /proc.
		var err error
		if pids, err = listPids(f.dir); err != nil {
			return nil, err
		}
		f.forks = forks
		listed := make(map[int]bool, len(pids))
		for _, pid := range pids {
			listed[pid] = true
		}
		for pid, k := range f.procs {
			if !listed[pid] {
				if gone == nil {
					gone = map[int]bool{}
				}
				gone[pid] = true
				f.drop(k)
				delete(f.procs, pid)
			}
		}
	} // else the pids are the last poll's: an ended one fails its read below
	out := make([]ProcStat, 0, len(pids))
	for _, pid := range pids {
		k := f.procs[pid]
		if zombies[pid] {
			if s, err := f.readStat(pid, k); err == nil && s.State == 'Z' && s.StartTime == k.last.StartTime {
				k.last = s
				out = append(out, s)
				continue
			}
			if gone == nil {
				gone = map[int]bool{}
			}
			gone[pid] = true
			f.drop(k)
			delete(f.procs, pid)
			continue
		}
		if k != nil && !full && k.last.Threads <= 1 && !gone[k.last.PPid] && f.sameRun(k) {
			out = append(out, k.last) // it has not run: nothing it shows has changed
			continue
		}
		if k == nil {
			k = &keptProc{stat: -1, sched: -1}
		}
		s, err := f.readStat(pid, k)
		if err != nil {
			f.drop(k)
			delete(f.procs, pid)
			if gone == nil {
				gone = map[int]bool{}
			}
			gone[pid] = true // ended since the listing (or since the last poll)
			continue
		}
		k.last = s
		f.procs[pid] = k
		out = append(out, s)
	}
	// A process that ended in this pass may have had its children read
	// before it: they are re-parented, so read them again.
	for i := range out {
		if s := &out[i]; gone[s.PPid] {
			if k := f.procs[s.Pid]; k != nil {
				if again, err := f.readStat(s.Pid, k); err == nil {
					k.last, *s = again, again
				}
			}
		}
	}
	f.pids = f.pids[:0]
	for _, s := range out {
		f.pids = append(f.pids, s.Pid)
	}
	f.partial = only != nil
	return out, nil
}

// readStat reads pid's stat record through k's file, opening it if need
// be, and notes schedstat's figures as of that read.
func (f *statFiles) readStat(pid int, k *keptProc) (ProcStat, error) {
	if k.sched != -2 {
		ran, ok := f.schedstat(pid, k)
		if ok {
			k.ran = ran
		}
	}
	if k.stat >= 0 {
		n, err := pread(k.stat, f.buf)
		if err == nil {
			if s, err := parseStat(pid, f.buf[:n]); err == nil && (k.last.StartTime == 0 || s.StartTime == k.last.StartTime) {
				return s, nil
			}
		}
		// Ended, or a new process has the pid now: open it anew.
		syscall.Close(k.stat)
		f.open--
		k.stat = -1
	}
	fd, err := openRead(statPath(f.buf, pid))
	if err != nil {
		return ProcStat{}, err
	}
	n, err := pread(fd, f.buf)
	if err != nil {
		syscall.Close(fd)
		return ProcStat{}, err
	}
	s, err := parseStat(pid, f.buf[:n])
	if err != nil || f.open >= f.limit {
		syscall.Close(fd)
		return s, err
	}
	k.stat = fd
	f.open++
	return s, nil
}

// sameRun reports whether pid has not run since its stat was last read.
func (f *statFiles) sameRun(k *keptProc) bool {
	if k.sched == -2 {
		return false // no schedstat on this kernel: read stat
	}
	ran, ok := f.schedstat(k.last.Pid, k)
	return ok && ran == k.ran
}

// schedstat reads the process's run time and schedule count.
func (f *statFiles) schedstat(pid int, k *keptProc) ([2]uint64, bool) {
	read := func(fd int) ([2]uint64, bool) {
		n, err := pread(fd, f.buf)
		if err != nil {
			return [2]uint64{}, false
		}
		return parseSchedstat(f.buf[:n])
	}
	if k.sched >= 0 {
		if ran, ok := read(k.sched); ok {
			return ran, true
		}
		syscall.Close(k.sched)
		f.open--
		k.sched = -1
	}
	path := append(f.buf[:0], "/proc/"...)
	path = strconv.AppendInt(path, int64(pid), 10)
	path = append(path, "/schedstat\x00"...)
	fd, err := openRead(path)
	if err != nil {
		if errors.Is(err, syscall.ENOENT) && k.last.Pid != 0 {
			k.sched = -2 // the kernel has no schedstat (CONFIG_SCHED_INFO)
		}
		return [2]uint64{}, false
	}
	ran, ok := read(fd)
	if !ok || f.open >= f.limit {
		syscall.Close(fd)
		return ran, ok
	}
	k.sched = fd
	f.open++
	return ran, true
}

// parseSchedstat reads "RUNTIME WAITTIME COUNT": the run time and the
// schedule count, without a string or a slice per process and poll.
func parseSchedstat(data []byte) ([2]uint64, bool) {
	var fields [3]uint64
	n := 0
	for i := 0; i < len(data) && n < len(fields); n++ {
		start := i
		for ; i < len(data) && data[i] >= '0' && data[i] <= '9'; i++ {
			fields[n] = fields[n]*10 + uint64(data[i]-'0')
		}
		if i == start {
			return [2]uint64{}, false
		}
		for i < len(data) && (data[i] == ' ' || data[i] == '\n') {
			i++
		}
	}
	return [2]uint64{fields[0], fields[2]}, n == len(fields)
}

// readEveryStat opens, reads and closes every process's stat record, or
// only those of the processes given.
func readEveryStat(only []int) ([]ProcStat, error) {
	pids := only
	if pids == nil {
		var err error
		if pids, err = listPids(make([]byte, 32<<10)); err != nil {
			return nil, err
		}
	}
	out := make([]ProcStat, 0, len(pids))
	buf := make([]byte, 4096)
	for _, pid := range pids {
		if s, err := readStat(pid, buf); err == nil {
			out = append(out, s)
		}
	}
	return out, nil
}

func pread(fd int, buf []byte) (int, error) {
	for {
		n, err := syscall.Pread(fd, buf, 0)
		if err != syscall.EINTR {
			return max(n, 0), err
		}
	}
}

// listPids reads the numeric entries of /proc with getdents into buf: no
// string per entry, as Readdirnames makes.
func listPids(buf []byte) ([]int, error) {
	fd, err := openRead([]byte("/proc\x00"))
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	var pids []int
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			return pids, nil
		}
		// linux_dirent64: ino (8), off (8), reclen (2), type (1), name.
		for rec := buf[:n]; len(rec) >= 19; {
			reclen := int(rec[16]) | int(rec[17])<<8
			if reclen < 19 || reclen > len(rec) {
				break
			}
			pid := 0
			for _, c := range rec[19:reclen] {
				if c == 0 {
					break
				}
				if c < '0' || c > '9' {
					pid = -1
					break
				}
				pid = pid*10 + int(c-'0')
			}
			if pid > 0 {
				pids = append(pids, pid)
			}
			rec = rec[reclen:]
		}
	}
}

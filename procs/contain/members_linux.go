package contain

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/sys/unix"
)

// members reads which processes are in a lab's cgroup cheaply enough for
// every poll of the window (ten a second): listing the folders and reading
// each cgroup.procs afresh took some 20 system calls, 0.3 ms a poll in an
// empty lab, most of what its poll cost. Each folder's cgroup.procs stays
// open and is read again from offset 0 (the kernel starts its list anew);
// the folders are listed again only when cgroup.stat's count of
// descendants has moved, or a kept folder has gone.
type members struct {
	mu          sync.Mutex
	dir         string
	stat        int            // dir's cgroup.stat, open; -1 until the first read
	descendants []byte         // its nr_descendants line when the folders were listed
	procs       map[string]int // each folder's cgroup.procs, open
	buf         []byte
}

func newMembers(dir string) *members {
	return &members{dir: dir, stat: -1, procs: map[string]int{}, buf: make([]byte, 16<<10)}
}

// read lists the processes in the cgroup and every cgroup below it.
func (m *members) read() ([]int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stat < 0 {
		fd, err := unix.Open(filepath.Join(m.dir, "cgroup.stat"), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return groupPids(m.dir)
		}
		m.stat = fd
	}
	for try := 0; ; try++ {
		if line := m.descendantsLine(); line == nil || !bytes.Equal(line, m.descendants) || len(m.procs) == 0 || try > 0 {
			if err := m.list(); err != nil {
				return nil, err
			}
			m.descendants = append(m.descendants[:0], line...)
		}
		var pids []int
		gone := false
		for dir, fd := range m.procs {
			data, err := m.readAll(fd)
			if err != nil { // the folder has gone, and another may have come
				unix.Close(fd)
				delete(m.procs, dir)
				gone = true
				continue
			}
			pids = parsePids(data, pids)
		}
		if !gone || try > 0 {
			return pids, nil
		}
	}
}

// descendantsLine is cgroup.stat's nr_descendants line, or nil.
func (m *members) descendantsLine() []byte {
	data, err := m.readAll(m.stat)
	if err != nil {
		return nil
	}
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("nr_descendants ")) {
			return line
		}
	}
	return nil
}

// list opens the cgroup.procs of every folder now below dir (and dir's),
// keeping those already open.
func (m *members) list() error {
	seen := map[string]bool{}
	var walk func(dir string) error
	walk = func(dir string) error {
		seen[dir] = true
		if _, ok := m.procs[dir]; !ok {
			fd, err := unix.Open(filepath.Join(dir, "cgroup.procs"), unix.O_RDONLY|unix.O_CLOEXEC, 0)
			if err != nil {
				return err
			}
			m.procs[dir] = fd
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.IsDir() {
				_ = walk(filepath.Join(dir, e.Name())) // gone meanwhile: not there
			}
		}
		return nil
	}
	err := walk(m.dir)
	for dir, fd := range m.procs {
		if !seen[dir] {
			unix.Close(fd)
			delete(m.procs, dir)
		}
	}
	return err
}

// readAll reads the whole file from offset 0 into m.buf, growing it.
func (m *members) readAll(fd int) ([]byte, error) {
	n := 0
	for {
		if n == len(m.buf) {
			m.buf = append(m.buf, make([]byte, len(m.buf))...)
		}
		k, err := unix.Pread(fd, m.buf[n:], int64(n))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if k == 0 {
			return m.buf[:n], nil
		}
		n += k
	}
}

// close closes every file kept open.
func (m *members) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for dir, fd := range m.procs {
		unix.Close(fd)
		delete(m.procs, dir)
	}
	if m.stat >= 0 {
		unix.Close(m.stat)
		m.stat = -1
	}
}

// parsePids appends the pids of a cgroup.procs listing, one a line.
func parsePids(data []byte, pids []int) []int {
	pid, digits := 0, false
	for _, c := range data {
		switch {
		case c >= '0' && c <= '9':
			pid, digits = pid*10+int(c-'0'), true
		default:
			if digits {
				pids = append(pids, pid)
			}
			pid, digits = 0, false
		}
	}
	if digits {
		pids = append(pids, pid)
	}
	return pids
}

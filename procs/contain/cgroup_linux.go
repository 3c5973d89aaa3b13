package contain

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// cgroup is one lab's cgroup v2 folder and the keeper that removes it if
// ProcLab dies. Children go into a leaf below it, one leaf per generation:
// KillAll ends a generation and starts the next in a fresh leaf, because
// some kernels kill every process later cloned into a cgroup that was once
// killed, and so that a child started while the old ones are killed is
// not taken with them.
type cgroup struct {
	dir     string // absolute folder of the lab's cgroup
	rel     string // its path in the hierarchy, as /proc/PID/cgroup shows it
	keeper  *keeper
	members *members // what is in it, read with kept files

	// mu is held for reading from Prepare until the child is started, so
	// that the leaf's descriptor it hands out stays open and current.
	mu       sync.RWMutex
	gen      int    // the current generation
	leaf     string // its folder
	leafFD   int    // the leaf, open, for CLONE_INTO_CGROUP
	noClone3 bool   // the kernel refused clone3 into the cgroup: adopt after start
	closed   bool
}

// labSeq numbers the labs of one ProcLab, so each gets its own folder.
var labSeq atomic.Int64

// cgroupPrefix starts the folder name of every lab's cgroup.
const cgroupPrefix = "proclab-"

// newCgroup makes a cgroup for one lab below ProcLab's own, and the keeper
// that ends it if ProcLab dies. The error says why there is none.
func newCgroup(name, keeperExe string) (*cgroup, error) {
	mount, err := cgroup2Mount()
	if err != nil {
		return nil, err
	}
	own, err := ownCgroup()
	if err != nil {
		return nil, err
	}
	parent := filepath.Join(mount, own)
	pruneStale(parent)
	leaf := fmt.Sprintf("%s%d-%d-%s", cgroupPrefix, os.Getpid(), labSeq.Add(1), name)
	dir := filepath.Join(parent, leaf)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create a cgroup in %s: %w (ProcLab needs root or a delegated cgroup, as systemd gives a user session)", parent, errors.Unwrap(err))
	}
	if _, err := os.Stat(filepath.Join(dir, "cgroup.procs")); err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("the cgroup %s has no cgroup.procs: %w", dir, err)
	}
	cg := &cgroup{dir: dir, rel: filepath.Join(own, leaf), members: newMembers(dir)}
	if err := cg.nextLeaf(); err != nil {
		os.Remove(dir)
		return nil, err
	}
	k, err := startKeeper(keeperExe, dir)
	if err != nil {
		unix.Close(cg.leafFD)
		removeGroup(dir, 0)
		return nil, fmt.Errorf("cannot start the keeper that ends the lab if ProcLab dies: %w", err)
	}
	cg.keeper = k
	return cg, nil
}

// nextLeaf makes the next generation's leaf and makes it current; the
// caller holds mu for writing (or has the cgroup to itself).
func (c *cgroup) nextLeaf() error {
	c.gen++
	leaf := filepath.Join(c.dir, fmt.Sprintf("gen-%d", c.gen))
	if err := os.Mkdir(leaf, 0o755); err != nil {
		return fmt.Errorf("cannot create the cgroup %s: %w", leaf, err)
	}
	fd, err := unix.Open(leaf, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		os.Remove(leaf)
		return fmt.Errorf("cannot open the cgroup %s: %w", leaf, err)
	}
	c.leaf, c.leafFD = leaf, fd
	return nil
}

// cgroup2Mount finds where the cgroup v2 hierarchy is mounted: on a pure v2
// system /sys/fs/cgroup, on a hybrid one a folder beside the v1 controllers.
func cgroup2Mount() (string, error) {
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return "", fmt.Errorf("cannot read the mounts: %w", err)
	}
	mount, ok := parseCgroup2Mount(data)
	if !ok {
		return "", errors.New("this system has no cgroup v2 hierarchy mounted")
	}
	return mount, nil
}

// parseCgroup2Mount returns the mount point of the first cgroup2 mount in a
// mountinfo text whose root is the hierarchy's root.
func parseCgroup2Mount(mountinfo []byte) (string, bool) {
	sc := bufio.NewScanner(bytes.NewReader(mountinfo))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		// id parent major:minor root mountpoint options [optional...] - fstype source superopts
		before, after, ok := strings.Cut(sc.Text(), " - ")
		if !ok {
			continue
		}
		fields, tail := strings.Fields(before), strings.Fields(after)
		if len(fields) < 5 || len(tail) < 1 || tail[0] != "cgroup2" || fields[3] != "/" {
			continue
		}
		return unescapeMount(fields[4]), true
	}
	return "", false
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ownCgroup is ProcLab's own cgroup v2 path ("0::/path" in /proc/self/cgroup).
func ownCgroup() (string, error) {
	data, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", fmt.Errorf("cannot read ProcLab's cgroup: %w", err)
	}
	path, ok := parseOwnCgroup(data)
	if !ok {
		return "", errors.New("ProcLab is in no cgroup v2 group")
	}
	return path, nil
}

func parseOwnCgroup(data []byte) (string, bool) {
	for line := range strings.SplitSeq(string(data), "\n") {
		if path, ok := strings.CutPrefix(line, "0::"); ok && strings.HasPrefix(path, "/") {
			// A process in a group that was removed shows " (deleted)".
			return strings.TrimSuffix(path, " (deleted)"), true
		}
	}
	return "", false
}

// pruneStale removes the empty cgroups of labs whose ProcLab and keeper
// are both gone; a group that still holds processes refuses to go.
func pruneStale(parent string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), cgroupPrefix) {
			continue
		}
		pid, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(e.Name(), cgroupPrefix), "-", 2)[0])
		if err != nil || pid == os.Getpid() || syscall.Kill(pid, 0) == nil {
			continue
		}
		_ = os.Remove(filepath.Join(parent, e.Name()))
	}
}

// prepare points attr at the current leaf and holds it current until
// started is called: after the child is started (or failed to).
func (c *cgroup) prepare(attr *syscall.SysProcAttr) (started func()) {
	c.mu.RLock()
	if !c.noClone3 && !c.closed {
		attr.UseCgroupFD = true
		attr.CgroupFD = c.leafFD
	}
	return c.mu.RUnlock
}

// refused records that the kernel refused to clone into the cgroup, so
// later children are moved in after they start. The caller holds mu for
// reading (between prepare and started): the flag is only ever set.
func (c *cgroup) refused() {
	c.noClone3 = true
}

// adopt moves pid into the current leaf when it could not be cloned there;
// the caller holds mu for reading.
func (c *cgroup) adopt(pid int) {
	if c.noClone3 && !c.closed {
		_ = os.WriteFile(filepath.Join(c.leaf, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0)
	}
}

// pids lists the processes of the cgroup and of any cgroup below it.
func (c *cgroup) pids() ([]int, error) {
	return c.members.read()
}

func groupPids(dir string) ([]int, error) {
	data, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
	if err != nil {
		return nil, err
	}
	var pids []int
	for f := range strings.FieldsSeq(string(data)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() {
			more, _ := groupPids(filepath.Join(dir, e.Name()))
			pids = append(pids, more...)
		}
	}
	return pids, nil
}

func (c *cgroup) contains(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cgroup")
	if err != nil {
		return false
	}
	path, ok := parseOwnCgroup(data)
	return ok && (path == c.rel || strings.HasPrefix(path, c.rel+"/"))
}

// killWait is how long killAll waits for the kernel to empty the group.
const killWait = 3 * time.Second

// killAll ends the current generation: new children go to a fresh leaf
// from now on, and the old one is killed and removed.
func (c *cgroup) killAll() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	old, oldFD := c.leaf, c.leafFD
	if err := c.nextLeaf(); err != nil {
		// No new leaf: go on in the old one, killed like the rest.
		c.leaf, c.leafFD = old, oldFD
		c.mu.Unlock()
		killGroup(c.dir, killWait)
		return
	}
	c.mu.Unlock()
	killGroup(old, killWait)
	removeGroup(old, time.Second)
	unix.Close(oldFD)
}

// killGroup ends every process in the cgroup at dir and waits up to wait
// for it to be empty. cgroup.kill (Linux 5.14) does it in one write; before
// it, the group is frozen so that nothing in it can fork while its
// processes are killed one by one.
func killGroup(dir string, wait time.Duration) {
	deadline := time.Now().Add(wait)
	if err := os.WriteFile(filepath.Join(dir, "cgroup.kill"), []byte("1"), 0); err != nil {
		freeze := filepath.Join(dir, "cgroup.freeze")
		_ = os.WriteFile(freeze, []byte("1"), 0)
		for time.Now().Before(deadline) {
			pids, err := groupPids(dir)
			if err != nil || len(pids) == 0 {
				break
			}
			for _, pid := range pids {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			time.Sleep(10 * time.Millisecond)
		}
		_ = os.WriteFile(freeze, []byte("0"), 0)
	}
	for time.Now().Before(deadline) && populated(dir) {
		time.Sleep(5 * time.Millisecond)
	}
}

// populated reads cgroup.events: whether any live process is in the group
// or below it. A missing group is empty.
func populated(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "cgroup.events"))
	if err != nil {
		return false
	}
	return bytes.Contains(data, []byte("populated 1"))
}

func (c *cgroup) close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.mu.Unlock()
	killGroup(c.dir, killWait)
	c.members.close()
	removeGroup(c.dir, time.Second)
	unix.Close(c.leafFD)
	c.keeper.release()
}

// removeGroup removes the cgroup folder (and any below it), retrying while
// the kernel still counts a dying process in it.
func removeGroup(dir string, wait time.Duration) {
	deadline := time.Now().Add(wait)
	for {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.IsDir() {
				removeGroup(filepath.Join(dir, e.Name()), 0)
			}
		}
		err := os.Remove(dir)
		if err == nil || errors.Is(err, os.ErrNotExist) || time.Now().After(deadline) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

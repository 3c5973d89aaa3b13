// Package contain keeps every process a lab starts, at any depth, in any
// session or process group, inside the lab, and ends them all when the lab
// ends — also when ProcLab itself is killed with SIGKILL.
//
// On Linux with a writable cgroup v2 hierarchy each lab gets a cgroup of its
// own: children are cloned straight into it (CLONE_INTO_CGROUP), so nothing
// they start can leave it unless it is root and moves itself, and
// cgroup.kill ends all of it at once, as systemd ends a unit. A small keeper
// process, outside the group, holds a pipe to ProcLab; when ProcLab dies the
// pipe closes and the keeper kills the group and removes it.
//
// Where no cgroup can be had, the group falls back to what Linux gives
// every process: each child leads a process group and dies with ProcLab
// (the parent-death signal). That holds for the lab's own children and for
// what stays in their process groups, not for a descendant that starts a
// session of its own; Describe says which guarantee holds.
package contain

import (
	"fmt"
	"os"
	"syscall"
)

// Guarantee says how far the lab's containment reaches.
type Guarantee int

const (
	// Kernel: every descendant is in the lab's cgroup, whatever it does;
	// the kernel ends them all, even after SIGKILL of ProcLab.
	Kernel Guarantee = iota
	// Convention: the lab's children and their process groups only; a
	// descendant in its own session can outlive a killed ProcLab.
	Convention
)

func (g Guarantee) String() string {
	if g == Kernel {
		return "kernel (cgroup v2)"
	}
	return "process groups only"
}

// NoCgroupEnv, when set, makes every lab use the fallback: for tests of
// it, and for a machine where the cgroup misbehaves.
const NoCgroupEnv = "PROCLAB_NO_CGROUP"

// Group is one lab's containment. The zero value is not usable: call New.
type Group struct {
	guarantee Guarantee
	reason    string // why the guarantee is Convention; empty for Kernel
	cg        *cgroup
}

// New makes the containment for one lab; name appears in the cgroup's
// folder name. It never fails: where the kernel cannot contain the lab, the
// group falls back and says why.
func New(name string) *Group { return NewWithKeeper(name, "") }

// NewWithKeeper is New with the binary that runs as the lab's keeper
// (MaybeRunKeeper must be in its main): "" for this program.
func NewWithKeeper(name, keeperExe string) *Group {
	if os.Getenv(NoCgroupEnv) != "" {
		return &Group{guarantee: Convention, reason: NoCgroupEnv + " is set"}
	}
	cg, err := newCgroup(name, keeperExe)
	if err != nil {
		return &Group{guarantee: Convention, reason: err.Error()}
	}
	return &Group{guarantee: Kernel, cg: cg}
}

// Guarantee is how far the containment reaches.
func (g *Group) Guarantee() Guarantee { return g.guarantee }

// Describe says in one sentence what holds on this machine, for the
// window, the log and proclab doctor.
func (g *Group) Describe() string {
	if g.guarantee == Kernel {
		return fmt.Sprintf("every process of the lab, at any depth, is in cgroup %s; the kernel ends them all when the lab closes or ProcLab is killed", g.cg.rel)
	}
	return fmt.Sprintf("no cgroup for the lab (%s): the lab's children and their process groups end with it, but a descendant that starts its own session can outlive a killed ProcLab", g.reason)
}

// Detail is the group's path in the cgroup hierarchy, or, without one,
// why there is none.
func (g *Group) Detail() string {
	if g.cg == nil {
		return g.reason
	}
	return g.cg.rel
}

// Path is the lab's cgroup folder, or "" without one.
func (g *Group) Path() string {
	if g.cg == nil {
		return ""
	}
	return g.cg.dir
}

// Prepare sets attr so that the child is created inside the group. Call
// started once the child is started (or failed to): between the two,
// Retry and Adopt may be called, and the group's current generation stays.
func (g *Group) Prepare(attr *syscall.SysProcAttr) (started func()) {
	if g.cg != nil {
		return g.cg.prepare(attr)
	}
	return func() {}
}

// Adopt puts pid in the group when Prepare could not (a kernel without
// clone3 into a cgroup); a no-op otherwise. Call it before started.
func (g *Group) Adopt(pid int) {
	if g.cg != nil {
		g.cg.adopt(pid)
	}
}

// Pids lists the processes in the group now; ok is false without a cgroup.
func (g *Group) Pids() (pids []int, ok bool) {
	if g.cg == nil {
		return nil, false
	}
	pids, err := g.cg.pids()
	return pids, err == nil
}

// Contains reports whether pid is in the group; ok is false without a
// cgroup, when only the caller's own bookkeeping can tell.
func (g *Group) Contains(pid int) (in, ok bool) {
	if g.cg == nil {
		return false, false
	}
	return g.cg.contains(pid), true
}

// KillAll ends every process in the group with SIGKILL and waits until
// they are gone or the wait is over; a no-op without a cgroup. Children
// prepared from now on start a new generation of the group, which this
// kill does not touch.
func (g *Group) KillAll() {
	if g.cg != nil {
		g.cg.killAll()
	}
}

// Close ends everything in the group, removes it and lets the keeper go.
func (g *Group) Close() {
	if g.cg != nil {
		g.cg.close()
	}
}

// Retry reports whether a start that failed with err should be tried once
// more with attr cleared of the cgroup: a kernel older than 5.7 cannot clone
// into a cgroup, and later children are then moved in by Adopt.
func (g *Group) Retry(attr *syscall.SysProcAttr, err error) bool {
	return g.cg != nil && g.cg.retry(attr, err)
}

// KeeperPid is the pid of the process that ends the group if ProcLab dies
// (a child of ProcLab's that belongs to no lab), or 0.
func (g *Group) KeeperPid() int {
	if g.cg == nil {
		return 0
	}
	return g.cg.keeper.pid()
}

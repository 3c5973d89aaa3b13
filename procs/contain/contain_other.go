//go:build !linux

package contain

import (
	"errors"
	"syscall"
)

// KeeperCommand is the hidden first argument of a keeper (Linux only).
const KeeperCommand = "keeper"

// MaybeRunKeeper does nothing where there are no cgroups.
func MaybeRunKeeper() {}

type keeper struct{}

func (*keeper) pid() int { return 0 }

type cgroup struct {
	rel    string
	dir    string
	keeper *keeper
}

func newCgroup(string, string) (*cgroup, error) {
	return nil, errors.New("cgroups are a Linux feature")
}

func (*cgroup) prepare(*syscall.SysProcAttr) func() { return func() {} }
func (*cgroup) refused()                            {}
func (*cgroup) adopt(int)                           {}
func (*cgroup) pids() ([]int, error)                { return nil, errors.ErrUnsupported }
func (*cgroup) contains(int) bool                   { return false }
func (*cgroup) killAll()                            {}
func (*cgroup) close()                              {}

func (*cgroup) retry(*syscall.SysProcAttr, error) bool { return false }

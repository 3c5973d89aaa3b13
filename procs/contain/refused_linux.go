package contain

import (
	"errors"
	"syscall"
)

// cloneRefused tells a kernel that cannot clone into a cgroup from a
// program that could not be started.
func cloneRefused(err error) bool {
	return errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.EOPNOTSUPP)
}

// retry is called between prepare and started.
func (c *cgroup) retry(attr *syscall.SysProcAttr, err error) bool {
	if !attr.UseCgroupFD || !cloneRefused(err) {
		return false
	}
	c.refused()
	attr.UseCgroupFD, attr.CgroupFD = false, 0
	return true
}

package procs

import (
	"errors"
	"fmt"
	"os/user"
	"strconv"
	"sync"
	"syscall"
)

// Processes the lab did not start — a watched build, a server, someone's
// homework — can be signalled too, but only through these checks: the
// process must still be the one the user chose (same pid and start time),
// and the system must let this user signal it.

// ErrNotPermitted says the system refuses: the process is another user's.
var ErrNotPermitted = errors.New("not permitted")

// MaySignal reports why pid cannot be signalled by this user, or nil.
func MaySignal(pid int) error {
	err := syscall.Kill(pid, 0)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.EPERM):
		return fmt.Errorf("%w: it belongs to %s, and only its owner or root may signal it", ErrNotPermitted, ProcessUser(pid))
	case errors.Is(err, syscall.ESRCH):
		return errors.New("it has ended")
	}
	return err
}

// SignalOther sends sig to pid, a process the lab did not start, if it is
// still the process that started at start (clock ticks after boot).
func SignalOther(pid int, start uint64, sig syscall.Signal) error {
	if err := MaySignal(pid); err != nil {
		return err
	}
	return signalIfSame(pid, start, sig)
}

var (
	usersMu sync.Mutex
	users   = map[uint32]string{}
)

// ProcessUser names the user pid runs as; "" when it cannot be told.
func ProcessUser(pid int) string {
	uid, ok := processUID(pid)
	if !ok {
		return ""
	}
	usersMu.Lock()
	defer usersMu.Unlock()
	if name, ok := users[uid]; ok {
		return name
	}
	name := strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(name); err == nil {
		name = u.Username
	}
	users[uid] = name
	return name
}

package procs

import (
	"syscall"
	"unsafe"
)

// osThreadID is the calling thread's id as the kernel numbers it (what
// Python's threading.get_native_id() returns).
func osThreadID() int { return syscall.Gettid() }

// nameOSThread gives the calling thread a name the kernel shows in
// /proc/PID/task/TID/comm: at most 15 bytes, as prctl(PR_SET_NAME) keeps.
func nameOSThread(name string) {
	b := []byte(name)
	if len(b) > 15 {
		b = b[:15]
	}
	b = append(b, 0)
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_NAME, uintptr(unsafe.Pointer(&b[0])), 0)
}

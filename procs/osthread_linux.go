package procs

import (
	"os"
	"runtime"
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

// onOwnOSThread runs f on an OS thread of its own, which ends when f
// returns, as a Python thread's does. That thread is never the process's
// main thread (TID = PID): Go may run any goroutine there, and a main
// thread named "Thread-1 (task)" would be a lie in the tree and in
// threading's names. If the goroutine locked itself to the main thread,
// it keeps it (so nothing else runs there) while f runs on another.
func onOwnOSThread(f func()) {
	go func() {
		runtime.LockOSThread()
		if osThreadID() != os.Getpid() {
			f()
			return // a locked goroutine's thread exits with it
		}
		done := make(chan struct{})
		onOwnOSThread(func() { defer close(done); f() }) // not here: this thread is taken
		<-done
		runtime.UnlockOSThread()
	}()
}

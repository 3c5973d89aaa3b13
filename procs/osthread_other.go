//go:build !linux

package procs

import "os"

// osThreadID: outside Linux the lab's threads are not told apart.
func osThreadID() int { return os.Getpid() }

// nameOSThread: a thread's name is Linux's.
func nameOSThread(string) {}

// onOwnOSThread runs f in a goroutine of its own.
func onOwnOSThread(f func()) { go f() }

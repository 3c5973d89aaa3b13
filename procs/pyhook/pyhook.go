// Package pyhook owns ProcLab's link with the Python programs run in the
// lab, on both sides: the interpreter hook (sitecustomize.py) that every
// process of such a program loads, and the Server those processes connect
// to.
//
// Each process of the program connects once, hands over the read ends of
// two new pipes, and puts their write ends on its file descriptors 1 and 2.
// The kernel names the peer of each connection (SO_PEERCRED), so who wrote
// a byte is never the program's word: whatever a process writes, by print,
// os.write or a program it runs, is text of its own pipes, and can make no
// process, set no exit code and reach no other lane. The connection then
// carries only what the hook itself says: the process's multiprocessing
// name, the exit status of a child it reaped, and its threads' names. (Pipes, not the socket,
// carry the output: a pipe packs many small writes into one read, as a
// flood of short lines needs.)
package pyhook

import (
	_ "embed"
	"io"
	"os"
	"path/filepath"
)

//go:embed sitecustomize.py
var hook []byte

// AddressEnv gives the hook the address of its program's Server; without
// it the hook does nothing.
const AddressEnv = "PROCLAB_PYTHON_HOOK"

// ThreadNamesEnv set to 1 has the hook start each line that a thread other
// than the main one prints with the thread's name, in brackets.
const ThreadNamesEnv = "PROCLAB_THREAD_NAMES"

// WriteHook writes the hook into dir, which then goes first on the
// program's PYTHONPATH.
func WriteHook(dir string) error {
	return os.WriteFile(filepath.Join(dir, "sitecustomize.py"), hook, 0o644)
}

// Stream is one of a process's two outputs.
type Stream byte

const (
	Stdout Stream = iota + 1
	Stderr
)

// Peer is the process at the other end of a connection.
type Peer struct {
	Pid  int    // from the kernel, not from the program
	PPid int    // its parent when it connected, as it said
	Name string // its multiprocessing name when it connected, on one line
}

// Handler is what the lab does with a program's processes. Its methods are
// called from the Server's goroutines: one per connection, one per pipe.
type Handler interface {
	// Admit decides whether the connecting process is one of the
	// program's; the hook writes nothing before it is answered, so what
	// Admit records comes before any of the process's output.
	Admit(p Peer) bool
	// Output reads one of an admitted process's outputs to its end. It is
	// called for both, even when the process is already gone.
	Output(p Peer, s Stream, r io.Reader)
	// Named: multiprocessing gave the process a name. Output written after
	// it is the name's: the hook waits for Named to return.
	Named(p Peer, name string)
	// Reaped: the process reaped its child, which ended with code, as
	// Python's exitcode gives it (negative: killed by that signal).
	Reaped(p Peer, child, code int)
	// Thread: threading started a thread of the process, tid as the kernel
	// numbers it, and named it (the kernel's name is the process's).
	Thread(p Peer, tid int, name string)
}

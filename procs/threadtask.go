package procs

import (
	"errors"
	"fmt"
	"sync"
)

// runThreads is the threads task: n threads of the worker's own process run
// target, as threading.Thread(target=...) does in a Python process. Each
// is a real OS thread the kernel lists under /proc/PID/task, named as
// threading names it (Thread-1 (task)); they share the process's globals
// (its g_list). With daemon=True the main thread does not wait for them:
// when it ends, so does the process, and its daemon threads with it.
func runThreads(w *Worker, a map[string]any) error {
	n, ok := a["n"].(int64)
	if !ok || n < 0 || n > 64 {
		return pyError{"ValueError", fmt.Sprintf("threads(): n must be an int from 0 to 64, not %s", Repr(a["n"]))}
	}
	daemon, ok := a["daemon"].(bool)
	if !ok {
		return pyError{"TypeError", fmt.Sprintf("threads(): daemon must be True or False, not %s", Repr(a["daemon"]))}
	}
	name := Str(a["target"])
	target, ok := LookupTask(name)
	if !ok || name == "threads" {
		return pyError{"ValueError", fmt.Sprintf("threads(): unknown target %s", Repr(a["target"]))}
	}
	args, err := target.bind(nil, nil)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	for range n {
		w.mu.Lock()
		w.threadCount++
		thread := fmt.Sprintf("Thread-%d (%s)", w.threadCount, target.Name)
		w.mu.Unlock()
		started := make(chan int)
		wg.Add(1)
		// One thread in /proc for as long as the Python thread would live.
		onOwnOSThread(func() {
			defer wg.Done()
			nameOSThread(thread)
			tid := osThreadID()
			w.reportThread(tid, thread)
			started <- tid
			threadEnded(w, thread, target.run(w, args))
		})
		w.Print("started", thread, "native_id:", int64(<-started))
	}
	if daemon {
		w.Print("the main thread ends: daemon threads end with the process")
		return nil
	}
	wg.Wait()
	w.Print("joined", n, "threads; active_count():", int64(1))
	return nil
}

// threadEnded does what threading does when a thread's target returns: an
// uncaught exception is printed and ends only that thread; sys.exit in a
// thread ends it silently.
func threadEnded(w *Worker, thread string, err error) {
	var pe pyError
	if errors.As(err, &pe) {
		fmt.Fprintf(w.stderr, "Exception in thread %s:\nTraceback (most recent call last):\n  File \"proclab/threads\", in run\n%s\n", thread, pe.Error())
	}
}

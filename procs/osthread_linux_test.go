package procs

import (
	"os"
	"sync"
	"testing"
)

// A lab thread never takes the process's main thread, whichever thread
// the scheduler would have run it on: before onOwnOSThread, the threads
// task now and then renamed the main thread "Thread-1 (forever)".
func TestOwnOSThreadIsNeverTheMainThread(t *testing.T) {
	const n = 300
	var wg sync.WaitGroup
	tids := make(chan int, n)
	for range n {
		wg.Add(1)
		onOwnOSThread(func() {
			defer wg.Done()
			tids <- osThreadID()
		})
	}
	wg.Wait()
	close(tids)
	seen := map[int]bool{}
	for tid := range tids {
		if tid == os.Getpid() {
			t.Fatalf("a lab thread ran on the main thread %d", tid)
		}
		seen[tid] = true
	}
	t.Logf("%d calls on %d threads", n, len(seen))
}

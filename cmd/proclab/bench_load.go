package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"proclab/procs"
)

// loadChildren is the size of the lab in the load benchmark: the most
// --preload starts.
const loadChildren = maxPreload

// load is benchmark 7: the window with a thousand children that each print
// a line every half second. It waits until all have started, then measures
// the window's CPU and memory over the benchmark's seconds, and what the
// UI probe measured once the preload had started: how long a key press
// waits at most.
func (b *bench) load() {
	run, done, ok := b.openWindow("7.", fmt.Sprintf("forever:%d", loadChildren))
	if !ok {
		return
	}
	defer done()
	pid := run.cmd.Process.Pid
	startedIn, all := waitForChildren(pid, loadChildren, 120*time.Second)
	if !all {
		run.stop()
		b.note(fmt.Sprintf("7. skipped: only %d of %d children started in %v", startedIn, loadChildren, 120*time.Second))
		return
	}
	time.Sleep(5 * time.Second) // the last lanes are laid out
	before, _ := procs.ReadStat(pid)
	rssBefore := currentRSS(pid)
	stealBefore := stealTicks()
	time.Sleep(b.seconds)
	after, _ := procs.ReadStat(pid)
	rssAfter := currentRSS(pid)
	steal := float64(stealTicks()-stealBefore) / 100 / b.seconds.Seconds() * 100
	cpu := float64(after.CPUTicks-before.CPUTicks) / 100 / b.seconds.Seconds() * 100
	stats := run.stop()
	b.add(benchRow{fmt.Sprintf("7. window, %d children printing, %v", loadChildren, b.seconds), pct(cpu), "", "", "", ""})
	b.add(benchRow{"", fmt.Sprintf("RSS %.0f → %.0f MB", rssBefore, rssAfter), "", "", "bounded", ""})
	b.add(benchRow{"", fmt.Sprintf("longest UI wait %.0f ms (p99 %.0f)", stats.SettledMaxMS, stats.SettledP99MS), "", "", "< 200 ms", yes(stats.SettledSamples > 0 && stats.SettledMaxMS < 200)})
	if stats.SettledSamples == 0 {
		b.note("7. the window's --stats report holds no UI waits once started: it did not close within 15 s of SIGTERM, or wrote nothing")
		return
	}
	b.note(fmt.Sprintf("7. the children took %.1f s to start; the UI waits count from then (%d samples); during the start-up the longest was %.0f ms; the hypervisor took %.1f %% of a core meanwhile (steal).",
		stats.SettledAtS, stats.SettledSamples, stats.MaxUIWaitMS, steal))
}

// waitForChildren waits until pid has n children, or timeout passes.
func waitForChildren(pid, n int, timeout time.Duration) (int, bool) {
	deadline := time.Now().Add(timeout)
	count := 0
	for time.Now().Before(deadline) {
		// Each thread lists the children it started: Go starts them from any.
		count = 0
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
		for _, t := range tasks {
			data, _ := os.ReadFile(t)
			count += len(strings.Fields(string(data)))
		}
		if count >= n {
			return count, true
		}
		time.Sleep(500 * time.Millisecond)
	}
	return count, false
}

// stealTicks is the CPU time the hypervisor gave other machines while this
// one's were ready to run (the steal column of /proc/stat), in clock ticks:
// on a shared host it is what makes one run's longest waits another's.
func stealTicks() uint64 {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0
	}
	n, _ := strconv.ParseUint(fields[8], 10, 64)
	return n
}

//go:build e2e

package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// At rest the window sleeps: the thread that runs Fyne's loop wakes for
// the polls and the figures, not 60 times a second as Fyne's own loop does
// (third_party/fyne). After the rest a key still acts at once.
//
// restPoll is how often an empty lab is polled and shows its figures
// (ui.restInterval): the seconds between are the quietest.
const restPoll = 3 * time.Second

func TestE2EWindowAtRestSleeps(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import")
	bin := buildApp(t)
	s := startAppWith(t, bin, startXvfb(t), "en_US.UTF-8", "--hz", "1")
	pid := s.app.Process.Pid
	time.Sleep(2 * time.Second)
	// Counted second by second, and judged by the median second: Fyne's own
	// loop wakes 60 times in every second, while a second of a sleeping loop
	// now and then holds a burst (a garbage collection signals every thread,
	// a start-up tail), which made one 5 s count fail now and then.
	var perSecond []int
	last := contextSwitches(t, pid)
	for range 7 {
		time.Sleep(time.Second)
		now := contextSwitches(t, pid)
		perSecond = append(perSecond, now-last)
		last = now
	}
	sorted := slices.Clone(perSecond)
	slices.Sort(sorted)
	wakes := sorted[len(sorted)/2]
	t.Logf("the window's main thread at rest (an empty lab polls every %v): %v wake-ups in each second, median %d", restPoll, perSecond, wakes)
	if wakes > 20 {
		t.Errorf("the window's main thread woke %d times in its median second at rest (%v); a loop that sleeps wakes a few times", wakes, perSecond)
	}
	asked := time.Now()
	s.newProcess("forever")
	s.key("ctrl+r")
	s.started("Process-1")
	if took := time.Since(asked); took > 3*time.Second {
		t.Errorf("after the rest, Ctrl+N, Enter and Ctrl+R took %v to start a process", took)
	}
}

// contextSwitches is how often the process's main thread (Fyne's, locked
// to it) has given up or been taken off its CPU.
func contextSwitches(t *testing.T, pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/status", pid, pid))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.HasSuffix(name, "voluntary_ctxt_switches") {
			v, _ := strconv.Atoi(strings.TrimSpace(value))
			n += v
		}
	}
	return n
}

//go:build e2e

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The GIL lesson in a real window: once F5 runs it, the tree shows the
// program's threads under its process, as /proc lists them (MainThread and
// threading's two, each with its TID), and the process's row its count.
func TestE2EThreadsInTheTreeDuringTheGILLesson(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import", "python3")
	bin := buildApp(t)
	stats := filepath.Join(t.TempDir(), "stats.jsonl")
	s := startAppWith(t, bin, startXvfb(t), "en_US.UTF-8", "--stats", stats, "--lesson", "gil")
	s.key("F5")
	program := s.started("gil.py")
	var tids []int
	deadline := time.Now().Add(10 * time.Second)
	for len(tids) < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("gil.py has threads %v, want 3", tids)
		}
		time.Sleep(100 * time.Millisecond)
		entries, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", program.Pid))
		tids = tids[:0]
		for _, e := range entries {
			tid, _ := strconv.Atoi(e.Name())
			tids = append(tids, tid)
		}
	}
	time.Sleep(time.Second) // a few polls: the rows are drawn
	s.screenshot("threads-gil-lesson.png")
	v := s.viewOf(stats)
	slices.Sort(tids)
	want := []string{
		fmt.Sprintf("gil.py · command · %d · 3 threads", program.Pid),
		fmt.Sprintf("thread MainThread · %d", tids[0]),
		fmt.Sprintf("thread Thread-1 (count) · %d", tids[1]),
		fmt.Sprintf("thread Thread-2 (count) · %d", tids[2]),
	}
	i := slices.IndexFunc(v.TreeNames, func(name string) bool { return strings.HasPrefix(name, "gil.py") })
	if i < 0 || len(v.TreeNames) < i+len(want) || !slices.Equal(v.TreeNames[i:i+len(want)], want) {
		t.Errorf("the tree showed\n%s\nwant, in order,\n%s", strings.Join(v.TreeNames, "\n"), strings.Join(want, "\n"))
	}
}

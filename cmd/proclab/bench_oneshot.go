package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"
)

// oneShotRuns is how often benchmark 9 runs each command; the median counts.
const oneShotRuns = 21

// oneShot is benchmark 9: what a command typed at a terminal costs, in CPU
// (user and system, from the kernel's accounting of the finished child):
// proclab version against a Go program that only prints, and proclab tree
// against ps at the sizes benchmark 2 watches.
func (b *bench) oneShot() {
	if mini, cleanup, err := minimalGoBinary(); err != nil {
		b.note("9. proclab version: no minimal Go program to compare with: " + err.Error())
	} else {
		ours, theirs := childCPU(b.exe, "version"), childCPU(mini)
		cleanup()
		b.add(benchRow{fmt.Sprintf("9. one-shot: proclab version, CPU (median of %d)", oneShotRuns), ms(ours),
			"a Go program that prints a line " + ms(theirs), ratio(ours.Seconds(), theirs.Seconds()), "≤ 2×", yes(ours <= 2*theirs)})
	}
	for _, size := range watchSizes {
		n, stop := padProcessesTo(size)
		ours := childCPU(b.exe, "tree")
		ps := childCPU("ps", "-e", "-o", "pid,ppid,stat,time,rss,comm")
		stop()
		b.add(benchRow{fmt.Sprintf("   proclab tree, %d processes, CPU", n), ms(ours), "ps -e -o pid,ppid,stat,time,rss,comm " + ms(ps),
			ratio(ours.Seconds(), ps.Seconds()), "≤ 1× ps", yes(ours <= ps)})
	}
}

// childCPU runs argv oneShotRuns times, output into /dev/null, and returns
// the median CPU one run took.
func childCPU(argv ...string) time.Duration {
	cpu := make([]time.Duration, 0, oneShotRuns)
	for range oneShotRuns {
		cmd := exec.Command(argv[0], argv[1:]...)
		if cmd.Run() != nil {
			return 0
		}
		cpu = append(cpu, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
	}
	slices.Sort(cpu)
	return cpu[len(cpu)/2]
}

// minimalGoBinary builds the smallest Go program that prints a line, with
// the toolchain that built ProcLab's benchmarks (make bench has one).
func minimalGoBinary() (string, func(), error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "proclab-bench-mini")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	src := "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"mini 1.0\") }\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		cleanup()
		return "", nil, err
	}
	bin := filepath.Join(dir, "mini")
	cmd := exec.Command(goTool, "build", "-o", bin, "main.go")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GO111MODULE=off", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("go build: %v: %.200s", err, out)
	}
	return bin, cleanup, nil
}

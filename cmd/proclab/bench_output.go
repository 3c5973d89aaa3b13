package main

import (
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// outputLines is what benchmark 8 prints: 39 MB of short lines.
const outputLines = 5_000_000

// output is benchmark 8: a headless run of a program that prints as fast
// as it can, against the same program piped into cat, both into /dev/null
// so that a terminal's speed is not measured. Every line goes through the
// lab: its lane, the event stream and the [name pid] printer.
func (b *bench) output() {
	if _, err := exec.LookPath("seq"); err != nil {
		b.note("8. skipped: seq is not installed (it is in coreutils)")
		return
	}
	n := strconv.Itoa(outputLines)
	ours, err := medianWall(3, b.exe, "run", "--headless", "--", "seq", n)
	if err != nil {
		b.note("8. proclab run failed: " + err.Error())
		return
	}
	cat, err := medianWall(3, "sh", "-c", "seq "+n+" | cat")
	if err != nil {
		b.note("8. seq | cat failed: " + err.Error())
		return
	}
	b.add(benchRow{fmt.Sprintf("8. output: proclab run --headless -- seq %d (median of 3)", outputLines), ms(ours),
		"seq | cat " + ms(cat), ratio(ours.Seconds(), cat.Seconds()), "≤ 2× seq | cat", yes(ours <= 2*cat)})
}

// medianWall runs argv runs times, its output into /dev/null, and returns
// the median wall time.
func medianWall(runs int, argv ...string) (time.Duration, error) {
	times := make([]time.Duration, 0, runs)
	for range runs {
		cmd := exec.Command(argv[0], argv[1:]...) // no Stdout: /dev/null
		var stderr strings.Builder
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("%v: %.200s", err, stderr.String())
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

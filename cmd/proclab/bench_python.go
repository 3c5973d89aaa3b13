package main

import (
	"fmt"
	"maps"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"time"

	"proclab/procs"
)

// Benchmark 6: what the Python hook costs, per line and per process start.

// pythonLines is the program of benchmark 6: main and one child each print
// 100,000 lines as fast as they can.
const pythonLines = `
import multiprocessing
def lines(who):
    for i in range(100000):
        print(who, i)
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    p = multiprocessing.Process(target=lines, args=("child",))
    p.start()
    lines("main")
    p.join()
`

// runPython runs pythonLines in a lab and returns how long until its last
// line arrived, and how many lines each process's lane received.
func runPython(py string, hook bool) (time.Duration, map[string]int, error) {
	// Counted as read: a subscription may drop events in a flood.
	var mu sync.Mutex
	lines := map[string]int{}
	lab, err := procs.NewLab(procs.Options{LogDir: "-", NoPythonHook: !hook, OnLines: func(p *procs.Process, read procs.Lines) {
		mu.Lock()
		lines[p.Name()] += len(read.Texts)
		mu.Unlock()
	}})
	if err != nil {
		return 0, nil, err
	}
	defer lab.Close()
	argv := []string{py, "-c", pythonLines}
	p, _ := lab.Create(procs.Spec{Target: procs.CommandTarget, Command: argv, Name: procs.ProgramName(argv), AutoReap: true})
	start := time.Now()
	if err := lab.Start(p); err != nil {
		return 0, nil, err
	}
	<-p.Done()
	<-p.OutputDone() // the last lines read
	took := time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	return took, maps.Clone(lines), nil
}

// pythonHook measures what one lane per Python process costs: the same
// program run with the hook and without it.
func (b *bench) pythonHook() {
	py, err := exec.LookPath("python3")
	if err != nil {
		b.note("6. skipped: python3 is not installed")
		return
	}
	bare, _, err := runPython(py, false)
	if err != nil {
		b.note("6. " + err.Error())
		return
	}
	hooked, lanes, err := runPython(py, true)
	if err != nil {
		b.note("6. " + err.Error())
		return
	}
	routed := lanes["Process-1"] == 100000 && lanes[procs.ProgramName([]string{py})] == 100000
	b.add(benchRow{"6. Python, 2 processes × 100k lines: hook", ms(hooked), "no hook " + ms(bare), ratio(hooked.Seconds(), bare.Seconds()), "≤ 2× and every line in its lane", yes(hooked < 2*bare && routed)})
	b.note(fmt.Sprintf("6. lanes with the hook: %v", lanes))
	b.pythonStartRow(py)
}

// pythonStarts is the program of benchmark 6's second row: main starts and
// joins 200 children that do nothing, one after the other, and says what
// each took.
const pythonStarts = `
import multiprocessing, time
def nothing():
    pass
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    t = time.perf_counter()
    for _ in range(200):
        p = multiprocessing.Process(target=nothing)
        p.start()
        p.join()
    print("per start %.3f" % ((time.perf_counter() - t) / 200 * 1000))
`

var perStart = regexp.MustCompile(`^per start ([0-9.]+)$`)

// pythonStartCost runs pythonStarts in a lab, with the hook or without,
// and returns the milliseconds one start and join took.
func pythonStartCost(py string, hook bool) (float64, error) {
	got := make(chan float64, 1)
	lab, err := procs.NewLab(procs.Options{LogDir: "-", NoPythonHook: !hook, OnLines: func(_ *procs.Process, ls procs.Lines) {
		for _, text := range ls.Texts {
			if m := perStart.FindStringSubmatch(text); m != nil {
				v, _ := strconv.ParseFloat(m[1], 64)
				got <- v
			}
		}
	}})
	if err != nil {
		return 0, err
	}
	defer lab.Close()
	argv := []string{py, "-c", pythonStarts}
	p, _ := lab.Create(procs.Spec{Target: procs.CommandTarget, Command: argv, Name: procs.ProgramName(argv), AutoReap: true})
	if err := lab.Start(p); err != nil {
		return 0, err
	}
	select {
	case v := <-got:
		return v, nil
	case <-time.After(60 * time.Second):
		return 0, fmt.Errorf("the start benchmark did not report within 60 s")
	}
}

// pythonStartRow adds the cost of the hook per process start: the lab
// reads its processes' parent chains, not the whole machine, so it should
// not grow with the machine's processes.
func (b *bench) pythonStartRow(py string) {
	bare, err := pythonStartCost(py, false)
	if err == nil {
		var hooked float64
		hooked, err = pythonStartCost(py, true)
		if err == nil {
			b.add(benchRow{"6. Python, fork start+join of a child: hook", fmt.Sprintf("%.2f ms", hooked), fmt.Sprintf("no hook %.2f ms", bare), ratio(hooked, bare), "≤ 2×", yes(hooked <= 2*bare)})
		}
	}
	if err != nil {
		b.note("6. " + err.Error())
	}
}

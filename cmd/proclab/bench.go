package main

// proclab bench: the performance figures of the README, measured on this
// machine against peers run in the same session. See `make bench`.

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/shirou/gopsutil/v3/process"

	"proclab/procs"
)

type benchRow struct {
	what, ours, peer, ratio, goal, met string
}

type bench struct {
	out     io.Writer
	seconds time.Duration
	exe     string
	rows    []benchRow
	notes   []string
}

func runBench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	seconds := fs.Int("seconds", 20, "")
	only := fs.String("only", "", "")
	if err := fs.Parse(args); err != nil || *seconds < 2 {
		fmt.Fprintln(stderr, "usage: proclab bench [--seconds N] [--only 1,3,...]   (N >= 2; the issue's figures use 20)")
		return 2
	}
	steps := []struct {
		n   string
		run func(*bench)
	}{{"1", (*bench).snapshot}, {"2", (*bench).watch}, {"3", (*bench).window}, {"4", (*bench).flood}, {"5", (*bench).spawnToVisible}, {"6", (*bench).pythonHook}, {"7", (*bench).load}, {"8", (*bench).output}, {"9", (*bench).oneShot}, {"10", (*bench).atRest}, {"11", (*bench).atWork}}
	if *only != "" {
		for _, n := range strings.Split(*only, ",") {
			known := false
			for _, step := range steps {
				known = known || step.n == n
			}
			if !known {
				fmt.Fprintf(stderr, "proclab bench: --only %q: there is no benchmark %q; give numbers from 1 to %d, e.g. --only 1,3\n", *only, n, len(steps))
				return 2
			}
		}
	}
	run := func(n string) bool { return *only == "" || strings.Contains(","+*only+",", ","+n+",") }
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, "proclab bench:", err)
		return 1
	}
	b := &bench{out: stdout, seconds: time.Duration(*seconds) * time.Second, exe: exe}
	fmt.Fprintf(stdout, "ProcLab benchmarks — %s — %d cores, %s\n", time.Now().Format("2006-01-02 15:04"), runtime.NumCPU(), runtime.Version())
	for _, step := range steps {
		if run(step.n) {
			step.run(b)
		}
	}
	b.print()
	return 0 // a benchmark reports; it does not fail the build
}

func (b *bench) add(r benchRow) { b.rows = append(b.rows, r) }
func (b *bench) note(s string)  { b.notes = append(b.notes, s) }
func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
func ratio(a, b float64) string { return fmt.Sprintf("%.2f×", a/b) }
func yes(ok bool) string        { return map[bool]string{true: "yes", false: "NO"}[ok] }
func pct(v float64) string      { return fmt.Sprintf("%.1f %%", v) }
func avg(n int, f func()) time.Duration {
	f() // warm up caches
	start := time.Now()
	for range n {
		f()
	}
	return time.Since(start) / time.Duration(n)
}

// padProcesses starts sleeping children until the machine has about 300
// processes, as in the measurements; stop ends them.
func padProcesses() (count int, stop func()) { return padProcessesTo(300) }

// padProcessesTo starts sleeping children until the machine has about
// total processes; stop ends them.
func padProcessesTo(total int) (count int, stop func()) {
	var pl procs.Poller
	t, _ := pl.Poll()
	stop = sleepingChildren(total - len(t.Procs))
	t, _ = pl.Poll()
	return len(t.Procs), stop
}

func (b *bench) snapshot() {
	n, stop := padProcesses()
	defer stop()
	var pl procs.Poller
	poll := avg(30, func() { _, _ = pl.Poll() })
	bare := avg(30, func() {
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			if e.Name()[0] >= '0' && e.Name()[0] <= '9' {
				_, _ = os.ReadFile("/proc/" + e.Name() + "/stat")
			}
		}
	})
	ps := avg(10, func() { _ = exec.Command("ps", "-e", "-o", "pid,ppid,stat,time,rss,comm").Run() })
	gops := avg(1, func() {
		list, _ := process.Processes()
		for _, p := range list {
			_, _ = p.Ppid()
			_, _ = p.Name()
			_, _ = p.Status()
			_, _ = p.Times()
			_, _ = p.MemoryInfo()
		}
	})
	r1 := float64(poll) / float64(bare)
	r2 := float64(poll) / float64(ps)
	b.add(benchRow{fmt.Sprintf("1. full snapshot, %d processes", n), ms(poll), "bare /proc/PID/stat read " + ms(bare), ratio(float64(poll), float64(bare)), "≤ 1.5×", yes(r1 <= 1.5)})
	b.add(benchRow{"", "", "ps -e -o … " + ms(ps), ratio(float64(poll), float64(ps)), "≤ 0.2×", yes(r2 <= 0.2)})
	b.add(benchRow{"", "", "gopsutil per-process API " + ms(gops), ratio(float64(poll), float64(gops)), "(reference)", ""})
}

// cpuOf returns the CPU seconds used so far by pid and its descendants.
func cpuOf(pid int) float64 {
	var pl procs.Poller
	t, err := pl.Poll()
	if err != nil || t.Procs[pid] == nil {
		return 0
	}
	total := t.Procs[pid].CPUTicks
	for _, d := range t.Descendants(pid) {
		total += t.Procs[d].CPUTicks
	}
	return float64(total) / 100
}

// measureCPU returns the percent of one core pid's subtree used over d.
func measureCPU(pid int, d time.Duration) float64 {
	before := cpuOf(pid)
	time.Sleep(d)
	return (cpuOf(pid) - before) / d.Seconds() * 100
}

// inTmux runs argv in a detached tmux session with a real terminal and
// returns the pane's pid and a function that ends it.
func inTmux(name string, env []string, argv ...string) (int, func(), error) {
	cmd := exec.Command("tmux", append([]string{"new-session", "-d", "-s", name, "-x", "160", "-y", "50"}, argv...)...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, nil, fmt.Errorf("%v: %s", err, out)
	}
	out, err := exec.Command("tmux", "list-panes", "-t", name, "-F", "#{pane_pid}").Output()
	if err != nil {
		return 0, nil, err
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return pid, func() { _ = exec.Command("tmux", "kill-session", "-t", name).Run() }, nil
}

// watchSizes are the machine sizes benchmark 2 watches at: as it is, and
// with sleeping processes added up to 1,000 and 5,000.
var watchSizes = []int{0, 1000, 5000}

func (b *bench) watch() {
	if _, err := exec.LookPath("tmux"); err != nil {
		b.note("2. skipped: tmux is not installed (apt-get install tmux btop htop)")
		return
	}
	for _, size := range watchSizes {
		b.watchAt(size)
	}
}

// watchAt measures watching at 10 Hz with about size processes (0: the
// machine as it is): proclab tree --watch, btop and htop, each in a
// terminal of its own, and the floor under them, a bare loop in this
// process doing the poll's reads and nothing else.
func (b *bench) watchAt(size int) {
	n, stop := padProcessesTo(size)
	defer stop()
	run := func(name string, env []string, argv ...string) (float64, bool) {
		pid, stop, err := inTmux("proclab-bench-"+name, env, argv...)
		if err != nil {
			b.note(fmt.Sprintf("2. %s did not start: %v", name, err))
			return 0, false
		}
		defer stop()
		time.Sleep(2 * time.Second) // start-up is not watching
		return measureCPU(pid, b.seconds), true
	}
	what := fmt.Sprintf("2. watching at 10 Hz for %v, %d processes (CPU of one core)", b.seconds, n)
	ours, ok := run("proclab", nil, b.exe, "tree", "--watch", "--hz", "10")
	if !ok {
		return
	}
	peers := 0
	add := func(peer string, v float64, goal, met string) {
		if peers > 0 {
			what = ""
		}
		b.add(benchRow{what, pct(ours), peer + " " + pct(v), ratio(ours, v), goal, met})
		peers++
	}
	if _, err := exec.LookPath("btop"); err == nil {
		cfg, _ := os.MkdirTemp("", "proclab-btop")
		defer os.RemoveAll(cfg)
		_ = os.MkdirAll(filepath.Join(cfg, "btop"), 0o755)
		_ = os.WriteFile(filepath.Join(cfg, "btop", "btop.conf"), []byte("update_ms = 100\n"), 0o644)
		if v, ok := run("btop", []string{"XDG_CONFIG_HOME=" + cfg}, "btop"); ok {
			add("btop update_ms=100", v, "≤ 0.5× btop", yes(ours <= v/2))
		}
	} else {
		b.note("2. btop is not installed: skipped (apt-get install btop)")
	}
	if _, err := exec.LookPath("htop"); err == nil {
		if v, ok := run("htop", nil, "htop", "-d", "1"); ok {
			add("htop -d 1", v, "(reference)", "")
		}
	} else {
		b.note("2. htop is not installed: skipped (apt-get install htop)")
	}
	if peers == 0 {
		b.add(benchRow{what, pct(ours), "no peer installed", "", "≤ 0.5× btop", "?"})
		peers++
	}
	kept := procs.Poller{KeepOpen: true}
	defer kept.Close()
	var fresh procs.Poller
	add("floor: the poll alone in a loop, files kept open,", loopCPU(b.seconds/2, func() { _, _ = kept.Poll() }), "(floor)", "")
	add("the poll alone, opening each file each time,", loopCPU(b.seconds/2, func() { _, _ = fresh.Poll() }), "(reference)", "")
}

// loopCPU runs f ten times a second for d and returns the percent of one
// core this process used meanwhile.
func loopCPU(d time.Duration, f func()) float64 {
	f() // the first poll reads every command line
	before := selfCPU()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for end := time.Now().Add(d); time.Now().Before(end); <-tick.C {
		f()
	}
	return (selfCPU() - before) / d.Seconds() * 100
}

// selfCPU is the CPU seconds this process has used.
func selfCPU() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// xvfb starts a virtual screen for the window benchmarks.
func xvfb() (string, func(), error) {
	display, _, stop, err := xvfbServer()
	return display, stop, err
}

// xvfbServer is xvfb with the server's pid, whose CPU a benchmark may count.
func xvfbServer() (string, int, func(), error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", 0, nil, err
	}
	// -noreset, as a desktop's server with its window manager: the window
	// command's display probe would otherwise reset a fresh server.
	x := exec.Command("Xvfb", "-displayfd", "3", "-noreset", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		return "", 0, nil, err
	}
	w.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	stop := func() { _ = x.Process.Kill(); _ = x.Wait() }
	if err != nil {
		stop()
		return "", 0, nil, err
	}
	return ":" + strings.TrimSpace(line), x.Process.Pid, stop, nil
}

type windowRun struct {
	cmd   *exec.Cmd
	stats string
	logs  string
}

func (b *bench) startWindow(display string, preload string) (*windowRun, error) {
	dir, err := os.MkdirTemp("", "proclab-bench")
	if err != nil {
		return nil, err
	}
	run := &windowRun{stats: filepath.Join(dir, "stats.json"), logs: dir}
	// No log limit: the flood benchmark checks that the log holds every
	// line, and 20 s of flood is more than the default 1 GiB.
	run.cmd = exec.Command(b.exe, "--preload", preload, "--stats", run.stats, "--log-dir", dir, "--log-limit", "0")
	run.cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8")
	return run, run.cmd.Start()
}

// windowStats is what the window's --stats report holds (see DEVELOPERS.md).
type windowStats struct {
	MaxUIWaitMS    float64 `json:"max_ui_wait_ms"`
	MaxAtS         float64 `json:"max_ui_wait_at_s"`
	SlowWaits      int     `json:"slow_waits"`
	Samples        int     `json:"samples"`
	Log            string  `json:"log"`
	SettledAtS     float64 `json:"settled_at_s"`
	SettledSamples int     `json:"settled_samples"`
	SettledMaxMS   float64 `json:"settled_max_ui_wait_ms"`
	SettledP99MS   float64 `json:"settled_p99_ui_wait_ms"`
}

// stop closes the window as Ctrl+C would and returns what it measured.
func (r *windowRun) stop() (stats windowStats) {
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = r.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = r.cmd.Process.Kill()
		<-done
	}
	// The report is JSON lines: the probe's figures first, then what a
	// viewer saw (see DEVELOPERS.md). Unmarshalling the whole file failed
	// on the second line and left every figure zero.
	if f, err := os.Open(r.stats); err == nil {
		_ = json.NewDecoder(f).Decode(&stats)
		f.Close()
	}
	return stats
}

func (r *windowRun) cleanup() { os.RemoveAll(r.logs) }

// peakRSS is the most memory pid ever had resident (VmHWM), in MB.
func peakRSS(pid int) float64 { return statusMB(pid, "VmHWM:") }

// currentRSS is the memory pid has resident now (VmRSS), in MB.
func currentRSS(pid int) float64 { return statusMB(pid, "VmRSS:") }

// statusMB reads a memory field of /proc/PID/status, in MB.
func statusMB(pid int, field string) float64 {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, field) {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// openWindow starts a virtual screen and the window on it with preload;
// done ends both. ok is false (and a note says why) when either failed.
func (b *bench) openWindow(step, preload string) (run *windowRun, done func(), ok bool) {
	display, stopX, err := xvfb()
	if err != nil {
		b.note(step + " skipped: no Xvfb (" + err.Error() + ")")
		return nil, nil, false
	}
	run, err = b.startWindow(display, preload)
	if err != nil {
		stopX()
		b.note(step + " the window did not start: " + err.Error())
		return nil, nil, false
	}
	return run, func() { run.cleanup(); stopX() }, true
}

func (b *bench) window() {
	run, done, ok := b.openWindow("3.", "pid_info:200:3600")
	if !ok {
		return
	}
	defer done()
	time.Sleep(8 * time.Second) // 200 children start, fonts load, the tree fills
	pid := run.cmd.Process.Pid
	before := float64(0)
	if st, err := procs.ReadStat(pid); err == nil {
		before = float64(st.CPUTicks) / 100
	}
	time.Sleep(b.seconds)
	st, _ := procs.ReadStat(pid)
	cpu := (float64(st.CPUTicks)/100 - before) / b.seconds.Seconds() * 100
	rss := peakRSS(pid)
	run.stop()
	b.add(benchRow{fmt.Sprintf("3. window, 200 sleeping children, %v", b.seconds), pct(cpu) + ", peak " + fmt.Sprintf("%.0f MB", rss), "", "", "< 25 % of a core", yes(cpu < 25)})
}

func (b *bench) flood() {
	run, done, ok := b.openWindow("4.", "flood:4:10")
	if !ok {
		return
	}
	defer done()
	steal0, at0 := stealTicks(), time.Now()
	time.Sleep(16 * time.Second) // 10 s of flooding, start-up and drain
	steal := float64(stealTicks()-steal0) / 100 / time.Since(at0).Seconds() * 100
	rss := peakRSS(run.cmd.Process.Pid)
	stats := run.stop()
	lines, complete := checkFloodLog(stats.Log)
	b.add(benchRow{"4. flood: 4 children × 10 s of 64-byte lines", fmt.Sprintf("%.0f lines/s", float64(lines)/10), "", "", "", ""})
	b.add(benchRow{"", fmt.Sprintf("peak RSS %.0f MB", rss), "", "", "< 300 MB", yes(rss < 300)})
	b.add(benchRow{"", fmt.Sprintf("longest UI wait %.0f ms", stats.MaxUIWaitMS), "", "", "< 100 ms", yes(stats.MaxUIWaitMS < 100)})
	b.note(fmt.Sprintf("4. the UI probe queued %d no-ops, one per 20 ms from 3 s in; %d waited 100 ms or more; the longest began %.1f s in; the hypervisor took %.1f %% of a core meanwhile (steal: a UI wait is also a wait for a CPU).", stats.Samples, stats.SlowWaits, stats.MaxAtS, steal))
	b.add(benchRow{"", fmt.Sprintf("log holds every line: %v", complete), "", "", "every line", yes(complete)})
}

// checkFloodLog counts the flood lines in a lab log and checks that each
// child's numbered lines are all there, in order.
func checkFloodLog(path string) (int, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	next := map[string]int{}
	total, complete := 0, true
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 5 || !strings.HasPrefix(fields[4], "flood ") {
			continue
		}
		n, err := strconv.Atoi(strings.Fields(fields[4])[1])
		if err != nil || n != next[fields[1]] {
			complete = false
		}
		next[fields[1]] = n + 1
		total++
	}
	return total, complete && len(next) == 4
}

func (b *bench) spawnToVisible() {
	lab, err := procs.NewLab(procs.Options{LogDir: "-"})
	if err != nil {
		b.note("5. " + err.Error())
		return
	}
	defer lab.Close()
	sub := lab.Subscribe()
	p, _ := lab.Create(procs.Spec{Target: "spawner"})
	start := time.Now()
	if err := lab.Start(p); err != nil {
		b.note("5. " + err.Error())
		return
	}
	var child time.Duration
	for child == 0 {
		<-sub.C()
		evs, _ := sub.Take()
		for _, e := range evs {
			if e.Kind == procs.EvStarted && e.Proc == p {
				child = time.Since(start)
			}
		}
	}
	// Grandchildren: the tree polled at 10 Hz, as the window does.
	var grand time.Duration
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	procs.Watch(ctx, 100*time.Millisecond, func(t *procs.Tree, err error) {
		if err == nil && grand == 0 && len(t.Children(p.Pid())) == 2 {
			grand = time.Since(start)
			cancel()
		}
	})
	b.add(benchRow{"5. spawn to visible: a child", ms(child), "", "", "immediate", yes(child < 50*time.Millisecond)})
	b.add(benchRow{"   its two children (10 Hz tree)", ms(grand), "one tick 100.0 ms + start-up of the spawner", "", "within a tick of existing", yes(grand > 0 && grand < 600*time.Millisecond)})
}

func (b *bench) print() {
	w := [5]int{}
	head := benchRow{"benchmark", "ProcLab", "peer, same run", "ratio", "goal", "met"}
	rows := append([]benchRow{head}, b.rows...)
	for _, r := range rows {
		for i, c := range []string{r.what, r.ours, r.peer, r.ratio, r.goal} {
			w[i] = max(w[i], len([]rune(c)))
		}
	}
	for i, r := range rows {
		cols := []string{r.what, r.ours, r.peer, r.ratio, r.goal}
		for j, c := range cols {
			fmt.Fprintf(b.out, "%s%s  ", c, strings.Repeat(" ", w[j]-len([]rune(c))))
		}
		if i == 0 {
			fmt.Fprintln(b.out, "met")
		} else {
			fmt.Fprintln(b.out, r.met)
		}
	}
	for _, n := range b.notes {
		fmt.Fprintln(b.out, "note:", n)
	}
}

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// viewer is a process viewer benchmark 10 opens on a screen of its own.
type viewer struct {
	name string
	argv []string
	// config writes its settings into a fresh XDG_CONFIG_HOME and returns
	// the environment that makes it read them; nil for none.
	config func(dir string) []string
}

// atRest is benchmark 10: the window with nothing to do, against the
// graphical process viewers of the Debian archive, each alone on a fresh
// virtual screen. It measures how long until a window of its process is
// on the screen, then, once settled, its CPU (every thread, GL's too) and
// the X server's, and its peak RSS.
func (b *bench) atRest() {
	viewers := []viewer{
		{name: "ProcLab, empty lab, 10 Hz (its default)", argv: []string{b.exe}},
		{name: "ProcLab, empty lab, --hz 1", argv: []string{b.exe, "--hz", "1"}},
		gnomeSystemMonitor(3000, "3 s (its default)"),
		gnomeSystemMonitor(1000, "1 s"),
		{name: "xfce4-taskmanager (its default)", argv: []string{"xfce4-taskmanager"}},
		// The floor: what any Fyne window costs at rest on this machine,
		// built by make bench beside proclab.
		{name: "a Fyne window with one label (Fyne's floor)", argv: []string{filepath.Join(filepath.Dir(b.exe), "fynefloor")}},
	}
	got := b.measureViewers("10.", "at rest, on its own screen: ", viewers)
	ours, ours1, gnome, gnome1, floor := got[0], got[1], got[2], got[3], got[5]
	if ours == nil || gnome == nil {
		b.note("10. no verdict: ProcLab or GNOME System Monitor was not measured (above)")
		return
	}
	b.add(benchRow{"10. goal: ProcLab's default against GNOME's default, CPU", pct(ours.cpu), "GNOME " + pct(gnome.cpu), ratio(ours.cpu, gnome.cpu), "≤ 1×", yes(ours.cpu <= gnome.cpu)})
	if ours1 != nil && gnome1 != nil {
		b.add(benchRow{"    at 1 Hz against GNOME at 1 s, CPU", pct(ours1.cpu), "GNOME " + pct(gnome1.cpu), ratio(ours1.cpu, gnome1.cpu), "≤ 1×", yes(ours1.cpu <= gnome1.cpu)})
	}
	floorRSS := "Fyne's floor: not measured"
	if floor != nil {
		floorRSS = fmt.Sprintf("Fyne's floor %.0f MB", floor.rss)
	}
	b.add(benchRow{"    peak RSS", fmt.Sprintf("%.0f MB", ours.rss), floorRSS, "", "≤ 120 MB", yes(ours.rss <= 120)})
	b.add(benchRow{"    start to visible", ms(ours.visible), "GNOME " + ms(gnome.visible), ratio(ours.visible.Seconds(), gnome.visible.Seconds()), "≤ 1.5×", yes(ours.visible.Seconds() <= 1.5*gnome.visible.Seconds())})
}

// viewerCost is what measureViewer found of one viewer.
type viewerCost struct {
	visible        time.Duration
	cpu, xcpu, rss float64
}

// atWork is benchmark 11: the viewers showing the same processes, this
// benchmark's own sleeping children (200, then 1,000): ProcLab watches
// this process's subtree, the task managers list every process of the
// user, the children among them.
func (b *bench) atWork() {
	self := fmt.Sprint(os.Getpid())
	for _, n := range []int{200, 1000} {
		stop := sleepingChildren(n)
		_ = b.measureViewers("11.", fmt.Sprintf("showing %d sleeping processes: ", n), []viewer{
			{name: "ProcLab, proclab watch of their parent, 10 Hz", argv: []string{b.exe, "watch", self}},
			{name: "ProcLab, the same, --hz 1", argv: []string{b.exe, "watch", self, "--hz", "1"}},
			gnomeSystemMonitor(3000, "3 s (its default)"),
			gnomeSystemMonitor(1000, "1 s"),
			{name: "xfce4-taskmanager (its default)", argv: []string{"xfce4-taskmanager"}},
		})
		stop()
	}
	b.note("11. goal: side by side with the task managers showing the same processes; compare the rows.")
}

// sleepingChildren starts n `sleep` children of this process; stop ends them.
func sleepingChildren(n int) (stop func()) {
	var cmds []*exec.Cmd
	for range n {
		c := exec.Command("sleep", "600")
		if c.Start() != nil {
			break
		}
		cmds = append(cmds, c)
	}
	return func() {
		for _, c := range cmds {
			_ = c.Process.Kill()
			_ = c.Wait()
		}
	}
}

// gnomeSystemMonitor is GNOME System Monitor refreshing every ms
// milliseconds, set through a GSettings keyfile of its own.
func gnomeSystemMonitor(ms int, what string) viewer {
	return viewer{name: "GNOME System Monitor, " + what, argv: []string{"gnome-system-monitor"}, config: func(dir string) []string {
		keyfile := filepath.Join(dir, "glib-2.0", "settings", "keyfile")
		_ = os.MkdirAll(filepath.Dir(keyfile), 0o755)
		_ = os.WriteFile(keyfile, []byte(fmt.Sprintf("[org/gnome/gnome-system-monitor]\nupdate-interval=%d\n", ms)), 0o644)
		return []string{"GSETTINGS_BACKEND=keyfile"}
	}}
}

// measureViewers measures each viewer alone on a fresh screen and adds a
// row for each, the first titled step+title. It returns what it found of
// each viewer, nil for one not measured.
func (b *bench) measureViewers(step, title string, viewers []viewer) []*viewerCost {
	got := make([]*viewerCost, len(viewers))
	if _, err := exec.LookPath("xdotool"); err != nil {
		b.note(step + " skipped: xdotool is not installed (apt-get install xdotool)")
		return got
	}
	first := true
	for i, v := range viewers {
		if _, err := exec.LookPath(v.argv[0]); err != nil {
			how := "apt-get install " + v.argv[0]
			if filepath.IsAbs(v.argv[0]) {
				how = "make bench builds it"
			}
			b.note(fmt.Sprintf("%s %s: not installed, skipped (%s)", step, v.name, how))
			continue
		}
		visible, cpu, xcpu, rss, err := b.measureViewer(v)
		if err != nil {
			b.note(fmt.Sprintf("%s %s: %v", step, v.name, err))
			continue
		}
		what := step + " " + title + v.name
		if !first {
			what = "    " + v.name
		}
		first = false
		b.add(benchRow{what, fmt.Sprintf("%s CPU (X server %s), peak %.0f MB, visible in %s", pct(cpu), pct(xcpu), rss, ms(visible)), "", "", "", ""})
		got[i] = &viewerCost{visible, cpu, xcpu, rss}
	}
	return got
}

// measureViewer runs one viewer on a fresh screen and measures it.
func (b *bench) measureViewer(v viewer) (visible time.Duration, cpu, xcpu, rss float64, err error) {
	display, xpid, stopX, err := xvfbServer()
	if err != nil {
		return 0, 0, 0, 0, fmt.Errorf("no Xvfb: %v", err)
	}
	defer stopX()
	dir, err := os.MkdirTemp("", "proclab-bench-viewer")
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command(v.argv[0], v.argv[1:]...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8", "XDG_CONFIG_HOME="+dir, "NO_AT_BRIDGE=1")
	if v.config != nil {
		cmd.Env = append(cmd.Env, v.config(dir)...)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, 0, 0, err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	pid := cmd.Process.Pid
	for visible == 0 {
		if time.Since(start) > 20*time.Second {
			return 0, 0, 0, 0, fmt.Errorf("no window in 20 s")
		}
		search := exec.Command("xdotool", "search", "--onlyvisible", "--pid", fmt.Sprint(pid))
		search.Env = append(os.Environ(), "DISPLAY="+display)
		out, _ := search.Output()
		if strings.TrimSpace(string(out)) != "" {
			visible = time.Since(start)
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(5 * time.Second) // fonts, the first polls, the first frames
	cpuBefore, xBefore := cpuOf(pid), cpuOf(xpid)
	time.Sleep(b.seconds)
	cpu = (cpuOf(pid) - cpuBefore) / b.seconds.Seconds() * 100
	xcpu = (cpuOf(xpid) - xBefore) / b.seconds.Seconds() * 100
	return visible, cpu, xcpu, peakRSS(pid), nil
}

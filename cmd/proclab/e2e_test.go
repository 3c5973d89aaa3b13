//go:build e2e

package main

// The end-to-end test starts the real proclab binary in a real window on
// Xvfb, drives it with the keyboard through xdotool as a user would, and
// checks in /proc what really happened to the processes. Run it with
// make e2e (part of make test).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"proclab/procs/contain"
)

type traceEvent struct {
	T      float64 `json:"t"`
	Event  string  `json:"event"`
	Name   string  `json:"name"`
	Pid    int     `json:"pid"`
	Code   int     `json:"code"`
	Line   string  `json:"line"`
	Python string  `json:"python"`
	Text   string  `json:"text"`
}

type session struct {
	t       *testing.T
	display string
	app     *exec.Cmd
	trace   string
	stderr  *bytes.Buffer
}

func need(t *testing.T, tools ...string) {
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("PROCLAB_E2E_REQUIRED") != "" {
				t.Fatalf("%s is not installed: run make deps", tool)
			}
			t.Skipf("%s is not installed; make test installs it", tool)
		}
	}
}

// startXvfb starts a virtual screen of 1280×800 and returns its display name.
func startXvfb(t *testing.T) string { return startXvfbSized(t, "1280x800") }

// startXvfbSized starts a virtual screen of size ("1920x1080").
func startXvfbSized(t *testing.T, size string) string {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// -noreset: like a desktop, whose window manager stays connected, the
	// server does not start over each time its last client leaves. The
	// window command's display probe is such a client, the first of a fresh
	// server, and the window connects right after it: twice in CI the
	// window could not open the display then.
	x := exec.Command("Xvfb", "-displayfd", "3", "-noreset", "-screen", "0", size+"x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = x.Process.Kill(); _ = x.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		t.Fatalf("Xvfb did not report its display: %v", err)
	}
	display := ":" + strings.TrimSpace(line)
	// Ready for clients, not only listening.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		probe := exec.Command("xdotool", "getdisplaygeometry")
		probe.Env = append(os.Environ(), "DISPLAY="+display)
		if probe.Run() == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Xvfb at %s does not take clients after 10 s", display)
		}
	}
	return display
}

// buildApp builds the proclab command and the window beside it, as make
// build does, and returns the command.
func buildApp(t *testing.T) string {
	dir := t.TempDir()
	for _, b := range []struct{ name, pkg, cgo string }{{"proclab", ".", "CGO_ENABLED=0"}, {"proclab-window", "../proclab-window", ""}} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, b.name), b.pkg)
		if b.cgo != "" {
			cmd.Env = append(os.Environ(), b.cgo)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}
	return filepath.Join(dir, "proclab")
}

func startApp(t *testing.T, bin, display string) *session {
	return startAppWith(t, bin, display, "en_US.UTF-8")
}

// startAppWith starts the app in the locale given, with extra arguments.
func startAppWith(t *testing.T, bin, display, locale string, args ...string) *session {
	s := &session{t: t, display: display, trace: filepath.Join(t.TempDir(), "trace.jsonl"), stderr: &bytes.Buffer{}}
	s.app = exec.Command(bin, append([]string{"--trace", s.trace}, args...)...)
	// A config folder of its own: zoom, theme and language preferences stay
	// in the test.
	s.app.Env = append(os.Environ(), "DISPLAY="+display, "LANG="+locale, "LC_ALL=", "LANGUAGE=", "XDG_CONFIG_HOME="+t.TempDir())
	s.app.Stderr = s.stderr
	if err := s.app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.app.Process.Kill(); _, _ = s.app.Process.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, _ := s.x("xdotool", "search", "--name", "ProcLab")
		if id := strings.TrimSpace(out); id != "" {
			_, _ = s.x("xdotool", "windowfocus", strings.Fields(id)[0])
			break
		}
		state, _, running := procStat(s.app.Process.Pid)
		if !running || state == 'Z' {
			t.Fatalf("the app exited before showing its window; stderr:\n%s", s.stderr)
		}
		if time.Now().After(deadline) {
			all, _ := s.x("xdotool", "search", "--onlyvisible", "--name", ".")
			t.Fatalf("no ProcLab window after 30 s (app state %c, windows %q); stderr:\n%s", state, all, s.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second) // let the first frame settle before typing
	return s
}

func (s *session) x(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+s.display)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (s *session) key(keys ...string) {
	for _, k := range keys {
		if out, err := s.x("xdotool", "key", "--delay", "50", k); err != nil {
			s.t.Fatalf("xdotool key %s: %v %s", k, err, out)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func (s *session) typeText(text string) {
	if out, err := s.x("xdotool", "type", "--delay", "40", text); err != nil {
		s.t.Fatalf("xdotool type: %v %s", err, out)
	}
	time.Sleep(200 * time.Millisecond)
}

// newProcess uses the keyboard path: Ctrl+N, type the target, Enter.
func (s *session) newProcess(target string) {
	s.key("ctrl+n")
	time.Sleep(300 * time.Millisecond)
	if target != "" {
		s.typeText(target)
	}
	s.key("Return")
}

func (s *session) events() []traceEvent {
	data, _ := os.ReadFile(s.trace)
	var out []traceEvent
	for _, line := range bytes.Split(data, []byte("\n")) {
		var e traceEvent
		if json.Unmarshal(line, &e) == nil {
			out = append(out, e)
		}
	}
	return out
}

// waitFor returns the first event matching, failing after timeout.
func (s *session) waitFor(what string, timeout time.Duration, match func(traceEvent) bool) traceEvent {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		for _, e := range s.events() {
			if match(e) {
				return e
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("the window never showed %s; events so far:\n%+v\nstderr:\n%s", what, s.events(), s.stderr)
	return traceEvent{}
}

// outputLines counts the lines the window received from the process name.
func (s *session) outputLines(name string) int {
	n := 0
	for _, e := range s.events() {
		if e.Event == "output" && e.Name == name {
			n++
		}
	}
	return n
}

func (s *session) started(name string) traceEvent {
	return s.waitFor(name+" started", 10*time.Second, func(e traceEvent) bool { return e.Event == "started" && e.Name == name })
}

func (s *session) exited(name string) traceEvent {
	return s.waitFor(name+" exited", 10*time.Second, func(e traceEvent) bool { return e.Event == "exited" && e.Name == name })
}

func (s *session) screenshot(name string) string {
	dir := os.Getenv("PROCLAB_E2E_OUT")
	if dir == "" {
		dir = s.t.TempDir()
	}
	_ = os.MkdirAll(dir, 0o755)
	file := filepath.Join(dir, name)
	if out, err := s.x("import", "-window", "root", file); err != nil {
		s.t.Fatalf("screenshot: %v %s", err, out)
	}
	f, err := os.Open(file)
	if err != nil {
		s.t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		s.t.Fatalf("screenshot %s: %v", file, err)
	}
	colors := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colors[r>>8<<16|g>>8<<8|bl>>8] = true
		}
	}
	if len(colors) < 20 {
		s.t.Errorf("screenshot %s has %d colours: the window did not draw", file, len(colors))
	}
	s.t.Logf("screenshot: %s", file)
	return file
}

// procStat reads state and parent of pid from /proc; ok is false once the
// process is gone.
func procStat(pid int) (state byte, ppid int, ok bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, false
	}
	rest := data[bytes.LastIndexByte(data, ')')+2:]
	f := strings.Fields(string(rest))
	ppid, _ = strconv.Atoi(f[1])
	return f[0][0], ppid, true
}

func cmdline(pid int) string {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return strings.ReplaceAll(string(data), "\x00", " ")
}

func gone(pid int) bool {
	state, _, ok := procStat(pid)
	return !ok || state == 'Z' // a zombie is dead; only its parent's reaping is left
}

func waitGone(t *testing.T, pid int, within time.Duration, why string) {
	deadline := time.Now().Add(within)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: process %d (%s) still alive after %v", why, pid, cmdline(pid), within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// descendants lists every process under root, read from /proc.
func descendants(root int) []int {
	entries, _ := os.ReadDir("/proc")
	parent := map[int]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if _, ppid, ok := procStat(pid); ok {
			parent[pid] = ppid
		}
	}
	var out []int
	for pid := range parent {
		for p := parent[pid]; p != 0; p = parent[p] {
			if p == root {
				out = append(out, pid)
				break
			}
		}
	}
	return out
}

func TestE2EWindowDrivesRealProcesses(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import")
	bin := buildApp(t)
	s := startApp(t, bin, startXvfb(t))
	app := s.app.Process.Pid

	// dance: created with Ctrl+N and Enter (dance is the first default),
	// started with Ctrl+R; a real child of the app runs the dance task.
	s.newProcess("")
	s.key("ctrl+r")
	dance := s.started("Process-1")
	if state, ppid, ok := procStat(dance.Pid); ok && state != 'Z' {
		if ppid != app || !strings.Contains(cmdline(dance.Pid), "worker --name Process-1 --task dance") {
			t.Errorf("pid %d: parent %d, command %q; want a dance worker under the app %d", dance.Pid, ppid, cmdline(dance.Pid), app)
		}
	}
	s.newProcess("sing")
	s.key("ctrl+r")
	s.started("Process-2")
	for _, name := range []string{"Process-1", "Process-2"} {
		if e := s.exited(name); e.Code != 0 {
			t.Errorf("%s exited with %d, want 0", name, e.Code)
		}
	}
	lines := map[string]int{}
	for _, e := range s.events() {
		if e.Event == "output" {
			lines[e.Name+" "+e.Line]++
		}
	}
	if lines["Process-1 跳舞中..."] != 3 || lines["Process-2 唱歌中..."] != 3 {
		t.Errorf("lanes received %v, want 3 跳舞中... and 3 唱歌中...", lines)
	}
	time.Sleep(500 * time.Millisecond)
	s.screenshot("window-dance-sing.png")

	// sing ended but nobody joined it: a zombie, in /proc too, until main
	// reaps it. Ctrl+I asks p2.is_alive(), which reaps it.
	sing := s.started("Process-2")
	if state, _, ok := procStat(sing.Pid); !ok || state != 'Z' {
		t.Errorf("the unjoined sing (pid %d) is in state %c (present: %v), want a zombie", sing.Pid, state, ok)
	}
	s.screenshot("state-zombie.png")
	s.key("ctrl+i")
	s.waitFor("p2 reaped by is_alive()", 5*time.Second, func(e traceEvent) bool {
		return e.Event == "reaped" && e.Name == "Process-2" && strings.Contains(e.Text, "reaped by p2.is_alive()")
	})
	if _, _, ok := procStat(sing.Pid); ok {
		t.Errorf("pid %d still in /proc after is_alive() reaped it", sing.Pid)
	}

	// terminate → -15, kill → -9, each checked in /proc too.
	for _, tc := range []struct {
		name, key string
		want      int
	}{{"Process-3", "ctrl+t", -15}, {"Process-4", "ctrl+k", -9}} {
		s.newProcess("forever")
		s.key("ctrl+r")
		p := s.started(tc.name)
		if gone(p.Pid) {
			t.Fatalf("%s (pid %d) is not running", tc.name, p.Pid)
		}
		time.Sleep(300 * time.Millisecond)
		s.key(tc.key)
		if e := s.exited(tc.name); e.Code != tc.want {
			t.Errorf("%s after %s: exit code %d, want %d", tc.name, tc.key, e.Code, tc.want)
		}
		waitGone(t, p.Pid, 2*time.Second, tc.name+" after "+tc.key)
	}

	// A join on a running child blocks main, not the window: Esc interrupts.
	s.newProcess("forever")
	s.key("ctrl+r")
	s.started("Process-5")
	s.key("ctrl+j")
	s.waitFor("main blocked in join()", 5*time.Second, func(e traceEvent) bool {
		return e.Event == "state" && strings.Contains(e.Text, "blocked in p5.join()")
	})
	s.screenshot("window-join.png")
	s.key("Escape")
	s.waitFor("the join interrupted", 5*time.Second, func(e traceEvent) bool {
		return e.Event == "joined" && strings.Contains(e.Text, "KeyboardInterrupt")
	})

	// A spawner adds grandchildren. Killing it makes them orphans, which
	// the app adopts (it is their subreaper).
	s.newProcess("spawner")
	s.key("ctrl+r")
	spawner := s.started("Process-6")
	s.waitFor("the spawner's children", 5*time.Second, func(e traceEvent) bool {
		return e.Name == "Process-6" && strings.HasPrefix(e.Line, "started Process-6:2")
	})
	time.Sleep(500 * time.Millisecond)
	s.screenshot("window-running.png")
	grandchildren := descendants(spawner.Pid)
	if len(grandchildren) != 2 {
		t.Fatalf("the spawner has %v under it in /proc, want 2 children", grandchildren)
	}
	s.key("ctrl+k")
	for _, pid := range grandchildren {
		s.waitFor(fmt.Sprintf("pid %d adopted", pid), 5*time.Second, func(e traceEvent) bool {
			return e.Event == "adopted" && e.Code == pid
		})
		if state, ppid, ok := procStat(pid); !ok || state == 'Z' || ppid != app {
			t.Errorf("orphan %d: state %c, parent %d; want it alive under the app %d", pid, state, ppid, app)
		}
	}
	// The adopted orphans are at the end of the tree: scroll it down, with
	// the wheel over the tree, to show them.
	_, _ = s.x("xdotool", "mousemove", "230", "200", "click", "--repeat", "12", "--delay", "50", "5")
	time.Sleep(500 * time.Millisecond)
	s.screenshot("state-orphan.png")
	_, _ = s.x("xdotool", "mousemove", "900", "500")

	// Then the app is killed with SIGKILL: nothing of its lab may remain,
	// adopted orphans included.
	lab := descendants(app)
	if len(lab) < 4 {
		t.Fatalf("want at least 4 processes under the app (forever, the killed spawner, 2 orphans), /proc shows %v", lab)
	}
	_ = s.app.Process.Signal(syscall.SIGKILL)
	_, _ = s.app.Process.Wait()
	for _, pid := range lab {
		waitGone(t, pid, 2*time.Second, "after SIGKILL of the app")
	}
	if strings.Contains(s.stderr.String(), "Error in Fyne call thread") {
		t.Errorf("the window touched widgets off the UI goroutine:\n%s", s.stderr)
	}
}

func TestE2EClosingTheWindowEndsTheLab(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import")
	bin := buildApp(t)
	s := startApp(t, bin, startXvfb(t))
	s.newProcess("forever")
	s.key("ctrl+r")
	p := s.started("Process-1")
	s.key("ctrl+q")
	done := make(chan error, 1)
	go func() { done <- s.app.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the app exited with %v after Ctrl+Q", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the app did not exit within 10 s of Ctrl+Q")
	}
	waitGone(t, p.Pid, time.Second, "after the window closed")
}

// The note's 3.6(2) fix 1: a daemonic child — here an endless loop, the
// note's motivating case — is terminated when main's code ends, while main
// still waits for the other child.
func TestE2EMainEndsTerminatesTheDaemon(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import")
	bin := buildApp(t)
	s := startApp(t, bin, startXvfb(t))
	s.newProcess("forever")
	s.key("ctrl+d", "ctrl+r")
	s.started("Process-1")
	s.newProcess("task")
	s.key("ctrl+r")
	s.started("Process-2")
	s.key("ctrl+e")
	if e := s.exited("Process-1"); e.Code != -15 {
		t.Errorf("the daemon ended with %d, want -15", e.Code)
	}
	if e := s.exited("Process-2"); e.Code != 0 {
		t.Errorf("the other child ended with %d, want 0", e.Code)
	}
	s.waitFor("main ended", 5*time.Second, func(e traceEvent) bool { return e.Event == "state" && e.Text == "main: ended" })
	if lines := s.outputLines("Process-2"); lines != 10 {
		t.Errorf("the non-daemonic task printed %d lines, want all 10: main waits for it", lines)
	}
	time.Sleep(300 * time.Millisecond)
	s.screenshot("state-daemon-main-ends.png")

	// Every view, at 100 % and at 200 % zoom (Ctrl+= four times).
	for _, zoom := range []string{"100", "200"} {
		if zoom == "200" {
			s.key("ctrl+equal", "ctrl+equal", "ctrl+equal", "ctrl+equal")
			time.Sleep(500 * time.Millisecond)
		}
		for i, view := range []string{"lanes", "timeline", "console"} {
			s.key(fmt.Sprintf("ctrl+%d", i+1))
			time.Sleep(400 * time.Millisecond)
			s.screenshot(fmt.Sprintf("view-%s-%s.png", view, zoom))
		}
	}
}

// Lesson 3.6(2), fix 1, on a Chinese system: the locale picks Chinese, the
// lesson opens from the command line and F5 runs it to the end, on real
// processes: the daemonic child is terminated when main's code ends.
func TestE2EDaemonLessonInChinese(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import")
	bin := buildApp(t)
	s := startAppWith(t, bin, startXvfb(t), "zh_CN.UTF-8", "--lesson", "daemon")
	out, _ := s.x("xdotool", "search", "--name", "ProcLab")
	title, _ := s.x("xdotool", "getwindowname", strings.Fields(out)[0])
	if !strings.Contains(title, "用真实进程学习") {
		t.Errorf("on a Chinese system the window is titled %q", title)
	}
	s.key("F5")
	s.started("Process-1")
	if e := s.exited("Process-1"); e.Code != -15 {
		t.Errorf("the daemonic child ended with %d, want -15 (terminated when main ended)", e.Code)
	}
	s.waitFor("main ended", 5*time.Second, func(e traceEvent) bool { return e.Event == "state" && e.Text == "main: ended" })
	if lines := s.outputLines("Process-1"); lines < 3 || lines > 7 {
		t.Errorf("the daemonic child printed %d lines, want about 5: its lines stop at 0.5 s", lines)
	}
	time.Sleep(500 * time.Millisecond)
	s.screenshot("lesson-daemon-zh.png")
}

// The note's 3.2 思路2 program, run from the window (Ctrl+P, its command
// line, Enter) with python3: one lane per Python process, every line in
// the lane of the process that printed it, each child with its real parent.
func TestE2ERunsTheNotesProgramWithOneLanePerProcess(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import")
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed: Run program with Python is tested when it is")
	}
	bin := buildApp(t)
	s := startApp(t, bin, startXvfb(t))
	prog, _ := filepath.Abs("../../procs/testdata/note/sing_dance_2.py")
	s.key("ctrl+p")
	time.Sleep(300 * time.Millisecond)
	s.typeText("python3 " + prog)
	s.key("Return")
	program := s.started("sing_dance_2.py")
	s.exited("sing_dance_2.py")
	want := map[string]string{"Process-1": "跳舞中...", "Process-2": "唱歌中..."}
	for name := range want {
		e := s.waitFor(name+" seen", 5*time.Second, func(e traceEvent) bool { return e.Event == "created" && e.Name == name })
		if !strings.Contains(e.Text, fmt.Sprintf("(pid %d)", program.Pid)) {
			t.Errorf("%s was created by %q, want the program's pid %d as its parent", name, e.Text, program.Pid)
		}
	}
	lines := map[string]int{}
	for _, e := range s.events() {
		if e.Event != "output" {
			continue
		}
		if w, ok := want[e.Name]; !ok || e.Line != w {
			t.Errorf("line %q landed in the lane of %s", e.Line, e.Name)
		}
		lines[e.Name]++
	}
	if lines["Process-1"] != 3 || lines["Process-2"] != 3 {
		t.Errorf("lines per lane: %v, want 3 each", lines)
	}
	time.Sleep(500 * time.Millisecond)
	s.screenshot("run-python-sing-dance.png")

	// Closing the window removes the hook's folder.
	app := s.app.Process.Pid
	hooks := filepath.Join(os.TempDir(), fmt.Sprintf("proclab-pyhook-%d-*", app))
	if found, _ := filepath.Glob(hooks); len(found) != 1 {
		t.Errorf("while the program ran, the hook folders were %v", found)
	}
	s.key("ctrl+q")
	done := make(chan error, 1)
	go func() { done <- s.app.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the app did not exit within 10 s of Ctrl+Q")
	}
	if found, _ := filepath.Glob(hooks); len(found) != 0 {
		t.Errorf("after the window closed, its hook folder is still there: %v", found)
	}
}

// proclab --watch PID: a process tree the lab did not start, live; when it
// ends, the window says so and keeps its last state, and it never signals
// it on its own.
func TestE2EWatchKeepsTheLastState(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import")
	outsider := exec.Command("sh", "-c", "sleep 60 & sleep 60 & wait")
	outsider.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := outsider.Start(); err != nil {
		t.Fatal(err)
	}
	pid := outsider.Process.Pid
	t.Cleanup(func() { _ = syscall.Kill(-pid, syscall.SIGKILL); _ = outsider.Wait() })
	time.Sleep(200 * time.Millisecond)
	bin := buildApp(t)
	s := startAppWith(t, bin, startXvfb(t), "en_US.UTF-8", "--watch", strconv.Itoa(pid))
	s.waitFor("watching", 5*time.Second, func(e traceEvent) bool { return e.Event == "watch" && strings.HasPrefix(e.Text, "watching sh · ") })
	time.Sleep(time.Second)
	if st, _, ok := procStat(pid); !ok || st == 'Z' {
		t.Fatal("watching ended the watched shell")
	}
	s.screenshot("watch-live.png")
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	s.waitFor("the watched root's end", 5*time.Second, func(e traceEvent) bool { return e.Event == "watch" && strings.HasPrefix(e.Text, "ended sh · ") })
	time.Sleep(500 * time.Millisecond)
	s.screenshot("watch-ended.png")
}

// A program in the window leaves a sleeper in its own session holding the
// output pipe. Ctrl+Q and SIGTERM each end ProcLab within 5 s, and with a
// cgroup the sleeper too; SIGKILL of ProcLab ends the sleeper within 2 s.
func TestE2EEveryWayOfEndingEndsTheLab(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import")
	bin := buildApp(t)
	display := startXvfb(t)
	for _, way := range []string{"ctrl+q", "SIGTERM", "SIGKILL"} {
		t.Run(way, func(t *testing.T) {
			secs := map[string]string{"ctrl+q": "3511", "SIGTERM": "3512", "SIGKILL": "3513"}[way]
			t.Cleanup(func() {
				for _, pid := range sleepersOf(secs) {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			})
			s := startApp(t, bin, display)
			s.key("ctrl+p")
			time.Sleep(300 * time.Millisecond)
			s.typeText("sh -c 'setsid sleep " + secs + " & echo started; sleep 3519'")
			s.key("Return")
			s.waitFor("the program's first line", 10*time.Second, func(e traceEvent) bool { return e.Event == "output" && e.Line == "started" })
			for deadline := time.Now().Add(5 * time.Second); len(sleepersOf(secs)) == 0 && time.Now().Before(deadline); {
				time.Sleep(20 * time.Millisecond)
			}
			if len(sleepersOf(secs)) == 0 {
				t.Fatal("the sleeper never started")
			}
			start := time.Now()
			switch way {
			case "ctrl+q":
				s.key("ctrl+q")
			case "SIGTERM":
				_ = s.app.Process.Signal(syscall.SIGTERM)
			case "SIGKILL":
				_ = s.app.Process.Kill()
			}
			done := make(chan error, 1)
			go func() { _, err := s.app.Process.Wait(); done <- err }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("ProcLab is still running 5 s after %s", way)
			}
			took := time.Since(start)
			probe := contain.New("probe")
			contained := probe.Guarantee() == contain.Kernel
			probe.Close()
			for len(sleepersOf(secs)) > 0 && time.Since(start) < took+2*time.Second {
				time.Sleep(20 * time.Millisecond)
			}
			t.Logf("%s: ProcLab ended in %v, its lab's sleeper in %v", way, took.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
			if left := sleepersOf(secs); len(left) > 0 && contained {
				t.Errorf("the sleeper in its own session outlived ProcLab's %s: %v", way, left)
			}
		})
	}
}

package procs

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The corpus (testdata/corpus) is everyday multiprocessing programs, one
// kind of thing each: pools, queues, pipes, managers, locks, shared memory,
// nesting, daemons, terminate and kill, exit codes, exceptions, os.fork,
// subprocesses, threads, partial lines, floods, raw bytes, Chinese, long
// lines, stderr, the three start methods, orphans. Each runs plainly and in
// the lab under every Python 3 on the machine, and the two runs must agree:
// the same lines on each stream (as multisets), the same exit code, the
// processes its header names, every line that says "pid=N" in the lane of
// process N, names that show as text, and nothing of it left running.
//
// A program's header may say:
//
//	# processes: N   the processes the lab shows: the program and its own
//	# exit: N        the exit code (0 when not said)
//	# python: 3.8    the oldest Python it runs on
//	# compare: text  its processes write into one line at a terminal, which
//	                 the lab gives each its own: compare the characters
func TestCorpusRunsAsInATerminal(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.py"))
	if err != nil || len(files) < 30 {
		t.Fatalf("the corpus has %d programs (%v), want 30 or more", len(files), err)
	}
	pythons := installedPythons(t)
	if len(pythons) == 0 {
		t.Skip("no python3 is installed: the corpus runs with every Python 3 there is")
	}
	// Python's defaults, at the terminal and in the lab, whatever the
	// environment the tests run in says; and UTF-8, which the programs'
	// Chinese needs (without a UTF-8 locale, Python 3.6 writes ASCII).
	t.Setenv("PYTHONUNBUFFERED", "")
	t.Setenv("PYTHONIOENCODING", "utf-8")
	for _, py := range pythons {
		t.Run(py.version, func(t *testing.T) {
			for _, file := range files {
				name := strings.TrimSuffix(filepath.Base(file), ".py")
				t.Run(name, func(t *testing.T) {
					h := readCorpusHeader(t, file)
					if py.older(h.python) {
						t.Skipf("needs Python %s", h.python)
					}
					compareCorpusRun(t, py.path, file, h)
				})
			}
		})
	}
}

type corpusHeader struct {
	processes int // 0: not said
	exit      int
	python    string
	textOnly  bool
}

func readCorpusHeader(t *testing.T, file string) corpusHeader {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var h corpusHeader
	for line := range strings.Lines(string(data)) {
		key, value, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "#")), ": ")
		if !strings.HasPrefix(line, "#") {
			break
		}
		if !ok {
			continue
		}
		switch key {
		case "processes":
			h.processes, err = strconv.Atoi(value)
		case "exit":
			h.exit, err = strconv.Atoi(value)
		case "python":
			h.python = value
		case "compare":
			h.textOnly = value == "text"
		}
		if err != nil {
			t.Fatalf("%s: header %q: %v", file, line, err)
		}
	}
	return h
}

// plainRun is what a terminal shows of a program: its lines on each
// stream and its exit code, once every process holding its output is done.
type plainRun struct {
	stdout, stderr []string
	exit           int
}

var pidMark = regexp.MustCompile(`pid=(\d+)`)

// normal hides what differs from run to run: pids, addresses.
func normal(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		l = pidMark.ReplaceAllString(l, "pid=N")
		out[i] = regexp.MustCompile(`0x[0-9a-f]+`).ReplaceAllString(l, "0x…")
	}
	slices.Sort(out)
	return out
}

// runPlain runs the program at a terminal. A run that has not ended in
// 30 s is not a reference: its processes are listed and killed, and the
// program is skipped, saying so.
func runPlain(t *testing.T, py, file string) plainRun {
	t.Helper()
	cmd := exec.Command(py, file)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its own group, to end all of it
	hung := make(chan []string, 1)
	var timer *time.Timer
	out, errOut := runOnTerminals(t, cmd, true, func() {
		timer = time.AfterFunc(30*time.Second, func() {
			hung <- describe(runningWith(file))
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		})
	})
	err := cmd.Wait()
	if !timer.Stop() {
		t.Skipf("run plainly at a terminal, it did not end within 30 s: %v; its output %q %q", <-hung, out, errOut)
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s %s: %v", py, file, err)
	}
	return plainRun{stdout: splitLines(out), stderr: splitLines(errOut), exit: cmd.ProcessState.ExitCode()}
}

func splitLines(s string) []string {
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

func compareCorpusRun(t *testing.T, py, file string, h corpusHeader) {
	plain := runPlain(t, py, file)
	if plain.exit != h.exit {
		t.Fatalf("run plainly, it exits with %d, its header says %d; stderr: %q", plain.exit, h.exit, plain.stderr)
	}
	// Every line the lab reads, in its process's lane, whatever the lanes
	// keep.
	var mu sync.Mutex
	lanes := map[*Process][]Line{}
	lab, err := NewLab(Options{LogDir: t.TempDir(), OnLines: func(p *Process, ls Lines) {
		mu.Lock()
		for i := range ls.Texts {
			lanes[p] = append(lanes[p], ls.Line(i))
		}
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	p := startProgram(t, lab, 60*time.Second, py, file)
	select {
	case <-p.OutputDone(): // every process of it has closed its output, an orphan too
	case <-time.After(30 * time.Second):
		var left []string
		for _, pid := range runningWith(file) {
			st, _ := ReadStat(pid)
			wchan, _ := os.ReadFile(fmt.Sprintf("/proc/%d/wchan", pid))
			left = append(left, fmt.Sprintf("%d (parent %d, state %c, in %s)", pid, st.PPid, st.State, wchan))
		}
		t.Fatalf("the program's output was not done within 30 s of its end; still running: %v", left)
	}
	if code := p.Snapshot().ExitCode; code != plain.exit {
		t.Errorf("in the lab it exits with %d, plainly with %d", code, plain.exit)
	}
	procs := lab.Processes()
	var stdout, stderr []string
	mu.Lock()
	for _, q := range procs {
		if name := q.Name(); Printable(name) != name {
			t.Errorf("the process name %q would act on a terminal instead of showing", name)
		}
		for _, l := range lanes[q] {
			if l.Stream == Stderr {
				stderr = append(stderr, l.Text)
			} else {
				stdout = append(stdout, l.Text)
			}
			// A line that names its writer is in the writer's lane.
			if m := pidMark.FindStringSubmatch(l.Text); m != nil && m[1] != strconv.Itoa(q.Pid()) {
				t.Errorf("%q is in the lane of %s (pid %d)", l.Text, q.Name(), q.Pid())
			}
		}
	}
	mu.Unlock()
	// What the lab shows is made safe (cleanLine), and a long line is in
	// MaxLineBytes pieces.
	want, wantErr := cleanLines(plain.stdout), cleanLines(plain.stderr)
	stdout = joinPieces(stdout)
	if h.textOnly {
		want, stdout = characters(want), characters(stdout)
	}
	if got, want := normal(stdout), normal(want); !slices.Equal(got, want) {
		t.Errorf("stdout differs from a run at a terminal:\n%s", multisetDiff(want, got))
	}
	if got, want := normal(stderr), normal(wantErr); !slices.Equal(got, want) {
		t.Errorf("stderr differs from a run at a terminal:\n%s", multisetDiff(want, got))
	}
	if h.processes > 0 && len(procs) != h.processes {
		var names []string
		for _, q := range procs {
			names = append(names, fmt.Sprintf("%s·%d", q.Name(), q.Pid()))
		}
		t.Errorf("the lab shows %d processes %v, the header says %d", len(procs), names, h.processes)
	}
	lab.Close()
	if left := runningWith(file); len(left) > 0 {
		t.Errorf("processes of the program still run after the lab closed: %v", describe(left))
	}
}

func cleanLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = cleanLine([]byte(l))
	}
	return out
}

// characters is the text of lines as one line per character but spaces.
func characters(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, r := range l {
			if r != ' ' {
				out = append(out, string(r))
			}
		}
	}
	return out
}

// joinPieces joins the MaxLineBytes pieces of lines the lab split (only
// the corpus's megabyte line is that long).
func joinPieces(lines []string) []string {
	var out []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		for len(lines[i]) == MaxLineBytes && i+1 < len(lines) && strings.Trim(lines[i+1], "x") == "" {
			i++
			l += lines[i]
		}
		out = append(out, l)
	}
	return out
}

// multisetDiff lists the lines one side has more of, a few of each.
func multisetDiff(want, got []string) string {
	count := map[string]int{}
	for _, l := range want {
		count[l]++
	}
	for _, l := range got {
		count[l]--
	}
	var b strings.Builder
	shown := 0
	for l, n := range count {
		if n == 0 || shown == 10 {
			continue
		}
		shown++
		side := "missing in the lab"
		if n < 0 {
			side, n = "extra in the lab", -n
		}
		fmt.Fprintf(&b, "  %s ×%d: %.120q\n", side, n, l)
	}
	return b.String()
}

// describe says where each process is and what it waits for.
func describe(pids []int) []string {
	var out []string
	for _, pid := range pids {
		st, _ := ReadStat(pid)
		wchan, _ := os.ReadFile(fmt.Sprintf("/proc/%d/wchan", pid))
		out = append(out, fmt.Sprintf("%d (parent %d, group %d, state %c, in %s, %q)", pid, st.PPid, st.PGid, st.State, wchan, readCmdline(pid)))
	}
	return out
}

// runningWith lists the live processes whose command line names file.
func runningWith(file string) []int {
	return pidsRunningWhere(func(cmdline []string) bool { return slices.Contains(cmdline, file) })
}

type python struct {
	path, version string
}

// older reports whether py is older than version ("3.8"); "" is no bound.
func (py python) older(version string) bool {
	if version == "" {
		return false
	}
	have, want := versionParts(py.version), versionParts(version)
	return slices.Compare(have[:2], want[:2]) < 0
}

func versionParts(v string) []int {
	parts := []int{0, 0}
	for i, f := range strings.SplitN(v, ".", 3) {
		if i < 2 {
			parts[i], _ = strconv.Atoi(f)
		}
	}
	return parts
}

// installedPythons finds python3 on PATH and every Python 3 pyenv has.
func installedPythons(t *testing.T) []python {
	var paths []string
	if p, err := exec.LookPath("python3"); err == nil {
		paths = append(paths, p)
	}
	root := os.Getenv("PYENV_ROOT")
	if root == "" {
		if out, err := exec.Command("pyenv", "root").Output(); err == nil {
			root = strings.TrimSpace(string(out))
		}
	}
	if root != "" {
		found, _ := filepath.Glob(filepath.Join(root, "versions", "3.*", "bin", "python3"))
		paths = append(paths, found...)
	}
	var out []python
	seen := map[string]bool{}
	for _, p := range paths {
		v, err := exec.Command(p, "-c", "import platform; print(platform.python_version())").Output()
		version := strings.TrimSpace(string(v))
		if err != nil || seen[version] {
			continue
		}
		seen[version] = true
		out = append(out, python{path: p, version: version})
	}
	t.Logf("Pythons: %v", out)
	return out
}

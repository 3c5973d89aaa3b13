package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"proclab/procs"
)

// TestMain lets the test binary be a worker, for the commands that start
// real children (proclab lesson).
func TestMain(m *testing.M) {
	procs.MaybeRunWorker()
	if os.Getenv(cliEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// cliEnv makes the test binary be proclab itself, for tests that send it
// signals or kill it.
const cliEnv = "PROCLAB_TEST_CLI"

func runCLI(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestTreePrintsThisProcessAndItsParent(t *testing.T) {
	code, out, errOut := runCLI("tree", strconv.Itoa(os.Getppid()))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "PROCESS(PID)") || !strings.Contains(lines[0], "STATE") || !strings.Contains(lines[0], "RSS") {
		t.Errorf("header %q", lines[0])
	}
	if !strings.Contains(out, "("+strconv.Itoa(os.Getpid())+")") {
		t.Errorf("the tree under the parent lacks this process %d:\n%s", os.Getpid(), out)
	}
}

func TestCommandLineErrorsSayHowToFixThem(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"tree", "abc"}, `"abc" is not a process id`},
		{[]string{"tree", "1", "2"}, "give at most one PID"},
		{[]string{"tree", "--hz", "99", "--watch"}, "--hz 99 is out of range"},
		{[]string{"tree", "999999999"}, "no process with PID 999999999"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"--hz", "0"}, "--hz 0 is out of range"},
		{[]string{"--nope"}, "flag provided but not defined"},
		{[]string{"--lesson", "demon"}, `--lesson: no lesson "demon"; lessons: concurrency`},
		{[]string{"--lang", "fr"}, `--lang "fr": use en or zh`},
		{[]string{"watch"}, "give one process id, e.g. proclab watch 1234"},
		{[]string{"lesson", "order", "--runs", "0"}, "--runs 0: play a lesson 1 to 20 times"},
		{[]string{"lesson", "order", "--runs", "2", "--json"}, "--runs and --json do not go together"},
		{[]string{"watch", "abc"}, `"abc" is not a process id`},
		{[]string{"watch", "999999999"}, "no process with PID 999999999"},
		{[]string{"run", "--headless"}, "give the program to run, e.g. proclab run -- python3 sing_dance.py"},
		{[]string{"run", "--headless", "--", "no-such-program-here"}, "no-such-program-here"},
		{[]string{"run", "--headless", "--", "/"}, `"/" is a directory, not a program`},
		{[]string{"run", "--headless", "--", "../../go.mod"}, `"../../go.mod" is not executable`},
		{[]string{"tree", "--watch", "--hz", "NaN"}, "--hz NaN is out of range"},
		{[]string{"tree", "--hz", "-Inf"}, "--hz -Inf is out of range"},
		{[]string{"--hz", "NaN"}, "--hz NaN is out of range"},
		{[]string{"--hz", "+Inf"}, "--hz +Inf is out of range"},
		{[]string{"--preload", "forever:1:NaN"}, "SECONDS must be a number from 0 to 86400"},
		{[]string{"--preload", "forever:1:Inf"}, "SECONDS must be a number from 0 to 86400"},
		{[]string{"--preload", "forever:600,forever:600"}, "that makes 1200 processes in all; --preload starts at most 1000"},
		{[]string{"--preload", "forever:1001"}, "N must be a number from 1 to 1000"},
		{[]string{"--preload", "nosuch:1"}, `unknown task "nosuch"`},
		{[]string{"watch", ""}, `"" is not a process id`},
		{[]string{"watch", "-5"}, "give one process id"},
		{[]string{"bench", "--only", "99"}, `there is no benchmark "99"`},
		{[]string{"bench", "--seconds", "1"}, "usage: proclab bench"},
	} {
		code, _, errOut := runCLI(tc.args...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("proclab %v: exit %d, stderr %q; want it to contain %q", tc.args, code, errOut, tc.want)
		}
	}
	if code, out, _ := runCLI("version"); code != 0 || !strings.HasPrefix(out, "proclab ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestLessonCommand(t *testing.T) {
	code, out, _ := runCLI("lesson", "--lang", "zh")
	if code != 0 || !strings.Contains(out, "globals        3.6a  进程之间不共享全局变量") {
		t.Errorf("lesson list: %d\n%s", code, out)
	}
	code, out, errOut := runCLI("lesson", "args-kwargs")
	if code != 0 || !strings.Contains(out, "名字为Tom, 年龄为30") || !strings.Contains(errOut, "matches the note's output") {
		t.Errorf("lesson args-kwargs: %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runCLI("lesson", "nope"); code != 2 || !strings.Contains(errOut, `no lesson "nope"; lessons: concurrency, process, sing-dance-1`) {
		t.Errorf("unknown lesson: %d %s", code, errOut)
	}
}

// proclab run --headless with the note's 思路2 program: each line tagged
// with the Python process that printed it, then the tree with exit codes.
func TestRunHeadlessTagsEachPythonProcess(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	code, out, errOut := runCLI("run", "--headless", "--", "python3", "../../procs/testdata/note/sing_dance_2.py")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	dance := regexp.MustCompile(`(?m)^\[Process-1 (\d+)\] 跳舞中\.\.\.$`).FindAllStringSubmatch(out, -1)
	sing := regexp.MustCompile(`(?m)^\[Process-2 (\d+)\] 唱歌中\.\.\.$`).FindAllStringSubmatch(out, -1)
	if len(dance) != 3 || len(sing) != 3 {
		t.Fatalf("want 3 tagged lines from each child:\n%s", out)
	}
	tree := out[strings.Index(out, "processes:"):]
	for _, want := range []string{"  sing_dance_2.py · ", "    Process-1 · " + dance[0][1] + " · exitcode 0 (parent ", "    Process-2 · " + sing[0][1] + " · exitcode 0 (parent "} {
		if !strings.Contains(tree, want) {
			t.Errorf("the tree lacks %q:\n%s", want, tree)
		}
	}
}

// proclab lesson order --runs 3: the note's 3.6(3) three times, side by side.
func TestLessonRunsSideBySide(t *testing.T) {
	code, out, errOut := runCLI("lesson", "order", "--runs", "3")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], "run 1") || !strings.Contains(lines[0], "│ run 3") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, l := range lines[1:] {
		if cells := strings.Split(l, " │ "); len(cells) != 3 || !strings.HasPrefix(cells[0], "名字为") {
			t.Errorf("row %q", l)
		}
	}
}

// Without a display the window commands say what to do instead, exit 2,
// and never reach Fyne's driver (which would panic).
func TestWindowCommandsWithoutADisplay(t *testing.T) {
	for _, display := range []string{"", ":987", "nonsense"} {
		t.Setenv("DISPLAY", display)
		for _, args := range [][]string{{}, {"--hz", "5"}, {"run", "--", "ls"}, {"watch", strconv.Itoa(os.Getpid())}, {"window"}} {
			code, _, errOut := runCLI(args...)
			if code != 2 || !strings.Contains(errOut, "Set DISPLAY to a running X server") || !strings.Contains(errOut, "proclab run --headless") {
				t.Errorf("DISPLAY=%q proclab %v: exit %d, stderr %q", display, args, code, errOut)
			}
		}
	}
}

// Bad command lines of every kind: never a panic. (Values that make a
// valid command which runs until stopped, such as tree --watch --watch --,
// or the whole benchmark, are left out.)
func TestNoCommandLinePanics(t *testing.T) {
	t.Setenv("DISPLAY", "")
	values := []string{"", "-1", "0", "NaN", "+Inf", "1e309", "99999999999999999999", "forever:1:NaN", "x:y:z:w", "\x00", strings.Repeat("9", 10000), "--", "-"}
	flags := []string{"--hz", "--preload", "--lesson", "--lang", "--watch", "--log-dir", "--runs", "--only", "--seconds"}
	commands := [][]string{{}, {"tree"}, {"tree", "--watch"}, {"lesson"}, {"lesson", "order"}, {"bench"}, {"watch"}, {"run"}}
	for _, c := range commands {
		for _, f := range flags {
			for _, v := range values {
				args := append(append([]string{}, c...), f, v)
				watches := len(c) > 0 && c[0] == "tree" && (f == "--watch" || len(c) == 2)
				if (len(c) > 0 && c[0] == "bench" || watches) && (v == "" || v == "--" || v == "-") {
					continue
				}
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("proclab %q panicked: %v", args, r)
						}
					}()
					_, _, _ = runCLI(args...)
				}()
			}
		}
	}
}

func FuzzPreload(f *testing.F) {
	for _, s := range []string{"forever:3", "pid_info:200:3600", "a:b", "forever:1:NaN", ",,", "forever:999,forever:2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		specs, err := parsePreload(s)
		if err == nil && len(specs) > maxPreload {
			t.Fatalf("%q: %d processes", s, len(specs))
		}
	})
}

// proclab doctor names each guarantee, and the fallback when forced.
func TestDoctorSaysWhatHolds(t *testing.T) {
	code, out, errOut := runCLI("doctor")
	if code != 0 || !strings.Contains(out, "containment by the kernel: ") || !strings.Contains(out, "signals through pidfds") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	t.Setenv("PROCLAB_NO_CGROUP", "1")
	if _, out, _ := runCLI("doctor"); !strings.HasPrefix(out, "NO   containment by the kernel: no cgroup for the lab (PROCLAB_NO_CGROUP is set)") {
		t.Errorf("forced fallback:\n%s", out)
	}
	if code, _, errOut := runCLI("doctor", "now"); code != 2 || !strings.Contains(errOut, "takes no arguments") {
		t.Errorf("doctor now: %d %s", code, errOut)
	}
}

// The proclab command links no GUI toolkit: a terminal command, a worker
// and a keeper start as a small Go program does, and never print Fyne's
// messages. The window is a binary of its own.
func TestTheCommandLinksNoGUIToolkit(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "fyne.io/") || strings.HasPrefix(dep, "github.com/go-gl/") || dep == "proclab/ui" {
			t.Errorf("the proclab command depends on %s", dep)
		}
	}
}

// With a display but no window binary beside proclab, a window command
// says what is missing and how to get it.
func TestAWindowCommandWithoutTheWindowBinary(t *testing.T) {
	// Something answering at DISPLAY is all the command asks of an X server.
	l, err := net.Listen("unix", "@/tmp/.X11-unix/X4747")
	if err != nil {
		t.Skip("no abstract socket:", err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	t.Setenv("DISPLAY", ":4747")
	code, _, errOut := runCLI("--hz", "5")
	if code != 1 || !strings.Contains(errOut, "the window is not installed") || !strings.Contains(errOut, "proclab-window is missing") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

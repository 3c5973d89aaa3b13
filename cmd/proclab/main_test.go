package main

import (
	"bytes"
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

package main

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"proclab/procs"
)

// TestMain lets the test binary be a worker, for the commands that start
// real children (proclab lesson).
func TestMain(m *testing.M) {
	procs.MaybeRunWorker()
	os.Exit(m.Run())
}

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

package procs

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The exported program, run by python3, ends its processes with the same
// exit codes the lab saw.
func TestExportedPythonDoesWhatTheLabDid(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the export cannot be run here")
	}
	lab := newLab(t)
	run := func(spec Spec, act func(p *Process)) *Process {
		p := mustCreate(t, lab, spec)
		mustStart(t, lab, p)
		if act != nil {
			act(p)
		}
		return p
	}
	run(Spec{Target: "dance"}, func(p *Process) { join(t, lab, p) })
	run(Spec{Target: "forever"}, func(p *Process) {
		time.Sleep(300 * time.Millisecond)
		_ = lab.Terminate(p)
		join(t, lab, p)
	})
	run(Spec{Target: "crash", Args: []any{int64(3)}}, func(p *Process) { join(t, lab, p) })
	run(Spec{Target: "show_info", Args: []any{"Tom"}}, func(p *Process) { join(t, lab, p) })
	run(Spec{Target: "threads", Args: []any{int64(2), "add_data"}}, func(p *Process) { join(t, lab, p) })
	run(Spec{Target: "threads", Kwargs: []KV{{"target", "forever"}, {"daemon", true}}}, func(p *Process) { join(t, lab, p) })
	run(Spec{Target: "forever"}, func(p *Process) { _ = lab.Kill(p); join(t, lab, p) })
	run(Spec{Target: CommandTarget, Command: []string{"sh", "-c", "exit 4"}}, func(p *Process) { join(t, lab, p) })
	started := run(Spec{Target: "forever"}, nil)
	_ = lab.Start(started) // AssertionError: cannot start a process twice, in the lab and the script
	interrupted, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, _ = lab.Join(interrupted, started, 0) // Esc after 0.2 s: join(timeout=0.2) in the script
	_ = lab.KillFromOutside(started)         // or main would wait for it forever, in both
	run(Spec{Target: "task", Daemon: true}, nil)
	if err := lab.MainEnds(context.Background()); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range lab.Processes() {
		code, ok := p.ExitCode()
		if !ok {
			t.Fatalf("%s has no exit code after main ended", p.Name())
		}
		want = append(want, "'"+p.Var()+"': "+strconv.Itoa(code))
	}

	script := lab.ExportPython()
	file := filepath.Join(t.TempDir(), "lab.py")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithTimeout(context.Background(), 60*time.Second)
	defer stop()
	out, err := exec.CommandContext(ctx, python, file).CombinedOutput()
	if err != nil {
		t.Fatalf("python3 %s: %v\n%s\n--- script ---\n%s", file, err, out, script)
	}
	m := regexp.MustCompile(`exitcodes: \{(.*)\}`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exit codes printed:\n%s", out)
	}
	if got := strings.Join(want, ", "); string(m[1]) != got {
		t.Errorf("python3 ended with {%s}, the lab with {%s}\n--- output ---\n%s\n--- script ---\n%s", m[1], got, out, script)
	}
	if !strings.Contains(string(out), "AssertionError: cannot start a process twice") {
		t.Errorf("the script did not raise what the lab raised:\n%s", out)
	}
	// The threads task's lines, the same in both: two threads of one
	// process fill its one g_list; daemon threads are not waited for.
	// CPython's print writes its parts apart, so the two threads' last
	// lines, printed at the same moment, can mix ("添加完成：添加完成：  [...]"):
	// the list and the words are checked apart.
	for _, line := range []string{"joined 2 threads; active_count(): 1", "添加完成：", "[0, 0, 1, 1, 2, 2]",
		"the main thread ends: daemon threads end with the process"} {
		if !strings.Contains(string(out), line) {
			t.Errorf("python3 did not print %q:\n%s", line, out)
		}
	}
}

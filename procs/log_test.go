package procs

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOldLogsArePruned(t *testing.T) {
	dir := t.TempDir()
	for i := range keepLogs + 5 {
		path := filepath.Join(dir, "lab-old-"+string(rune('a'+i))+".log")
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		past := time.Now().Add(-time.Duration(100-i) * time.Minute)
		_ = os.Chtimes(path, past, past)
	}
	g, err := openLabLog(dir, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	g.close()
	logs, _ := filepath.Glob(filepath.Join(dir, "lab-*.log"))
	if len(logs) != keepLogs {
		t.Errorf("%d logs kept, want %d", len(logs), keepLogs)
	}
	if _, err := os.Stat(filepath.Join(dir, "lab-old-a.log")); err == nil {
		t.Error("the oldest log was kept")
	}
}

// A log line is five tab-separated fields — seconds, name, pid, stream,
// text — with the text's own tabs made spaces, as `proclab bench` and a
// reader with cut(1) expect.
func TestLabLogLineFormat(t *testing.T) {
	g, err := openLabLog(t.TempDir(), 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines := []Line{
		{At: 1500 * time.Millisecond, Stream: Stderr, Text: "a\tb 中文"},
		{At: 73*time.Second + 123456789, Stream: Stdout, Text: ""},
	}
	var want strings.Builder
	for i, l := range lines {
		if err := g.write("Process-1", 4242+i, Lines{At: l.At, Stream: l.Stream, Texts: []string{l.Text}}); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&want, "%.6f\t%s\t%d\t%s\t%s\n", l.At.Seconds(), "Process-1", 4242+i, l.Stream, strings.ReplaceAll(l.Text, "\t", " "))
	}
	g.close()
	got, err := os.ReadFile(g.path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want.String() {
		t.Errorf("the log holds\n%q\nwant\n%q", got, want.String())
	}
}

// Two labs opened in the same second (the same millisecond, even) get two
// logs, and a ProcLab pruning the folder leaves every log a lab holds open.
func TestLogsAreUniqueAndOpenOnesAreNeverPruned(t *testing.T) {
	dir := t.TempDir()
	var open []*labLog
	for range keepLogs + 5 {
		g, err := openLabLog(dir, 0, nil)
		if err != nil {
			t.Fatalf("log %d: %v", len(open)+1, err)
		}
		open = append(open, g)
	}
	for _, g := range open {
		if _, err := os.Stat(g.path); err != nil {
			t.Errorf("an open log was pruned: %v", err)
		}
		g.close()
	}
	g, err := openLabLog(dir, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer g.close()
	if logs, _ := filepath.Glob(filepath.Join(dir, "lab-*.log")); len(logs) != keepLogs {
		t.Errorf("%d logs once the others closed, want %d", len(logs), keepLogs)
	}
}

// Two ProcLabs on one log folder: the second prunes while the first runs,
// and the first's log survives with every line.
func TestAnotherInstancePruningKeepsARunningLabsLog(t *testing.T) {
	dir := t.TempDir()
	for i := range keepLogs + 3 {
		path := filepath.Join(dir, fmt.Sprintf("lab-old-%02d.log", i))
		_ = os.WriteFile(path, nil, 0o644)
		past := time.Now().Add(-time.Hour)
		_ = os.Chtimes(path, past, past)
	}
	lab, err := NewLab(Options{LogDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	mine := lab.LogPath()
	past := time.Now().Add(-2 * time.Hour) // older than every other log
	_ = os.Chtimes(mine, past, past)
	exe, _ := os.Executable()
	other := exec.Command(exe, "-test.run=^TestOpenOneLabLog$")
	other.Env = append(os.Environ(), "PROCLAB_TEST_LOG_DIR="+dir)
	if out, err := other.CombinedOutput(); err != nil {
		t.Fatalf("the other ProcLab: %v\n%s", err, out)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Fatalf("the other ProcLab pruned this lab's open log: %v", err)
	}
	if lab.LogProblem() != "" {
		t.Errorf("LogProblem: %s", lab.LogProblem())
	}
}

// TestOpenOneLabLog is the other ProcLab of the test above.
func TestOpenOneLabLog(t *testing.T) {
	dir := os.Getenv("PROCLAB_TEST_LOG_DIR")
	if dir == "" {
		t.Skip("run by TestAnotherInstancePruningKeepsARunningLabsLog")
	}
	g, err := openLabLog(dir, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	g.close()
}

// An unusable log folder is told, and stays told for a window that
// subscribes later; a full log says so and the lab goes on.
func TestLogProblemsAreTold(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	_ = os.WriteFile(file, nil, 0o644)
	for _, dir := range []string{file, filepath.Join(file, "below")} {
		lab, err := NewLab(Options{LogDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if lab.LogPath() != "" || !strings.Contains(lab.LogProblem(), "cannot be logged to disk in "+dir) {
			t.Errorf("log dir %s: path %q, problem %q", dir, lab.LogPath(), lab.LogProblem())
		}
		lab.Close()
	}
	lab, err := NewLab(Options{LogDir: t.TempDir(), LogLimit: 2000})
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	sub := lab.Subscribe()
	defer sub.Close()
	p, _ := lab.Create(Spec{Target: "flood", Args: []any{0.3}})
	if err := lab.Start(p); err != nil {
		t.Fatal(err)
	}
	<-p.Exited()
	if !strings.Contains(lab.LogProblem(), "reached its limit of 2000 bytes") {
		t.Errorf("LogProblem after a flood past the limit: %q", lab.LogProblem())
	}
	lab.Close()
	if fi, err := os.Stat(lab.LogPath()); err != nil || fi.Size() > 2000 || fi.Size() == 0 {
		t.Errorf("the log holds %v bytes (%v), want 1 to 2000", fi.Size(), err)
	}
	events, _ := sub.Take()
	told := 0
	for _, e := range events {
		if e.Kind == EvError && strings.Contains(e.Text, "limit") {
			told++
		}
	}
	if told != 1 {
		t.Errorf("the full log was told %d times, want once", told)
	}
}

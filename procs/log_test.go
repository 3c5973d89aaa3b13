package procs

import (
	"fmt"
	"os"
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
	g, err := openLabLog(dir)
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
	g, err := openLabLog(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lines := []Line{
		{At: 1500 * time.Millisecond, Stream: Stderr, Text: "a\tb 中文"},
		{At: 73*time.Second + 123456789, Stream: Stdout, Text: ""},
	}
	var want strings.Builder
	for i, l := range lines {
		if err := g.write("Process-1", 4242+i, l); err != nil {
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

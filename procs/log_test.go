package procs

import (
	"os"
	"path/filepath"
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

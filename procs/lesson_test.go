package procs

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"proclab/assets/lessons"
)

// Every lesson from the note, played headless on real processes, prints
// what the note says its program prints.
func TestLessonsMatchTheNote(t *testing.T) {
	all, err := LoadLessons(lessons.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 10 {
		t.Fatalf("%d lessons loaded", len(all))
	}
	for _, l := range all {
		t.Run(l.Name, func(t *testing.T) {
			if l.Title["en"] == "" || l.Title["zh"] == "" || l.Explain["en"] == "" || l.Explain["zh"] == "" {
				t.Error("a lesson needs a title and an explanation in English and Chinese")
			}
			lines := strings.Split(l.Code, "\n")
			for _, s := range l.Steps {
				if s.Line > len(lines) {
					t.Errorf("step points at line %d of a %d-line program", s.Line, len(lines))
				}
			}
			lab := newLab(t)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			got, err := RunLesson(ctx, lab, l, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := CompareLesson(l, got); err != nil {
				t.Error(err)
			}
			if l.Name == "orphan" {
				if n := len(lab.Adopted()); n != 2 {
					t.Errorf("after the spawner was killed, %d orphans were adopted, want 2", n)
				}
			}
			if l.Name == "pid" {
				p := lab.Processes()[0]
				want := []string{fmt.Sprintf("os.getpid(): %d", p.Pid()), fmt.Sprintf("os.getppid(): %d", os.Getpid())}
				if strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("pid lesson printed %q, want %q", got, want)
				}
			}
		})
	}
}

package procs

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
			if l.Compare == "pattern" {
				// A lesson beyond the note: the same program at a terminal,
				// run by CPython itself, prints what the lesson expects.
				python, err := exec.LookPath("python3")
				if err != nil {
					t.Skip("python3 is not installed")
				}
				file := filepath.Join(t.TempDir(), l.Name+".py")
				if err := os.WriteFile(file, []byte(l.Code), 0o644); err != nil {
					t.Fatal(err)
				}
				out := strings.Split(strings.TrimSuffix(runInTerminal(t, python, file), "\n"), "\n")
				if err := CompareLesson(l, out); err != nil {
					t.Errorf("CPython at a terminal: %v", err)
				}
				if len(l.Measured) > 0 && len(Measured(l, got)) != len(l.Measured) {
					t.Errorf("the run's measured lines: %q", Measured(l, got))
				}
				if l.Name == "gil" {
					// What the lesson teaches holds on any machine, however
					// busy: two threads of one CPython never use much more
					// than one core.
					measured := 0
					for _, line := range append(got, out...) {
						var wall, cpu, cores float64
						if n, _ := fmt.Sscanf(line, "两个线程：用时 %f 秒，CPU %f 秒，同时用了 %f 个核", &wall, &cpu, &cores); n == 3 {
							measured++
							if cores > 1.35 {
								t.Errorf("two threads used %.1f cores: %q", cores, line)
							}
						}
					}
					if measured != 2 {
						t.Errorf("%d runs measured the threads' cores, want 2", measured)
					}
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

// Lesson 3.6a's last two lines race in CPython itself: the verdict accepts
// both orders, says where a wrong run parts from the note in its first
// line, and accepts every output real CPython prints for the note's
// program at a terminal.
func TestRacingLinesAcceptEveryOrderCPythonPrints(t *testing.T) {
	all, err := LoadLessons(lessons.FS)
	if err != nil {
		t.Fatal(err)
	}
	var l Lesson
	for _, x := range all {
		if x.Name == "globals" {
			l = x
		}
	}
	if len(l.Racing) == 0 {
		t.Fatal("lesson globals has no racing lines")
	}
	swapped := slices.Clone(l.Expected)
	n := len(swapped)
	swapped[n-1], swapped[n-2] = swapped[n-2], swapped[n-1]
	if err := CompareLesson(l, swapped); err != nil {
		t.Errorf("the other order of the racing lines: %v", err)
	}
	if !RaceShown(l, swapped) || RaceShown(l, l.Expected) {
		t.Error("RaceShown does not tell the other order from the note's")
	}
	wrong := slices.Clone(l.Expected)
	wrong[1] = "add: 5"
	err = CompareLesson(l, wrong)
	if err == nil || !strings.HasPrefix(err.Error(), `line 2: the note printed "add: 1", this run printed "add: 5"`) {
		t.Errorf("a wrong line: %v", err)
	}
	// The racing lines may not leave their places: one before the adds is
	// another program.
	moved := append([]string{l.Expected[n-1]}, l.Expected[:n-1]...)
	if CompareLesson(l, moved) == nil {
		t.Errorf("a racing line moved to the top was accepted: %q", moved)
	}
	if CompareLesson(l, l.Expected[:n-1]) == nil {
		t.Error("a run missing the last line was accepted")
	}

	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	file := filepath.Join(t.TempDir(), "globals.py")
	if err := os.WriteFile(file, []byte(l.Code), 0o644); err != nil {
		t.Fatal(err)
	}
	for run := range 6 {
		out := runInTerminal(t, python, file)
		got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if err := CompareLesson(l, got); err != nil {
			t.Errorf("run %d of CPython is refused: %v", run+1, err)
		}
	}
}

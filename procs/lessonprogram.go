package procs

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// A lesson beyond the note, on threads or the GIL, is a real Python
// program: what it shows (threads sharing a list, the GIL keeping two
// threads on one core) is CPython's, and no imitation of it would be
// honest. Its step "program" runs the lesson's code with that interpreter
// as a program of the lab, so its processes and threads are in the tree
// and its lines in their lanes, and waits for it to end.

// runProgram runs the lesson's code with the interpreter s.Program.
func (r *LessonRun) runProgram(ctx context.Context, s LessonStep) error {
	exe, err := exec.LookPath(s.Program)
	if err != nil {
		if s.Optional {
			_, m := say(msgNotInstalled, s.Program)
			r.notes = append(r.notes, m)
			return nil
		}
		return fmt.Errorf("lesson %s runs its program with %s, which is not installed: install it (Debian: apt-get install python3) and play it again", r.lesson.Name, s.Program)
	}
	dir, err := os.MkdirTemp("", "proclab-lesson-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, strings.ReplaceAll(r.lesson.Name, "-", "_")+".py")
	if err := os.WriteFile(file, []byte(r.lesson.Code), 0o644); err != nil {
		return err
	}
	p, err := r.lab.Create(Spec{Target: CommandTarget, Command: []string{exe, file}, Name: filepath.Base(file)})
	if err != nil {
		return err
	}
	r.vars[s.Program] = p
	if err := r.lab.Start(p); err != nil {
		return err
	}
	if _, err := r.lab.Join(ctx, p, 0); err != nil {
		return err
	}
	// Every line of every process of it is read before the next step.
	select {
	case <-p.OutputDone():
	case <-ctx.Done():
		return ctx.Err()
	}
	if code, ok := p.ExitCode(); ok && code != 0 {
		return fmt.Errorf("%s %s exited with %s", s.Program, filepath.Base(file), ExitCodeName(code))
	}
	return nil
}

// Notes are what the run has to say besides its output: an optional
// interpreter it did not find.
func (r *LessonRun) Notes() []Message { return append([]Message(nil), r.notes...) }

// figure is a number in a line: what a "pattern" lesson's # stands for.
var figure = regexp.MustCompile(`[0-9]+(?:\.[0-9]+)*`)

// matchesPattern reports whether line is want with a number wherever want
// has #: pids, times and measured figures differ from run to run.
func matchesPattern(want, line string) bool {
	parts := strings.Split(want, "#")
	var b strings.Builder
	b.WriteString("^")
	for i, part := range parts {
		if i > 0 {
			b.WriteString(figure.String())
		}
		b.WriteString(regexp.QuoteMeta(part))
	}
	b.WriteString("$")
	ok, _ := regexp.MatchString(b.String(), line)
	return ok
}

// comparePattern holds got against a "pattern" lesson's lines: the first
// len(want) lines match line for line; lines after them come from an
// optional interpreter's run, shown but not held to the note.
func comparePattern(want, got []string) error {
	for i, w := range want {
		if i >= len(got) {
			return fmt.Errorf("line %d: CPython prints %q, this run printed nothing more", i+1, w)
		}
		if !matchesPattern(w, got[i]) {
			return fmt.Errorf("line %d: CPython prints %q (# a number), this run printed %q", i+1, w, got[i])
		}
	}
	return nil
}

// Measured returns the lines of got that hold a lesson's measured figures
// (those starting with one of its Measured prefixes): its verdict quotes them.
func Measured(l Lesson, got []string) []string {
	var out []string
	for _, line := range got {
		for _, prefix := range l.Measured {
			if strings.HasPrefix(line, prefix) {
				out = append(out, line)
				break
			}
		}
	}
	return out
}

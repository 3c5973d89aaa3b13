package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"proclab/assets/lessons"
	"proclab/procs"
)

// findLesson looks a lesson up by name; the error lists the names there are.
func findLesson(all []procs.Lesson, name string) (*procs.Lesson, error) {
	var known []string
	for i := range all {
		if all[i].Name == name {
			return &all[i], nil
		}
		known = append(known, all[i].Name)
	}
	return nil, fmt.Errorf("no lesson %q; lessons: %s (proclab lesson lists them)", name, strings.Join(known, ", "))
}

// runLesson is `proclab lesson [NAME] [--json] [--lang en|zh]`: without a
// name it lists the lessons; with one it plays it on real processes and
// prints what a terminal running the note's program would show.
func runLesson(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lesson", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	lang := fs.String("lang", "en", "")
	runs := fs.Int("runs", 1, "")
	// Accept flags after the name too: proclab lesson globals --json.
	var names []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			fmt.Fprintf(stderr, "proclab lesson: %v\nusage: proclab lesson [NAME] [--json] [--lang en|zh] [--runs N]\n", err)
			return 2
		}
		args = fs.Args()
		if len(args) > 0 {
			names = append(names, args[0])
			args = args[1:]
		}
	}
	if *runs < 1 || *runs > 20 {
		fmt.Fprintf(stderr, "proclab lesson: --runs %d: play a lesson 1 to 20 times\n", *runs)
		return 2
	}
	if *runs > 1 && *asJSON {
		fmt.Fprintln(stderr, "proclab lesson: --runs and --json do not go together: one event stream at a time")
		return 2
	}
	if *lang != "en" && *lang != "zh" {
		fmt.Fprintf(stderr, "proclab lesson: --lang %q: use en or zh\n", *lang)
		return 2
	}
	all, err := procs.LoadLessons(lessons.FS)
	if err != nil {
		fmt.Fprintln(stderr, "proclab lesson:", err)
		return 1
	}
	if len(names) == 0 {
		for _, l := range all {
			fmt.Fprintf(stdout, "%-14s %-5s %s\n", l.Name, l.Section, l.Title[*lang])
		}
		return 0
	}
	if len(names) > 1 {
		fmt.Fprintf(stderr, "proclab lesson: one lesson at a time, not %d\n", len(names))
		return 2
	}
	lesson, err := findLesson(all, names[0])
	if err != nil {
		fmt.Fprintln(stderr, "proclab lesson:", err)
		return 2
	}
	lab, err := procs.NewLab(procs.Options{LogDir: "-"})
	if err != nil {
		fmt.Fprintln(stderr, "proclab lesson:", err)
		return 1
	}
	defer lab.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var emit func(procs.LessonEvent)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		emit = func(e procs.LessonEvent) { _ = enc.Encode(e) }
	} else {
		fmt.Fprintf(stderr, "# %s %s\n# %s\n", lesson.Section, lesson.Title[*lang], lesson.Explain[*lang])
		emit = func(e procs.LessonEvent) {
			switch {
			case e.Event == "output" && e.Process != "":
				fmt.Fprintln(stdout, e.Data)
			case e.Event == "note":
				fmt.Fprintf(stderr, "# %s\n", e.Data)
			}
		}
	}
	if *runs > 1 {
		return runLessonTimes(ctx, lab, *lesson, *runs, stdout, stderr)
	}
	got, err := procs.RunLesson(ctx, lab, *lesson, emit)
	if err != nil {
		fmt.Fprintln(stderr, "proclab lesson:", err)
		return 1
	}
	if err := procs.CompareLesson(*lesson, got); err != nil {
		fmt.Fprintln(stderr, "# differs from the note:", err)
		return 1
	}
	switch {
	case lesson.Compare == "pattern":
		// A lesson beyond the note holds the run against what CPython prints.
		fmt.Fprintln(stderr, "# matches CPython's output")
	case len(lesson.Expected) > 0:
		fmt.Fprintln(stderr, "# matches the note's output")
	}
	if m := procs.Measured(*lesson, got); len(m) > 0 {
		fmt.Fprintf(stderr, "# measured in this run:\n#   %s\n", strings.Join(m, "\n#   "))
	}
	return 0
}

// runLessonTimes plays a lesson n times on fresh labs and prints what each
// run printed side by side, one column a run: how the note's 3.6(3) shows
// that the order of the children's lines is not fixed.
func runLessonTimes(ctx context.Context, lab *procs.Lab, l procs.Lesson, n int, stdout, stderr io.Writer) int {
	var columns [][]string
	differ := 0
	for i := range n {
		if i > 0 {
			lab.Reset()
		}
		got, err := procs.RunLesson(ctx, lab, l, nil)
		if err != nil {
			fmt.Fprintln(stderr, "proclab lesson:", err)
			return 1
		}
		if procs.CompareLesson(l, got) != nil {
			differ++
		}
		columns = append(columns, got)
	}
	width, rows := 0, 0
	for _, c := range columns {
		rows = max(rows, len(c))
		for _, line := range c {
			width = max(width, runewidth(line))
		}
	}
	cell := func(s string) string { return s + strings.Repeat(" ", width-runewidth(s)) }
	var head []string
	for i := range columns {
		head = append(head, cell(fmt.Sprintf("run %d", i+1)))
	}
	fmt.Fprintln(stdout, strings.TrimRight(strings.Join(head, " │ "), " "))
	for r := range rows {
		var cells []string
		for _, c := range columns {
			line := ""
			if r < len(c) {
				line = c[r]
			}
			cells = append(cells, cell(line))
		}
		fmt.Fprintln(stdout, strings.TrimRight(strings.Join(cells, " │ "), " "))
	}
	if differ > 0 {
		fmt.Fprintf(stderr, "# %d of %d runs differ from the note\n", differ, n)
		return 1
	}
	fmt.Fprintf(stderr, "# all %d runs match the note's output\n", n)
	return 0
}

// runewidth is how many terminal columns s takes: CJK characters take two.
func runewidth(s string) int {
	w := 0
	for _, r := range s {
		w++
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6)) {
			w++
		}
	}
	return w
}

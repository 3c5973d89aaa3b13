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
	// Accept flags after the name too: proclab lesson globals --json.
	var names []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			fmt.Fprintf(stderr, "proclab lesson: %v\nusage: proclab lesson [NAME] [--json] [--lang en|zh]\n", err)
			return 2
		}
		args = fs.Args()
		if len(args) > 0 {
			names = append(names, args[0])
			args = args[1:]
		}
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
			if e.Event == "output" && e.Process != "" {
				fmt.Fprintln(stdout, e.Data)
			}
		}
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
	if len(lesson.Expected) > 0 {
		fmt.Fprintln(stderr, "# matches the note's output")
	}
	return 0
}

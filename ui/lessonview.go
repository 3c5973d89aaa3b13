package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// lessonView plays a lesson from the note in the window, step by step: its
// explanation, the note's program with the line being executed selected,
// and the note's printed output beside this run's. Between steps the user
// may act with the normal buttons; the lesson goes on from there.
type lessonView struct {
	w        *labWindow
	content  fyne.CanvasObject
	title    *widget.Label
	explain  *widget.Label
	code     *widget.List
	lines    []string
	expected *widget.Label
	got      *widget.Label
	earlier  *widget.Label // the earlier runs of this lesson, to compare
	history  [][]string    // what each finished run of this lesson printed
	verdict  *widget.Label
	next     *widget.Button
	toEnd    *widget.Button
	restart  *widget.Button
	headings [3]*widget.Label

	lesson   *procs.Lesson
	run      *procs.LessonRun
	terminal []string
	busy     bool
	ended    bool
	current  int  // the program's line being executed, from 1; 0 for none
	stepped  bool // some step ran by hand: the children had time to run ahead

	// background runs work off the UI goroutine (a step may sleep or join),
	// then done on the UI goroutine. Tests run both in order on their own.
	background func(work func(), done func())
}

func newLessonView(w *labWindow) *lessonView {
	v := &lessonView{w: w, background: func(work, done func()) {
		go func() {
			work()
			fyne.Do(done)
		}()
	}}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Wrapping = fyne.TextWrapWord
	v.explain = widget.NewLabel("")
	v.explain.Wrapping = fyne.TextWrapWord
	v.code = widget.NewList(
		func() int { return len(v.lines) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.TextStyle.Monospace = true
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(fmt.Sprintf("%2d  %s", i+1, v.lines[i]))
		},
	)
	v.expected = widget.NewLabel("")
	v.got = widget.NewLabel("")
	v.earlier = widget.NewLabel("")
	v.earlier.Wrapping = fyne.TextWrapWord
	v.verdict = widget.NewLabel("")
	v.verdict.Wrapping = fyne.TextWrapWord
	v.next = widget.NewButton("", v.step)
	v.toEnd = widget.NewButton("", v.runToEnd)
	v.restart = widget.NewButton("", func() {
		if v.lesson != nil {
			w.openLesson(*v.lesson)
		}
	})
	for i := range v.headings {
		v.headings[i] = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		v.headings[i].Wrapping = fyne.TextWrapWord // three side by side must fit a zoomed window
	}
	outputs := container.NewGridWithColumns(3,
		// Scrolling both ways: a long line of output must not make the
		// window wider than the screen.
		container.NewBorder(v.headings[0], nil, nil, nil, container.NewScroll(v.expected)),
		container.NewBorder(v.headings[1], nil, nil, nil, container.NewScroll(v.got)),
		container.NewBorder(v.headings[2], nil, nil, nil, container.NewVScroll(v.earlier)),
	)
	body := container.NewVSplit(v.code, container.NewBorder(nil, v.verdict, nil, nil, outputs))
	body.Offset = 0.6
	// The lesson scrolls as a page when it is taller than its tab (a long
	// explanation and verdict at 250 %), rather than make the window taller
	// than the screen.
	v.content = container.NewVScroll(container.NewBorder(
		container.NewVBox(v.title, v.explain, container.NewHScroll(container.NewHBox(v.next, v.toEnd, v.restart))),
		nil, nil, nil, body))
	v.relabel()
	return v
}

// relabel sets the view's texts in the current language; a lesson's own
// texts are bilingual and follow it too.
func (v *lessonView) relabel() {
	v.headings[0].SetText(tr("The note printed"))
	if v.lesson != nil && v.lesson.Compare == "pattern" {
		v.headings[0].SetText(tr("CPython prints (# is a number)"))
	}
	v.headings[1].SetText(tr("This run printed"))
	v.headings[2].SetText(tr("Earlier runs"))
	v.showHistory()
	v.toEnd.SetText(tr("Run to end (F5)"))
	v.restart.SetText(tr("Restart"))
	if l := v.lesson; l != nil {
		v.title.SetText(fmt.Sprintf("%s  %s", l.Section, l.Title[uiLanguage()]))
		v.explain.SetText(l.Explain[uiLanguage()])
	} else {
		v.title.SetText(tr("No lesson: choose one in the Lessons menu"))
		v.explain.SetText(tr("Each lesson plays one example of the lecture note on real processes."))
	}
	v.refresh()
}

// start shows lesson l, ready for its first step on a fresh lab.
func (v *lessonView) start(l procs.Lesson) {
	if v.lesson == nil || v.lesson.Name != l.Name {
		v.history = nil // another lesson: nothing to compare with
	}
	v.lesson = &l
	// A lesson on threads shows every process's threads; the others do
	// not (Ctrl+Shift+H still does).
	v.w.threads.showAll(l.Threads)
	v.w.pollSoon()
	v.run = procs.NewLessonRun(v.w.lab, l, func(text string) {
		fyne.Do(func() { v.mainPrinted(text) })
	})
	v.terminal, v.busy, v.ended, v.stepped = nil, false, false, false
	v.lines = strings.Split(strings.TrimSuffix(l.Code, "\n"), "\n")
	v.code.UnselectAll()
	v.current = 0
	v.code.Refresh()
	v.code.ScrollToTop()
	v.expected.SetText(strings.Join(l.Expected, "\n"))
	v.say("", widget.MediumImportance)
	v.got.SetText("")
	v.relabel()
}

// output records a line a child printed, as the terminal would show it.
func (v *lessonView) output(l procs.Line) {
	if v.run == nil || l.Stream != procs.Stdout {
		return
	}
	v.terminal = append(v.terminal, l.Text)
	v.got.SetText(strings.Join(v.terminal, "\n"))
}

func (v *lessonView) mainPrinted(text string) {
	// What the children printed before main did comes first, as in a
	// terminal, even when the view has not applied it yet.
	v.w.catchUp()
	v.terminal = append(v.terminal, text)
	v.got.SetText(strings.Join(v.terminal, "\n"))
	v.w.addMainLine(v.w.lab.Since(), procs.Stdout, "print: "+text)
	v.w.flushLanes()
}

// step runs the next line of the program; after the last, main's end.
func (v *lessonView) step() {
	if v.run == nil || v.busy || v.ended {
		return
	}
	if v.run.Done() {
		v.finish()
		return
	}
	if line := v.lesson.Steps[v.run.Next()].Line; line > 0 {
		v.code.Select(line - 1)
		v.current = line
	}
	v.busy, v.stepped = true, true
	v.refresh()
	run := v.run
	var err error
	v.background(func() { err = run.Step(v.w.ctx) }, func() {
		if run != v.run {
			return // restarted meanwhile
		}
		v.busy = false
		if err != nil {
			v.say(err.Error(), widget.DangerImportance)
		}
		v.refresh()
	})
}

// again plays the lesson once more, on a fresh lab, to its end.
func (v *lessonView) again() {
	if v.lesson == nil || v.busy {
		return
	}
	v.busy = true
	v.refresh()
	v.w.openLesson(*v.lesson, v.runToEnd)
}

// runToEnd runs every remaining step, then main's end.
func (v *lessonView) runToEnd() {
	if v.run == nil || v.busy || v.ended {
		return
	}
	v.busy = true
	v.refresh()
	run := v.run
	var err error
	v.background(func() {
		for !run.Done() && err == nil {
			err = run.Step(v.w.ctx)
		}
	}, func() {
		if run != v.run {
			return
		}
		v.busy = false
		if err != nil {
			v.say(err.Error(), widget.DangerImportance)
			v.refresh()
			return
		}
		v.finish()
	})
}

// maxLessonRuns is how many finished runs of a lesson stay to compare.
const maxLessonRuns = 8

// showHistory lists the finished runs of this lesson, one line each, so
// that the order of their output can be compared (the note's 3.6(3)).
func (v *lessonView) showHistory() {
	if len(v.history) == 0 {
		v.earlier.SetText(tr("Restart to run it once more: each finished run stays here, to compare."))
		return
	}
	lines := make([]string, len(v.history))
	for i, run := range v.history {
		lines[i] = tr("run %d:", i+1) + " " + strings.Join(run, " · ")
	}
	v.earlier.SetText(strings.Join(lines, "\n"))
}

// finish ends main, as the program's end does, then compares outputs.
func (v *lessonView) finish() {
	v.busy = true
	v.code.UnselectAll()
	v.current = 0
	v.refresh()
	run := v.run
	var err error
	v.background(func() { err = v.w.lab.MainEnds(v.w.ctx) }, func() {
		if run != v.run {
			return
		}
		// Every line the children printed before main ended must be in
		// this run's output before it is compared with the note's.
		v.w.catchUp()
		v.busy, v.ended = false, true
		v.history = append(v.history, v.terminal)
		if len(v.history) > maxLessonRuns {
			v.history = v.history[1:]
		}
		v.showHistory()
		switch {
		case err != nil:
			v.say(err.Error(), widget.DangerImportance)
		case len(v.lesson.Expected) == 0:
			v.say(tr("Main has ended. The note shows no output for this one: its point is in what the tree, the inspector and the cores strip showed."), widget.MediumImportance)
		default:
			if cmp := procs.CompareLesson(*v.lesson, v.terminal); cmp != nil {
				hint := ""
				if v.stepped {
					hint = " — " + tr("stepping by hand gives the children time to run ahead of main; Restart and Run to end (F5) to see the note's timing.")
				}
				// The outputs are side by side above: the verdict says where
				// they part, in one line.
				first, _, _ := strings.Cut(cmp.Error(), "\n")
				v.say("✘ "+tr("Differs from the note: %v", first)+hint, widget.DangerImportance)
			} else {
				text := "✔ " + tr("Main has ended: this run printed what the note printed.")
				if v.lesson.Compare == "pattern" {
					text = "✔ " + tr("The program has ended: this run printed what CPython prints.")
				}
				if note := v.lesson.RaceNote[uiLanguage()]; note != "" && procs.RaceShown(*v.lesson, v.terminal) {
					text += " " + note
				}
				if m := procs.Measured(*v.lesson, v.terminal); len(m) > 0 {
					text += "\n" + tr("Measured in this run:") + "\n" + strings.Join(m, "\n")
				}
				for _, note := range run.Notes() {
					text += "\n" + tr(note.Format, note.Args...)
				}
				v.say(text, widget.SuccessImportance)
			}
		}
		v.refresh()
	})
}

// say shows the verdict in its colour: green when the run matches the
// note, red when it differs.
func (v *lessonView) say(text string, importance widget.Importance) {
	v.verdict.Importance = importance
	v.verdict.SetText(text)
}

func (v *lessonView) refresh() {
	active := v.run != nil && !v.busy && !v.ended
	for _, b := range []*widget.Button{v.next, v.toEnd} {
		if active {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if v.lesson != nil && !v.busy {
		v.restart.Enable()
	} else {
		v.restart.Disable()
	}
	if v.run != nil && v.run.Done() && !v.ended {
		v.next.SetText(tr("Main ends (F10)"))
	} else {
		v.next.SetText(tr("Next step (F10)"))
	}
}

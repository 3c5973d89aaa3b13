package procs

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Lesson is one section of the lecture note as a scenario the lab plays:
// the note's program, what each of its lines does to real processes, and
// the output the note printed.
type Lesson struct {
	Name     string            `json:"name"`
	Section  string            `json:"section"`
	Title    map[string]string `json:"title"`   // by language: en, zh
	Explain  map[string]string `json:"explain"` // by language
	Code     string            `json:"code"`    // the note's program
	Expected []string          `json:"expected"`
	// Compare says how real output is held against Expected: "exact"
	// (same lines, same order), "unordered" (same lines, any order: the
	// note's point is that order varies), "last" (the last lines), "timing"
	// (where main's "over" falls among the child's lines), "pattern"
	// (line for line, # standing for any number) or "none".
	Compare string `json:"compare"`
	// Racing are groups of Expected's lines that processes print at the
	// same moment, so CPython prints them in either order (the note's
	// 3.6(3): processes run in no fixed order). "exact" accepts every
	// order of each group's lines among the places they hold; RaceNote
	// says so, by language.
	Racing   [][]string        `json:"racing,omitempty"`
	RaceNote map[string]string `json:"racenote,omitempty"`
	// Measured are the beginnings of the lines that hold what the program
	// measured (the GIL lesson's cores): the verdict quotes those lines.
	Measured []string `json:"measured,omitempty"`
	// Threads: while the lesson is open, the window shows every process's
	// threads.
	Threads bool         `json:"threads,omitempty"`
	Steps   []LessonStep `json:"steps"`
}

// LessonStep is what one line of the program does. Exactly one action
// field is set.
type LessonStep struct {
	Line int `json:"line"` // 1-based line of Code it stands for; 0: none

	Create    string  `json:"create,omitempty"` // variable name of a new Process
	Target    string  `json:"target,omitempty"`
	Args      string  `json:"args,omitempty"`   // Python tuple
	Kwargs    string  `json:"kwargs,omitempty"` // Python dict
	SetDaemon string  `json:"daemon,omitempty"`
	Start     string  `json:"start,omitempty"`
	Join      string  `json:"join,omitempty"`
	Terminate string  `json:"terminate,omitempty"`
	Kill      string  `json:"kill,omitempty"` // os.kill(p.pid, 9)
	Sleep     float64 `json:"sleep,omitempty"`
	Print     string  `json:"print,omitempty"`     // main prints this
	PrintExit string  `json:"printexit,omitempty"` // main prints p.exitcode
	MainRuns  string  `json:"mainruns,omitempty"`  // main runs this task itself
	IsAlive   string  `json:"isalive,omitempty"`   // main prints p.is_alive(), which reaps
	Pin       string  `json:"pin,omitempty"`       // os.sched_setaffinity(p.pid, Cores)
	Cores     string  `json:"cores,omitempty"`     // "0" (one core) or "all"
	// Program runs the lesson's Code with this interpreter (python3) as a
	// program of the lab, to its end (see lessonprogram.go); Optional: if
	// it is not installed, the run says so and goes on.
	Program  string `json:"program,omitempty"`
	Optional bool   `json:"optional,omitempty"`
}

// LoadLessons reads every *.json lesson in fsys, sorted by section.
func LoadLessons(fsys fs.FS) ([]Lesson, error) {
	files, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	var out []Lesson
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		var l Lesson
		if err := json.Unmarshal(data, &l); err != nil {
			return nil, fmt.Errorf("lesson %s: %w", f, err)
		}
		if l.Name == "" {
			l.Name = strings.TrimSuffix(path.Base(f), ".json")
		}
		out = append(out, l)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Section < out[j].Section })
	return out, nil
}

// LessonEvent is one thing a running lesson did, for --json and the window.
type LessonEvent struct {
	T       float64 `json:"t"`
	Process string  `json:"process"`
	Event   string  `json:"event"`
	Data    string  `json:"data,omitempty"`
	Line    int     `json:"line,omitempty"` // the program line being executed
}

// LessonRun plays a lesson one step at a time on a lab, so that the
// window can pause between steps and the user act with the normal buttons.
type LessonRun struct {
	lab       *Lab
	lesson    Lesson
	vars      map[string]*Process
	next      int
	mainPrint func(string)
	notes     []Message
}

// NewLessonRun prepares l on lab; mainPrint receives what main prints.
func NewLessonRun(lab *Lab, l Lesson, mainPrint func(string)) *LessonRun {
	return &LessonRun{lab: lab, lesson: l, vars: map[string]*Process{}, mainPrint: mainPrint}
}

// Lesson is what is being played.
func (r *LessonRun) Lesson() Lesson { return r.lesson }

// Next is the index of the step Step would run; Done when it is past the end.
func (r *LessonRun) Next() int { return r.next }

// Done reports whether every step has run.
func (r *LessonRun) Done() bool { return r.next >= len(r.lesson.Steps) }

func (r *LessonRun) get(name string) (*Process, error) {
	if p := r.vars[name]; p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("lesson %s: no process named %q", r.lesson.Name, name)
}

// Step runs the next step; a sleep or a join blocks for as long as it lasts.
func (r *LessonRun) Step(ctx context.Context) error {
	if r.Done() {
		return nil
	}
	s := r.lesson.Steps[r.next]
	r.next++
	lab := r.lab
	var err error
	var p *Process
	switch {
	case s.Create != "":
		var spec Spec
		spec.Target = s.Target
		if spec.Args, err = ParseArgs(s.Args); err == nil {
			spec.Kwargs, err = ParseKwargs(s.Kwargs)
		}
		if err == nil {
			p, err = lab.Create(spec)
			r.vars[s.Create] = p
		}
	case s.SetDaemon != "":
		if p, err = r.get(s.SetDaemon); err == nil {
			err = lab.SetDaemon(p, true)
		}
	case s.Start != "":
		if p, err = r.get(s.Start); err == nil {
			err = lab.Start(p)
		}
	case s.Join != "":
		if p, err = r.get(s.Join); err == nil {
			_, err = lab.Join(ctx, p, 0)
		}
	case s.Terminate != "":
		if p, err = r.get(s.Terminate); err == nil {
			err = lab.Terminate(p)
		}
	case s.Kill != "":
		if p, err = r.get(s.Kill); err == nil {
			err = lab.KillFromOutside(p)
		}
	case s.Sleep > 0:
		select {
		case <-time.After(time.Duration(s.Sleep * float64(time.Second))):
		case <-ctx.Done():
			err = ctx.Err()
		}
	case s.Print != "":
		r.mainPrint(s.Print)
	case s.PrintExit != "":
		if p, err = r.get(s.PrintExit); err == nil {
			// As Python's exitcode: it polls, so it reaps; None while running.
			if code, ok := lab.ExitCodeNow(p); ok {
				r.mainPrint(fmt.Sprint(code))
			} else {
				r.mainPrint("None")
			}
		}
	case s.MainRuns != "":
		err = runInMain(s.MainRuns, r.mainPrint)
	case s.Pin != "":
		if p, err = r.get(s.Pin); err == nil {
			cores := []int{0}
			if s.Cores == "all" {
				cores = cores[:0]
				for i := range runtime.NumCPU() {
					cores = append(cores, i)
				}
			}
			err = lab.SetAffinity(p, cores)
		}
	case s.Program != "":
		err = r.runProgram(ctx, s)
	case s.IsAlive != "":
		if p, err = r.get(s.IsAlive); err == nil {
			r.mainPrint(Repr(lab.IsAlive(p)))
		}
	}
	return err
}

// RunLesson plays l on lab from start to end, main's end included, and
// returns what a terminal running the note's program would have shown:
// every stdout line of every process, main's included, in arrival order.
// emit, if set, receives each event as it happens.
func RunLesson(ctx context.Context, lab *Lab, l Lesson, emit func(LessonEvent)) ([]string, error) {
	sub := lab.Subscribe()
	defer sub.Close()
	var mu sync.Mutex
	var terminal []string
	send := func(e LessonEvent) {
		if e.T == 0 {
			e.T = lab.Since().Seconds()
		}
		if emit != nil {
			emit(e)
		}
	}
	run := NewLessonRun(lab, l, func(text string) {
		mu.Lock()
		terminal = append(terminal, text)
		mu.Unlock()
		send(LessonEvent{Process: "MainProcess", Event: "output", Data: text})
	})
	// Children's lines reach the terminal as they arrive.
	done := make(chan struct{})
	var relay sync.WaitGroup
	relay.Add(1)
	go func() {
		defer relay.Done()
		for {
			select {
			case <-sub.C():
			case <-done: // drain what is left, then stop
			}
			evs, _ := sub.Take()
			for _, e := range evs {
				le := LessonEvent{T: e.At.Seconds(), Event: e.Kind.String(), Data: e.Text}
				if e.Proc != nil {
					le.Process = e.Proc.Name()
				}
				if e.Kind == EvOutput {
					le.Data = e.Line.Text
					if e.Line.Stream == Stdout {
						mu.Lock()
						terminal = append(terminal, e.Line.Text)
						mu.Unlock()
					}
				}
				if e.Kind == EvVars || e.Kind == EvState && e.Python == "" {
					continue
				}
				if e.Python != "" && le.Data == "" {
					le.Data = e.Python
				}
				send(le)
			}
			select {
			case <-done:
				return
			default:
			}
		}
	}()
	var err error
	for !run.Done() && err == nil {
		if line := l.Steps[run.Next()].Line; line > 0 {
			send(LessonEvent{Process: "MainProcess", Event: "line", Line: line})
		}
		err = run.Step(ctx)
	}
	if err == nil {
		err = lab.MainEnds(ctx)
	}
	for _, note := range run.Notes() {
		send(LessonEvent{Process: "MainProcess", Event: "note", Data: note.String()})
	}
	close(done)
	relay.Wait()
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), terminal...), err
}

// runInMain runs a task in ProcLab itself, as the note's 思路1 has main sing
// while a child dances; its lines are main's.
func runInMain(task string, print func(string)) error {
	t, ok := LookupTask(task)
	if !ok {
		return fmt.Errorf("unknown task %q", task)
	}
	args, err := t.bind(nil, nil)
	if err != nil {
		return err
	}
	w := &Worker{Name: "MainProcess", stdout: lineWriter(print), stderr: lineWriter(print), gList: []any{}}
	return t.run(w, args)
}

// lineWriter calls print once per line written.
type lineWriter func(string)

func (f lineWriter) Write(b []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		f(line)
	}
	return len(b), nil
}

// CompareLesson holds a run's terminal output against the note's, in the
// lesson's way; nil means it matches.
func CompareLesson(l Lesson, got []string) error {
	want := l.Expected
	switch l.Compare {
	case "exact":
		if i, ok := firstDifference(want, got, l.Racing); !ok {
			return fmt.Errorf("%s\nthe note printed\n%s\nthis run printed\n%s", describeDifference(want, got, i), strings.Join(want, "\n"), strings.Join(got, "\n"))
		}
	case "pattern":
		if err := comparePattern(want, got); err != nil {
			return fmt.Errorf("%w\nCPython prints\n%s\nthis run printed\n%s", err, strings.Join(want, "\n"), strings.Join(got, "\n"))
		}
	case "unordered":
		a, b := append([]string(nil), got...), append([]string(nil), want...)
		sort.Strings(a)
		sort.Strings(b)
		if strings.Join(a, "\n") != strings.Join(b, "\n") {
			return fmt.Errorf("the note printed (in any order)\n%s\nthis run printed\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
		}
	case "last":
		// The note's point is in the last lines (exit codes); what came
		// before depends on timing.
		if len(got) < len(want) || strings.Join(got[len(got)-len(want):], "\n") != strings.Join(want, "\n") {
			return fmt.Errorf("the last lines should be %q; this run printed %q", want, got)
		}
	case "timing":
		// The point is when main's "over" comes: after about five of the
		// child's lines (±2 for scheduling on a busy machine), and how many
		// come after it.
		split := func(lines []string) (before, after int, ok bool) {
			i := sliceIndex(lines, "over")
			if i < 0 {
				return 0, 0, false
			}
			return i, len(lines) - i - 1, true
		}
		wb, wa, _ := split(want)
		gb, ga, ok := split(got)
		if !ok || abs(gb-wb) > 2 || abs(gb+ga-wb-wa) > 2 || (wa == 0 && ga > 1) {
			return fmt.Errorf("the note printed %d lines before over and %d after; this run %d and %d:\n%s", wb, wa, gb, ga, strings.Join(got, "\n"))
		}
	}
	return nil
}

// firstDifference holds got against want line by line, except that the
// lines of each racing group may come in any order among the places the
// group holds in want; it returns the first line that differs.
func firstDifference(want, got []string, racing [][]string) (int, bool) {
	group := map[int]int{} // a place in want: its racing group
	places := make([][]int, len(racing))
	for g, lines := range racing {
		for i, w := range want {
			if slices.Contains(lines, w) {
				group[i] = g
				places[g] = append(places[g], i)
			}
		}
	}
	for i := range max(len(want), len(got)) {
		if i >= len(want) || i >= len(got) {
			return i, false
		}
		g, racing := group[i]
		if !racing {
			if got[i] != want[i] {
				return i, false
			}
			continue
		}
		// The group's places in got hold the group's lines, in any order.
		var a, b []string
		for _, p := range places[g] {
			if p < len(got) {
				a = append(a, got[p])
			}
			b = append(b, want[p])
		}
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			return i, false
		}
	}
	return 0, true
}

// describeDifference says in one line where got first leaves want.
func describeDifference(want, got []string, i int) string {
	switch {
	case i >= len(got):
		return fmt.Sprintf("line %d: the note printed %q, this run printed nothing more", i+1, want[i])
	case i >= len(want):
		return fmt.Sprintf("line %d: this run printed %q, the note nothing more", i+1, got[i])
	}
	return fmt.Sprintf("line %d: the note printed %q, this run printed %q", i+1, want[i], got[i])
}

// RaceShown reports whether got printed a racing group of l in another
// order than the note did (so the verdict can say both orders happen).
func RaceShown(l Lesson, got []string) bool {
	for _, lines := range l.Racing {
		var order, noted []string
		for _, line := range got {
			if slices.Contains(lines, line) {
				order = append(order, line)
			}
		}
		for _, line := range l.Expected {
			if slices.Contains(lines, line) {
				noted = append(noted, line)
			}
		}
		if !slices.Equal(order, noted) {
			return true
		}
	}
	return false
}

func sliceIndex(lines []string, s string) int {
	for i, l := range lines {
		if l == s {
			return i
		}
	}
	return -1
}

func abs(n int) int { return max(n, -n) }

package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"github.com/shirou/gopsutil/v3/process"

	"proclab/procs"
)

// inspector shows the selected process twice: as Python's Process object
// sees it (repr, daemon, is_alive, exitcode, its own globals) and as the
// operating system sees it (state, CPU, memory, threads, core, command
// line, start time, parent).
type inspector struct {
	content  fyne.CanvasObject
	title    *widget.Label
	fields   map[string]*widget.Label
	labels   map[string]*widget.Label // the field names, for a language switch
	headings [2]*widget.Label
	started  map[startKey]time.Time // start times, looked up once per process
	mainVars map[string]string
	// numbers paces the figures (see numbersClock); numbersPid is whose
	// were shown last.
	numbers    *numbersClock
	numbersPid int
}

type startKey struct {
	pid   int
	ticks uint64
}

var (
	pythonFields = []string{"repr", "daemon", "is_alive()", "exitcode", "reaped by", "globals"}
	osFields     = []string{"pid", "parent", "state", "CPU", "memory", "threads", "last core", "started", "command"}
	// fieldLabels translate the fields that are not Python's own names.
	fieldLabels = map[string]string{"reaped by": msg("reaped by"), "parent": msg("parent"), "state": msg("state"),
		"memory": msg("memory"), "threads": msg("threads"), "last core": msg("last core"), "started": msg("started"), "command": msg("command")}
)

func newInspector(buttons ...fyne.CanvasObject) *inspector {
	in := &inspector{fields: map[string]*widget.Label{}, labels: map[string]*widget.Label{}, started: map[startKey]time.Time{},
		mainVars: map[string]string{"g_list": "[]"}}
	in.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	form := func(names []string) *fyne.Container {
		c := container.New(layout.NewFormLayout())
		for _, n := range names {
			value := widget.NewLabel("")
			value.Wrapping = fyne.TextWrapBreak
			in.fields[n] = value
			in.labels[n] = widget.NewLabelWithStyle(n, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
			c.Add(in.labels[n])
			c.Add(value)
		}
		return c
	}
	for i := range in.headings {
		in.headings[i] = widget.NewLabel("")
		in.headings[i].Importance = widget.LowImportance
	}
	in.content = container.NewVScroll(container.NewVBox(
		in.title,
		in.headings[0], form(pythonFields), container.NewGridWithColumns(1, buttons...),
		widget.NewSeparator(),
		in.headings[1], form(osFields),
	))
	in.relabel()
	return in
}

// relabel sets the inspector's fixed texts in the current language.
func (in *inspector) relabel() {
	in.headings[0].SetText(tr("Python's view"))
	in.headings[1].SetText(tr("The operating system's view"))
	for field, key := range fieldLabels {
		in.labels[field].SetText(tr(key))
	}
	in.numbersPid = 0 // the figures too, in the new language, at once
}

func (in *inspector) set(field, text string) {
	if l := in.fields[field]; l.Text != text {
		l.SetText(text)
	}
}

// show fills the inspector for p (nil: MainProcess) from the lab's
// snapshot and the last poll.
func (in *inspector) show(p *procs.Process, mainPid int, main procs.MainState, poll *procs.Tree) {
	var info *procs.ProcInfo
	pid := mainPid
	if p == nil {
		in.setTitle(tr("MainProcess — ProcLab itself"))
		in.set("repr", "<_MainProcess name='MainProcess' parent=None started>")
		in.set("daemon", "False")
		in.set("is_alive()", "True")
		in.set("exitcode", "None")
		in.set("reaped by", "—")
		in.set("globals", formatVars(in.mainVars))
	} else {
		s := p.Snapshot()
		in.setTitle(fmt.Sprintf("%s — %s = multiprocessing.Process(target=%s)", s.Name, s.Var, s.Target))
		in.set("repr", p.Repr())
		in.set("daemon", procs.Repr(s.Daemon))
		switch {
		case s.Closed:
			in.set("is_alive()", "ValueError: process object is closed")
			in.set("exitcode", "ValueError: process object is closed")
		case s.Zombie:
			in.set("is_alive()", "False — "+tr("asking reaps the zombie (Ctrl+I)"))
			in.set("exitcode", "None — "+tr("until reaped (the kernel holds %s)", procs.ExitCodeName(s.ExitCode)))
		case s.Status == procs.Started:
			in.set("is_alive()", "True")
			in.set("exitcode", "None")
		case s.Status == procs.Stopped:
			in.set("is_alive()", "False")
			in.set("exitcode", fmt.Sprint(s.ExitCode))
		default:
			in.set("is_alive()", "False")
			in.set("exitcode", "None")
		}
		in.set("reaped by", orDash(s.ReapedBy))
		in.set("globals", formatVars(p.Vars()))
		pid = s.Pid
		if s.Status != procs.Started {
			pid = 0 // not running: nothing of it to read from the OS
		}
	}
	if poll != nil && pid != 0 {
		info = poll.Procs[pid]
	}
	in.showOS(pid, info, mainPid, main)
}

func (in *inspector) setTitle(t string) {
	if in.title.Text != t {
		in.title.SetText(t)
	}
}

func (in *inspector) showOS(pid int, info *procs.ProcInfo, mainPid int, main procs.MainState) {
	if info == nil {
		for _, f := range osFields {
			in.set(f, "—")
		}
		if pid != 0 {
			in.set("pid", fmt.Sprint(pid))
		}
		return
	}
	in.set("pid", fmt.Sprint(info.Pid))
	parent := fmt.Sprint(info.PPid)
	if info.PPid == mainPid {
		parent += " (MainProcess)"
	}
	in.set("parent", parent)
	// Figures change on every poll; like the tree, show them once a second
	// (each change repaints the window). So does ProcLab's own state: it
	// runs whenever it looks at itself, and flickered at every poll.
	figures := in.numbers.isDue() || in.numbersPid != info.Pid
	if figures || info.Pid != mainPid {
		in.set("state", fmt.Sprintf("%s (%c)", stateWord(info.State), info.State))
	}
	if figures {
		in.numbersPid = info.Pid
		in.set("CPU", tr("%.1f %% of a core", info.CPU))
		in.set("memory", tr("%s resident", procs.FormatBytes(info.RSS)))
		in.set("threads", fmt.Sprint(info.Threads))
		in.set("last core", fmt.Sprint(info.Core))
	}
	in.set("started", in.startTime(info))
	in.set("command", strings.Join(info.Cmdline, " "))
}

// startTime asks gopsutil once per process: a detail on demand, not part
// of the poll.
func (in *inspector) startTime(info *procs.ProcInfo) string {
	key := startKey{info.Pid, info.StartTime}
	t, ok := in.started[key]
	if !ok {
		if p, err := process.NewProcess(int32(info.Pid)); err == nil {
			if ms, err := p.CreateTime(); err == nil {
				t = time.UnixMilli(ms)
			}
		}
		in.started[key] = t
	}
	if t.IsZero() {
		return tr("unknown")
	}
	return t.Format("15:04:05.00")
}

func formatVars(vars map[string]string) string {
	if len(vars) == 0 {
		return "—"
	}
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	slices.Sort(names)
	lines := make([]string, len(names))
	for i, n := range names {
		lines[i] = n + " = " + vars[n]
	}
	return strings.Join(lines, "\n")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// showOther fills the inspector for a process the lab did not create:
// Python has no Process object for it, so only the OS's view is shown.
func (in *inspector) showOther(title string, pid, mainPid int, main procs.MainState, poll *procs.Tree) {
	in.setTitle(title)
	in.set("repr", tr("not a process of the lab: Python has no object for it"))
	for _, f := range pythonFields[1:] {
		in.set(f, "—")
	}
	var info *procs.ProcInfo
	if poll != nil {
		info = poll.Procs[pid]
	}
	in.showOS(pid, info, mainPid, main)
}

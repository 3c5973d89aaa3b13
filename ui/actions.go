package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"proclab/procs"
)

// action is one thing the user can ask main to do.
type action int

const (
	actNew action = iota
	actStart
	actJoin
	actTerminate
	actKill
	actDaemon
	actStop
	actContinue
	actClose
	actIsAlive
	actActiveChildren
	actPinOne
	actPinAll
	actMainEnds
	actNewLab
	actExport
	actClear
	actRun
	actCount
)

// toolbarOrder is the order of the actions in the toolbar.
var toolbarOrder = []action{actNew, actRun, actStart, actJoin, actTerminate, actKill, actStop, actContinue, actDaemon, actClose,
	actIsAlive, actActiveChildren, actPinOne, actPinAll, actMainEnds, actNewLab, actExport, actClear}

// actionTexts are each action's button label and what it does; both are
// translated when shown, except labels that are Python's own names.
var actionTexts = [actCount]struct {
	label, does string
	icon        func() fyne.Resource
}{
	actNew:            {msg("New"), msg("create a Process object: p = multiprocessing.Process(target=...) (Ctrl+N)"), theme.ContentAddIcon},
	actStart:          {msg("Start"), msg("p.start(): create the child process now (Ctrl+R)"), theme.MediaPlayIcon},
	actJoin:           {msg("Join"), msg("p.join(): main waits until the child ends; Esc interrupts (Ctrl+J)"), theme.HistoryIcon},
	actTerminate:      {msg("Terminate"), msg("p.terminate(): send SIGTERM, exit code -15 (Ctrl+T)"), theme.MediaStopIcon},
	actKill:           {msg("Kill"), msg("p.kill(): send SIGKILL, exit code -9 (Ctrl+K)"), theme.CancelIcon},
	actStop:           {msg("Stop"), msg("os.kill(p.pid, signal.SIGSTOP): freeze the child, state T (Ctrl+Z)"), theme.MediaPauseIcon},
	actContinue:       {msg("Continue"), msg("os.kill(p.pid, signal.SIGCONT): let a stopped child run again (Ctrl+Shift+Z)"), theme.MediaFastForwardIcon},
	actDaemon:         {msg("Daemon"), msg("p.daemon = True/False: daemons are terminated when main ends (Ctrl+D)"), theme.CheckButtonIcon},
	actClose:          {msg("Close"), msg("p.close(): release an ended process; its methods raise ValueError afterwards"), theme.DeleteIcon},
	actIsAlive:        {pythonName("is_alive()"), msg("p.is_alive(): asks, and reaps the child if it has ended (Ctrl+I)"), theme.QuestionIcon},
	actPinOne:         {msg("One core"), msg("os.sched_setaffinity(p.pid, {0}): run only on core 0, sharing it by time-slicing (concurrency) (Ctrl+Shift+O)"), theme.ViewRestoreIcon},
	actPinAll:         {msg("All cores"), msg("os.sched_setaffinity(p.pid, all cores): may run in parallel with others (Ctrl+Shift+P)"), theme.ViewFullScreenIcon},
	actActiveChildren: {pythonName("active_children()"), msg("multiprocessing.active_children(): lists live children, reaping ended ones (Ctrl+A)"), theme.ListIcon},
	actMainEnds:       {msg("Main ends"), msg("main's code ends: terminate daemonic children, then join the others (Ctrl+E)"), theme.LogoutIcon},
	actNewLab:         {msg("New lab"), msg("end every child and start an empty lab (Ctrl+L)"), theme.ViewRefreshIcon},
	actClear:          {msg("Clear ended"), msg("remove reaped processes from the tree and the lanes; the transcript keeps them (Ctrl+Shift+L)"), theme.ContentClearIcon},
	actRun:            {msg("Run program"), msg("run a program of this machine in the lab: its processes in the tree, its output in lanes, one lane per Python process (Ctrl+P)"), theme.ComputerIcon},
	actExport:         {msg("Export .py"), msg("save this lab as a Python program that does the same (Ctrl+S)"), theme.DocumentSaveIcon},
}

// pythonName marks a label that is a Python name: it is never translated.
func pythonName(name string) string { return "\x00" + name }

// actionLabel is the button label of action a in the current language.
func actionLabel(a action) string {
	if l, ok := strings.CutPrefix(actionTexts[a].label, "\x00"); ok {
		return l
	}
	return tr(actionTexts[a].label)
}

// pythonSays marks a reason that is Python's own answer: the action is
// disabled on screen, but a shortcut still runs it, so that the transcript
// shows the exception Python raises (or that the call does nothing).
const pythonSays = " — Python: "

// runsAnyway reports whether a shortcut should run an action whose button
// is disabled for reason why.
func runsAnyway(why string) bool {
	return strings.Contains(why, pythonSays) || strings.HasPrefix(why, "Python: ")
}

// whyNot says, for each action, why it cannot run now; "" means it can.
// sel is the selected process, nil when none is. This is the single place
// that decides what the toolbar and the shortcuts allow.
func whyNot(main procs.MainState, sel *procs.Snapshot) [actCount]string {
	var why [actCount]string
	noSel := tr("select a process first: click it in the tree or its lane, or create one with Ctrl+N")
	switch main.Phase {
	case procs.MainEnded:
		for a := range actCount {
			why[a] = tr("main has ended: press New lab (Ctrl+L) to start again")
		}
		why[actNewLab] = ""
		why[actExport] = ""
		why[actClear] = ""
		return why
	case procs.MainEnding:
		for a := range actCount {
			why[a] = tr("main is ending: it waits for its non-daemonic children to finish")
		}
		why[actNewLab] = ""
		return why
	case procs.MainJoining:
		busy := tr("main is blocked in %s.join(): wait, or press Esc to interrupt it", main.Joining.Var())
		for a := range actCount {
			why[a] = busy
		}
		why[actNewLab] = ""
		// Another program can still kill the child: os.kill from a shell.
		if sel != nil && sel.Status == procs.Started {
			why[actKill] = ""
		}
		return why
	}
	perProcess := []action{actStart, actJoin, actTerminate, actKill, actDaemon, actStop, actContinue, actClose, actIsAlive, actPinOne, actPinAll}
	if sel == nil {
		for _, a := range perProcess {
			why[a] = noSel
		}
		return why
	}
	name := sel.Name
	if sel.Observed {
		for _, a := range perProcess {
			why[a] = tr("%s was started by the program, not by ProcLab: ProcLab only watches it", name)
		}
		return why
	}
	if sel.Closed {
		for _, a := range perProcess {
			why[a] = tr("%s is closed", name) + pythonSays + "ValueError: process object is closed"
		}
		return why
	}
	if !procs.AffinitySupported {
		why[actPinOne] = tr("pinning to cores needs sched_setaffinity, which only Linux has")
		why[actPinAll] = why[actPinOne]
	} else if sel.Status != procs.Started || sel.Zombie {
		why[actPinOne] = tr("%s is not running: only a running process can be pinned to cores", name)
		why[actPinAll] = why[actPinOne]
	}
	if !sel.Frozen {
		why[actContinue] = tr("%s is not stopped: Stop (Ctrl+Z) freezes it first", name)
	}
	switch sel.Status {
	case procs.Initial:
		notStarted := tr("%s has not started: start it first (Ctrl+R)", name)
		why[actJoin] = notStarted + pythonSays + "AssertionError: can only join a started process"
		why[actTerminate] = notStarted
		why[actKill] = notStarted
		why[actStop] = notStarted + pythonSays + "TypeError: its pid is None"
		why[actTerminate] += pythonSays + "AttributeError"
		why[actKill] += pythonSays + "AttributeError"
	case procs.Started:
		why[actStart] = tr("%s has already started", name) + pythonSays + "AssertionError: cannot start a process twice"
		why[actDaemon] = tr("daemon can only be set before start()") + pythonSays + "AssertionError: process has already started"
		if !sel.Zombie {
			why[actClose] = "Python: ValueError: Cannot close a process while it is still running. You should first call join() or terminate()."
		}
		if sel.Frozen {
			why[actStop] = tr("%s is already stopped: Continue (Ctrl+Shift+Z) resumes it", name)
		}
		if sel.Zombie {
			why[actStop] = tr("%s has ended: a zombie cannot be stopped", name)
		}
	case procs.Stopped:
		why[actStop] = tr("%s was reaped: its pid may belong to another process now", name) + pythonSays + "ProcessLookupError"
		ended := tr("%s has ended with exitcode %s: there is nothing left to signal", name, procs.ExitCodeName(sel.ExitCode)) +
			pythonSays + tr("the call does nothing once the exit code is known")
		why[actStart] = tr("%s has already run", name) + pythonSays + "AssertionError: cannot start a process twice"
		why[actDaemon] = tr("daemon can only be set before start()") + pythonSays + "AssertionError: process has already started"
		why[actTerminate] = ended
		why[actKill] = ended
	}
	return why
}

package ui

import (
	"fmt"
	"strings"

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
	actCount
)

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
	noSel := "select a process first: click it in the tree or its lane, or create one with Ctrl+N"
	switch main.Phase {
	case procs.MainEnded:
		for a := range actCount {
			why[a] = "main has ended: press New lab (Ctrl+L) to start again"
		}
		why[actNewLab] = ""
		why[actExport] = ""
		why[actClear] = ""
		return why
	case procs.MainEnding:
		for a := range actCount {
			why[a] = "main is ending: it waits for its non-daemonic children to finish"
		}
		why[actNewLab] = ""
		return why
	case procs.MainJoining:
		busy := fmt.Sprintf("main is blocked in %s.join(): wait, or press Esc to interrupt it", main.Joining.Var())
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
	if sel.Closed {
		for _, a := range perProcess {
			why[a] = name + " is closed — Python: ValueError: process object is closed"
		}
		return why
	}
	if !procs.AffinitySupported {
		why[actPinOne] = "pinning to cores needs sched_setaffinity, which only Linux has"
		why[actPinAll] = why[actPinOne]
	} else if sel.Status != procs.Started || sel.Zombie {
		why[actPinOne] = name + " is not running: only a running process can be pinned to cores"
		why[actPinAll] = why[actPinOne]
	}
	if !sel.Frozen {
		why[actContinue] = name + " is not stopped: Stop (Ctrl+Z) freezes it first"
	}
	switch sel.Status {
	case procs.Initial:
		notStarted := fmt.Sprintf("%s has not started: start it first (Ctrl+R)", name)
		why[actJoin] = notStarted + " — Python: AssertionError: can only join a started process"
		why[actTerminate] = notStarted
		why[actKill] = notStarted
		why[actStop] = notStarted + " — Python: TypeError: its pid is None"
		why[actTerminate] += " — Python: AttributeError"
		why[actKill] += " — Python: AttributeError"
	case procs.Started:
		why[actStart] = name + " has already started — Python: AssertionError: cannot start a process twice"
		why[actDaemon] = "daemon can only be set before start() — Python: AssertionError: process has already started"
		if !sel.Zombie {
			why[actClose] = "Python: ValueError: Cannot close a process while it is still running. You should first call join() or terminate()."
		}
		if sel.Frozen {
			why[actStop] = name + " is already stopped: Continue (Ctrl+Shift+Z) resumes it"
		}
		if sel.Zombie {
			why[actStop] = name + " has ended: a zombie cannot be stopped"
		}
	case procs.Stopped:
		why[actStop] = name + " was reaped: its pid may belong to another process now — Python: ProcessLookupError"
		ended := fmt.Sprintf("%s has ended with exitcode %s: there is nothing left to signal — Python: the call does nothing once the exit code is known", name, procs.ExitCodeName(sel.ExitCode))
		why[actStart] = name + " has already run — Python: AssertionError: cannot start a process twice"
		why[actDaemon] = "daemon can only be set before start() — Python: AssertionError: process has already started"
		why[actTerminate] = ended
		why[actKill] = ended
	}
	return why
}

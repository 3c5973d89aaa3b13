package procs

import "fmt"

// What the lab says to people, as formats a window can translate.

// Message is a text for people as a format (English, in fmt's verbs) and
// its arguments: whoever shows it may translate the format.
type Message struct {
	Format string
	Args   []any
}

// String is the message in English.
func (m Message) String() string { return fmt.Sprintf(m.Format, m.Args...) }

// say makes an event's Text and Say from one format.
func say(format string, args ...any) (string, Message) {
	m := Message{Format: format, Args: args}
	return m.String(), m
}

// Messages are the formats of every Message the lab says: the window's
// translations must cover them all (a test checks).
var Messages = []string{
	msgAdopted, msgOrphanReaped, msgReaped, msgMainWaits, msgJoinReturned, msgStartedBy,
	msgNothingSent, msgSignalSent, msgSignalSentZombie, msgEndedZombie, msgMayRun, msgNewLab,
	msgExitLate, msgJoinTimedOut, msgTooManyProcesses, msgNotInstalled,
}

const (
	msgNotInstalled     = "%s is not installed here: the lesson ran without it"
	msgAdopted          = "%s (pid %d) lost its parent: adopted by MainProcess"
	msgOrphanReaped     = "%s (pid %d), an adopted orphan, reaped by MainProcess: exit status %s"
	msgReaped           = "reaped by %s: exitcode=%s"
	msgMainWaits        = "main waits for %s"
	msgJoinReturned     = "%s returned: %s.exitcode == %s"
	msgStartedBy        = "started by %s's program (pid %d)"
	msgNothingSent      = "nothing sent: the exit code is already known"
	msgSignalSent       = "%s sent"
	msgSignalSentZombie = "%s sent to a zombie: it has already ended, so nothing happens"
	msgEndedZombie      = "ended with exit status %s; a zombie until main reaps it"
	msgMayRun           = "may run on cores {%s}"
	msgNewLab           = "new lab"
	msgExitLate         = "exitcode=%s (reported after its end was seen)"
	msgJoinTimedOut     = "%s timed out: %s.exitcode is None"
	msgTooManyProcesses = "%s has started %d processes, as many as the lab shows for one program: the lines of the ones after are in their parent's lane"
)

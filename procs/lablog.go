package procs

import (
	"errors"
	"fmt"
	"time"
)

// The lab's side of its log: opening one per lab generation, flushing it
// soon after each write, and telling every problem when it happens (as an
// event) and afterwards (LogProblem), so no one claims the log holds more
// than it does.

// logFlushDelay is how long a written line may wait in the buffer: the
// most output a SIGKILL of ProcLab can lose. Under a flood the buffer fills
// and is written sooner; an idle lab does not wake up for it.
const logFlushDelay = 50 * time.Millisecond

// openLog starts a new log for the current lab; a lab without a log still
// works, and says why in an event and in LogProblem.
func (l *Lab) openLog() {
	if l.opts.LogDir == "-" {
		return
	}
	limit := max(l.opts.LogLimit, 0)
	g, err := openLabLog(l.opts.LogDir, limit, l.logDirty)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.log != nil {
		l.log.close()
	}
	l.log, l.logProblem = g, ""
	if err != nil {
		l.log = nil
		l.logProblem = fmt.Sprintf("the full output cannot be logged to disk in %s (%v): lanes still show the newest lines", l.opts.LogDir, err)
		l.publishLocked(Event{Kind: EvError, Text: l.logProblem})
	}
}

// logStopped records and announces, once per log, why it stopped.
func (l *Lab) logStopped(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.logProblem != "" {
		return
	}
	path := ""
	if l.log != nil {
		path = l.log.path
	}
	if errors.Is(err, ErrLogFull) {
		l.logProblem = fmt.Sprintf("the log %s reached its limit of %s: lines from now on are in the lanes only (--log-limit raises it)", path, sizeName(l.opts.LogLimit))
	} else {
		l.logProblem = fmt.Sprintf("the log %s stopped (%v): lines from now on are in the lanes only", path, err)
	}
	l.publishLocked(Event{Kind: EvError, Text: l.logProblem})
}

// LogProblem says why the current lab has no full log, or since when it
// misses lines; "" while the log holds every line.
func (l *Lab) LogProblem() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.logProblem
}

// flushLog writes the log's buffer out a moment after lines were written;
// it ends when the lab closes.
func (l *Lab) flushLog() {
	defer l.owners.Done()
	for {
		select {
		case <-l.closing:
			return
		case <-l.logDirty:
		}
		select {
		case <-l.closing:
			return
		case <-time.After(logFlushDelay):
		}
		if g := l.currentLog(); g != nil {
			if err := g.flush(); err != nil {
				l.logStopped(err)
			}
		}
	}
}

// sizeName prints a byte count for people.
func sizeName(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// problem publishes what the lab could not do, and tells OnProblem.
func (l *Lab) problem(e Event) {
	l.publish(e)
	if l.opts.OnProblem != nil {
		l.opts.OnProblem(e.Text)
	}
}

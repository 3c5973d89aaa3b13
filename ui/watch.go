package ui

import (
	"fmt"
	"os"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// Watching: any process of the machine — a build, a server, someone's
// multiprocessing homework — shown with its subtree in the same tree, with
// the same states, figures, flashes and inspector as the lab. It is
// read-only by default: a signal needs a confirmation that names the
// process, and is refused, with the reason, when the system would refuse it.

// otherProcess is a selected process that is not the lab's.
type otherProcess struct {
	pid   int
	start uint64
	title string
}

// watchState is the subtree being watched.
type watchState struct {
	pid   int
	start uint64 // with pid, the identity of the watched root
	title string
	ended bool
	// rows and kids of the subtree when last seen, kept once the root ends
	rows    map[string]*treeRow
	kids    map[string][]string
	parents map[string]string // each row's parent row, to place a row that ends
	root    string
	// born is when each row was first seen, for the green flash; gone holds
	// the rows that disappeared, shown red for the flash time.
	born map[string]time.Time
	gone map[string]goneRow
}

type goneRow struct {
	row    treeRow
	parent string
	at     time.Time
}

// startWatch starts watching pid's subtree.
func (w *labWindow) startWatch(pid int) {
	// The tree poll reads the lab alone until now: read every process once
	// here, and from now on at every poll.
	w.wholeMachine.Store(true)
	if w.poll == nil || w.poll.Procs[pid] == nil {
		var pl procs.Poller
		if t, err := pl.Poll(); err == nil {
			w.poll = t
		}
	}
	var info *procs.ProcInfo
	if w.poll != nil {
		info = w.poll.Procs[pid]
	}
	if info == nil {
		if st, err := procs.ReadStat(pid); err == nil {
			info = &procs.ProcInfo{ProcStat: st}
		}
	}
	if info == nil {
		w.wholeMachine.Store(w.watch != nil)
		w.sayTr(true, msg("no process with pid %d: it may have ended"), pid)
		return
	}
	w.watch = &watchState{pid: pid, start: info.StartTime, title: fmt.Sprintf("%s · %d", info.Name, pid),
		born: map[string]time.Time{}, gone: map[string]goneRow{}}
	w.threads.watch(pid)
	w.sayTr(false, msg("watching %s and its children: read-only, a signal asks for confirmation"), w.watch.title)
	w.traceWatch("watching " + w.watch.title)
	w.refreshViews()
}

func (w *labWindow) stopWatching() {
	if w.watch == nil {
		w.sayTr(true, msg("nothing is being watched: Ctrl+W picks a process to watch"))
		return
	}
	if w.other != nil {
		w.selectProcess(nil)
	}
	w.sayTr(false, msg("stopped watching %s"), w.watch.title)
	w.watch = nil
	w.wholeMachine.Store(false)
	w.threads.watch(0)
	w.refreshViews()
}

// addWatched adds the watched subtree to m, at the top level under main.
func (w *labWindow) addWatched(m *treeModel) {
	ws := w.watch
	if ws == nil {
		return
	}
	now := time.Now()
	flash := w.flashTime()
	var info *procs.ProcInfo
	if w.poll != nil && !ws.ended {
		info = w.poll.Procs[ws.pid]
	}
	if info == nil || info.StartTime != ws.start || info.State == 'Z' { // a zombie has ended too
		if !ws.ended {
			ws.ended = true
			w.sayTr(false, msg("%s has ended: the view keeps its last state"), ws.title)
			w.traceWatch("ended " + ws.title)
		}
		// The last state: a process of it that still runs (a shell's
		// background job, adopted by init) is shown live, as the poll sees
		// it; the others ended.
		for uid, row := range ws.rows {
			r := *row
			r.look, r.use, r.flash = stateLook{"✕", tr("ended"), colorEnded}, usage{}, 0
			if w.poll != nil && row.pid != ws.pid {
				if p := w.poll.Procs[row.pid]; p != nil && p.StartTime == row.start && p.State != 'Z' {
					r.look, r.use = osLook(p.State), usageOf(p)
				}
			}
			m.rows[uid] = &r
		}
		for uid, kids := range ws.kids {
			m.kids[uid] = append(m.kids[uid], kids...)
		}
		m.kids[""] = append(m.kids[""], ws.root)
		return
	}
	ws.root = m.addOS(w.poll, "", ws.pid)
	m.rows[ws.root].title = tr("watched") + " · " + m.rows[ws.root].title
	// Remember the subtree, mark it, flash what is new.
	rows, kids, parents := map[string]*treeRow{}, map[string][]string{}, map[string]string{}
	var walk func(uid string)
	walk = func(uid string) {
		row := m.rows[uid]
		row.watched = true
		rows[uid] = row
		if born, ok := ws.born[uid]; !ok {
			if ws.rows != nil { // not on the first poll: everything is new then
				ws.born[uid] = now
				row.flash = widget.SuccessImportance
			} else {
				ws.born[uid] = time.Time{}
			}
		} else if !born.IsZero() && now.Sub(born) < flash {
			row.flash = widget.SuccessImportance
		}
		if k := m.kids[uid]; len(k) > 0 {
			kids[uid] = append([]string(nil), k...)
		}
		for _, k := range m.kids[uid] {
			parents[k] = uid
			walk(k)
		}
	}
	walk(ws.root)
	for uid, row := range ws.rows {
		if _, still := rows[uid]; !still {
			if _, known := ws.gone[uid]; !known {
				ws.gone[uid] = goneRow{row: *row, parent: ws.parents[uid], at: now}
			}
			delete(ws.born, uid)
		}
	}
	for uid, g := range ws.gone {
		if now.Sub(g.at) >= flash {
			delete(ws.gone, uid)
			continue
		}
		if _, ok := rows[g.parent]; !ok {
			continue
		}
		r := g.row
		r.look, r.use, r.flash = stateLook{"✕", tr("ended"), colorEnded}, usage{}, widget.DangerImportance
		m.rows[uid] = &r
		m.kids[g.parent] = append(m.kids[g.parent], uid)
	}
	ws.rows, ws.kids, ws.parents = rows, kids, parents
}

// selectRow is a click in the tree: a process of the lab, main, or another
// process (watched, or one a lab process started).
func (w *labWindow) selectRow(row *treeRow) {
	if row.tid != 0 {
		// A thread: its process is what the inspector and the buttons
		// act on, and the tree keeps the thread's row selected.
		w.selected, w.other = row.proc, nil
		if row.proc == nil && row.pid != 0 && row.pid != w.pid {
			w.other = &otherProcess{pid: row.pid, start: row.start, title: row.title}
		}
		w.refreshViews()
		if l := w.lanePane.byProc[row.proc]; l != nil {
			w.showLane(l)
		}
		return
	}
	if row.proc != nil || row.pid == 0 || row.pid == w.pid {
		w.selectProcess(row.proc)
		return
	}
	w.selected = nil
	w.other = &otherProcess{pid: row.pid, start: row.start, title: row.title}
	w.refreshViews()
}

// otherWhyNot: only signals make sense for a process the lab did not
// create, and only those the system allows this user.
func otherWhyNot(main procs.MainState, o *otherProcess) [actCount]string {
	why := whyNot(main, nil)
	notLab := tr("%s is not a process of the lab: Python has no object for it; only signals can be sent to it", o.title)
	for _, a := range []action{actStart, actJoin, actDaemon, actClose, actIsAlive, actPinOne, actPinAll} {
		why[a] = notLab
	}
	reason := ""
	if err := procs.MaySignal(o.pid); err != nil {
		reason = tr("cannot signal %s: %v", o.title, err)
	}
	for _, a := range []action{actTerminate, actKill, actStop, actContinue} {
		why[a] = reason
	}
	return why
}

var otherSignals = map[action]struct {
	sig  syscall.Signal
	name string
}{
	actTerminate: {syscall.SIGTERM, "SIGTERM"}, actKill: {syscall.SIGKILL, "SIGKILL"},
	actStop: {syscall.SIGSTOP, "SIGSTOP"}, actContinue: {syscall.SIGCONT, "SIGCONT"},
}

// signalOther sends a signal to a process the lab did not create, after
// the user confirms it by name.
func (w *labWindow) signalOther(a action) {
	o := w.other
	if why := otherWhyNot(w.lab.Main(), o)[a]; why != "" {
		w.say(why, true)
		return
	}
	s := otherSignals[a]
	question := tr("%s is not a process of the lab. Send it %s, as os.kill(%d, signal.%s) would?", o.title, s.name, o.pid, s.name)
	// Root may signal anyone's process: say whose it is before it is sent.
	if owner, me := procs.ProcessUser(o.pid), currentUser(); owner != me {
		question = tr("%s belongs to %s, not to you (%s), and is not a process of the lab. Send it %s, as os.kill(%d, signal.%s) would?", o.title, owner, me, s.name, o.pid, s.name)
	}
	d := dialog.NewConfirm(tr("Send %s?", s.name), question,
		func(ok bool) {
			if !ok {
				w.sayTr(false, msg("nothing sent to %s"), o.title)
				return
			}
			if err := procs.SignalOther(o.pid, o.start, s.sig); err != nil {
				w.sayTr(true, msg("cannot signal %s: %v"), o.title, err)
				return
			}
			w.sayTr(false, msg("sent %s to %s"), s.name, o.title)
			w.traceWatch(fmt.Sprintf("sent %s to %s", s.name, o.title))
		}, w.win)
	d.SetConfirmText(tr("Send %s (Enter)", s.name))
	d.SetDismissText(tr("Cancel (Esc)"))
	w.showDialog(d, d.Dismiss, d.Confirm)
}

// currentUser is the name of the user ProcLab runs as.
func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return strconv.Itoa(os.Getuid())
}

// traceWatch writes what happens to the watched subtree to the trace, for
// the end-to-end test and anyone reading the trace.
func (w *labWindow) traceWatch(text string) {
	if w.trace != nil {
		_ = w.trace.Encode(map[string]any{"t": w.lab.Since().Seconds(), "event": "watch", "text": text})
	}
}

// pickable is one row of the watch picker.
type pickable struct {
	pid        int
	name, user string
	line       string
	search     string // lower case, everything the search matches
}

// doWatch opens the picker: every process of the machine, searchable by
// name, pid, user and command line; Enter watches the first match or the
// pid typed.
func (w *labWindow) doWatch() {
	t := w.poll
	if t == nil || t.Partial { // the tree poll read the lab alone
		var pl procs.Poller
		if t, _ = pl.Poll(); t == nil {
			t = &procs.Tree{}
		}
	}
	var all []pickable
	for pid, p := range t.Procs {
		user := procs.ProcessUser(pid)
		if user == "" {
			user = "?" // ended since the poll
		}
		cmd := strings.Join(p.Cmdline, " ")
		line := fmt.Sprintf("%7d  %-18.18s %-10.10s %s", pid, p.Name, user, cmd)
		all = append(all, pickable{pid: pid, name: p.Name, user: user, line: line,
			search: strings.ToLower(fmt.Sprintf("%d %s %s %s", pid, p.Name, user, cmd))})
	}
	slices.SortFunc(all, func(a, b pickable) int { return a.pid - b.pid })
	shown := all
	search := newEscEntry()
	search.SetPlaceHolder(tr("name, pid, user or command line"))
	var d dialog.Dialog
	close := func() {
		w.win.Canvas().Unfocus()
		d.Hide()
	}
	list := widget.NewList(func() int { return len(shown) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.TextStyle.Monospace = true
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(shown[i].line) })
	pick := func(pid int) {
		close()
		w.startWatch(pid)
	}
	list.OnSelected = func(i widget.ListItemID) { pick(shown[i].pid) }
	count := widget.NewLabel("")
	filter := func(q string) {
		q = strings.ToLower(strings.TrimSpace(q))
		shown = shown[:0:0]
		for _, p := range all {
			if strings.Contains(p.search, q) {
				shown = append(shown, p)
			}
		}
		count.SetText(tr("%d of %d processes", len(shown), len(all)))
		list.UnselectAll()
		list.Refresh()
	}
	search.OnChanged = filter
	search.OnSubmitted = func(q string) {
		if pid, err := strconv.Atoi(strings.TrimSpace(q)); err == nil {
			if _, ok := t.Procs[pid]; ok {
				pick(pid)
				return
			}
		}
		if len(shown) > 0 {
			pick(shown[0].pid)
			return
		}
		count.SetText(tr("no process matches %q: try a name, a pid or a user", q))
	}
	search.onEscape = close
	filter("")
	content := container.NewBorder(container.NewVBox(search, count), nil, nil, nil, list)
	d = dialog.NewCustom(tr("Watch a process"), tr("Cancel (Esc)"), content, w.win)
	d.Resize(fyne.NewSize(900, 560))
	w.showDialog(d, d.Hide, nil) // the search entry has the keys first
	w.win.Canvas().Focus(search)
}

package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

const mainUID = "main"

// treeRow is one line of the process tree.
type treeRow struct {
	title   string
	look    stateLook
	numbers string            // CPU % and memory
	flash   widget.Importance // non-zero while the row flashes
	proc    *procs.Process    // a process of the lab, nil for main and grandchildren
	pid     int               // an OS row's process; 0 for main and the lab's
	start   uint64            // its start time, with pid its identity
	watched bool              // part of the subtree being watched
}

func (r *treeRow) stats() string {
	if r.numbers == "" {
		return r.look.word
	}
	return r.look.word + " · " + r.numbers
}

// treeModel is the tree as the window shows it: main at the top, the lab's
// processes under it in creation order (ended ones stay, greyed, with their
// exit code) and under each the processes it started, as the poll saw them.
// Row ids are stable (p1 for Process-1, parent/pid:start for others) so
// rows keep their place while processes come and go.
type treeModel struct {
	rows map[string]*treeRow
	kids map[string][]string
	// observed are the live processes a program run in the lab started,
	// by pid: the OS tree places them under their real parent.
	observed map[int]procs.Snapshot
	uidOf    map[int]string // the row of each pid placed so far
	now      time.Duration
	flash    time.Duration
}

func labUID(p *procs.Process) string { return p.Var() }

// buildTree merges the lab's view with the OS's view of the last poll.
func buildTree(lab []procs.Snapshot, main procs.MainState, mainPid int, t *procs.Tree, adopted map[int]procs.Orphan, keeper int, now, flash time.Duration) *treeModel {
	m := &treeModel{rows: map[string]*treeRow{}, kids: map[string][]string{"": {mainUID}},
		observed: map[int]procs.Snapshot{}, uidOf: map[int]string{}, now: now, flash: flash}
	var ended []procs.Snapshot
	for _, s := range lab {
		switch {
		case !s.Observed:
		case s.Status == procs.Started && t != nil && t.Procs[s.Pid] != nil:
			m.observed[s.Pid] = s
		default:
			ended = append(ended, s)
		}
	}
	mainRow := &treeRow{title: fmt.Sprintf("MainProcess · %d", mainPid), look: mainLook(main)}
	var info *procs.ProcInfo
	if t != nil {
		info = t.Procs[mainPid]
	}
	mainRow.numbers = usage(info)
	m.rows[mainUID] = mainRow

	owned := map[int]bool{}
	for _, s := range lab {
		if s.Observed {
			continue // placed under their parent, below
		}
		var os *procs.ProcInfo
		if t != nil && s.Status == procs.Started {
			os = t.Procs[s.Pid]
			owned[s.Pid] = true
		}
		uid := m.addLab(s, os, mainUID)
		if os != nil {
			m.addOSChildren(t, uid, s.Pid)
		}
	}
	// Observed processes that ended stay, greyed, under their parent, or
	// under the program's process when their parent is gone too.
	for _, s := range ended {
		parent, ok := m.uidOf[s.ParentPid]
		if !ok {
			parent = mainUID
			if root := s.Proc.ObservedBy(); root != nil {
				parent = labUID(root)
			}
		}
		m.addLab(s, nil, parent)
	}
	// Processes under main that the lab did not create: orphans it adopted
	// (the keeper that ends the lab if ProcLab dies is no process of the lab).
	if t != nil {
		for _, pid := range t.Children(mainPid) {
			if !owned[pid] && pid != keeper {
				uid := m.addOS(t, mainUID, pid)
				if _, ok := adopted[pid]; ok {
					m.rows[uid].look.word = tr("adopted") + " · " + m.rows[uid].look.word
					m.rows[uid].look.glyph = "◆"
				}
			}
		}
	}
	return m
}

func (m *treeModel) addOSChildren(t *procs.Tree, parentUID string, pid int) {
	for _, c := range t.Children(pid) {
		m.addOS(t, parentUID, c)
	}
}

// addLab adds the row of a process of the lab under parentUID.
func (m *treeModel) addLab(s procs.Snapshot, os *procs.ProcInfo, parentUID string) string {
	uid := labUID(s.Proc)
	row := &treeRow{proc: s.Proc, look: lookOf(s, os), title: labTitle(s), numbers: usage(os)}
	// New processes flash green, ended ones red, for a moment.
	switch {
	case s.Status == procs.Started && !s.Zombie && m.now-s.StartedAt < m.flash:
		row.flash = widget.SuccessImportance
	case (s.Status == procs.Stopped || s.Zombie) && m.now-s.EndedAt < m.flash:
		row.flash = widget.DangerImportance
	}
	m.rows[uid] = row
	m.kids[parentUID] = append(m.kids[parentUID], uid)
	if s.Pid != 0 {
		m.uidOf[s.Pid] = uid
	}
	return uid
}

// pythonHelpers name the processes Python's multiprocessing starts for
// itself, recognised by their command line.
var pythonHelpers = []struct{ module, name string }{
	{"multiprocessing.forkserver", msg("forkserver (Python's helper)")},
	{"multiprocessing.resource_tracker", msg("resource tracker (Python's helper)")},
	{"multiprocessing.spawn", msg("spawned Python child, starting")},
}

func (m *treeModel) addOS(t *procs.Tree, parentUID string, pid int) string {
	if s, ok := m.observed[pid]; ok {
		uid := m.addLab(s, t.Procs[pid], parentUID)
		m.addOSChildren(t, uid, pid)
		return uid
	}
	p := t.Procs[pid]
	// The parent is part of the id: Fyne's tree keeps a visible row's depth
	// by id, so a process re-parented (an orphan adopted by main) must come
	// back as a new row to be drawn at its new depth.
	uid := fmt.Sprintf("%s/%d:%d", parentUID, pid, p.StartTime)
	look := osLook(p.State)
	title := fmt.Sprintf("%s · %d", p.Name, pid)
	if name, task, ok := p.WorkerName(); ok {
		title = fmt.Sprintf("%s · %s · %d", name, task, pid)
	} else if strings.HasPrefix(p.Name, "python") {
		cmdline := strings.Join(p.Cmdline, " ")
		for _, h := range pythonHelpers {
			if strings.Contains(cmdline, h.module) {
				title = fmt.Sprintf("%s · %s · %d", p.Name, tr(h.name), pid)
				break
			}
		}
	}
	m.rows[uid] = &treeRow{title: title, look: look, numbers: usage(p), pid: pid, start: p.StartTime}
	m.uidOf[pid] = uid
	m.kids[parentUID] = append(m.kids[parentUID], uid)
	m.addOSChildren(t, uid, pid)
	return uid
}

func labTitle(s procs.Snapshot) string {
	if s.Observed {
		return fmt.Sprintf("%s · %d", s.Name, s.Pid)
	}
	parts := []string{s.Name, s.Target}
	if s.Pid != 0 {
		parts = append(parts, fmt.Sprint(s.Pid))
	}
	if s.Daemon {
		parts = append(parts, tr("daemon"))
	}
	return strings.Join(parts, " · ")
}

func usage(p *procs.ProcInfo) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf("%.0f%% · %s", p.CPU, procs.FormatBytes(p.RSS))
}

// processTree is the tree pane.
type processTree struct {
	widget   *keyTree
	current  string // the selected row's uid; "" when none
	model    *treeModel
	opened   map[string]bool
	onSelect func(*treeRow)
	quiet    bool // set while the window selects a row itself
	// reveal is a row selected before the tree had it (a process just
	// created): it is scrolled into view once a model shows it.
	reveal string
	// scrolledTo is the row last scrolled into view.
	scrolledTo string
	// numbersAt is when CPU and memory figures were last shown. They change
	// on every poll, and with software rendering each repaint costs a few
	// percent of a core, so they refresh twice a second while states and
	// structure refresh on every poll.
	numbersAt time.Time
}

const numbersInterval = 500 * time.Millisecond

func newProcessTree(onSelect func(*treeRow)) *processTree {
	pt := &processTree{model: &treeModel{rows: map[string]*treeRow{}, kids: map[string][]string{}}, opened: map[string]bool{}, onSelect: onSelect}
	pt.widget = &keyTree{pt: pt}
	pt.widget.ChildUIDs = func(uid widget.TreeNodeID) []widget.TreeNodeID { return pt.model.kids[uid] }
	pt.widget.IsBranch = func(uid widget.TreeNodeID) bool { return uid == "" || len(pt.model.kids[uid]) > 0 }
	pt.widget.CreateNode = func(bool) fyne.CanvasObject {
		dot := canvas.NewText("●", colorInitial)
		title := widget.NewLabel("")
		title.Truncation = fyne.TextTruncateEllipsis
		return container.NewBorder(nil, nil, dot, widget.NewLabel(""), title)
	}
	pt.widget.UpdateNode = func(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
		row := pt.model.rows[uid]
		if row == nil {
			return
		}
		c := o.(*fyne.Container)
		title, dot, stats := c.Objects[0].(*widget.Label), c.Objects[1].(*canvas.Text), c.Objects[2].(*widget.Label)
		if s := row.stats(); stats.Text != s {
			stats.SetText(s)
		}
		if dot.Text != row.look.glyph || dot.Color != row.look.color {
			dot.Text, dot.Color = row.look.glyph, row.look.color
			dot.Refresh()
		}
		importance := widget.MediumImportance
		switch {
		case row.flash != 0:
			importance = row.flash
		case row.proc == nil && uid != mainUID && !row.watched:
			importance = widget.LowImportance
		}
		// A label that truncates shapes its text on every refresh: only
		// one whose text or colour changed is refreshed, once.
		if title.Text != row.title || title.Importance != importance {
			title.Text, title.Importance = row.title, importance
			title.Refresh()
		}
	}
	pt.widget.ExtendBaseWidget(pt.widget)
	pt.widget.OnSelected = func(uid widget.TreeNodeID) {
		pt.current = uid
		if pt.quiet {
			return
		}
		pt.widget.takeFocus()
		if row := pt.model.rows[uid]; row != nil {
			pt.onSelect(row)
		}
	}
	return pt
}

// set shows a new model, opening branches the first time they appear and
// leaving alone those the user closed.
func (pt *processTree) set(m *treeModel) {
	old := pt.model
	if time.Since(pt.numbersAt) >= numbersInterval {
		pt.numbersAt = time.Now()
	} else {
		for uid, row := range m.rows {
			// Keep showing the previous figures, unless the process has
			// none any more (it ended): then it shows none at once.
			if prev := old.rows[uid]; prev != nil && row.numbers != "" {
				row.numbers = prev.numbers
			}
		}
	}
	pt.model = m
	for uid := range m.kids {
		if uid != "" && !pt.opened[uid] {
			pt.opened[uid] = true
			pt.widget.OpenBranch(uid)
		}
	}
	if !sameShape(old, m) {
		pt.widget.Refresh()
		if _, ok := m.rows[pt.reveal]; ok {
			pt.scrollTo(pt.reveal)
		}
		return
	}
	// Same rows in the same places: repaint only those whose text changed.
	for uid, row := range m.rows {
		if prev := old.rows[uid]; *prev != *row {
			pt.widget.RefreshItem(uid)
		}
	}
}

func sameShape(a, b *treeModel) bool {
	if len(a.kids) != len(b.kids) || len(a.rows) != len(b.rows) {
		return false
	}
	for uid, kids := range a.kids {
		if !slices.Equal(kids, b.kids[uid]) {
			return false
		}
	}
	return true
}

// selectProcess highlights p's row without calling back.
func (pt *processTree) selectProcess(p *procs.Process) {
	pt.quiet = true
	defer func() { pt.quiet = false }()
	if p == nil {
		pt.widget.UnselectAll()
		// Main is what is selected then (its lane is): the arrows go on
		// from its row.
		pt.reveal, pt.current = "", mainUID
		return
	}
	uid := labUID(p)
	pt.widget.Select(uid)
	// A row the user cannot see is no use selected.
	if _, ok := pt.model.rows[uid]; ok {
		pt.scrollTo(uid)
	} else {
		pt.reveal = uid
	}
}

func (pt *processTree) scrollTo(uid string) {
	pt.widget.ScrollTo(uid)
	pt.reveal, pt.scrolledTo = "", uid
}

// mainLook draws main: green while it runs its code, amber while blocked
// in join() or waiting for its children at the end, grey once it ended.
func mainLook(main procs.MainState) stateLook {
	look := stateLook{"●", mainWord(main), colorRunning}
	switch main.Phase {
	case procs.MainJoining, procs.MainEnding:
		look.color = colorStopped
	case procs.MainEnded:
		look.color = colorEnded
	}
	return look
}

package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

const mainUID = "main"

// treeRow is one line of the process tree.
type treeRow struct {
	title string
	look  stateLook
	use   usage             // CPU % and memory, when the poll saw the process
	flash widget.Importance // non-zero while the row flashes
	proc  *procs.Process    // a process of the lab, nil for main and grandchildren
	pid   int               // an OS row's process; 0 for main and the lab's
	// shownPid is the row's pid, for the PID column and sorting; 0 before
	// a process of the lab has started.
	shownPid int
	start    uint64 // its start time, with pid its identity
	watched  bool   // part of the subtree being watched
	// tid is a thread row's thread (0 for a process): proc, pid and start
	// are then its process's, which a selected thread row stands for.
	tid     int
	threads int // a process's thread count, as the poll saw it; 0 unknown
	// threadsShown: the process's threads are rows under it.
	threadsShown bool
}

// usage is a process's CPU and memory as the last poll saw them.
type usage struct {
	known  bool
	cpu    float64 // percent of one core
	rss    uint64  // bytes
	shared bool    // a thread's: its memory is its process's, shown there
}

func usageOf(p *procs.ProcInfo) usage {
	if p == nil {
		return usage{}
	}
	return usage{known: true, cpu: p.CPU, rss: p.RSS}
}

func (u usage) cpuText() string {
	if !u.known {
		return ""
	}
	return fmt.Sprintf("%.0f%%", u.cpu)
}

func (u usage) memText() string {
	if !u.known || u.shared {
		return ""
	}
	return procs.FormatBytes(u.rss)
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
	// rowOf is the row of each process of the lab (its uid); a process a
	// program started has its parent in its uid, as OS rows do.
	rowOf map[*procs.Process]string
	now   time.Duration
	flash time.Duration
	// threadName is threading's name of a thread, where the lab knows it.
	threadName func(pid, tid int) (string, bool)
}

func labUID(p *procs.Process) string { return p.Var() }

// buildTree merges the lab's view with the OS's view of the last poll.
func buildTree(lab []procs.Snapshot, main procs.MainState, mainPid int, t *procs.Tree, adopted map[int]procs.Orphan, keeper int, now, flash time.Duration, threadName func(pid, tid int) (string, bool)) *treeModel {
	m := &treeModel{rows: map[string]*treeRow{}, kids: map[string][]string{"": {mainUID}},
		observed: map[int]procs.Snapshot{}, uidOf: map[int]string{}, rowOf: map[*procs.Process]string{}, now: now, flash: flash, threadName: threadName}
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
	mainRow := &treeRow{title: fmt.Sprintf("MainProcess · %d", mainPid), look: mainLook(main), shownPid: mainPid}
	var info *procs.ProcInfo
	if t != nil {
		info = t.Procs[mainPid]
	}
	mainRow.use = usageOf(info)
	m.rows[mainUID] = mainRow
	if info != nil {
		mainRow.threads = info.Threads
		m.addThreads(mainUID, info, mainRow)
	}

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
			if row, ok := m.rowOf[s.Proc.ObservedBy()]; ok {
				parent = row
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
	if s.Observed {
		// Fyne's tree keeps a row's depth by id: a process a program
		// started, placed under the program before its parent's row was
		// known and then under its parent, must come back as a new row
		// (it was drawn as its parent's sibling).
		uid = parentUID + ">" + uid
	}
	m.rowOf[s.Proc] = uid
	row := &treeRow{proc: s.Proc, look: lookOf(s, os), title: labTitle(s, os), use: usageOf(os), shownPid: s.Pid}
	if os != nil {
		row.threads = os.Threads
		m.addThreads(uid, os, row)
	}
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
	row := &treeRow{title: title, look: look, use: usageOf(p), pid: pid, shownPid: pid, start: p.StartTime, threads: p.Threads}
	m.rows[uid] = row
	m.addThreads(uid, p, row)
	m.uidOf[pid] = uid
	m.kids[parentUID] = append(m.kids[parentUID], uid)
	m.addOSChildren(t, uid, pid)
	return uid
}

// labTitle names a process of the lab: name, task, pid (and daemon); os is
// what the last poll saw of it, nil if nothing.
func labTitle(s procs.Snapshot, os *procs.ProcInfo) string {
	if s.Observed {
		// A spawner's child is a worker: its task is on its command line.
		if os != nil {
			if name, task, ok := os.WorkerName(); ok && name == s.Name {
				return fmt.Sprintf("%s · %s · %d", name, task, s.Pid)
			}
		}
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
	// numbers paces the CPU and memory figures (see numbersClock).
	numbers *numbersClock

	header  *treeHeader
	nodes   []*treeNode // every row widget the tree made (it reuses them)
	columns columnWidths
	// stateWidth is the widest state word of the rows, measured when the
	// rows change: the state column's width.
	stateWidth float32
	order      treeOrder
	filter     string
	// onHover shows a row's whole text ("" when the pointer leaves);
	// onMenu opens a row's menu at a point of the canvas.
	onHover func(uid string)
	onMenu  func(uid string, at fyne.Position)
	// rebuild builds the rows again from the last poll (after a change of
	// order or filter).
	rebuild func()
}

func newProcessTree(onSelect func(*treeRow)) *processTree {
	pt := &processTree{model: &treeModel{rows: map[string]*treeRow{}, kids: map[string][]string{}}, opened: map[string]bool{}, onSelect: onSelect}
	pt.widget = &keyTree{pt: pt}
	pt.widget.ChildUIDs = func(uid widget.TreeNodeID) []widget.TreeNodeID { return pt.model.kids[uid] }
	pt.widget.IsBranch = func(uid widget.TreeNodeID) bool { return uid == "" || len(pt.model.kids[uid]) > 0 }
	pt.widget.CreateNode = func(bool) fyne.CanvasObject {
		n := newTreeNode(pt)
		pt.nodes = append(pt.nodes, n)
		return n
	}
	pt.widget.UpdateNode = func(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
		if row := pt.model.rows[uid]; row != nil {
			o.(*treeNode).show(uid, row)
		}
	}
	pt.widget.ExtendBaseWidget(pt.widget)
	pt.header = newTreeHeader(pt)
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
	numbersDue := pt.numbers.isDue()
	if !numbersDue {
		for uid, row := range m.rows {
			// Keep showing the previous figures, unless the process has
			// none any more (it ended): then it shows none at once.
			if prev := old.rows[uid]; prev != nil && row.use.known {
				row.use = prev.use
			}
		}
	}
	sortKids(m, pt.order)
	filterKids(m, pt.filter)
	pt.model = m
	for uid := range m.kids {
		if uid != "" && !pt.opened[uid] {
			pt.opened[uid] = true
			pt.widget.OpenBranch(uid)
		}
	}
	if numbersDue {
		pt.measureStates()
	}
	if !sameShape(old, m) {
		pt.measureStates()
		pt.widget.Refresh()
		if _, ok := m.rows[pt.reveal]; ok {
			pt.scrollTo(pt.reveal)
		}
		return
	}
	// Same rows in the same places: repaint only those whose text changed.
	words := false
	for uid, row := range m.rows {
		if prev := old.rows[uid]; *prev != *row {
			words = words || prev.look.word != row.look.word
			pt.widget.RefreshItem(uid)
		}
	}
	if words && !numbersDue {
		pt.measureStates() // a state word changed: the column may need to widen
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
	if row, ok := pt.model.rowOf[p]; ok {
		uid = row
	}
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

// measureStates sets the state column to the widest state word shown.
func (pt *processTree) measureStates() {
	widest := float32(0)
	size, style := theme.TextSize(), fyne.TextStyle{}
	words := map[string]bool{}
	for _, row := range pt.model.rows {
		if !words[row.look.word] {
			words[row.look.word] = true
			widest = max(widest, fyne.MeasureText(row.look.word, size, style).Width)
		}
	}
	if widest != pt.stateWidth {
		pt.stateWidth = widest
		pt.fitColumns(pt.widget.Size().Width)
	}
}

// fitColumns decides the columns for a tree width; rows on screen are laid
// out again when they change.
func (pt *processTree) fitColumns(width float32) {
	cols := fitColumns(width, pt.stateWidth)
	if cols == pt.columns {
		return
	}
	pidColumn := (cols[colPid] > 0) != (pt.columns[colPid] > 0)
	pt.columns = cols
	if pidColumn {
		// The names lose or take back their pid: every row is written again.
		pt.header.relabel()
		pt.widget.Refresh()
	}
	for _, n := range pt.nodes {
		n.Refresh()
	}
	pt.header.Refresh()
}

// sortBy is a click on a column's title.
func (pt *processTree) sortBy(col treeColumn) {
	pt.order = pt.order.next(col)
	pt.header.relabel()
	pt.resort()
}

// setFilter shows only the rows that hold text (and their ancestors).
func (pt *processTree) setFilter(text string) {
	pt.filter = text
	pt.resort()
}

// resort applies the order and the filter to the rows the tree has now;
// the next poll builds them again the same way.
func (pt *processTree) resort() {
	if pt.rebuild != nil {
		pt.rebuild()
	}
}

// openRows is how many rows the tree shows: those under open branches.
func (pt *processTree) openRows() int { return len(pt.shownRows()) }

// rowHeight is the height of one row with the line between rows.
func (pt *processTree) rowHeight() float32 {
	return newTreeNode(pt).MinSize().Height + theme.SeparatorThicknessSize()
}

// hover shows the whole of a row in the status line while the pointer is
// on it: a name cut short to fit is never cut silently.
func (pt *processTree) hover(uid string) {
	if pt.onHover != nil {
		pt.onHover(uid)
	}
}

package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"proclab/procs"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestNaturalCompareOrdersNumbersByValue(t *testing.T) {
	names := []string{"Process-10 · forever", "Process-2 · dance", "process-1 · x", "Process-2", "python3 · 900", "python3 · 1000"}
	slices.SortFunc(names, naturalCompare)
	want := []string{"process-1 · x", "Process-2", "Process-2 · dance", "Process-10 · forever", "python3 · 900", "python3 · 1000"}
	if !slices.Equal(names, want) {
		t.Errorf("sorted %q, want %q", names, want)
	}
}

// A click on a title sorts by it, a second reverses, a third goes back to
// the order the processes came in; CPU and memory start biggest first.
func TestClickingAColumnTitleCyclesItsOrder(t *testing.T) {
	var o treeOrder
	var seen []treeOrder
	for range 3 {
		o = o.next(colCPU)
		seen = append(seen, o)
	}
	want := []treeOrder{{on: true, col: colCPU, desc: true}, {on: true, col: colCPU}, {}}
	if !slices.Equal(seen, want) {
		t.Errorf("three clicks on CPU: %+v, want %+v", seen, want)
	}
	if o = o.next(colName); o != (treeOrder{on: true, col: colName}) {
		t.Errorf("a click on Name: %+v", o)
	}
	if o = o.next(colMem); o != (treeOrder{on: true, col: colMem, desc: true}) {
		t.Errorf("then a click on Memory: %+v", o)
	}
}

func sampleModel() *treeModel {
	m := &treeModel{rows: map[string]*treeRow{}, kids: map[string][]string{"": {mainUID}}}
	add := func(parent, uid, title, state string, cpu float64, rss uint64) {
		var pid int
		fmt.Sscan(title[strings.LastIndex(title, " ")+1:], &pid)
		m.rows[uid] = &treeRow{title: title, look: stateLook{word: state}, use: usage{known: true, cpu: cpu, rss: rss}, shownPid: pid}
		m.kids[parent] = append(m.kids[parent], uid)
	}
	m.rows[mainUID] = &treeRow{title: "MainProcess · 1"}
	add(mainUID, "p1", "Process-1 · forever · 11", "sleeping", 0, 30)
	add(mainUID, "p2", "Process-2 · busy · 12", "running", 99, 10)
	add(mainUID, "p10", "Process-10 · dance · 13", "exitcode 0", 0, 20)
	add("p1", "p1/14", "sleep · 14", "sleeping", 1, 1)
	add("p1", "p1/15", "bash · 15", "running", 50, 2)
	return m
}

func TestSortKidsSortsUnderEachParent(t *testing.T) {
	m := sampleModel()
	sortKids(m, treeOrder{on: true, col: colCPU, desc: true})
	if got := m.kids[mainUID]; !slices.Equal(got, []string{"p2", "p1", "p10"}) {
		t.Errorf("by CPU, biggest first: %v", got)
	}
	if got := m.kids["p1"]; !slices.Equal(got, []string{"p1/15", "p1/14"}) {
		t.Errorf("p1's children by CPU: %v", got)
	}
	sortKids(m, treeOrder{on: true, col: colName})
	if got := m.kids[mainUID]; !slices.Equal(got, []string{"p1", "p2", "p10"}) {
		t.Errorf("by name: %v", got)
	}
	sortKids(m, treeOrder{on: true, col: colMem})
	if got := m.kids[mainUID]; !slices.Equal(got, []string{"p2", "p10", "p1"}) {
		t.Errorf("by memory, smallest first: %v", got)
	}
	if got := m.kids[""]; !slices.Equal(got, []string{mainUID}) {
		t.Errorf("main is not first: %v", got)
	}
	sortKids(m, treeOrder{on: true, col: colPid, desc: true})
	if got := m.kids[mainUID]; !slices.Equal(got, []string{"p10", "p2", "p1"}) {
		t.Errorf("by pid, biggest first: %v", got)
	}
	if row := m.rows["p10"]; row.titleWithoutPid() != "Process-10 · dance" {
		t.Errorf("the title without its pid: %q", row.titleWithoutPid())
	}
}

// The filter keeps matching rows and the rows above them; the rest go.
func TestFilterKeepsMatchesAndTheirAncestors(t *testing.T) {
	m := sampleModel()
	filterKids(m, "BASH")
	if got := m.kids[mainUID]; !slices.Equal(got, []string{"p1"}) {
		t.Errorf("filter bash, under main: %v", got)
	}
	if got := m.kids["p1"]; !slices.Equal(got, []string{"p1/15"}) {
		t.Errorf("filter bash, under p1: %v", got)
	}
	m = sampleModel()
	filterKids(m, "exitcode")
	if got := m.kids[mainUID]; !slices.Equal(got, []string{"p10"}) {
		t.Errorf("filter by state: %v", got)
	}
	m = sampleModel()
	filterKids(m, "no such process")
	if got := m.kids[""]; len(got) != 0 {
		t.Errorf("a filter that matches nothing keeps %v", got)
	}
	m = sampleModel()
	filterKids(m, "  ")
	if len(m.kids[mainUID]) != 3 {
		t.Errorf("a blank filter hid rows: %v", m.kids)
	}
}

// Columns give way in order (memory, then CPU) so the name keeps its room;
// the state column is never wider than what is left.
func TestColumnsGiveWayToTheName(t *testing.T) {
	test.NewTempApp(t)
	state := fyne.MeasureText("sleeping", theme.TextSize(), fyne.TextStyle{}).Width
	wide := fitColumns(1000, state)
	if wide[colCPU] == 0 || wide[colMem] == 0 || wide[colState] == 0 || wide[colPid] == 0 {
		t.Fatalf("at 1000 every column shows: %v", wide)
	}
	narrow := fitColumns(300, state)
	if narrow[colMem] != 0 || narrow[colPid] != 0 {
		t.Errorf("at 300 memory or the PID still shows: %v", narrow)
	}
	for _, width := range []float32{40, 120, 300, 500, 1000} {
		c := fitColumns(width, state)
		sum := c[colName] + c[colPid] + c[colState] + c[colCPU] + c[colMem]
		if sum > width+0.5 || c[colName] < 0 {
			t.Errorf("at %v the columns take %v: %v", width, sum, c)
		}
	}
}

// Text that does not fit is cut with "…" and says so; wrapped text keeps
// every character over its rows.
func TestFitTextCutsVisiblyAndWrapsWhole(t *testing.T) {
	test.NewTempApp(t)
	size, style := theme.TextSize(), fyne.TextStyle{}
	long := "Process-12 · forever · 123456 · sleeping"
	width := fyne.MeasureText("Process-12 · forever", size, style).Width
	cut := fitToWidth(long, width, size, style)
	if !strings.HasSuffix(cut, "…") || fyne.MeasureText(cut, size, style).Width > width {
		t.Errorf("cut to %v: %q", width, cut)
	}
	if got := fitToWidth("short", width, size, style); got != "short" {
		t.Errorf("a text that fits became %q", got)
	}
	rows := wrapToWidth(long, width, size, style, 3)
	if strings.Join(rows, "") != long || len(rows) < 2 {
		t.Errorf("wrapped onto %q", rows)
	}
	for _, r := range rows {
		if fyne.MeasureText(strings.TrimRight(r, " "), size, style).Width > width+0.5 {
			t.Errorf("row %q is wider than %v", r, width)
		}
	}
	// A word longer than a row is broken, not lost; past the last row, "…".
	word := strings.Repeat("x", 200)
	rows = wrapToWidth(word, width, size, style, 3)
	if len(rows) != 3 || !strings.HasSuffix(rows[2], "…") {
		t.Errorf("a 200-letter word: %q", rows)
	}
	ft := newFitText(style)
	ft.set(long, theme.ColorNameForeground)
	ft.Resize(fyne.NewSize(width, 20))
	if !ft.cut() {
		t.Error("a fitText cut to fit does not say it is cut")
	}
	ft.Resize(fyne.NewSize(2000, 20))
	if ft.cut() {
		t.Error("a fitText with room says it is cut")
	}
}

// The toolbar shows icons only when the labels do not fit, and every
// button stays inside the toolbar either way.
func TestToolbarGivesWayToIcons(t *testing.T) {
	h := newHarness(t)
	tb := h.w.toolbar
	full := float32(0)
	for _, w := range tb.fullWidth {
		full += w + theme.Padding()
	}
	for _, c := range []struct {
		width   float32
		compact bool
	}{{full + 10, false}, {full * 0.6, true}} {
		tb.Resize(fyne.NewSize(c.width, tb.MinSize().Height))
		if tb.compact != c.compact {
			t.Errorf("at %v (labels need %v) compact=%v", c.width, full, tb.compact)
		}
		for _, b := range tb.buttons {
			if right := b.Position().X + b.Size().Width; right > c.width+0.5 {
				t.Errorf("at %v the button %q ends at %v", c.width, b.label, right)
			}
			if c.compact && b.Text != "" {
				t.Errorf("compact, yet %q shows its label", b.Text)
			}
		}
	}
	if tb.MinSize().Width > full*0.6 {
		t.Errorf("the toolbar asks for %v, more than its icons", tb.MinSize().Width)
	}
}

// In the window: the header sorts the live tree, the filter hides rows
// until Esc, a right click opens the row's menu with the actions the
// toolbar allows, and hovering a row shows it whole.
func TestTreeSortsFiltersAndOpensARowMenu(t *testing.T) {
	h := newHarness(t)
	var ps []string
	for _, p := range h.startN(3, "forever") {
		ps = append(ps, labUID(p))
	}
	pt := h.w.tree
	pt.sortBy(colName)
	pt.sortBy(colName) // the other way: Process-3 first
	h.sync()
	if got := pt.model.kids[mainUID]; !slices.Equal(got, []string{ps[2], ps[1], ps[0]}) {
		t.Errorf("by name, reversed: %v", got)
	}
	if !strings.HasSuffix(pt.header.titles[colName].full, "▼") {
		t.Errorf("the Name title does not show the order: %q", pt.header.titles[colName].full)
	}
	pt.sortBy(colName) // back to the order they came in
	h.sync()
	if got := pt.model.kids[mainUID]; !slices.Equal(got, ps) {
		t.Errorf("a third click: %v", got)
	}

	h.w.filter.open()
	test.Type(h.w.filter.entry, "Process-2")
	h.sync()
	if got := pt.model.kids[mainUID]; !slices.Equal(got, []string{ps[1]}) {
		t.Errorf("filtered on Process-2: %v", got)
	}
	h.w.filter.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	h.sync()
	if got := pt.model.kids[mainUID]; len(got) != 3 || h.w.filter.box.Visible() {
		t.Errorf("after Esc: rows %v, filter shown %v", got, h.w.filter.box.Visible())
	}

	h.w.rowMenu(ps[0], fyne.NewPos(10, 10))
	if h.w.selected == nil || labUID(h.w.selected) != ps[0] {
		t.Fatalf("a right click did not select the row: %v", h.w.selected)
	}
	overlay := h.w.win.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("a right click opened no menu")
	}
	h.w.win.Canvas().Overlays().Remove(overlay)
	// p1 runs: Start is disabled, Terminate is not; Join runs (it blocks
	// main, as in Python).
	enabled := map[string]bool{}
	for _, item := range h.w.rowMenuOf(ps[0]).Items {
		enabled[item.Label] = !item.Disabled
	}
	if !enabled["Terminate (Ctrl+T)"] || !enabled["Kill (Ctrl+K)"] || !enabled["Join (Ctrl+J)"] || enabled["Continue (Ctrl+Shift+Z)"] {
		t.Errorf("the menu of a running process: %v", enabled)
	}
	if _, ok := enabled["Copy name and pid"]; !ok {
		t.Errorf("no copy item: %v", enabled)
	}

	h.w.hoverRow(ps[1])
	if !strings.Contains(h.w.statusBar.status.Text, "Process-2 · forever") {
		t.Errorf("hovering Process-2's row shows %q", h.w.statusBar.status.Text)
	}
	h.w.hoverRow("")
	if strings.Contains(h.w.statusBar.status.Text, "Process-2 · forever ·") {
		t.Errorf("the hover stays after the pointer left: %q", h.w.statusBar.status.Text)
	}
}

// Nothing ordinary makes the window ask for more than a 1280×800 screen,
// even at 250 %: a 300-character name, forty lanes, a lesson's verdict.
func TestNothingMakesTheWindowAskForMoreThanTheScreen(t *testing.T) {
	h := newHarness(t)
	h.w.app.Settings().SetTheme(newLabTheme(2.5, ""))
	t.Cleanup(func() { h.w.app.Settings().SetTheme(newLabTheme(1, "")) })
	h.w.win.Resize(fyne.NewSize(1280, 800))
	check := func(when string) {
		t.Helper()
		if m := h.w.win.Content().MinSize(); m.Width > 1280 || m.Height > 800 {
			t.Errorf("%s at 250 %%, the window asks for %v", when, m)
		}
		// Without the last resort (the panes' scroll): the panes give way
		// themselves.
		bars := h.w.win.Content().MinSize().Height - container.NewScroll(nil).MinSize().Height
		if m := h.w.panes.split.MinSize(); m.Width > 1280 || bars+m.Height > 800 {
			t.Errorf("%s at 250 %%, the panes ask for %v under bars of %v", when, m, bars)
		}
	}
	check("empty")
	name := strings.Repeat("a-very-long-name-", 18)
	p, err := h.lab.Create(procs.Spec{Target: "forever", Name: name})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.lab.Start(p); err != nil {
		t.Fatal(err)
	}
	for range 40 {
		q, _ := h.lab.Create(procs.Spec{Target: "dance"})
		_ = h.lab.Start(q)
	}
	h.sync()
	check("with a long name and 41 lanes")
	for _, l := range h.w.lessons {
		if l.Name == "globals" {
			h.w.openLesson(l)
		}
	}
	h.w.lessonV.say(strings.Repeat("✘ Differs from the note: a verdict that goes on ", 10), widget.DangerImportance)
	h.sync()
	check("with a lesson's long verdict")
}

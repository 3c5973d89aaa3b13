package ui

import (
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// startOutsider starts a process tree the lab knows nothing about: a shell
// with two sleeping children.
func startOutsider(t *testing.T) *exec.Cmd {
	t.Helper()
	return startShell(t, "sleep 60 & sleep 60 & wait", nil, "sleep", "sleep")
}

// startShell runs script in a shell of its own process group, killed with
// all it started when the test ends. It returns once the shell's children
// are the programs named in children (in any order), already exec'd: a
// fixed pause is not enough on a loaded machine.
func startShell(t *testing.T, script string, stdin io.Reader, children ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Stdin = stdin
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	waitChildren(t, cmd.Process.Pid, children...)
	return cmd
}

// waitChildren waits up to 10 s until pid's children are exactly the
// programs named (the kernel's short names, compared sorted).
func waitChildren(t *testing.T, pid int, names ...string) {
	t.Helper()
	want := strings.Join(slices.Sorted(slices.Values(names)), " ")
	var got string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		got = strings.Join(childNames(pid), " ")
		if got == want {
			return
		}
	}
	t.Fatalf("process %d has children [%s], want [%s]", pid, got, want)
}

// childNames lists the names of pid's live children, sorted, as the
// lab's own poller sees them.
func childNames(pid int) []string {
	var pl procs.Poller
	tree, err := pl.Poll()
	if err != nil {
		return nil
	}
	var names []string
	for _, c := range tree.Children(pid) {
		if info := tree.Procs[c]; info != nil && info.State != 'Z' {
			names = append(names, info.Name)
		}
	}
	slices.Sort(names)
	return names
}

// watchedRow finds pid's row in the watched subtree. (Here the outsider is
// also the test's child, so it shows under main too.)
func (h *harness) watchedRow(pid int) (string, *treeRow) {
	for uid, row := range h.w.tree.model.rows {
		if row.pid == pid && (row.watched || uid == h.w.watch.root) {
			return uid, row
		}
	}
	return "", nil
}

// buttonIn finds a button by its text among the window's overlays.
func buttonIn(c fyne.Canvas, text string) *widget.Button {
	for _, o := range test.LaidOutObjects(c.Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

// Watching a process the lab did not start: its subtree is in the tree,
// live; selecting it shows the OS's view; a signal asks first and is only
// sent once confirmed; when the watched process ends the view says so and
// keeps the last state.
func TestWatchShowsAnOutsiderAndSignalsOnlyWhenConfirmed(t *testing.T) {
	h := newHarness(t)
	sh := startOutsider(t)
	pid := sh.Process.Pid
	h.sync()
	h.w.startWatch(pid)
	h.sync()
	uid, row := h.watchedRow(pid)
	if row == nil || !row.watched || !strings.Contains(row.title, "sh · ") {
		t.Fatalf("no watched row for the shell %d: %+v", pid, row)
	}
	if kids := h.w.tree.model.kids[uid]; len(kids) != 2 {
		t.Errorf("the watched shell shows %d children, want its 2 sleeps", len(kids))
	}

	h.w.selectRow(row)
	if h.w.inspector.fields["pid"].Text != strings.TrimSpace(strings.Fields(row.title)[len(strings.Fields(row.title))-1]) {
		t.Errorf("the inspector shows pid %q for %q", h.w.inspector.fields["pid"].Text, row.title)
	}
	why := h.w.whyNot()
	if why[actTerminate] != "" || why[actStart] == "" {
		t.Errorf("for a watched process: terminate %q, start %q", why[actTerminate], why[actStart])
	}

	// Ctrl+T asks; Cancel sends nothing, and so does Esc.
	h.w.doTerminate()
	if cancel := buttonIn(h.w.win.Canvas(), "Cancel (Esc)"); cancel == nil {
		t.Fatal("Terminate did not ask for confirmation")
	} else {
		test.Tap(cancel)
	}
	h.w.doTerminate()
	h.w.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	time.Sleep(100 * time.Millisecond)
	if st, err := procs.ReadStat(pid); err != nil || st.State == 'Z' {
		t.Fatalf("the shell ended although the signal was cancelled")
	}
	if h.w.dismiss != nil {
		t.Error("after Esc the window still believes a dialog is open")
	}
	// Confirmed with Enter, SIGTERM goes to the shell.
	h.w.doTerminate()
	if buttonIn(h.w.win.Canvas(), "Send SIGTERM (Enter)") == nil {
		t.Fatal("no Send SIGTERM button in the confirmation")
	}
	h.w.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	state, _ := sh.Process.Wait()
	if ws, ok := state.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGTERM {
		t.Errorf("the shell ended with %v, want SIGTERM", state)
	}
	h.sync()
	if !h.w.watch.ended || !strings.Contains(h.w.statusBar.status.Text, "has ended: the view keeps its last state") {
		t.Errorf("after the watched shell ended: ended %v, status %q", h.w.watch.ended, h.w.statusBar.status.Text)
	}
	if _, row := h.watchedRow(pid); row == nil || row.look.word != "ended" {
		t.Errorf("the ended shell's row: %+v", row)
	}
	// Its two sleeps outlive it (SIGTERM went to the shell only): they
	// stay live in the watched subtree, as /proc has them. (The test, their
	// grandparent and a subreaper, also shows them as its adopted orphans.)
	h.sync()
	live := 0
	for _, row := range h.w.tree.model.rows {
		if strings.HasPrefix(row.title, "sleep · ") && row.watched {
			if st, err := procs.ReadStat(row.pid); err == nil && st.State != 'Z' && row.look.glyph == "✕" {
				t.Errorf("the sleep %d still runs (state %c) but is drawn ended: %+v", row.pid, st.State, row)
			}
			if row.look.glyph != "✕" {
				live++
			}
		}
	}
	if live != 2 {
		t.Errorf("%d of the shell's 2 surviving sleeps are drawn live", live)
	}
}

// A process this user may not signal: the actions say why, before asking.
func TestWatchRefusesSignalsTheSystemWouldRefuse(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("running as root, which may signal every process")
	}
	h := newHarness(t)
	h.sync()
	h.w.startWatch(1)
	h.sync()
	_, row := h.watchedRow(1)
	if row == nil {
		t.Fatal("no row for pid 1")
	}
	h.w.selectRow(row)
	if why := h.w.whyNot()[actKill]; !strings.Contains(why, "only its owner or root may signal it") {
		t.Errorf("Kill on pid 1: %q", why)
	}
}

// The picker lists every process; typing filters by name, pid, user or
// command line, and Enter watches the first match. A child that appears
// later in the watched subtree flashes green; one that ends shows red.
func TestWatchPickerFiltersAndChildrenFlash(t *testing.T) {
	h := newHarness(t)
	// The shell's head ends, and its second sleep is born, when the test
	// writes a byte: the test decides when, not a clock.
	input, feed := io.Pipe()
	defer feed.Close()
	cmd := startShell(t, "sleep 60 & head -c1 >/dev/null; sleep 61 & wait", input, "head", "sleep")
	pid := cmd.Process.Pid
	h.sync()
	h.w.doWatch()
	search, ok := h.w.win.Canvas().Focused().(*escEntry)
	if !ok {
		t.Fatalf("the picker did not focus its search field: %T", h.w.win.Canvas().Focused())
	}
	test.Type(search, "null; SLEEP 61")
	var count string
	for _, o := range test.LaidOutObjects(h.w.win.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok && strings.HasSuffix(l.Text, " processes") {
			count = l.Text
		}
	}
	if !strings.HasPrefix(count, "1 of ") {
		t.Errorf("searching the command line: %q", count)
	}
	search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.w.watch == nil || h.w.watch.pid != pid {
		t.Fatalf("Enter watched %+v, want the shell %d", h.w.watch, pid)
	}
	h.sync()
	uid, _ := h.watchedRow(pid)
	if n := len(h.w.tree.model.kids[uid]); n != 2 {
		t.Fatalf("the shell shows %d children, want its sleep and its head", n)
	}
	if _, err := feed.Write([]byte{'\n'}); err != nil {
		t.Fatal(err)
	}
	waitChildren(t, pid, "sleep", "sleep")
	h.sync()
	flashes := map[widget.Importance]int{}
	for _, k := range h.w.tree.model.kids[uid] {
		flashes[h.w.tree.model.rows[k].flash]++
	}
	if flashes[widget.SuccessImportance] != 1 || flashes[widget.DangerImportance] != 1 {
		t.Errorf("after one child ended and another started: flashes %v, want one green and one red", flashes)
	}
}

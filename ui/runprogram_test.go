package ui

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"proclab/procs"
)

// A Python program run in the lab with the forkserver start method: the
// tree shows Python's helpers for what they are, and the child that printed
// under its real parent, the forkserver, with a lane of its own.
func TestRunProgramShowsPythonHelpersAndRealParents(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	h := newHarness(t)
	prog := filepath.Join(t.TempDir(), "helpers.py")
	if err := os.WriteFile(prog, []byte(`
import multiprocessing, time
def child():
    print("child here", flush=True)
    time.sleep(3)
if __name__ == "__main__":
    multiprocessing.set_start_method("forkserver")
    p = multiprocessing.Process(target=child)
    p.start()
    p.join()
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := h.w.runProgram([]string{py, prog}); err != nil {
		t.Fatal(err)
	}
	var child *procs.Process
	var forkserver, tracker string
	deadline := time.Now().Add(10 * time.Second)
	for (child == nil || forkserver == "" || tracker == "") && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		h.sync()
		for uid, row := range h.w.tree.model.rows {
			switch {
			case strings.Contains(row.title, "forkserver (Python's helper)"):
				forkserver = uid
			case strings.Contains(row.title, "resource tracker (Python's helper)"):
				tracker = uid
			case row.proc != nil && row.proc.Name() == "Process-1":
				child = row.proc
			}
		}
	}
	if child == nil || forkserver == "" || tracker == "" {
		t.Fatalf("child %v, forkserver row %q, resource tracker row %q", child, forkserver, tracker)
	}
	h.sync() // the lane comes with the event, which may follow the tree's snapshot
	if kids := h.w.tree.model.kids[forkserver]; len(kids) != 1 || h.w.tree.model.rows[kids[0]].proc != child {
		t.Errorf("under the forkserver: %v, want Process-1", kids)
	}
	if l := h.w.lanePane.byProc[child]; l == nil {
		t.Error("Process-1 has no lane")
	} else if lines := child.Output().Tail(nil); len(lines) != 1 || lines[0].Text != "child here" {
		t.Errorf("Process-1's lane: %+v", lines)
	}
	h.w.selectProcess(child)
	if why := h.w.whyNot()[actTerminate]; !strings.Contains(why, "was started by the program, not by ProcLab") {
		t.Errorf("Terminate on the program's child: %q", why)
	}
}

// A grandchild that ended keeps its place under its parent on screen: Fyne
// kept a row's depth by its id, and a grandchild first placed under the
// program (before its parent's row was known) was drawn as its parent's
// sibling once it moved under it.
func TestAnEndedGrandchildIsDrawnUnderItsParent(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	h := newHarness(t)
	h.w.win.Resize(fyne.NewSize(1280, 800))
	prog := filepath.Join(t.TempDir(), "nest.py")
	if err := os.WriteFile(prog, []byte(`
import multiprocessing as mp, time
def grand():
    print("grandchild", flush=True)
def child():
    g = mp.Process(target=grand, name="Grand")
    g.start(); g.join()
    print("child waits", flush=True)
    time.sleep(20)
if __name__ == "__main__":
    c = mp.Process(target=child, name="Child")
    c.start()
    time.sleep(20)
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := h.w.runProgram([]string{py, prog}); err != nil {
		t.Fatal(err)
	}
	x := func(name string) (float32, bool) {
		for _, n := range h.w.tree.nodes {
			if row := h.w.tree.model.rows[n.uid]; row != nil && strings.HasPrefix(row.title, name+" · ") && n.Visible() {
				return n.Position().X, row.look.glyph == "✕"
			}
		}
		return -1, false
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		time.Sleep(100 * time.Millisecond)
		h.sync()
		h.w.tree.widget.Refresh()
		child, _ := x("Child")
		grand, ended := x("Grand")
		if child >= 0 && grand >= 0 && ended {
			if grand <= child {
				t.Errorf("the ended Grand is drawn at x %v, its parent Child at %v: not under it", grand, child)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Child at %v, Grand at %v (ended %v): rows %v", child, grand, ended, h.w.tree.model.kids)
		}
	}
}

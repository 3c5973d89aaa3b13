package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"proclab/procs"
)

// Goldens: the console, the cores strip and the timeline drawn from fixed
// data, so that any change to how they look shows up in review. Regenerate
// by deleting the file under testdata and moving testdata/failed/<name> in.

func goldenLab(t *testing.T) (*procs.Lab, *procs.Process, *procs.Process) {
	lab, err := procs.NewLab(procs.Options{LogDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lab.Close)
	p1, _ := lab.Create(procs.Spec{Target: "sing"})
	p2, _ := lab.Create(procs.Spec{Target: "dance"})
	return lab, p1, p2
}

func TestConsoleGolden(t *testing.T) {
	test.NewTempApp(t)
	_, p1, p2 := goldenLab(t)
	c := newConsole(nil)
	for i, p := range []*procs.Process{p1, p2, p1} {
		text := map[*procs.Process]string{p1: "唱歌中...", p2: "跳舞中..."}[p]
		c.add(p, procs.Line{At: time.Duration(i+1) * 100 * time.Millisecond, Text: text})
	}
	c.add(p2, procs.Line{At: 400 * time.Millisecond, Stream: procs.Stderr, Text: "Traceback (most recent call last):"})
	c.view.Resize(fyne.NewSize(400, 200))
	c.flush()
	test.AssertObjectRendersToMarkup(t, "console.xml", c.view)
}

func TestCoresStripGolden(t *testing.T) {
	test.NewTempApp(t)
	c := newCoresStrip()
	c.show(&procs.Tree{Cores: []float64{100, 18}, Procs: map[int]*procs.ProcInfo{}}, nil)
	test.AssertObjectRendersToMarkup(t, "cores.xml", c.content)
}

func TestTimelineGolden(t *testing.T) {
	test.NewTempApp(t)
	_, p1, p2 := goldenLab(t)
	tl := newTimeline()
	at := func(ms int) time.Duration { return time.Duration(ms) * time.Millisecond }
	for _, e := range []procs.Event{
		{At: at(100), Kind: procs.EvStarted, Proc: p1},
		{At: at(200), Kind: procs.EvOutput, Proc: p1},
		{At: at(300), Kind: procs.EvStarted, Proc: p2},
		{At: at(400), Kind: procs.EvState, Main: procs.MainState{Phase: procs.MainJoining, Joining: p1}},
		{At: at(500), Kind: procs.EvOutput, Proc: p2},
		{At: at(600), Kind: procs.EvSignalled, Proc: p2, Code: 9},
		{At: at(610), Kind: procs.EvExited, Proc: p2, Code: -9},
		{At: at(900), Kind: procs.EvExited, Proc: p1},
		{At: at(900), Kind: procs.EvReaped, Proc: p1},
		{At: at(900), Kind: procs.EvState, Main: procs.MainState{Phase: procs.MainRunning}},
	} {
		tl.event(e)
	}
	tl.Resize(fyne.NewSize(530, 130))
	tl.follow, tl.start, tl.width = false, 0, time.Second
	test.AssertImageMatches(t, "timeline.png", tl.draw(530, 130))
}

// The saved PNG holds what the tab shows: bars, and the names and the time
// axis drawn into it (a screen capture came out a single colour).
func TestTimelinePNGHoldsNamesAndAxis(t *testing.T) {
	test.NewTempApp(t)
	_, p1, _ := goldenLab(t)
	tl := newTimeline()
	tl.event(procs.Event{At: 100 * time.Millisecond, Kind: procs.EvStarted, Proc: p1})
	tl.Resize(fyne.NewSize(530, 130))
	tl.follow, tl.start, tl.width = false, 0, 5*time.Second
	img, err := tl.exportImage()
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 530*exportScale || b.Dy() != 130*exportScale {
		t.Fatalf("the PNG is %v", b)
	}
	bg := theme.Color(theme.ColorNameBackground)
	inked := func(x0, y0, x1, y1 int) int {
		n := 0
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				if !sameColor(img.At(x, y), bg) {
					n++
				}
			}
		}
		return n
	}
	top, rowH := tl.rows()
	// The names' column, past the colour key: text.
	if n := inked(30*exportScale, int(top*exportScale), int(tl.labelWidth()*exportScale), int((top+2*rowH)*exportScale)); n < 50 {
		t.Errorf("the names' column has %d inked pixels: no names", n)
	}
	// The axis band above the lanes: labels.
	if n := inked(int(tl.labelWidth()*exportScale), 0, 530*exportScale, int(top*exportScale)-2); n < 50 {
		t.Errorf("the axis band has %d inked pixels: no labels", n)
	}
}

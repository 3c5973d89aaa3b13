package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// coresStrip shows how busy each CPU core is, and which lab processes last
// ran on it: one core shared by several busy processes is concurrency
// (time-slicing); several busy cores at once is parallelism.
type coresStrip struct {
	content fyne.CanvasObject
	box     *fyne.Container
	bars    []*widget.ProgressBar
	who     []*widget.Label
}

func newCoresStrip() *coresStrip {
	c := &coresStrip{box: container.NewVBox()}
	title := widget.NewLabelWithStyle("CPU cores", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.content = container.NewBorder(nil, nil, title, nil, c.box)
	return c
}

// show updates the bars from the poll; running lab processes are listed
// under the core they last ran on.
func (c *coresStrip) show(t *procs.Tree, lab []procs.Snapshot) {
	if t == nil || len(t.Cores) == 0 {
		return
	}
	for len(c.bars) < len(t.Cores) {
		i := len(c.bars)
		bar := widget.NewProgressBar()
		bar.Max = 100
		bar.TextFormatter = func() string { return fmt.Sprintf("core %d · %.0f %%", i, bar.Value) }
		who := widget.NewLabel("")
		who.Truncation = fyne.TextTruncateEllipsis
		c.bars, c.who = append(c.bars, bar), append(c.who, who)
		c.box.Add(container.NewGridWithColumns(2, bar, who))
	}
	names := make([][]string, len(t.Cores))
	for _, s := range lab {
		if s.Status != procs.Started || s.Zombie {
			continue
		}
		if info := t.Procs[s.Pid]; info != nil && info.Core < len(names) && info.CPU >= 1 {
			names[info.Core] = append(names[info.Core], fmt.Sprintf("%s %.0f%%", s.Name, info.CPU))
		}
	}
	for i, v := range t.Cores {
		if c.bars[i].Value != float64(int(v)) {
			c.bars[i].SetValue(float64(int(v)))
		}
		text := "idle for the lab"
		if len(names[i]) > 0 {
			text = fmt.Sprint(names[i])
		}
		if c.who[i].Text != text {
			c.who[i].SetText(text)
		}
	}
}

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
	title   *widget.Label
}

func newCoresStrip() *coresStrip {
	c := &coresStrip{box: container.NewVBox()}
	c.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.content = container.NewBorder(nil, nil, c.title, nil, c.box)
	c.relabel()
	return c
}

// relabel sets the strip's fixed texts in the current language.
func (c *coresStrip) relabel() {
	c.title.SetText(tr("CPU cores"))
	for _, bar := range c.bars {
		bar.Refresh()
	}
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
		bar.TextFormatter = func() string { return tr("core %d · %.0f %%", i, bar.Value) }
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
		text := tr("idle for the lab")
		if len(names[i]) > 0 {
			text = fmt.Sprint(names[i])
		}
		if c.who[i].Text != text {
			c.who[i].SetText(text)
		}
	}
}

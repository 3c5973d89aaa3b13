package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"proclab/procs"
)

// maxConsoleLines bounds the console: it shows the newest lines.
const maxConsoleLines = 5000

// consoleLine is one line as a terminal would have shown it, tagged with
// the process that printed it.
type consoleLine struct {
	name string
	tint color.Color
	line procs.Line
}

// console shows every process's output in arrival order, as one terminal
// running the program would have printed it (the note's "# 输出" blocks),
// each line tagged and coloured by its process.
type console struct {
	list  *widget.List
	all   []consoleLine // the newest lines, up to twice maxConsoleLines
	dirty bool
	tints map[*procs.Process]color.Color // each process's colour, looked up once, not per line
}

// lines is what the console shows: the newest maxConsoleLines.
func (c *console) lines() []consoleLine {
	return newest(c.all, maxConsoleLines)
}

func newConsole() *console {
	c := &console{tints: map[*procs.Process]color.Color{}}
	c.list = widget.NewList(
		func() int { return len(c.lines()) },
		func() fyne.CanvasObject {
			tag := canvas.NewText("", colorInitial)
			tag.TextStyle.Bold = true
			text := widget.NewLabel("")
			text.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, tag, nil, text)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			lines := c.lines()
			if i >= len(lines) {
				return
			}
			l := lines[i]
			row := o.(*fyne.Container)
			text, tag := row.Objects[0].(*widget.Label), row.Objects[1].(*canvas.Text)
			tagText := fmt.Sprintf("%7.3f %s", l.line.At.Seconds(), l.name)
			if tag.Text != tagText || tag.Color != l.tint {
				tag.Text, tag.Color = tagText, l.tint
				tag.Refresh()
			}
			if l.line.Stream == procs.Stderr {
				text.Importance = widget.DangerImportance
			} else {
				text.Importance = widget.MediumImportance
			}
			text.SetText(l.line.Text)
		},
	)
	return c
}

func (c *console) add(p *procs.Process, l procs.Line) {
	tint, ok := c.tints[p]
	if !ok {
		tint = processTint(p)
		c.tints[p] = tint
	}
	c.all = appendNewest(c.all, consoleLine{name: p.Name(), tint: tint, line: l}, maxConsoleLines)
	c.dirty = true
}

func (c *console) clear() {
	c.all = nil
	clear(c.tints)
	c.dirty = true
}

// flush redraws the console if lines came.
func (c *console) flush() {
	if !c.dirty {
		return
	}
	c.dirty = false
	c.list.Refresh()
	c.list.ScrollToBottom()
}

// processTint gives each process its own colour, the same everywhere.
func processTint(p *procs.Process) color.Color {
	palette := []color.NRGBA{
		{0x60, 0xa5, 0xfa, 0xff}, {0xf4, 0x72, 0xb6, 0xff}, {0x34, 0xd3, 0x99, 0xff},
		{0xfb, 0xbf, 0x24, 0xff}, {0xa7, 0x8b, 0xfa, 0xff}, {0xfb, 0x92, 0x3c, 0xff},
		{0x22, 0xd3, 0xee, 0xff}, {0xa3, 0xe6, 0x35, 0xff},
	}
	s := p.Snapshot()
	n := s.ID - 1
	if s.Observed {
		n = s.Pid // not numbered by the lab
	}
	return palette[n%len(palette)]
}

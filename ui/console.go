package ui

import (
	"image/color"

	"proclab/procs"
)

// maxConsoleLines bounds the console: it shows the newest lines.
const maxConsoleLines = 5000

// maxTagCells is the widest a process's name gets in the console.
const maxTagCells = 16

// consoleLine is one line as a terminal would have shown it, tagged with
// the process that printed it.
type consoleLine struct {
	name string
	tint color.Color
	line procs.Line
}

// console shows every process's output in arrival order, as one terminal
// running the program would have printed it (the note's "# 输出" blocks),
// each line tagged and coloured by its process. It is drawn like a lane
// (outputView): every character on screen, long lines wrapped, scrolling
// back stops following, a right click copies a line.
type console struct {
	view  *outputView
	buf   *procs.LineBuffer
	tags  map[uint64]consoleTag // by the line's Seq in buf
	first uint64                // the oldest Seq tags may still hold
	tints map[*procs.Process]color.Color
	dirty bool
}

type consoleTag struct {
	name string
	tint color.Color
}

func newConsole(onLine lineMenu) *console {
	c := &console{buf: procs.NewLineBuffer(maxConsoleLines), tags: map[uint64]consoleTag{}, tints: map[*procs.Process]color.Color{}, first: 1}
	c.view = newOutputView(c.buf, nil, onLine)
	c.view.tagOf = func(seq uint64) (string, color.Color) {
		t := c.tags[seq]
		return t.name, t.tint
	}
	return c
}

// lines is what the console holds: the newest maxConsoleLines.
func (c *console) lines() []consoleLine {
	var out []consoleLine
	for _, l := range c.buf.Tail(nil) {
		t := c.tags[l.Seq]
		out = append(out, consoleLine{name: t.name, tint: t.tint, line: l})
	}
	return out
}

func (c *console) add(p *procs.Process, l procs.Line) {
	tint, ok := c.tints[p]
	if !ok {
		tint = processTint(p)
		c.tints[p] = tint
	}
	name := p.Name()
	cells := c.view.widths.cellsOf(name) // once per line: a flood comes here
	if cells+1 > c.view.tagCells {
		c.view.setTagCells(min(cells+1, maxTagCells+1))
	}
	if cells > maxTagCells {
		name = truncateCells(name, maxTagCells-1) + "…"
	}
	l = c.buf.Append(l)
	c.tags[l.Seq] = consoleTag{name, tint}
	// Forget the tags of lines the buffer let go.
	first, _ := c.buf.Span()
	for ; c.first < first; c.first++ {
		delete(c.tags, c.first)
	}
	c.dirty = true
}

func (c *console) clear() {
	c.buf.Clear()
	clear(c.tags)
	_, c.first = c.buf.Span()
	c.first++
	clear(c.tints)
	c.view.clear()
	c.dirty = true
}

// flush draws the lines that came.
func (c *console) flush() {
	if !c.dirty {
		return
	}
	c.dirty = false
	if c.view.update() {
		c.view.Refresh()
	}
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

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
	view *outputView
	buf  *procs.LineBuffer
	// tags names each kept line's process, by the line's Seq modulo
	// maxConsoleLines (the buffer's Seqs are consecutive and it keeps the
	// newest maxConsoleLines): a slot a line, not a map entry made and
	// deleted for every line of a flood.
	tags   []*consoleTag
	byProc map[*procs.Process]*consoleTag
	dirty  bool
}

type consoleTag struct {
	name string // as shown: cut to maxTagCells
	tint color.Color
	of   string // the process's name it was made from
}

func newConsole(onLine lineMenu) *console {
	c := &console{buf: procs.NewLineBuffer(maxConsoleLines), tags: make([]*consoleTag, maxConsoleLines), byProc: map[*procs.Process]*consoleTag{}}
	c.view = newOutputView(c.buf, nil, onLine)
	c.view.tagOf = func(seq uint64) (string, color.Color) {
		if t := c.tagOf(seq); t != nil {
			return t.name, t.tint
		}
		return "", nil
	}
	return c
}

func (c *console) tagOf(seq uint64) *consoleTag { return c.tags[seq%maxConsoleLines] }

// lines is what the console holds: the newest maxConsoleLines.
func (c *console) lines() []consoleLine {
	var out []consoleLine
	for _, l := range c.buf.Tail(nil) {
		var line consoleLine
		if t := c.tagOf(l.Seq); t != nil {
			line.name, line.tint = t.name, t.tint
		}
		line.line = l
		out = append(out, line)
	}
	return out
}

// add appends one line of p's. A flood comes here for every line it
// delivers, so p's tag is made once, not measured again for each line.
func (c *console) add(p *procs.Process, l procs.Line) {
	name := p.Name()
	t := c.byProc[p]
	if t == nil || t.of != name {
		t = c.newTag(p, name)
		c.byProc[p] = t
	}
	l = c.buf.Append(l)
	c.tags[l.Seq%maxConsoleLines] = t
	c.dirty = true
}

// newTag makes p's tag, and widens the tag column to fit it.
func (c *console) newTag(p *procs.Process, name string) *consoleTag {
	t := &consoleTag{name: name, tint: processTint(p), of: name}
	cells := c.view.widths.cellsOf(name)
	if cells+1 > c.view.tagCells {
		c.view.setTagCells(min(cells+1, maxTagCells+1))
	}
	if cells > maxTagCells {
		t.name = truncateCells(name, maxTagCells-1) + "…"
	}
	return t
}

func (c *console) clear() {
	c.buf.Clear()
	clear(c.tags)
	clear(c.byProc)
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

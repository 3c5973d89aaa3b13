package main

import (
	"bufio"
	"io"
	"strconv"
	"sync"
	"time"

	"proclab/procs"
)

// lineSink prints a headless run's lines, every one, in order per pipe: the
// lab hands them over from its pipe readers (procs.Options.OnLine), and a
// reader waits while the terminal is behind, so the program waits on its
// writes as it would on `| cat`. One goroutine writes, buffered, flushing
// whenever it has caught up.
type lineSink struct {
	lines   chan sinkLine
	dropped chan struct{} // closed: the run is over and the terminal no longer reads
	drop    sync.Once
	written chan struct{} // closed once the writer has ended
	out     *bufio.Writer
	errOut  *bufio.Writer
}

type sinkLine struct {
	name string
	pid  int
	line procs.Line
}

func newLineSink(stdout, stderr io.Writer) *lineSink {
	s := &lineSink{lines: make(chan sinkLine, 4096), dropped: make(chan struct{}), written: make(chan struct{}),
		out: bufio.NewWriterSize(stdout, 64<<10), errOut: bufio.NewWriterSize(stderr, 16<<10)}
	go s.write()
	return s
}

// add is procs.Options.OnLine.
func (s *lineSink) add(p *procs.Process, l procs.Line) {
	select {
	case s.lines <- sinkLine{name: p.Name(), pid: p.Pid(), line: l}:
	case <-s.dropped:
	}
}

func (s *lineSink) write() {
	defer close(s.written)
	var buf []byte
	for item := range s.lines {
		w := s.out
		if item.line.Stream == procs.Stderr {
			w = s.errOut
		}
		buf = append(buf[:0], '[')
		buf = append(buf, procs.Printable(item.name)...)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(item.pid), 10)
		buf = append(buf, "] "...)
		buf = append(buf, item.line.Text...)
		buf = append(buf, '\n')
		_, _ = w.Write(buf)
		if len(s.lines) == 0 {
			// Caught up: what is printed reaches the terminal now, not
			// when 64 KiB have gathered.
			_ = s.errOut.Flush()
			_ = s.out.Flush()
		}
	}
	_ = s.errOut.Flush()
	_ = s.out.Flush()
}

// giveUp lets the pipe readers go on without printing: an interrupted run
// whose terminal does not read any more must still end.
func (s *lineSink) giveUp() { s.drop.Do(func() { close(s.dropped) }) }

// caughtUp reports whether every line handed over was printed (close has
// returned and the writer ended): if not, the terminal does not read, and
// nothing more should be written to it.
func (s *lineSink) caughtUp() bool {
	select {
	case <-s.written:
		return true
	default:
		return false
	}
}

// close waits until every line handed over is printed; call it once the lab
// is closed, when no reader can hand over more.
// After giveUp, the writer may be stuck on a terminal that does not read:
// it waits a second at most.
func (s *lineSink) close() {
	close(s.lines)
	select {
	case <-s.written:
		return
	case <-s.dropped:
	}
	select {
	case <-s.written:
	case <-time.After(time.Second):
	}
}

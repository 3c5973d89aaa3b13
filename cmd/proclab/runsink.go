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
// lab hands them over from its pipe readers (procs.Options.OnLines), and a
// reader waits while the terminal is behind, so the program waits on its
// writes as it would on `| cat`. Lines come a read at a time; one goroutine
// formats and writes them, buffered, flushing whenever it has caught up,
// while the reader reads on: under a flood, reading and printing take a
// core each.
type lineSink struct {
	batches chan sinkBatch
	free    chan []string // batches' slices, printed and handed back for reuse
	dropped chan struct{} // closed: the run is over and the terminal no longer reads
	drop    sync.Once
	written chan struct{} // closed once the writer has ended
	out     *bufio.Writer
	errOut  *bufio.Writer
}

// sinkBatch is a read's lines of one process, to print: joined, when the
// lab has them so (procs.Lines.Joined), or texts.
type sinkBatch struct {
	prefix string // [name pid] and a space
	stderr bool
	joined string
	lines  int // how many lines joined holds
	texts  []string
}

// sinkQueue bounds the reads on their way to the terminal.
const sinkQueue = 16

func newLineSink(stdout, stderr io.Writer) *lineSink {
	s := &lineSink{batches: make(chan sinkBatch, sinkQueue), free: make(chan []string, sinkQueue+2),
		dropped: make(chan struct{}), written: make(chan struct{}),
		out: bufio.NewWriterSize(stdout, 64<<10), errOut: bufio.NewWriterSize(stderr, 16<<10)}
	go s.write()
	return s
}

// add is procs.Options.OnLines. The texts are copied, as the lab reuses
// the slice; the strings are the lab's and do not change.
func (s *lineSink) add(p *procs.Process, ls procs.Lines) {
	b := sinkBatch{prefix: "[" + procs.Printable(p.Name()) + " " + strconv.Itoa(p.Pid()) + "] ", stderr: ls.Stream == procs.Stderr,
		joined: ls.Joined, lines: len(ls.Texts)}
	if b.joined == "" {
		var texts []string
		select {
		case texts = <-s.free:
		default:
		}
		b.texts = append(texts[:0], ls.Texts...)
	}
	select {
	case s.batches <- b:
	case <-s.dropped:
	}
}

func (s *lineSink) write() {
	defer close(s.written)
	var text []byte
	for b := range s.batches {
		w := s.out
		if b.stderr {
			w = s.errOut
		}
		text = b.format(text[:0])
		_, _ = w.Write(text)
		if b.texts != nil {
			clear(b.texts) // let go of the lines' strings
			select {
			case s.free <- b.texts[:0]:
			default:
			}
		}
		if len(s.batches) == 0 {
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
	close(s.batches)
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

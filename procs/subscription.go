package procs

// The lab's one event stream: each subscriber's bounded queue.

// MaxQueuedEvents bounds a subscriber's queue. When a child prints faster
// than the window drains, output events beyond it are dropped (the lines
// stay in the lane's buffer); other events are never dropped.
const MaxQueuedEvents = 4000

// Subscription receives the lab's events in order.
type Subscription struct {
	lab     *Lab
	notify  chan struct{}
	queue   []Event
	dropped int
	closed  bool
}

// Subscribe returns a new subscription. Wait on C, then call Take.
func (l *Lab) Subscribe() *Subscription {
	s := &Subscription{lab: l, notify: make(chan struct{}, 1)}
	l.mu.Lock()
	l.subs[s] = struct{}{}
	l.mu.Unlock()
	return s
}

// C receives a value whenever events are waiting; it is closed when the
// lab closes.
func (s *Subscription) C() <-chan struct{} { return s.notify }

// Take returns the waiting events and how many output events were dropped
// since the last call.
func (s *Subscription) Take() ([]Event, int) {
	s.lab.mu.Lock()
	defer s.lab.mu.Unlock()
	q, d := s.queue, s.dropped
	s.queue, s.dropped = nil, 0
	return q, d
}

// Close stops the subscription.
func (s *Subscription) Close() {
	s.lab.mu.Lock()
	defer s.lab.mu.Unlock()
	delete(s.lab.subs, s)
	s.closeLocked()
}

func (s *Subscription) closeLocked() {
	if !s.closed {
		s.closed = true
		close(s.notify)
	}
}

func (s *Subscription) push(e Event) {
	if s.closed {
		return
	}
	if e.Kind == EvOutput && len(s.queue) >= MaxQueuedEvents {
		s.dropped++
		return
	}
	s.queue = append(s.queue, e)
	s.wake()
}

// pushOutput is push for an EvOutput event of each line, as many as the
// queue has room for.
func (s *Subscription) pushOutput(p *Process, ls Lines) {
	if s.closed {
		return
	}
	n := min(len(ls.Texts), max(MaxQueuedEvents-len(s.queue), 0))
	s.dropped += len(ls.Texts) - n
	for i := range n {
		s.queue = append(s.queue, Event{At: ls.At, Kind: EvOutput, Proc: p, Line: ls.Line(i)})
	}
	if n > 0 {
		s.wake()
	}
}

func (s *Subscription) wake() {
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

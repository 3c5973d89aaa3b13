package pyhook

import (
	"bufio"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// recorder is a Handler that admits pids it is told to and keeps what it
// is given.
type recorder struct {
	mu     sync.Mutex
	admit  map[int]bool
	peers  []Peer
	output map[Stream]string
	names  []string
	reaped [][2]int
	thread map[int]string
	ended  chan struct{}
}

func (r *recorder) Admit(p Peer) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.peers = append(r.peers, p)
	return r.admit[p.Pid]
}

func (r *recorder) Output(_ Peer, s Stream, in io.Reader) {
	b, _ := io.ReadAll(in)
	r.mu.Lock()
	r.output[s] += string(b)
	r.mu.Unlock()
	r.ended <- struct{}{}
}

func (r *recorder) Named(_ Peer, name string) {
	r.mu.Lock()
	r.names = append(r.names, name)
	r.mu.Unlock()
}

func (r *recorder) Reaped(_ Peer, child, code int) {
	r.mu.Lock()
	r.reaped = append(r.reaped, [2]int{child, code})
	r.mu.Unlock()
}

func (r *recorder) Thread(_ Peer, tid int, name string) {
	r.mu.Lock()
	r.thread[tid] = name
	r.mu.Unlock()
}

func newRecorder(admit ...int) *recorder {
	r := &recorder{admit: map[int]bool{}, output: map[Stream]string{}, thread: map[int]string{}, ended: make(chan struct{}, 4)}
	for _, pid := range admit {
		r.admit[pid] = true
	}
	return r
}

// connect opens a connection as the hook does: the hello carries the read
// ends of two pipes, whose write ends it returns.
func connect(t *testing.T, s *Server, hello string, pipes int) (c *net.UnixConn, out, errOut *os.File, answer string) {
	t.Helper()
	addr := &net.UnixAddr{Name: "@" + strings.TrimPrefix(s.Env(), AddressEnv+"="), Net: "unix"}
	c, err := net.DialUnix("unix", nil, addr)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	var reads []int
	var writes []*os.File
	for range pipes {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		reads, writes = append(reads, int(r.Fd())), append(writes, w)
	}
	var oob []byte
	if len(reads) > 0 {
		oob = syscall.UnixRights(reads...)
	}
	if _, _, err := c.WriteMsgUnix([]byte(hello), oob, nil); err != nil {
		t.Fatal(err)
	}
	answer, _ = bufio.NewReader(c).ReadString('\n')
	if len(writes) == 2 {
		out, errOut = writes[0], writes[1]
	}
	return c, out, errOut, answer
}

// The kernel, not the hello, says who connected; the pipes the hello
// brought are read to their end; a refused process gets no answer; the
// connection then answers a name and takes an exit.
func TestServerNamesPeersByTheKernel(t *testing.T) {
	r := newRecorder(os.Getpid())
	s, err := Listen(r)
	if err != nil {
		t.Fatal(err)
	}
	c, out, errOut, answer := connect(t, s, "proclab1 1 Process-9\n", 2)
	if answer != "ok\n" {
		t.Fatalf("answer %q", answer)
	}
	_, _ = io.WriteString(out, "first line\nsecond, no newline")
	_, _ = io.WriteString(errOut, "to stderr\n")
	out.Close()
	errOut.Close()
	<-r.ended
	<-r.ended
	br := bufio.NewReader(c)
	_, _ = io.WriteString(c, "exit 4242 -9\nname Worker\r7\n")
	if got, _ := br.ReadString('\n'); got != "ok\n" {
		t.Errorf("a name was answered %q", got)
	}
	c.Close()
	s.Close(time.Second)

	r.mu.Lock()
	defer r.mu.Unlock()
	if r.peers[0] != (Peer{Pid: os.Getpid(), PPid: 1, Name: "Process-9"}) {
		t.Errorf("peer %+v", r.peers[0])
	}
	if r.output[Stdout] != "first line\nsecond, no newline" || r.output[Stderr] != "to stderr\n" {
		t.Errorf("output %q", r.output)
	}
	if len(r.reaped) != 1 || r.reaped[0] != [2]int{4242, -9} || len(r.names) != 1 || r.names[0] != "Worker\uFFFD7" {
		t.Errorf("reaped %v, names %q", r.reaped, r.names)
	}
}

func TestServerRefusesStrangers(t *testing.T) {
	s, err := Listen(newRecorder())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(0)
	if _, _, _, answer := connect(t, s, "proclab1 1 x\n", 2); answer != "" {
		t.Errorf("a refused process was answered %q", answer)
	}
	s2, err := Listen(newRecorder(os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close(0)
	for _, hello := range []string{"GET / HTTP/1.0\n", "proclab1 1 no pipes\n"} {
		if _, _, _, answer := connect(t, s2, hello, 0); answer != "" {
			t.Errorf("%q was answered %q", hello, answer)
		}
	}
}

// Closing the Server ends a read on a pipe whose writer never closes it.
func TestServerCloseEndsAPipeHeldOpen(t *testing.T) {
	r := newRecorder(os.Getpid())
	s, err := Listen(r)
	if err != nil {
		t.Fatal(err)
	}
	c, out, errOut, answer := connect(t, s, "proclab1 1 holder\n", 2)
	if answer != "ok\n" {
		t.Fatalf("answer %q", answer)
	}
	defer out.Close()
	defer errOut.Close()
	c.Close()
	start := time.Now()
	s.Close(100 * time.Millisecond)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Close took %v with a pipe held open", took)
	}
}

package pyhook

import (
	"bufio"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a Handler that admits pids it is told to and keeps what it
// is given.
type recorder struct {
	mu     sync.Mutex
	admit  map[int]bool
	peers  []Peer
	output map[Kind]string
	names  []string
	reaped [][2]int
	ended  chan struct{}
}

func (r *recorder) Admit(p Peer) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.peers = append(r.peers, p)
	return r.admit[p.Pid]
}

func (r *recorder) Output(p Peer, in io.Reader) {
	b, _ := io.ReadAll(in)
	r.mu.Lock()
	r.output[p.Kind] += string(b)
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

func dial(t *testing.T, s *Server, hello string) (net.Conn, string) {
	t.Helper()
	c, err := net.Dial("unix", "@"+strings.TrimPrefix(s.Env(), AddressEnv+"="))
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, hello); err != nil {
		t.Fatal(err)
	}
	answer, _ := bufio.NewReader(c).ReadString('\n')
	return c, answer
}

// The kernel, not the hello, says who connected; a refused process gets no
// answer; the control channel answers a name and takes an exit.
func TestServerNamesPeersByTheKernel(t *testing.T) {
	r := &recorder{admit: map[int]bool{os.Getpid(): true}, output: map[Kind]string{}, ended: make(chan struct{}, 4)}
	s, err := Listen(r)
	if err != nil {
		t.Fatal(err)
	}
	out, answer := dial(t, s, "proclab1 out 1 Process-9\nfirst line\n")
	if answer != "ok\n" {
		t.Fatalf("answer %q", answer)
	}
	_, _ = io.WriteString(out, "second, no newline")
	out.Close()
	<-r.ended
	ctl, answer := dial(t, s, "proclab1 ctl 1 Process-9\n")
	if answer != "ok\n" {
		t.Fatalf("control answer %q", answer)
	}
	br := bufio.NewReader(ctl)
	_, _ = io.WriteString(ctl, "exit 4242 -9\nname Worker\r7\n")
	if got, _ := br.ReadString('\n'); got != "ok\n" {
		t.Errorf("a name was answered %q", got)
	}
	ctl.Close()
	s.Close(time.Second)

	r.mu.Lock()
	defer r.mu.Unlock()
	if r.peers[0] != (Peer{Pid: os.Getpid(), PPid: 1, Name: "Process-9", Kind: Stdout}) {
		t.Errorf("peer %+v", r.peers[0])
	}
	if got := r.output[Stdout]; got != "first line\nsecond, no newline" {
		t.Errorf("output %q", got)
	}
	if len(r.reaped) != 1 || r.reaped[0] != [2]int{4242, -9} || len(r.names) != 1 || r.names[0] != "Worker\uFFFD7" {
		t.Errorf("reaped %v, names %q", r.reaped, r.names)
	}

	refused := &recorder{admit: map[int]bool{}, output: map[Kind]string{}, ended: make(chan struct{}, 1)}
	s, err = Listen(refused)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(0)
	if _, answer := dial(t, s, "proclab1 out 1 x\n"); answer != "" {
		t.Errorf("a refused process was answered %q", answer)
	}
	if _, answer := dial(t, s, "GET / HTTP/1.0\n"); answer != "" {
		t.Errorf("a stranger was answered %q", answer)
	}
}

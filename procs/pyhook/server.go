package pyhook

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Server accepts the connections of one program's processes, on an
// abstract Unix socket (nothing on disk to clean up after a SIGKILL).
type Server struct {
	ln      *net.UnixListener
	address string
	h       Handler

	mu     sync.Mutex
	conns  map[io.Closer]bool // connections and pipes still open
	closed bool
	wg     sync.WaitGroup // the accept loop and one goroutine per connection
}

// helloTimeout bounds how long a connection may take to say who it is.
const helloTimeout = 5 * time.Second

// maxControlLine bounds a line of the control channel and the hello.
const maxControlLine = 4096

// Listen starts a Server that hands its connections to h.
func Listen(h Handler) (*Server, error) {
	var random [12]byte
	if _, err := rand.Read(random[:]); err != nil {
		return nil, err
	}
	address := "proclab-" + hex.EncodeToString(random[:])
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: "@" + address, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("the Python hook's socket: %w", err)
	}
	s := &Server{ln: ln, address: address, h: h, conns: map[io.Closer]bool{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Env is the environment entry that points the hook at s.
func (s *Server) Env() string { return AddressEnv + "=" + s.address }

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond) // out of descriptors: try again
			continue
		}
		if !s.track(c) {
			c.Close()
			return
		}
		s.wg.Add(1)
		go s.serve(c)
	}
}

func (s *Server) track(c io.Closer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = true
	return true
}

func (s *Server) untrack(c io.Closer) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.Close()
}

func (s *Server) serve(c *net.UnixConn) {
	defer s.wg.Done()
	defer s.untrack(c)
	pid, err := peerPid(c)
	if err != nil {
		return
	}
	_ = c.SetReadDeadline(time.Now().Add(helloTimeout))
	line, pipes, rest, err := readHello(c)
	if err != nil || len(pipes) != 2 {
		closeAll(pipes)
		return
	}
	peer, ok := parseHello(line, pid)
	if !ok || !s.h.Admit(peer) {
		closeAll(pipes)
		return
	}
	// Output follows both pipes of every admitted process, even one
	// already gone (it reads their end at once): the Handler counts on it.
	for i, stream := range []Stream{Stdout, Stderr} {
		s.track(pipes[i])
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.untrack(pipes[i])
			s.h.Output(peer, stream, pipes[i])
		}()
	}
	_ = c.SetReadDeadline(time.Time{})
	if _, err := c.Write([]byte("ok\n")); err != nil {
		return
	}
	s.control(peer, bufio.NewReaderSize(io.MultiReader(bytes.NewReader(rest), c), maxControlLine), c)
}

// readHello reads the first line of a connection and the pipes that came
// with it; rest is what followed the line.
func readHello(c *net.UnixConn) (line string, pipes []*os.File, rest []byte, err error) {
	buf := make([]byte, maxControlLine)
	oob := make([]byte, unixRightsSpace(4))
	n := 0
	for {
		k, oobn, _, _, err := c.ReadMsgUnix(buf[n:], oob)
		if oobn > 0 {
			got, perr := receivedFiles(oob[:oobn])
			pipes = append(pipes, got...)
			if perr != nil {
				return "", pipes, nil, perr
			}
		}
		n += k
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return string(buf[:i+1]), pipes, buf[i+1 : n], nil
		}
		if err != nil {
			return "", pipes, nil, err
		}
		if k == 0 || n == len(buf) {
			return "", pipes, nil, errors.New("no hello")
		}
	}
}

func closeAll(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// parseHello reads "proclab1 PPID NAME".
func parseHello(line string, pid int) (Peer, bool) {
	f := strings.SplitN(strings.TrimSuffix(line, "\n"), " ", 3)
	if len(f) != 3 || f[0] != "proclab1" {
		return Peer{}, false
	}
	ppid, err := strconv.Atoi(f[1])
	if err != nil || ppid < 0 {
		return Peer{}, false
	}
	return Peer{Pid: pid, PPid: ppid, Name: oneLine(f[2])}, true
}

// control reads the hook's messages about its own process.
func (s *Server) control(peer Peer, br *bufio.Reader, c io.Writer) {
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// Not the hook's: skip to the end of the line.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			continue
		}
		if err != nil {
			return
		}
		m, ok := parseControl(string(line))
		switch {
		case !ok:
		case m.thread != 0:
			s.h.Thread(peer, m.thread, m.name)
		case m.reaped == 0:
			s.h.Named(peer, m.name)
			if _, err := c.Write([]byte("ok\n")); err != nil {
				return
			}
		default:
			s.h.Reaped(peer, m.reaped, m.code)
		}
	}
}

// controlMsg is one message of the control channel: a name, the exit
// code of a child reaped, or a thread's name.
type controlMsg struct {
	name         string
	reaped, code int
	thread       int // the thread named name; 0 for the process's name
}

// parseControl reads "name NAME", "exit PID CODE" or "thread TID NAME".
func parseControl(line string) (controlMsg, bool) {
	word, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
	switch word {
	case "name":
		return controlMsg{name: oneLine(rest)}, true
	case "exit":
		pidText, codeText, _ := strings.Cut(rest, " ")
		child, err1 := strconv.Atoi(pidText)
		code, err2 := strconv.Atoi(codeText)
		if err1 == nil && err2 == nil && child > 0 && code >= -255 && code <= 255 {
			return controlMsg{reaped: child, code: code}, true
		}
	case "thread":
		tidText, name, _ := strings.Cut(rest, " ")
		if tid, err := strconv.Atoi(tidText); err == nil && tid > 0 {
			return controlMsg{thread: tid, name: oneLine(name)}, true
		}
	}
	return controlMsg{}, false
}

// oneLine makes a name safe to show on one line: valid UTF-8, no line
// breaks.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if len(s) > maxName {
		cut := maxName
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

// maxName bounds a name, in bytes.
const maxName = 256

// Stop stops accepting: the processes already connected go on.
func (s *Server) Stop() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.ln.Close()
}

// Close stops accepting, waits up to grace for the connections to end
// (their processes to finish writing), closes those left, and waits for
// every goroutine of the Server.
func (s *Server) Close(grace time.Duration) {
	s.Stop()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(grace):
	}
	s.mu.Lock()
	for c := range s.conns {
		c.Close() // a descendant outside the lab's reach may hold it for ever
	}
	s.mu.Unlock()
	<-done
}

package pyhook

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHelloAndControlMessages(t *testing.T) {
	p, ok := parseHello("proclab1 41 Process-1 with spaces\n", 42)
	if !ok || p != (Peer{Pid: 42, PPid: 41, Name: "Process-1 with spaces"}) {
		t.Errorf("hello: %+v %v", p, ok)
	}
	for _, bad := range []string{"", "proclab1 41\n", "proclab2 1 x\n", "proclab1 x 1\n", "proclab1 -4 x\n"} {
		if _, ok := parseHello(bad, 42); ok {
			t.Errorf("hello %q was taken", bad)
		}
	}
	if m, ok := parseControl("exit 77 -9\n"); !ok || m != (controlMsg{reaped: 77, code: -9}) {
		t.Errorf("exit: %+v %v", m, ok)
	}
	if m, ok := parseControl("name Process-2\n"); !ok || m.name != "Process-2" || m.reaped != 0 {
		t.Errorf("name: %+v %v", m, ok)
	}
	if m, ok := parseControl("thread 4242 Thread-1 (worker)\n"); !ok || m != (controlMsg{thread: 4242, name: "Thread-1 (worker)"}) {
		t.Errorf("thread: %+v %v", m, ok)
	}
	for _, bad := range []string{"exit 0 0", "exit 5", "exit 5 300", "exit x 1", "kill 5", "", "thread 0 x", "thread -3 x", "thread x y"} {
		if _, ok := parseControl(bad); ok {
			t.Errorf("control %q was taken", bad)
		}
	}
}

// Whatever a connection says first or on its control channel, nothing
// panics and every name is one line of UTF-8.
func FuzzHookMessages(f *testing.F) {
	f.Add("proclab1 1 Process-1\n")
	f.Add("proclab1 0 \xff\xfe\x1b]0;t\x07\r\n")
	f.Add("exit 123 -15\n")
	f.Add("name a\rb\n")
	f.Add("thread 99 T\x00\u202e\n")
	f.Fuzz(func(t *testing.T, line string) {
		for _, name := range []string{helloName(line), controlName(line)} {
			if !utf8.ValidString(name) || strings.ContainsAny(name, "\n\r") || len(name) > 256 {
				t.Fatalf("name %q from %q", name, line)
			}
		}
	})
}

func helloName(line string) string {
	p, _ := parseHello(line, 1)
	return p.Name
}

func controlName(line string) string {
	m, _ := parseControl(line)
	return m.name
}

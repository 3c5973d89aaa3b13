package main

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"proclab/procs"
)

// TestHeadlessPrintsEveryLine runs `seq` through a headless run and reads
// its output slower than it is printed: every number must arrive, in
// order, as through `| cat` (the lanes' buffers and the event queue may
// forget; the terminal may not).
func TestHeadlessPrintsEveryLine(t *testing.T) {
	n := 5_000_000
	if testing.Short() {
		n = 200_000
	}
	cmd := exec.Command(os.Args[0], "run", "--headless", "--", "seq", strconv.Itoa(n))
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // the pipe fills: the program must wait, not lose lines
	sc := bufio.NewScanner(out)
	next, tree := 1, false
	for sc.Scan() {
		line := sc.Text()
		if line == "processes:" {
			tree = true
		}
		if tree {
			continue
		}
		_, number, ok := strings.Cut(line, "] ")
		if !ok || !strings.HasPrefix(line, "[seq ") || number != strconv.Itoa(next) {
			t.Fatalf("line %d is %q", next, line)
		}
		next++
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("proclab run: %v\n%s", err, stderr.String())
	}
	if next-1 != n || !tree {
		t.Fatalf("printed %d of %d lines (tree printed: %v)", next-1, n, tree)
	}
	t.Logf("%d lines in %v", n, time.Since(start).Round(time.Millisecond))
}

// TestHeadlessEndsWhenNobodyReads interrupts a run whose output is not read
// (the pipe is full, the program waits on it): the run must still end, and
// the program with it.
func TestHeadlessEndsWhenNobodyReads(t *testing.T) {
	cmd := exec.Command(os.Args[0], "run", "--headless", "--", "yes", "proclab-unread")
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd.Stdout = w
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	time.Sleep(time.Second)
	start := time.Now()
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("an interrupted run with unread output did not end in 5 s\n%s", stderr.String())
	}
	t.Logf("ended %v after Ctrl+C", time.Since(start).Round(time.Millisecond))
	if left := pidsRunning(t, "yes", "proclab-unread"); len(left) > 0 {
		t.Errorf("the program outlived the run: %v", left)
	}
	if !strings.Contains(stderr.String(), "not being read") {
		t.Errorf("stderr does not say the output was not read:\n%s", stderr.String())
	}
}

func pidsRunning(t *testing.T, argv ...string) []int {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		left := procs.PidsRunning(argv...)
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A read the lab hands over joined prints as the same read line by line.
func TestSinkPrintsJoinedLinesAsLines(t *testing.T) {
	for _, texts := range [][]string{{"1", "2", "3"}, {"", "a", ""}, {"last without newline"}, {""}} {
		for _, end := range []string{"\n", ""} {
			joined := strings.Join(texts, "\n") + end
			if end == "" && texts[len(texts)-1] == "" {
				continue // no such read: a line without its newline is not empty
			}
			byLine := sinkBatch{prefix: "[p 1] ", texts: texts}
			together := sinkBatch{prefix: "[p 1] ", joined: joined, lines: len(texts)}
			if a, b := string(byLine.format(nil)), string(together.format(nil)); a != b {
				t.Errorf("%q: line by line %q, joined %q", joined, a, b)
			}
		}
	}
}

// BenchmarkSinkFormatSeq formats a 4 KiB read of `seq`, as benchmark 8's
// printer does 9,500 times.
func BenchmarkSinkFormatSeq(b *testing.B) {
	var sb strings.Builder
	n := 0
	for i := 1000000; sb.Len() < 4096-8; i++ {
		sb.WriteString(strconv.Itoa(i) + "\n")
		n++
	}
	batch := sinkBatch{prefix: "[seq 12345] ", joined: sb.String(), lines: n}
	var text []byte
	b.SetBytes(int64(len(batch.joined)))
	for range b.N {
		text = batch.format(text[:0])
	}
}

// Word at a time, a joined read prints byte for byte as copying each line
// does: lines of every length from empty to past a word, at every offset,
// with and without the last newline, after prefixes of every length, and
// after text already in the buffer.
func TestSinkFormatsJoinedByWordsAsByCopy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var lines []string
		for range rng.IntN(12) + 1 {
			b := make([]byte, rng.IntN(20))
			for i := range b {
				b[i] = byte(0x20 + rng.IntN(0x5f))
			}
			lines = append(lines, string(b))
		}
		joined := strings.Join(lines, "\n")
		if rng.IntN(2) == 0 || lines[len(lines)-1] == "" {
			joined += "\n"
		}
		prefix := strings.Repeat("p", rng.IntN(40))
		before := []byte(strings.Repeat("x", rng.IntN(5)))
		want := string(formatJoinedByCopy(slices.Clone(before), prefix, joined, len(lines)))
		if got := string(formatJoined(slices.Clone(before), prefix, joined, len(lines))); got != want {
			t.Fatalf("prefix %q, joined %q:\nwords %q\ncopy  %q", prefix, joined, got, want)
		}
	}
}

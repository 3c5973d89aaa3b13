package procs

import (
	"bytes"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"proclab/assets/lessons"
)

// Fuzz tests for every parser of outside input: what a program prints (the
// hook's framing and the line reader), the command line of a command child,
// and lesson files. Each runs its seeds in make test; make fuzz runs each
// for longer.

func FuzzPythonFraming(f *testing.F) {
	f.Add([]byte("\x1el\x1f42\x1f1\x1fProcess-1\x1fhello\n"))
	f.Add([]byte("\x1ex\x1f42\x1f1\x1fProcess-1\x1f0\nplain line\n\x1e\x1f\x1f\x1f\n"))
	f.Add([]byte("\x1el\x1f-1\x1f99999999999999999999\x1f\x1b]0;title\x07\x1f\xff\xfe\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := 0
		_ = captureRawLines(bytes.NewReader(data), func(raw []byte) {
			lines++
			tag, rest, ok := parseLineTag(raw)
			text := cleanLine(rest)
			if !utf8.ValidString(text) {
				t.Fatalf("cleanLine(%q) = %q is not UTF-8", rest, text)
			}
			if strings.ContainsAny(text, "\x1b\x07\x1e\x1f\u202e\u2066") {
				t.Fatalf("cleanLine(%q) = %q keeps a control byte", rest, text)
			}
			if ok && tag.kind == 0 {
				t.Fatalf("a tag without a kind from %q", raw)
			}
		})
		if lines > len(data)+1 {
			t.Fatalf("%d lines from %d bytes", lines, len(data))
		}
	})
}

func FuzzSplitCommand(f *testing.F) {
	for _, s := range []string{`sh -c 'setsid sleep 1 & wait'`, `python3 "my prog.py" a\ b`, `'`, `"\`, `a "" b`, "\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		argv, err := SplitCommand(line)
		if err == nil && len(argv) > 0 {
			for _, a := range argv {
				if a == "" && !strings.ContainsAny(line, `'"`) {
					t.Fatalf("an empty word from %q without quotes: %q", line, argv)
				}
			}
		}
	})
}

func FuzzLessonFile(f *testing.F) {
	for _, name := range []string{"args-kwargs.json", "daemon.json", "order.json"} {
		if data, err := fs.ReadFile(lessons.FS, name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"steps": [{"do": "create", "args": "((("}], "expected": ["a"], "compare": "lines"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		all, err := LoadLessons(fstest.MapFS{"fuzzed.json": {Data: data}})
		if err != nil {
			return
		}
		for _, l := range all {
			_ = CompareLesson(l, l.Expected)
			_ = CompareLesson(l, nil)
			_ = CompareLesson(l, []string{"", "名字为Tom"})
		}
	})
}

func FuzzLineBlocks(f *testing.F) {
	f.Add([]byte("1\n2\n\n3"), uint8(1))
	f.Add([]byte("dos\r\n\x1b[31m\t跳舞\u202e\n"), uint8(3))
	f.Add(bytes.Repeat([]byte("舞"), MaxLineBytes), uint8(7))
	f.Fuzz(func(t *testing.T, data []byte, step uint8) {
		whole, _ := captureBlocks(t, bytes.NewReader(data))
		// The same bytes in reads of step bytes give the same lines.
		got, _ := captureBlocks(t, &steppedReader{data: data, step: int(step%64) + 1})
		if !slices.Equal(got, whole) {
			t.Fatalf("reads of %d bytes: %q, whole: %q", step%64+1, got, whole)
		}
		for _, line := range whole {
			if len(line) > maxCleanLineBytes || !utf8.ValidString(line) || strings.IndexFunc(line, isHiddenControl) >= 0 {
				t.Fatalf("line %q: %d bytes, or not clean", line, len(line))
			}
		}
		if len(whole) > len(data)+1 {
			t.Fatalf("%d lines from %d bytes", len(whole), len(data))
		}
	})
}

// The word-at-a-time path gives what the byte-at-a-time one gives, or
// gives way to it: whatever the bytes, blockLines is blockLinesBytewise.
func FuzzBlockLinesWordAtATime(f *testing.F) {
	f.Add([]byte("1\n2\n\n3"))
	f.Add([]byte("1234567\n12345678\n123456789\n\n\n"))
	f.Add([]byte("plain\x7fdel\n\x1ftab\ttab\n"))
	f.Add(append(bytes.Repeat([]byte("x"), MaxLineBytes+9), '\n'))
	f.Add([]byte("é\n~ \n"))
	f.Fuzz(func(t *testing.T, block []byte) {
		got, gotJoined := blockLines(block, []string{"before"})
		want, wantJoined := blockLinesBytewise(block, string(block), []string{"before"})
		if !slices.Equal(got, want) || gotJoined != wantJoined {
			t.Fatalf("%q: word at a time %q (joined %q), byte at a time %q (joined %q)", block, got, gotJoined, want, wantJoined)
		}
	})
}

// steppedReader hands out data step bytes a read.
type steppedReader struct {
	data []byte
	step int
}

func (r *steppedReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.step)], r.data)
	r.data = r.data[n:]
	return n, nil
}

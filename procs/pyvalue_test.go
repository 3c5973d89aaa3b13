package procs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseArgs(t *testing.T) {
	for in, want := range map[string]string{
		"('Tom', 30)":       "('Tom', 30)",
		"'Tom', 30":         "('Tom', 30)",
		"":                  "()",
		"(1,)":              "(1,)",
		"[1, 2.5, True]":    "([1, 2.5, True],)",
		`"it's", None, -3`:  `("it's", None, -3)`,
		"('a', ('b', 'c'))": "('a', ('b', 'c'))",
	} {
		got, err := ParseArgs(in)
		if err != nil {
			t.Errorf("ParseArgs(%q): %v", in, err)
			continue
		}
		if ReprArgs(got) != want {
			t.Errorf("ParseArgs(%q) = %s, want %s", in, ReprArgs(got), want)
		}
	}
}

func TestParseKwargs(t *testing.T) {
	for in, want := range map[string]string{
		"{'age': 15, 'name': 'Jerry'}": "{'age': 15, 'name': 'Jerry'}",
		"age=15, name='Jerry'":         "{'age': 15, 'name': 'Jerry'}",
		"":                             "{}",
		"{}":                           "{}",
	} {
		got, err := ParseKwargs(in)
		if err != nil {
			t.Errorf("ParseKwargs(%q): %v", in, err)
			continue
		}
		if ReprKwargs(got) != want {
			t.Errorf("ParseKwargs(%q) = %s, want %s", in, ReprKwargs(got), want)
		}
	}
}

func TestParseErrorsSayWhatAndWhere(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		kw       bool
	}{
		{"Tom, 30", "column 1: Tom is not a value: put text in quotes, e.g. 'Tom'", false},
		{"('Tom', 30", "missing closing ')'", false},
		{"'Tom", "column 1: text starting here has no closing '", false},
		{"{'age' 15}", "expected ':' after key 'age'", true},
		{"{age: 15}", "age is not a value", true},
		{"age=1, age=2", `keyword argument "age" repeated`, true},
		{"15", "expected a name such as age=15", true},
	} {
		var err error
		if tc.kw {
			_, err = ParseKwargs(tc.in)
		} else {
			_, err = ParseArgs(tc.in)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parse %q: error %v, want it to contain %q", tc.in, err, tc.want)
		}
	}
}

func TestReprLikePython(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{nil, "None"}, {true, "True"}, {int64(3), "3"}, {1.0, "1.0"}, {0.5, "0.5"},
		{"it's", `"it's"`}, {"a'b\"c", `'a\'b"c'`}, {[]any{int64(0), int64(1), int64(2)}, "[0, 1, 2]"},
		{[]any{}, "[]"},
	} {
		if got := Repr(tc.v); got != tc.want {
			t.Errorf("Repr(%#v) = %s, want %s", tc.v, got, tc.want)
		}
	}
	if ExitCodeName(-15) != "-SIGTERM" || ExitCodeName(-9) != "-SIGKILL" || ExitCodeName(0) != "0" {
		t.Error("exit code names")
	}
}

func TestTaskBindingErrorsMatchCPython(t *testing.T) {
	show, _ := LookupTask("show_info")
	dance, _ := LookupTask("dance")
	for _, tc := range []struct {
		task   *Task
		args   []any
		kwargs []KV
		want   string
	}{
		{show, nil, nil, "TypeError: show_info() missing 2 required positional arguments: 'name' and 'age'"},
		{show, []any{"Tom"}, []KV{{"name", "x"}}, "TypeError: show_info() got multiple values for argument 'name'"},
		{show, nil, []KV{{"x", int64(1)}}, "TypeError: show_info() got an unexpected keyword argument 'x'"},
		{dance, []any{int64(1)}, nil, "TypeError: dance() takes 0 positional arguments but 1 was given"},
	} {
		if err := tc.task.CheckCall(tc.args, tc.kwargs); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.task.Name, err, tc.want)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	got, err := SplitCommand(`sh -c 'echo "hi there"; exit 3'  x\ y ""`)
	want := []string{"sh", "-c", `echo "hi there"; exit 3`, "x y", ""}
	if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q %v, want %q", got, err, want)
	}
	if _, err := SplitCommand(`echo 'oops`); err == nil {
		t.Error("unclosed quote accepted")
	}
}

// TestParseMessagesListsEveryError: the window translates parse errors by
// their format, so the list must hold every format the parser uses.
func TestParseMessagesListsEveryError(t *testing.T) {
	used := map[string]bool{}
	for _, file := range []string{"pyvalue.go", "command.go"} {
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		collectFormats(f, used)
	}
	for s := range used {
		if !slices.Contains(ParseMessages, s) {
			t.Errorf("ParseMessages lacks %q", s)
		}
	}
	for _, s := range ParseMessages {
		if !used[s] {
			t.Errorf("ParseMessages has %q, which no error uses", s)
		}
	}
}

// collectFormats finds the formats of errorf calls and ParseError literals.
func collectFormats(f *ast.File, used map[string]bool) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "errorf" {
				if lit, ok := n.Args[0].(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					used[s] = true
				}
			}
		case *ast.KeyValueExpr:
			if key, ok := n.Key.(*ast.Ident); ok && key.Name == "Format" {
				if lit, ok := n.Value.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					used[s] = true
				}
			}
		}
		return true
	})
}

func TestBigIntegersStayExact(t *testing.T) {
	args, err := ParseArgs("('Tom', 99999999999999999999, -123456789012345678901234567890)")
	if err != nil {
		t.Fatal(err)
	}
	if got := ReprArgs(args); got != "('Tom', 99999999999999999999, -123456789012345678901234567890)" {
		t.Errorf("repr %s", got)
	}
	a, k := encodeValues(args, []KV{{"age", args[1]}})
	back, kw, err := decodeValues(a, k)
	if err != nil {
		t.Fatal(err)
	}
	if got := ReprArgs(back) + " " + ReprKwargs(kw); got != "('Tom', 99999999999999999999, -123456789012345678901234567890) {'age': 99999999999999999999}" {
		t.Errorf("through the worker: %s", got)
	}
}

func TestInputSizeAndNestingHaveLimits(t *testing.T) {
	deep := strings.Repeat("(", 20000) + strings.Repeat(")", 20000)
	for _, c := range []struct{ src, want string }{
		{strings.Repeat("x", 10000), "this is 10000 characters long: args and kwargs take at most 4000"},
		{strings.Repeat("(", 101) + strings.Repeat(")", 101), "values nested more than 100 deep"},
		{deep, "characters long"},
		{strings.Repeat("a", 3000), "is not a value: put text in quotes, e.g. 'aaaaaaaaaaaaaaaaaaaaaaaa…'"},
	} {
		_, err := ParseArgs(c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseArgs(%.30q…) = %v, want %q", c.src, err, c.want)
		}
		if err != nil && len(err.Error()) > 200 {
			t.Errorf("the message is %d characters long", len(err.Error()))
		}
	}
	if _, err := ParseArgs(strings.Repeat("[", 100) + strings.Repeat("]", 100)); err != nil {
		t.Errorf("100 levels: %v", err)
	}
	if _, err := ParseKwargs("a=" + strings.Repeat("'", 5000)); err == nil || !strings.Contains(err.Error(), "characters long") {
		t.Errorf("kwargs: %v", err)
	}
}

// The form's parsers never panic, and what they accept prints back as
// Python would read it again.
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{"('Tom', 30)", "[1, [2, (3,)]]", "'a\\'b'", "1e5, -2, +.5, None, True", "99999999999999999999", "((((", "'\\", "1_000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		args, err := ParseArgs(src)
		if err != nil {
			return
		}
		if utf8.RuneCountInString(ReprArgs(args)) > MaxLiteralChars {
			return // repr spells control characters out: it may pass the input limit
		}
		again, err := ParseArgs(ReprArgs(args))
		if err != nil {
			t.Fatalf("%q parsed to %s, which does not parse: %v", src, ReprArgs(args), err)
		}
		if ReprArgs(again) != ReprArgs(args) {
			t.Fatalf("%q: %s then %s", src, ReprArgs(args), ReprArgs(again))
		}
		a, k := encodeValues(args, nil)
		if _, _, err := decodeValues(a, k); err != nil {
			t.Fatalf("%q: the worker cannot read %s: %v", src, a, err)
		}
	})
}

func FuzzParseKwargs(f *testing.F) {
	for _, s := range []string{"age=15, name='Jerry'", "{'age': 15}", "{'a': [1, 2]}", "a=", "{", "x=1,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		kw, err := ParseKwargs(src)
		if err != nil || utf8.RuneCountInString(ReprKwargs(kw)) > MaxLiteralChars {
			return // (repr may pass the input limit: see FuzzParseArgs)
		}
		if _, err := ParseKwargs(ReprKwargs(kw)); err != nil {
			t.Fatalf("%q parsed to %s, which does not parse: %v", src, ReprKwargs(kw), err)
		}
	})
}

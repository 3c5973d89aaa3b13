package procs

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Values that cross from the New-process form to a child are Python literals:
// str, int, float, bool, None and tuples/lists of them. In Go they are
// string, int64 (*big.Int past it), float64, bool, nil and []any; kwargs keep their order
// because Python's repr and error messages show them in the order given.

// KV is one keyword argument.
type KV struct {
	Key   string
	Value any
}

// ParseArgs parses the args field of the New-process form: a Python tuple
// such as ('Tom', 30), with or without the parentheses. An empty string is
// the empty tuple.
func ParseArgs(src string) ([]any, error) {
	if err := checkLiteralSize(src); err != nil {
		return nil, err
	}
	p := &litParser{src: src}
	p.skipSpace()
	if p.eof() {
		return nil, nil
	}
	var items []any
	var err error
	if p.peek() == '(' {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if !p.eof() {
			return nil, p.errorf("unexpected %q after the closing parenthesis", p.peek())
		}
		if t, ok := v.(tuple); ok {
			return []any(t), nil
		}
		return []any{v}, nil
	}
	items, err = p.sequence(0)
	if err != nil {
		return nil, err
	}
	return items, nil
}

// ParseKwargs parses the kwargs field: a Python dict with string keys,
// {'age': 15, 'name': 'Jerry'}, or the call form age=15, name='Jerry'.
func ParseKwargs(src string) ([]KV, error) {
	if err := checkLiteralSize(src); err != nil {
		return nil, err
	}
	p := &litParser{src: src}
	p.skipSpace()
	if p.eof() {
		return nil, nil
	}
	var out []KV
	seen := map[string]bool{}
	// valueFor reads the value after "key:" or "key=" and records the pair.
	valueFor := func(key string) error {
		v, err := p.value()
		if err != nil {
			return err
		}
		if seen[key] {
			return &ParseError{Format: "keyword argument %q repeated", Args: []any{key}}
		}
		seen[key] = true
		out = append(out, KV{key, v})
		p.skipSpace()
		return nil
	}
	if p.peek() == '{' {
		p.pos++
		for {
			p.skipSpace()
			if p.eof() {
				return nil, p.errorf("missing closing '}'")
			}
			if p.peek() == '}' {
				p.pos++
				break
			}
			k, err := p.value()
			if err != nil {
				return nil, err
			}
			key, ok := k.(string)
			if !ok || !isIdentifier(key) {
				return nil, p.errorf("keys must be quoted names such as 'age', not %s", Repr(k))
			}
			p.skipSpace()
			if p.eof() || p.peek() != ':' {
				return nil, p.errorf("expected ':' after key %s", Repr(k))
			}
			p.pos++
			if err := valueFor(key); err != nil {
				return nil, err
			}
			if !p.eof() && p.peek() == ',' {
				p.pos++
				continue
			}
			if p.eof() || p.peek() != '}' {
				return nil, p.errorf("expected ',' or '}'")
			}
		}
		p.skipSpace()
		if !p.eof() {
			return nil, p.errorf("unexpected %q after the closing brace", p.peek())
		}
		return out, nil
	}
	for {
		p.skipSpace()
		start := p.pos
		for !p.eof() && (p.peek() == '_' || unicode.IsLetter(p.peek()) || unicode.IsDigit(p.peek())) {
			p.advance()
		}
		key := p.src[start:p.pos]
		if !isIdentifier(key) {
			return nil, p.errorf("expected a name such as age=15 or a dict such as {'age': 15}")
		}
		p.skipSpace()
		if p.eof() || p.peek() != '=' {
			return nil, p.errorf("expected '=' after %s", key)
		}
		p.pos++
		if err := valueFor(key); err != nil {
			return nil, err
		}
		if p.eof() {
			return out, nil
		}
		if p.peek() != ',' {
			return nil, p.errorf("expected ',' between keyword arguments")
		}
		p.pos++
		p.skipSpace()
		if p.eof() {
			return out, nil
		}
	}
}

// Limits on what the form takes: longer or deeper input is a mistake, and
// handling it would freeze the window (and a worker's JSON decoder stops
// at 10,000 levels).
const (
	MaxLiteralChars = 4000
	MaxLiteralDepth = 100
)

func checkLiteralSize(src string) error {
	if n := utf8.RuneCountInString(src); n > MaxLiteralChars {
		return &ParseError{Format: "this is %d characters long: args and kwargs take at most %d", Args: []any{n, MaxLiteralChars}}
	}
	return nil
}

// shortWord keeps a word quoted in a message short enough to read.
func shortWord(s string) string {
	const most = 24
	if utf8.RuneCountInString(s) <= most {
		return s
	}
	return string([]rune(s)[:most]) + "…"
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r != '_' && !unicode.IsLetter(r) && (i == 0 || !unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// tuple marks a parenthesised sequence so that Repr prints it as Python does.
type tuple []any

type litParser struct {
	src   string
	pos   int
	depth int // open ( and [ around the value being read
}

func (p *litParser) eof() bool { return p.pos >= len(p.src) }
func (p *litParser) peek() rune {
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return r
}
func (p *litParser) advance() {
	_, n := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += n
}
func (p *litParser) skipSpace() {
	for !p.eof() && unicode.IsSpace(p.peek()) {
		p.advance()
	}
}
func (p *litParser) errorf(format string, a ...any) error {
	col := utf8.RuneCountInString(p.src[:min(p.pos, len(p.src))]) + 1
	return &ParseError{Column: col, Format: format, Args: a}
}

// ParseError is a mistake in a Python value the user typed: where it is
// (Column, from 1; 0 when it is not one place) and what, as a fmt format
// and its arguments, so that the window can say it in the user's language.
type ParseError struct {
	Column int
	Format string // one of ParseMessages
	Args   []any
}

func (e *ParseError) Error() string {
	msg := fmt.Sprintf(e.Format, e.Args...)
	if e.Column == 0 {
		return msg
	}
	return fmt.Sprintf("column %d: %s", e.Column, msg)
}

// ParseMessages are every Format a ParseError can have (a test keeps the
// list true to the code).
var ParseMessages = []string{
	"unexpected %q after the closing parenthesis",
	"keyword argument %q repeated",
	"missing closing '}'",
	"keys must be quoted names such as 'age', not %s",
	"expected ':' after key %s",
	"expected ',' or '}'",
	"unexpected %q after the closing brace",
	"expected a name such as age=15 or a dict such as {'age': 15}",
	"expected '=' after %s",
	"expected ',' between keyword arguments",
	"missing closing %q",
	"expected ',' between values, found %q",
	"expected a value",
	"%s is not a value: put text in quotes, e.g. '%s'",
	"unexpected %q: values are 'text', numbers, True, False, None, (tuples) or [lists]",
	"text starting here has no closing %c",
	"%q is not a number",
	"a %s quote is not closed",
	"text starting here has a bad \\%c escape",
	"this is %d characters long: args and kwargs take at most %d",
	"values nested more than %d deep: flatten them",
}

// sequence reads comma-separated values until close (0: end of input).
func (p *litParser) sequence(close rune) ([]any, error) {
	var items []any
	for {
		p.skipSpace()
		if p.eof() {
			if close != 0 {
				return nil, p.errorf("missing closing %q", close)
			}
			return items, nil
		}
		if close != 0 && p.peek() == close {
			p.pos++
			return items, nil
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		p.skipSpace()
		if p.eof() {
			continue
		}
		switch r := p.peek(); {
		case r == ',':
			p.pos++
		case close != 0 && r == close:
		default:
			return nil, p.errorf("expected ',' between values, found %q", r)
		}
	}
}

func (p *litParser) value() (any, error) {
	p.skipSpace()
	if p.eof() {
		return nil, p.errorf("expected a value")
	}
	switch r := p.peek(); {
	case r == '\'' || r == '"':
		return p.str(r)
	case r == '(' || r == '[':
		if p.depth >= MaxLiteralDepth {
			return nil, p.errorf("values nested more than %d deep: flatten them", MaxLiteralDepth)
		}
		p.pos++
		p.depth++
		defer func() { p.depth-- }()
		if r == '(' {
			items, err := p.sequence(')')
			return tuple(items), err
		}
		items, err := p.sequence(']')
		if items == nil {
			items = []any{}
		}
		return items, err
	case r == '-' || r == '+' || r == '.' || unicode.IsDigit(r):
		return p.number()
	case unicode.IsLetter(r):
		start := p.pos
		for !p.eof() && (unicode.IsLetter(p.peek()) || unicode.IsDigit(p.peek()) || p.peek() == '_') {
			p.advance()
		}
		switch word := p.src[start:p.pos]; word {
		case "True":
			return true, nil
		case "False":
			return false, nil
		case "None":
			return nil, nil
		default:
			p.pos = start
			return nil, p.errorf("%s is not a value: put text in quotes, e.g. '%s'", shortWord(word), shortWord(word))
		}
	default:
		return nil, p.errorf("unexpected %q: values are 'text', numbers, True, False, None, (tuples) or [lists]", r)
	}
}

// simpleEscapes are Python's one-letter string escapes.
var simpleEscapes = map[rune]rune{'n': '\n', 't': '\t', 'r': '\r', '0': 0, 'a': '\a', 'b': '\b', 'f': '\f', 'v': '\v', '\\': '\\', '\'': '\'', '"': '"'}

func (p *litParser) str(quote rune) (any, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	for {
		if p.eof() {
			p.pos = start
			return nil, p.errorf("text starting here has no closing %c", quote)
		}
		r := p.peek()
		p.advance()
		switch {
		case r == quote:
			return b.String(), nil
		case r == '\\' && !p.eof():
			e := p.peek()
			p.advance()
			if e == '\n' {
				continue // a backslash at the end of a line joins the lines
			}
			if simple, ok := simpleEscapes[e]; ok {
				b.WriteRune(simple)
				continue
			}
			if digits := map[rune]int{'x': 2, 'u': 4, 'U': 8}[e]; digits > 0 {
				end := min(p.pos+digits, len(p.src))
				code, err := strconv.ParseUint(p.src[p.pos:end], 16, 32)
				if err != nil || end-p.pos != digits || code > unicode.MaxRune {
					p.pos = start
					return nil, p.errorf("text starting here has a bad \\%c escape", e)
				}
				p.pos = end
				b.WriteRune(rune(code))
				continue
			}
			// Python keeps an unknown escape as it is, backslash included.
			b.WriteRune('\\')
			b.WriteRune(e)
		default:
			b.WriteRune(r)
		}
	}
}

func (p *litParser) number() (any, error) {
	start := p.pos
	for !p.eof() && strings.ContainsRune("+-0123456789.eE_", p.peek()) {
		p.advance()
	}
	text := strings.ReplaceAll(p.src[start:p.pos], "_", "")
	if i, err := strconv.ParseInt(text, 10, 64); err == nil {
		return i, nil
	}
	// Python's integers have no size limit: one too big for int64 stays exact.
	if isIntLiteral(text) {
		if b, ok := new(big.Int).SetString(text, 10); ok {
			return b, nil
		}
	}
	if f, err := strconv.ParseFloat(text, 64); err == nil {
		return f, nil
	}
	p.pos = start
	return nil, p.errorf("%q is not a number", shortWord(text))
}

// isIntLiteral reports whether s is digits with an optional sign.
func isIntLiteral(s string) bool {
	s = strings.TrimLeft(s, "+-")
	if s == "" || len(s) > MaxLiteralChars {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

package procs

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
)

// Printing Python values as CPython does (repr, str), and carrying them to a
// worker as JSON; pyvalue.go parses them.

// Repr formats a value as Python's repr() would.
func Repr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case string:
		return reprString(v)
	case tuple:
		if len(v) == 1 {
			return "(" + Repr(v[0]) + ",)"
		}
		return "(" + joinRepr(v) + ")"
	case []any:
		return "[" + joinRepr(v) + "]"
	case float64:
		return reprFloat(v)
	case json.Number:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}

// Str formats a value as Python's str() would (f-strings and print use it).
func Str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return Repr(v)
}

// ReprArgs prints a positional argument list as a Python tuple.
func ReprArgs(args []any) string { return Repr(tuple(args)) }

// ReprKwargs prints keyword arguments as a Python dict.
func ReprKwargs(kwargs []KV) string {
	parts := make([]string, len(kwargs))
	for i, kv := range kwargs {
		parts[i] = reprString(kv.Key) + ": " + Repr(kv.Value)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func joinRepr(items []any) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = Repr(it)
	}
	return strings.Join(parts, ", ")
}

func reprString(s string) string {
	quote := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case !unicode.IsPrint(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case !unicode.IsPrint(r) && r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		case !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

func reprFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// encodeValues and decodeValues carry args and kwargs to a worker as JSON.
// Tuples become lists on the way, as they would through pickle's eyes only
// for display, which is all the tasks need.
func encodeValues(args []any, kwargs []KV) (string, string) {
	a, _ := json.Marshal(plain(args))
	keys := make([][2]any, len(kwargs))
	for i, kv := range kwargs {
		keys[i] = [2]any{kv.Key, plain(kv.Value)}
	}
	k, _ := json.Marshal(keys)
	return string(a), string(k)
}

func plain(v any) any {
	switch v := v.(type) {
	case tuple:
		return plain([]any(v))
	case []any:
		out := make([]any, len(v))
		for i, it := range v {
			out[i] = plain(it)
		}
		return out
	}
	return v
}

func decodeValues(argsJSON, kwargsJSON string) ([]any, []KV, error) {
	var args []any
	if argsJSON != "" {
		d := json.NewDecoder(strings.NewReader(argsJSON))
		d.UseNumber()
		if err := d.Decode(&args); err != nil {
			return nil, nil, fmt.Errorf("worker args: %w", err)
		}
	}
	var pairs [][2]any
	if kwargsJSON != "" {
		d := json.NewDecoder(strings.NewReader(kwargsJSON))
		d.UseNumber()
		if err := d.Decode(&pairs); err != nil {
			return nil, nil, fmt.Errorf("worker kwargs: %w", err)
		}
	}
	kwargs := make([]KV, 0, len(pairs))
	for _, p := range pairs {
		key, _ := p[0].(string)
		kwargs = append(kwargs, KV{key, normalize(p[1])})
	}
	for i := range args {
		args[i] = normalize(args[i])
	}
	return args, kwargs, nil
}

// normalize turns JSON numbers back into int64, *big.Int (an integer
// too big for int64) or float64.
func normalize(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		if isIntLiteral(v.String()) {
			if b, ok := new(big.Int).SetString(v.String(), 10); ok {
				return b
			}
		}
		f, _ := v.Float64()
		return f
	case []any:
		for i := range v {
			v[i] = normalize(v[i])
		}
	}
	return v
}

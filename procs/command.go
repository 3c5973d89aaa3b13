package procs

import (
	"strings"
	"unicode"
)

// SplitCommand splits a command line into argv the way a shell splits
// words, with '…' and "…" quoting and backslash escapes, but runs nothing
// through a shell: no variables, globs, pipes or redirections.
func SplitCommand(line string) ([]string, error) {
	var argv []string
	var word strings.Builder
	inWord := false
	var quote rune
	runes := []rune(line)
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' && i+1 < len(runes) {
				i++
				word.WriteRune(runes[i])
			} else {
				word.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '\\' && i+1 < len(runes):
			i++
			word.WriteRune(runes[i])
			inWord = true
		case unicode.IsSpace(r):
			if inWord {
				argv = append(argv, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, &ParseError{Format: "a %s quote is not closed", Args: []any{string(quote)}}
	}
	if inWord {
		argv = append(argv, word.String())
	}
	return argv, nil
}

// JoinCommand writes argv back as a command line SplitCommand reads the
// same: arguments with spaces or quotes are single-quoted.
func JoinCommand(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && !strings.ContainsAny(a, " \t'\"\\") {
			parts[i] = a
			continue
		}
		parts[i] = "'" + strings.ReplaceAll(a, "'", `'"'"'`) + "'"
	}
	return strings.Join(parts, " ")
}

package procs

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// checkProgram says what is wrong with a program to run, in words that name
// the real problem: not found, a directory, not executable.
func checkProgram(name string) error {
	path := name
	if !strings.Contains(name, "/") {
		_, err := exec.LookPath(name)
		if err == nil {
			return nil
		}
		if !errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("command: %q cannot be run: %v", name, err)
		}
		// LookPath skips what it cannot run: say why when a file is there.
		for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
			if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && !fi.IsDir() {
				return fmt.Errorf("command: %s is not executable: make it so with chmod +x, or run it through its interpreter (e.g. sh %s)", filepath.Join(dir, name), name)
			}
		}
		return fmt.Errorf("command: %q was not found: check the spelling or give its full path", name)
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("command: %q was not found: check the spelling or give its full path", name)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("command: %q cannot be reached: permission denied on a folder of its path", name)
	case err != nil:
		return fmt.Errorf("command: %q: %v", name, err)
	case fi.IsDir():
		return fmt.Errorf("command: %q is a directory, not a program: give the program inside it", name)
	case fi.Mode()&0o111 == 0:
		return fmt.Errorf("command: %q is not executable: make it so with chmod +x, or run it through its interpreter (e.g. sh %s)", name, name)
	}
	return nil
}

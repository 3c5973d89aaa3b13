//go:build !linux

package procs

import (
	"os/exec"
	"testing"
)

// Pseudo-terminals are opened the Linux way only: elsewhere these skip.

func runInTerminal(t *testing.T, name string, args ...string) string {
	t.Skip("pseudo-terminals are opened the Linux way only")
	return ""
}

func runOnTerminals(t *testing.T, cmd *exec.Cmd, apart bool, started func()) (stdout, stderr string) {
	t.Skip("pseudo-terminals are opened the Linux way only")
	return "", ""
}

// Package launch hands a window's settings from the proclab command to the
// proclab-window binary beside it. The command has no GUI toolkit in it, so
// that a terminal command, a worker and a keeper start as fast as a small
// Go program: Fyne's packages, and the GL and X libraries they link, cost
// every process 10 ms and 20 MB before main. The command checks what the
// user typed, then becomes the window binary (exec: same process, same
// pid, same terminal), which reads the settings here.
package launch

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"syscall"

	"proclab/procs"
)

// Window is what the window opens with, as the command line said it.
type Window struct {
	Version      string
	Hz           float64
	Preload      []procs.Spec
	Stats        string // a file for the window's measurements, "" for none
	Trace        string // a file for every lab event as a JSON line, "" for none
	LogDir       string
	LogLimit     int64
	Lesson       string
	Language     string
	Run          []string
	Watch        int
	NoPythonHook bool
	ThreadNames  bool
}

// WindowBinary is the name of the window's binary, beside proclab's.
const WindowBinary = "proclab-window"

// CommandBinary is the name of the proclab command's binary.
const CommandBinary = "proclab"

// env carries Window, as JSON, across the exec; the window takes it out of
// its environment at once, so no child inherits it.
const env = "PROCLAB_WINDOW_SETTINGS"

// Exec replaces this process with the window binary found beside it,
// opening w. It returns only if that fails.
func Exec(w Window) error {
	bin, err := beside(WindowBinary)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("the window is not installed: %s is missing (make build puts it beside proclab)", bin)
	}
	data, err := json.Marshal(w)
	if err != nil {
		return err
	}
	// A CPU profile (PROCLAB_CPUPROFILE) runs on an interval timer, which
	// survives exec: its first SIGPROF reached the window before Go had
	// installed a handler, and ended it. The window profiles itself.
	pprof.StopCPUProfile()
	return syscall.Exec(bin, []string{bin}, append(os.Environ(), env+"="+string(data)))
}

// Take returns the settings the proclab command passed, and removes them
// from the environment. Started any other way (from a desktop menu), the
// window opens with defaults: ok is false.
func Take() (w Window, ok bool, err error) {
	data, found := os.LookupEnv(env)
	if !found {
		return Window{}, false, nil
	}
	os.Unsetenv(env)
	if err := json.Unmarshal([]byte(data), &w); err != nil {
		return Window{}, false, fmt.Errorf("the window's settings from proclab are unreadable: %w", err)
	}
	return w, true, nil
}

// Command is the proclab command beside the window binary, which the lab
// re-executes as its workers and keeper; "" when there is none (the window
// binary then does that itself).
func Command() string {
	bin, err := beside(CommandBinary)
	if err != nil {
		return ""
	}
	if st, err := os.Stat(bin); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		return ""
	}
	return bin
}

// beside is the path of name in the folder of this program's binary.
func beside(name string) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", errors.New("cannot find where proclab is installed: " + err.Error())
	}
	return filepath.Join(filepath.Dir(exe), name), nil
}

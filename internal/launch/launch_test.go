package launch

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
)

// execUnderProfileEnv makes this test binary a proclab that profiles its
// CPU and then becomes the window, as PROCLAB_CPUPROFILE makes it.
const execUnderProfileEnv = "PROCLAB_TEST_EXEC_UNDER_PROFILE"

func TestMain(m *testing.M) {
	if path := os.Getenv(execUnderProfileEnv); path != "" {
		f, err := os.Create(path)
		if err == nil {
			_ = pprof.StartCPUProfile(f)
		}
		if err := Exec(Window{Version: "test"}); err != nil {
			os.Stderr.WriteString(err.Error())
		}
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// A CPU profile's interval timer outlives exec: the window, which burns
// CPU before Go installs its SIGPROF handler, must not be ended by it. The
// window here is a shell that counts, which SIGPROF ends at once.
func TestTheWindowOutlivesTheCommandsCPUProfile(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	window := filepath.Join(filepath.Dir(exe), WindowBinary)
	script := "#!/bin/sh\ni=0\nwhile [ $i -lt 300000 ]; do i=$((i+1)); done\necho survived\n"
	if err := os.WriteFile(window, []byte(script), 0o755); err != nil {
		t.Skip("cannot put a window beside the test binary:", err)
	}
	defer os.Remove(window)
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), execUnderProfileEnv+"="+filepath.Join(t.TempDir(), "cpu.prof"))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "survived") {
		t.Fatalf("the window did not survive the exec: %v\n%s", err, out)
	}
}

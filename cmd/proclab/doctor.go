package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"proclab/internal/launch"
	"proclab/procs"
)

// runDoctor is `proclab doctor`: what ProcLab can promise on this machine,
// each line a guarantee and whether it holds.
func runDoctor(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "proclab doctor: it takes no arguments, not %q\n", args[0])
		return 2
	}
	lab, err := procs.NewLab(procs.Options{LogDir: "-"})
	if err != nil {
		fmt.Fprintln(stderr, "proclab doctor:", err)
		return 1
	}
	defer lab.Close()
	mark := func(ok bool) string {
		if ok {
			return "yes"
		}
		return "NO "
	}
	fmt.Fprintf(stdout, "%s  containment by the kernel: %s\n", mark(lab.Contained()), lab.Containment())
	fmt.Fprintf(stdout, "%s  orphans adopted by ProcLab (child subreaper): %s\n", mark(lab.Subreaper()), map[bool]string{true: "a child's orphans stay in the lab's tree", false: "orphans go to init and leave the tree"}[lab.Subreaper()])
	pidfd := procs.HavePidfd()
	fmt.Fprintf(stdout, "%s  signals through pidfds: %s\n", mark(pidfd), map[bool]string{true: "a recycled pid is never signalled", false: "signals go by pid, checked against the start time"}[pidfd])
	dir := procs.DefaultLogDir()
	logOK := writable(dir)
	fmt.Fprintf(stdout, "%s  full output log in %s: %s\n", mark(logOK), dir, map[bool]string{true: "writable", false: "not writable: give another with --log-dir"}[logOK])
	why := launch.NoDisplay()
	fmt.Fprintf(stdout, "%s  window: %s\n", mark(why == ""), map[bool]string{true: "an X server answers at DISPLAY=" + os.Getenv("DISPLAY"), false: why + "; the terminal commands work without one"}[why == ""])
	return 0
}

// writable reports whether a file can be made in dir (creating it if need be).
func writable(dir string) bool {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false
	}
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(filepath.Join(dir, filepath.Base(f.Name())))
	return true
}

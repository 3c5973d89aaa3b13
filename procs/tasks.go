package procs

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Param is one parameter of a task, as a Python def would declare it.
type Param struct {
	Name       string
	Default    any
	HasDefault bool
}

// Task is a function a child can run in worker mode, named as in the note.
type Task struct {
	Name    string
	Params  []Param
	Summary string // one line for menus and tooltips
	run     func(w *Worker, args map[string]any) error
}

// Signature prints the task as a Python def line, e.g. show_info(name, age).
func (t *Task) Signature() string {
	parts := make([]string, len(t.Params))
	for i, p := range t.Params {
		parts[i] = p.Name
		if p.HasDefault {
			parts[i] += "=" + Repr(p.Default)
		}
	}
	return t.Name + "(" + strings.Join(parts, ", ") + ")"
}

// CommandTarget is the target name for an external program run by argv.
const CommandTarget = "command"

var tasks = map[string]*Task{}

func register(t *Task) { tasks[t.Name] = t }

// LookupTask returns the registered task with that name.
func LookupTask(name string) (*Task, bool) {
	t, ok := tasks[name]
	return t, ok
}

// TaskNames lists the registered tasks in a stable order, note tasks first.
func TaskNames() []string {
	order := []string{"dance", "sing", "show_info", "add_data", "read_data", "task", "pid_info", "forever", "burn", "spawner", "threads", "crash", "flood"}
	seen := map[string]bool{}
	var names []string
	for _, n := range order {
		if _, ok := tasks[n]; ok {
			names = append(names, n)
			seen[n] = true
		}
	}
	var rest []string
	for n := range tasks {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}

func opt(name string, def any) Param { return Param{Name: name, Default: def, HasDefault: true} }

// exitCode is returned by a task to end its process with sys.exit(n).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// pyError is an uncaught Python exception: the worker prints a traceback
// and exits with 1, as multiprocessing's bootstrap does.
type pyError struct{ kind, msg string }

func (e pyError) Error() string { return e.kind + ": " + e.msg }

func init() {
	repeat := func(text string, n int, pause time.Duration) func(*Worker, map[string]any) error {
		return func(w *Worker, _ map[string]any) error {
			for range n {
				w.Print(text)
				time.Sleep(pause)
			}
			return nil
		}
	}
	register(&Task{Name: "dance", Summary: "prints 跳舞中... 3 times, 0.2 s apart (3.2)", run: repeat("跳舞中...", 3, 200*time.Millisecond)})
	register(&Task{Name: "sing", Summary: "prints 唱歌中... 3 times, 0.1 s apart (3.2)", run: repeat("唱歌中...", 3, 100*time.Millisecond)})
	register(&Task{Name: "task", Summary: "prints 任务执行中.. 10 times, 0.1 s apart (3.6)", run: repeat("任务执行中..", 10, 100*time.Millisecond)})
	register(&Task{
		Name: "show_info", Params: []Param{{Name: "name"}, {Name: "age"}},
		Summary: "prints 名字为{name}, 年龄为{age} (3.5 args and kwargs)",
		run: func(w *Worker, a map[string]any) error {
			w.Print(fmt.Sprintf("名字为%s, 年龄为%s", Str(a["name"]), Str(a["age"])))
			return nil
		},
	})
	register(&Task{
		Name: "add_data", Summary: "appends 0, 1, 2 to its own g_list (3.6 globals are not shared)",
		run: func(w *Worker, _ map[string]any) error {
			for i := range 3 {
				w.appendGList(int64(i))
				w.Print("add:", int64(i))
				time.Sleep(200 * time.Millisecond)
			}
			w.Print("添加完成：", w.gListNow())
			return nil
		},
	})
	register(&Task{
		Name: "read_data", Summary: "prints its own g_list (3.6 globals are not shared)",
		run: func(w *Worker, _ map[string]any) error {
			w.Print("read:", w.gListNow())
			return nil
		},
	})
	register(&Task{
		Name: "pid_info", Params: []Param{opt("seconds", int64(0))},
		Summary: "prints os.getpid() and os.getppid(), then stays for seconds (3.3)",
		run: func(w *Worker, a map[string]any) error {
			w.Print("os.getpid():", int64(os.Getpid()))
			w.Print("os.getppid():", int64(os.Getppid()))
			d, err := seconds("pid_info", a["seconds"])
			if err != nil {
				return err
			}
			time.Sleep(d)
			return nil
		},
	})
	register(&Task{
		Name: "forever", Params: []Param{opt("interval", 0.5)},
		Summary: "prints a line every interval seconds until it is stopped",
		run: func(w *Worker, a map[string]any) error {
			d, err := seconds("forever", a["interval"])
			if err != nil {
				return err
			}
			for i := 0; ; i++ {
				w.Print("循环中...", int64(i))
				time.Sleep(d)
			}
		},
	})
	register(&Task{
		Name: "burn", Params: []Param{opt("seconds", nil)},
		Summary: "keeps one core busy for seconds (None: until stopped)",
		run: func(w *Worker, a map[string]any) error {
			limit, err := optionalSeconds("burn", a["seconds"])
			if err != nil {
				return err
			}
			start := time.Now()
			next := start.Add(time.Second)
			x := uint64(1)
			for limit == 0 || time.Since(start) < limit {
				for range 100000 {
					x = x*6364136223846793005 + 1442695040888963407
				}
				if now := time.Now(); now.After(next) {
					w.Print(fmt.Sprintf("burning %.0f s", now.Sub(start).Seconds()))
					next = next.Add(time.Second)
				}
			}
			w.Print("done", int64(x%2))
			return nil
		},
	})
	register(&Task{
		Name: "crash", Params: []Param{opt("code", int64(1))},
		Summary: "sys.exit(code); code='error' raises an uncaught RuntimeError",
		run: func(w *Worker, a map[string]any) error {
			switch c := a["code"].(type) {
			case int64:
				w.Print(fmt.Sprintf("sys.exit(%d)", c))
				return exitCode(c)
			default:
				return pyError{"RuntimeError", fmt.Sprintf("crash(%s) raised on purpose", Repr(c))}
			}
		},
	})
	register(&Task{
		Name: "flood", Params: []Param{opt("seconds", nil)},
		Summary: "prints 64-byte lines as fast as it can (None: until stopped)",
		run: func(w *Worker, a map[string]any) error {
			limit, err := optionalSeconds("flood", a["seconds"])
			if err != nil {
				return err
			}
			out := bufio.NewWriterSize(w.stdout, 64<<10)
			defer out.Flush()
			start := time.Now()
			for i := 0; ; i++ {
				// 63 characters and a newline: the size the benchmarks count in.
				fmt.Fprintf(out, "flood %012d %s\n", i, strings.Repeat("x", 63-6-12-1))
				if i%1024 == 0 && limit > 0 && time.Since(start) >= limit {
					return nil
				}
			}
		},
	})
	register(&Task{
		Name: "spawner", Params: []Param{opt("n", int64(2)), opt("target", "forever")},
		Summary: "starts n children of its own running target, then waits for them",
		run:     runSpawner,
	})
	register(&Task{
		Name: "threads", Params: []Param{opt("n", int64(2)), opt("target", "task"), opt("daemon", false)},
		Summary: "starts n threads of its own process running target, then joins them (daemon=True: does not)",
		run:     runThreads,
	})
}

func seconds(task string, v any) (time.Duration, error) {
	switch v := v.(type) {
	case int64:
		if v >= 0 {
			return time.Duration(v) * time.Second, nil
		}
	case float64:
		if v >= 0 {
			return time.Duration(v * float64(time.Second)), nil
		}
	}
	return 0, pyError{"ValueError", fmt.Sprintf("%s(): seconds must be a number >= 0, not %s", task, Repr(v))}
}

// optionalSeconds reads a seconds=None parameter: 0 stands for None, no limit.
func optionalSeconds(task string, v any) (time.Duration, error) {
	if v == nil {
		return 0, nil
	}
	return seconds(task, v)
}

// runSpawner starts children named Process-N:1, Process-N:2, ... as
// multiprocessing names a child's own children.
func runSpawner(w *Worker, a map[string]any) error {
	if w.Daemon {
		return pyError{"AssertionError", "daemonic processes are not allowed to have children"}
	}
	n, ok := a["n"].(int64)
	if !ok || n < 0 || n > 64 {
		return pyError{"ValueError", fmt.Sprintf("spawner(): n must be an int from 0 to 64, not %s", Repr(a["n"]))}
	}
	target := Str(a["target"])
	if _, ok := LookupTask(target); !ok || target == "spawner" {
		return pyError{"ValueError", fmt.Sprintf("spawner(): unknown target %s", Repr(a["target"]))}
	}
	exe, err := os.Executable()
	if err != nil {
		return pyError{"OSError", err.Error()}
	}
	var wg sync.WaitGroup
	for i := int64(1); i <= n; i++ {
		name := fmt.Sprintf("%s:%d", w.Name, i)
		cmd := exec.Command(exe, workerArgs(name, target, nil, nil, false)...)
		cmd.Stdout, cmd.Stderr = w.stdout, w.stderr
		// Each child tags its lines, so the lab gives it a lane of its own.
		cmd.Env = append(os.Environ(), tagLinesEnv+"=1")
		cmd.SysProcAttr = grandchildAttr()
		if err := cmd.Start(); err != nil {
			return pyError{"OSError", err.Error()}
		}
		w.Print(fmt.Sprintf("started %s pid=%d", name, cmd.Process.Pid))
		wg.Go(func() {
			_ = cmd.Wait()
			// The spawner reaped it: it tells the lab the exit code, as
			// Python's hook does for a multiprocessing child.
			if status, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
				_, _ = io.WriteString(w.stdout, exitTag(cmd.Process.Pid, os.Getpid(), name, status))
			}
		})
	}
	wg.Wait()
	return nil
}

// bind matches positional and keyword arguments to a task's parameters,
// failing with the TypeError text CPython uses.
func (t *Task) bind(args []any, kwargs []KV) (map[string]any, error) {
	out := map[string]any{}
	if len(args) > len(t.Params) {
		return nil, pyError{"TypeError", fmt.Sprintf("%s() takes %d positional argument%s but %d %s given",
			t.Name, len(t.Params), plural(len(t.Params)), len(args), wasWere(len(args)))}
	}
	for i, v := range args {
		out[t.Params[i].Name] = v
	}
	for _, kv := range kwargs {
		known := false
		for _, p := range t.Params {
			known = known || p.Name == kv.Key
		}
		if !known {
			return nil, pyError{"TypeError", fmt.Sprintf("%s() got an unexpected keyword argument '%s'", t.Name, kv.Key)}
		}
		if _, dup := out[kv.Key]; dup {
			return nil, pyError{"TypeError", fmt.Sprintf("%s() got multiple values for argument '%s'", t.Name, kv.Key)}
		}
		out[kv.Key] = kv.Value
	}
	var missing []string
	for _, p := range t.Params {
		if _, ok := out[p.Name]; ok {
			continue
		}
		if p.HasDefault {
			out[p.Name] = p.Default
		} else {
			missing = append(missing, "'"+p.Name+"'")
		}
	}
	if len(missing) > 0 {
		list := missing[0]
		if len(missing) > 1 {
			list = strings.Join(missing[:len(missing)-1], ", ") + " and " + missing[len(missing)-1]
		}
		return nil, pyError{"TypeError", fmt.Sprintf("%s() missing %d required positional argument%s: %s",
			t.Name, len(missing), plural(len(missing)), list)}
	}
	return out, nil
}

// CheckCall reports the TypeError a call would raise in the child, so that
// the New-process form can warn before the process is created.
func (t *Task) CheckCall(args []any, kwargs []KV) error {
	_, err := t.bind(args, kwargs)
	var pe pyError
	if errors.As(err, &pe) {
		return errors.New(pe.Error())
	}
	return err
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

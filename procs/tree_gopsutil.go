package procs

import (
	"github.com/shirou/gopsutil/v3/process"
)

// readAllGopsutil builds the same records through gopsutil's per-process
// API. It is the tree's source on systems without /proc, and the reference
// the Linux fast path is tested against. It costs one call per field per
// process, so it is far slower than readAllStats.
func readAllGopsutil() ([]ProcStat, error) {
	ps, err := process.Processes()
	if err != nil {
		return nil, err
	}
	out := make([]ProcStat, 0, len(ps))
	for _, p := range ps {
		s := ProcStat{Pid: int(p.Pid)}
		ppid, err := p.Ppid()
		if err != nil {
			continue
		}
		s.PPid = int(ppid)
		s.Name, _ = p.Name()
		if st, err := p.Status(); err == nil && len(st) > 0 {
			s.State = gopsutilState(st[0])
		}
		if t, err := p.Times(); err == nil {
			s.CPUTicks = uint64((t.User + t.System) * clockTicks)
		}
		if m, err := p.MemoryInfo(); err == nil {
			s.RSS = m.RSS
		}
		if n, err := p.NumThreads(); err == nil {
			s.Threads = int(n)
		}
		if ms, err := p.CreateTime(); err == nil {
			s.StartTime = uint64(ms)
		}
		out = append(out, s)
	}
	return out, nil
}

func gopsutilState(s string) byte {
	switch s {
	case process.Running:
		return 'R'
	case process.Sleep:
		return 'S'
	case process.Stop:
		return 'T'
	case process.Idle:
		return 'I'
	case process.Zombie:
		return 'Z'
	case process.Wait:
		return 'D'
	}
	return '?'
}

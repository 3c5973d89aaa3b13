// Package profile writes the profiles a developer asks for through the
// environment, around a whole command or window session:
// PROCLAB_CPUPROFILE=FILE a CPU profile, PROCLAB_MEMPROFILE=FILE the heap
// as it ends (live objects and, in the same file, every allocation made
// meanwhile: go tool pprof -sample_index=alloc_space).
package profile

import (
	"os"
	"runtime/pprof"
)

// Run runs main under the profiles asked for and returns its exit code.
func Run(main func() int) int {
	if path := os.Getenv("PROCLAB_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			_ = pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
	}
	if path := os.Getenv("PROCLAB_MEMPROFILE"); path != "" {
		defer func() {
			if f, err := os.Create(path); err == nil {
				_ = pprof.Lookup("heap").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	return main()
}

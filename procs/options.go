package procs

// Options configure a Lab.
type Options struct {
	// Exe is the binary re-executed in worker mode, and as the lab's keeper;
	// default: this program.
	Exe string
	// LaneLines is how many recent lines each lane keeps; default DefaultLaneLines.
	LaneLines int
	// OnLines, if set, is given every line as it is read, in order per
	// pipe, before the lab publishes it: a headless run prints from it, as
	// events may be dropped and lanes forget. Lines read together come
	// together; ls.Texts is reused once the call returns. While it blocks,
	// that pipe is not read, so the program waits on its writes, as on a
	// slow pipe; it must return once the lab is closing.
	OnLines func(p *Process, ls Lines)
	// MaxProgramProcesses bounds the processes of one program run in the
	// lab that get lanes; default DefaultMaxProgramProcesses.
	MaxProgramProcesses int
	// OnProblem, if set, is told what the lab could not do as it happens
	// (the window shows these as errors; a headless run prints them).
	OnProblem func(text string)
	// LaneBytes bounds what the lanes of the lab keep together, shared
	// equally (see Budget); default DefaultLabBytes. The log keeps every line.
	LaneBytes int64
	// LogDir receives the full output of each lab; default DefaultLogDir().
	// "-" turns the log off.
	LogDir string
	// LogLimit bounds the bytes one lab's log holds; 0: DefaultLogLimit,
	// negative: no bound.
	LogLimit int64
	// NoPythonHook runs Python programs as they are, without tagging their
	// lines per process.
	NoPythonHook bool
	// ThreadNames has the hook start each line a Python thread other than
	// the main one prints with the thread's name: [Thread-1 (work)] text.
	ThreadNames bool
}

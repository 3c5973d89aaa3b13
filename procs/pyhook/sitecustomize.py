# ProcLab's interpreter hook. ProcLab puts this file on PYTHONPATH when it
# runs a Python program, so that every process of the program - the main
# one and every child multiprocessing starts, whatever its start method -
# tags each line it writes with its pid, its parent's pid and its name.
# ProcLab reads the tags to give each process its own lane, and removes
# them: the program itself is not changed and sees nothing of this.
#
# Tagged line:  RS kind US pid US ppid US name US text LF
# kinds: "l" a line of output, "p" the start of a line flushed before its
# newline (ProcLab joins it with what follows), "x" the process's exit code.
import os
import sys

_RS, _US = "\x1e", "\x1f"
# The longest tagged write: ProcLab reads up to 4096 bytes as one line.
_PIECE = 4000


def _role():
    # Python's helper processes run "python -c 'from multiprocessing.X import main'".
    try:
        with open("/proc/self/cmdline", "rb") as f:
            cmdline = f.read().decode(errors="replace")
    except OSError:
        return None
    for module, name in (("multiprocessing.forkserver", "forkserver"),
                         ("multiprocessing.resource_tracker", "resource_tracker")):
        if module in cmdline:
            return name
    return None


_helper, _helper_pid = _role(), os.getpid()


def _name():
    if _helper and os.getpid() == _helper_pid:
        return _helper  # not its forked children: they are the program's
    mp = sys.modules.get("multiprocessing")
    if mp is None:
        return "MainProcess"
    try:
        return mp.current_process().name
    except Exception:
        return "MainProcess"


class _TaggedStream:
    """Writes whole lines, each tagged, straight to the file descriptor:
    one os.write per line, so lines of different processes never mix."""

    def __init__(self, stream):
        self._stream = stream
        self._fd = stream.fileno()
        self._pending = ""
        self._pid = os.getpid()
        self._encoding = stream.encoding or "utf-8"
        self._who, self._tags = None, {}

    def _tag(self, kind):
        # Tags are made again only when who writes changes (a fork, a new
        # name): most lines reuse them. A name cannot break the framing.
        who = (os.getpid(), _name())
        if who != self._who:
            self._who, self._tags = who, {}
        tag = self._tags.get(kind)
        if tag is None:
            name = "".join("\ufffd" if c in "\n\r\x1e\x1f" else c for c in who[1])
            tag = _RS + kind + _US + str(who[0]) + _US + str(os.getppid()) + _US + name + _US
            tag = self._tags[kind] = tag.encode(self._encoding, "replace")
        return tag

    def _emit(self, kind, text):
        # A long line goes in tagged pieces ("p", then the last as kind),
        # each short enough for ProcLab to read whole: every piece stays
        # in this process's lane, and the tag takes nothing from the line.
        data = text.encode(self._encoding, "replace")
        room = _PIECE - len(self._tag("p"))
        while len(data) > room:
            cut = room
            while cut > 0 and (data[cut] & 0xC0) == 0x80:
                cut -= 1  # not inside a UTF-8 character
            cut = cut or room
            self._write(self._tag("p") + data[:cut] + b"\n")
            data = data[cut:]
        self._write(self._tag(kind) + data + b"\n")

    def _write(self, data):
        while data:
            try:
                n = os.write(self._fd, data)
            except InterruptedError:
                continue
            except OSError:
                return
            data = data[n:]

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not " + type(s).__name__)
        if os.getpid() != self._pid:
            # A forked child: what the parent had not finished is the parent's.
            self._pid, self._pending = os.getpid(), ""
        self._pending += s
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            self._emit("l", line)
        return len(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        # Text printed without its newline goes out when the program
        # flushes it, as to a terminal, marked as part of a line: ProcLab
        # joins it with the rest of the line.
        if self._pending and os.getpid() == self._pid:
            pending, self._pending = self._pending, ""
            self._emit("p", pending)

    def exit_code(self, code):
        self.flush()
        self._emit("x", str(code))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _install():
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if stream is None:
            continue
        try:
            stream.fileno()
        except (OSError, ValueError, AttributeError):
            continue
        setattr(sys, name, _TaggedStream(stream))
        setattr(sys, "__" + name + "__", getattr(sys, name))

    # Report each multiprocessing child's exit code: _bootstrap returns it
    # for every start method, before the child exits.
    import atexit
    atexit.register(lambda: sys.stdout.flush() if hasattr(sys.stdout, "flush") else None)
    try:
        from multiprocessing import process
    except Exception:
        return
    bootstrap = process.BaseProcess._bootstrap

    def _bootstrap(self, *args, **kwargs):
        code = bootstrap(self, *args, **kwargs)
        out = sys.stdout
        if isinstance(out, _TaggedStream):
            out.exit_code(code)
        return code

    process.BaseProcess._bootstrap = _bootstrap


def _end_with_proclab():
    """In every process of the program but the first (which ProcLab itself
    ends): when its parent dies it is re-parented. Re-parented to ProcLab,
    it lives on as an adopted orphan, as in Python; otherwise ProcLab has
    died, and it ends, so that no process of the lab outlives ProcLab.

    Not needed, and not set, when ProcLab holds the lab in a cgroup: the
    kernel then ends every process of the lab with ProcLab."""
    lab = os.environ.get("PROCLAB_LAB_PID", "")
    if os.environ.get("PROCLAB_CONTAINED") == "1":
        return
    if not lab.isdigit() or not sys.platform.startswith("linux"):
        return
    lab = int(lab)
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL(None, use_errno=True)
        sig = signal.SIGRTMIN + 5  # a signal programs leave alone
    except Exception:
        return
    parent_at_start = [0]

    def on_parent_death(*_):
        # The signal also comes when only the *thread* that started this
        # process ends (a Pool's handler thread, any thread that returns):
        # the parent process is then still the parent.
        now = os.getppid()
        if now == parent_at_start[0]:
            return
        if now != lab:
            os._exit(137)
        parent_at_start[0] = now  # adopted by ProcLab: an orphan lives on

    def install():
        parent = os.getppid()
        parent_at_start[0] = parent
        if parent == lab:
            return  # the program itself: ProcLab's parent-death signal ends it
        try:
            signal.signal(sig, on_parent_death)
            libc.prctl(1, int(sig), 0, 0, 0)  # PR_SET_PDEATHSIG
        except Exception:
            return
        if os.getppid() != parent:  # the parent died before prctl
            on_parent_death()

    install()
    os.register_at_fork(after_in_child=install)


def _chain():
    # This file hides any sitecustomize the system has: run that one too.
    import importlib.machinery
    import importlib.util
    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception:
            pass


if os.environ.get("PROCLAB_PYTHON_TAGS") == "1":
    _install()
    _end_with_proclab()
_chain()

# ProcLab's interpreter hook. ProcLab puts this file on PYTHONPATH when it
# runs a Python program, so that every process of the program - the main
# one, every child multiprocessing starts whatever its start method, and
# every os.fork - writes its output to ProcLab on connections of its own.
# ProcLab gives each process its own lane; the program itself is not
# changed and sees nothing of this.
#
# Each process connects once to the address in PROCLAB_PYTHON_HOOK, and
# hands ProcLab the read ends of two new pipes that it then puts on its file
# descriptors 1 and 2. The kernel tells ProcLab who connected (the peer's
# pid), so nothing a program writes can speak for another process: every
# byte on fd 1 or 2, by print, sys.stdout.buffer, os.write, a C extension
# or a program it runs, is text of the lane of the process whose pipe it is.
#
# The connection opens with one line, "proclab1 PPID NAME", which carries
# the two read ends (SCM_RIGHTS), and ProcLab answers "ok" once it knows the
# process, before anything is written. Then the connection carries:
#   name NAME          multiprocessing named this process (answered "ok")
#   exit PID CODE      this process reaped its child PID, which ended so
#                      (CODE as Python's exitcode: negative for a signal)
#   thread TID NAME    threading started a thread of this process, TID as
#                      the kernel numbers it (Python 3.8 and later)
import os
import sys

_ADDRESS = os.environ.get("PROCLAB_PYTHON_HOOK", "")


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


def _one_line(text):
    return "".join("\ufffd" if c in "\n\r\x1e\x1f" else c for c in str(text))


class _Hook:
    """This process's connections to ProcLab. After a fork the child makes
    its own (connect); what it inherited is its parent's."""

    def __init__(self):
        self._ctl = None
        self._lock = None

    def _open(self, read_ends):
        # _socket, not socket: every process of the program imports this at
        # start-up, and socket (with selectors) costs it several ms.
        import _socket as socket
        import array
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.settimeout(5)
            s.connect("\0" + _ADDRESS)
            hello = "proclab1 %d %s\n" % (os.getppid(), _one_line(_name()))
            fds = array.array("i", read_ends)
            s.sendmsg([hello.encode("utf-8", "replace")], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
            if not self._answered(s):
                raise OSError("ProcLab refused the connection")
            s.settimeout(None)
            return s
        except Exception:
            s.close()
            raise

    @staticmethod
    def _answered(s):
        answer = b""
        while not answer.endswith(b"\n"):
            more = s.recv(3 - len(answer))
            if not more:
                return False
            answer += more
        return answer == b"ok\n"

    def connect(self):
        import _thread
        # A new lock: never one a forking thread held. Re-entrant: a signal
        # handler may reap a child in the middle of a send.
        self._lock = _thread.RLock()
        if self._ctl is not None:
            try:
                self._ctl.close()  # the parent's: this process's copy
            except OSError:
                pass
            self._ctl = None
        pipes = []
        try:
            pipes = [os.pipe(), os.pipe()]
            self._ctl = self._open([r for r, _ in pipes])
            for fd, (_, w) in zip((1, 2), pipes):
                os.dup2(w, fd)  # inheritable: what it runs writes here too
        except Exception:
            # ProcLab is gone or refuses: write where the parent writes.
            self._ctl = None
        finally:
            for r, w in pipes:  # ProcLab has the read ends; fds 1 and 2 the write ends
                os.close(r)
                os.close(w)

    def _send(self, line, answer=False):
        ctl, lock = self._ctl, self._lock
        if ctl is None or lock is None:
            return
        with lock:
            try:
                ctl.sendall(line.encode("utf-8", "replace"))
                if answer:
                    ctl.settimeout(5)
                    self._answered(ctl)
                    ctl.settimeout(None)
            except Exception:
                pass

    def named(self, name):
        # Answered: a line printed after this is shown under the new name.
        self._send("name %s\n" % _one_line(name), answer=True)

    def reaped(self, pid, status):
        if os.WIFEXITED(status):
            code = os.WEXITSTATUS(status)
        elif os.WIFSIGNALED(status):
            code = -os.WTERMSIG(status)
        else:
            return  # stopped or continued: not an end
        self._send("exit %d %d\n" % (pid, code))

    def thread(self, tid, name):
        self._send("thread %d %s\n" % (tid, _one_line(name)))


_hook = _Hook()


def _flush_std():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def _line_buffered():
    # As at a terminal: each line goes out whole when it is finished (or
    # flushed), so threads' prints do not mix inside a line, and nothing
    # is held back until the process exits.
    import io
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if stream is None or getattr(stream, "line_buffering", True):
            continue
        # Left as it is under -u or PYTHONUNBUFFERED, as the user asked
        # (write_through; on Python 3.6 a raw buffer).
        if getattr(stream, "write_through", False) or isinstance(getattr(stream, "buffer", None), io.RawIOBase):
            continue
        try:
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(line_buffering=True)
            else:  # Python 3.6
                stream.flush()
                new = io.TextIOWrapper(stream.detach(), stream.encoding, stream.errors, line_buffering=True)
                if getattr(sys, "__" + name + "__", None) is stream:
                    setattr(sys, "__" + name + "__", new)
                setattr(sys, name, new)
        except Exception:
            pass


class _ThreadLines:
    """sys.stdout or sys.stderr when PROCLAB_THREAD_NAMES=1 (proclab run
    --thread-names): each line a thread other than the main one prints
    starts with the thread's name, "[Thread-1 (work)] text", and goes out
    whole when the thread ends it (print writes its text and its end
    apart, so two threads' lines would mix). The main thread's lines are
    as it writes them."""

    def __init__(self, stream):
        import _thread
        self._stream = stream
        self._local = _thread._local()

    def write(self, text):
        threading = sys.modules.get("threading")
        if threading is None or threading.current_thread() is threading.main_thread():
            return self._stream.write(text)
        pending = getattr(self._local, "pending", "") + text
        *lines, self._local.pending = pending.split("\n")
        if lines:
            name = _one_line(threading.current_thread().name)
            self._stream.write("".join("[%s] %s\n" % (name, line) for line in lines))
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _name_threads_lines():
    if os.environ.get("PROCLAB_THREAD_NAMES") != "1":
        return
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if stream is not None and not isinstance(stream, _ThreadLines):
            setattr(sys, name, _ThreadLines(stream))


def _install():
    _flush_std()  # what is buffered was written before: it goes first
    _hook.connect()
    _line_buffered()
    _name_threads_lines()
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_hook.connect)
    else:  # Python 3.6
        fork = os.fork

        def _fork():
            pid = fork()
            if pid == 0:
                _hook.connect()
            return pid
        os.fork = _fork

    # Exit codes come from whoever reaps: the parent's waitpid sees the
    # real status, a kill included, for every start method and subprocess.
    waitpid = os.waitpid

    def _waitpid(pid, options):
        got, status = waitpid(pid, options)
        if got > 0:
            _hook.reaped(got, status)
        return got, status
    os.waitpid = _waitpid
    if hasattr(os, "wait"):
        wait = os.wait

        def _wait():
            got, status = wait()
            _hook.reaped(got, status)
            return got, status
        os.wait = _wait

    # multiprocessing names its processes in _bootstrap. It is patched when
    # the program imports it: importing it here would cost every Python
    # process of the program some 10 ms, multiprocessing or not.
    # threading names its threads, which the kernel does not know (all are
    # "python3" in /proc): each thread tells ProcLab its name as it starts.
    patches = {"multiprocessing.process": _patch_bootstrap, "threading": _patch_threading}
    for module in list(patches):
        if module in sys.modules:
            patches.pop(module)(sys.modules[module])
    if patches:
        sys.meta_path.insert(0, _PatchOnImport(patches))


def _patch_bootstrap(process):
    bootstrap = process.BaseProcess._bootstrap

    def _bootstrap(self, *args, **kwargs):
        _hook.named(self.name)
        return bootstrap(self, *args, **kwargs)

    process.BaseProcess._bootstrap = _bootstrap


def _patch_threading(threading):
    import _thread
    native_id = getattr(_thread, "get_native_id", None)  # Python 3.8
    if native_id is None:
        return
    inner = threading.Thread._bootstrap_inner

    def _bootstrap_inner(self):
        try:
            _hook.thread(native_id(), self.name)
        except Exception:
            pass
        return inner(self)

    threading.Thread._bootstrap_inner = _bootstrap_inner


class _PatchOnImport:
    """Finds nothing itself: when a module it patches is imported, it lets
    the usual finder find it and patches the module once loaded."""

    def __init__(self, patches):
        self._patches = patches

    def find_spec(self, name, path=None, target=None):
        patch = self._patches.pop(name, None)
        if patch is None:
            return None
        if not self._patches:
            sys.meta_path.remove(self)
        import importlib.machinery
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            try:
                patch(module)
            except Exception:
                pass
        spec.loader.exec_module = exec_and_patch
        return spec


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
    if hasattr(os, "register_at_fork"):
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


if _ADDRESS and sys.platform.startswith("linux"):
    _install()
    _end_with_proclab()
_chain()

"""Starting one worker process: its private folder, scrubbed environment, channel, output pipe and cgroup.

The worker begins trusted (it has run no student code yet) and waits for its
settings on the channel; :func:`launch` hands back everything the grader needs
to talk to it, read what it prints, and kill it with all it started.
"""

from __future__ import annotations

import atexit
import codecs
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Callable, Iterable, Optional

from grader.sandbox import _tree
from grader.sandbox._channel import HEADER, FrameReader, _recv_exactly

__all__ = ["Worker", "launch", "channel_kind"]

_WORKER_MAIN = Path(__file__).resolve().parent.parent / "student" / "_worker_main.py"
_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
                     "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS")
_WINDOWS_KEEP = ("SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT")
_font_lists: Optional[list[Path]] = None


def _pending(fd: int) -> int:
    """Bytes waiting in the pipe ``fd`` (POSIX)."""
    import array
    import fcntl
    import termios

    count = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, count)
    return count[0]


class _OutputPump(threading.Thread):
    """Drains the worker's stdout and stderr (one pipe) into ``write``, counting every byte.

    On POSIX a chunk is read and written under ``lock`` once the pipe is readable, so :meth:`drain` can tell
    when everything the worker printed so far has been written: what a report holds then does not depend on
    how fast this thread ran.
    """

    def __init__(self, fd: int, write: Callable[[str], object], lock: threading.Lock) -> None:
        super().__init__(name="grader-worker-output", daemon=True)
        self.fd, self.write, self.lock, self.total = fd, write, lock, 0
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._closed = False

    def run(self) -> None:
        # poll, not select: no limit on the descriptor's number (a long run of many workers).
        waiting = select.poll() if hasattr(select, "poll") and os.name == "posix" else None
        if waiting is not None:
            waiting.register(self.fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        try:
            while True:
                if waiting is not None:
                    waiting.poll()
                    with self.lock:
                        chunk = os.read(self.fd, 65536)
                        self._take(chunk)
                else:  # no select on pipes: read, then write under the lock
                    chunk = os.read(self.fd, 65536)
                    with self.lock:
                        self._take(chunk)
                if not chunk:
                    return
        except (OSError, ValueError):
            return
        finally:
            with self.lock:
                self._closed = True
                os.close(self.fd)

    def _take(self, chunk: bytes) -> None:
        self.total += len(chunk)
        self.write(self._decoder.decode(chunk, final=not chunk))

    def drain(self, timeout: float = 2.0) -> None:
        """Wait (up to ``timeout`` s) until every byte in the pipe has been written: what the worker printed
        before its last reply (it flushes before replying).  Not on Windows (no way to tell)."""
        if not (hasattr(select, "poll") and os.name == "posix"):
            return
        target = None  # what the pump will have read once the bytes in the pipe now are written
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                try:
                    if self._closed:
                        return
                    if target is None:
                        target = self.total + _pending(self.fd)
                except OSError:
                    return
                if self.total >= target:  # a process still printing does not keep this waiting
                    return
            time.sleep(0.001)


class Worker:
    """One running worker process and everything that belongs to it; :meth:`stop` removes all of it."""

    def __init__(self, process: subprocess.Popen, channel: socket.socket, pump: _OutputPump, folder: Path,
                 token: str, cgroup: Optional[_tree.Cgroup], *, reply_limit: int) -> None:
        self.process, self.channel, self.pump = process, channel, pump
        self.folder, self.token, self.cgroup = folder, token, cgroup
        self.reader = FrameReader(reply_limit)
        self.printed_at_start = pump.total
        self.stopped = False

    @property
    def printed(self) -> int:
        """Bytes printed since this worker started."""
        return self.pump.total - self.printed_at_start

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        _tree.kill_tree(self.process, cgroup=self.cgroup, token=self.token)
        try:
            self.channel.close()
        except OSError:
            pass
        self.pump.join(timeout=5)
        if self.cgroup is not None:
            self.cgroup.remove()
        shutil.rmtree(self.folder, ignore_errors=True)


def _matplotlib_font_lists() -> list[Path]:
    """The grader user's matplotlib font cache, built once if missing (in a trusted process of its own).

    Copied into each worker's folder, it saves every import of pyplot a second of font scanning.
    """
    global _font_lists
    if _font_lists is None:
        home = Path.home()
        folders = [Path(os.environ["MPLCONFIGDIR"])] if os.environ.get("MPLCONFIGDIR") else []
        folders += [Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "matplotlib", home / ".matplotlib"]
        found = [path for folder in folders for path in sorted(folder.glob("fontlist-v*.json"))]
        if not found:
            try:
                subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], capture_output=True,
                               timeout=120, stdin=subprocess.DEVNULL)
            except (OSError, subprocess.SubprocessError):
                pass
            found = [path for folder in folders for path in sorted(folder.glob("fontlist-v*.json"))]
        _font_lists = found
    return _font_lists


def _new_folder() -> Path:
    """A fresh private folder for a worker: its temporary folder and matplotlib's font cache."""
    folder = Path(tempfile.mkdtemp(prefix="grader-worker-"))
    (folder / "tmp").mkdir()
    (folder / ".matplotlib").mkdir()
    for font_list in _matplotlib_font_lists():
        try:
            shutil.copyfile(font_list, folder / ".matplotlib" / font_list.name)
        except OSError:
            pass  # matplotlib builds its own, a second later
    return folder


def _fill_folder(folder: Path, source: Path, module: str, data: Iterable[Path]) -> None:
    """A copy of the submission (as ``module``) and the course's data files in the worker's folder."""
    shutil.copyfile(source, folder / module)
    for path in data:
        if Path(path).is_file():
            shutil.copyfile(path, folder / Path(path).name)


def _environment(folder: Path, token: str) -> dict[str, str]:
    """Only what the worker needs: nothing of the grader's own environment leaks through."""
    env = {
        "PATH": os.defpath if os.name != "nt" else os.environ.get("PATH", ""),
        "HOME": str(folder),
        "TMPDIR": str(folder / "tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": str(folder / ".matplotlib"),
        "GRADER_WORKER": token,  # inherited by every process it starts: how stragglers are found
    }
    env.update({name: "1" for name in _THREAD_VARIABLES})  # single-threaded numerics: fair and within memory
    # glibc gives a thread that finds the others' arenas busy an arena of its own, 64 MiB of address space each
    # (up to 8 per core): at random, a pool of 20 threads no longer fit in the address-space limit.  One arena
    # makes what threads cost fixed (their stacks), so the promised processes and threads always fit; read by
    # glibc when the interpreter starts, and inherited by the programs the worker runs.
    env["MALLOC_ARENA_MAX"] = "1"
    if os.name == "nt":
        env.update({name: os.environ[name] for name in _WINDOWS_KEEP if name in os.environ})
        env["TEMP"] = env["TMP"] = env["TMPDIR"]
    return env


def channel_kind() -> str:
    """``fd`` (an inherited socket pair) where file descriptors can be passed, else ``tcp`` on 127.0.0.1."""
    forced = os.environ.get("GRADER_WORKER_CHANNEL", "")
    if forced in ("fd", "tcp"):
        return forced
    return "fd" if os.name == "posix" else "tcp"


def _accept(listener: socket.socket, token: str, process: subprocess.Popen) -> socket.socket:
    """The worker's connection: the first one that presents its token (any other local process is refused)."""
    listener.settimeout(0.5)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise OSError(f"the worker ended at start (exit code {process.returncode})")
        try:
            connection, _ = listener.accept()
        except socket.timeout:
            continue
        connection.settimeout(5)
        try:
            size = HEADER.unpack(_recv_exactly(connection, HEADER.size))[0]
            presented = _recv_exactly(connection, size) if size <= 200 else b""
        except (OSError, EOFError):
            presented = b""
        if presented == token.encode("ascii"):
            connection.settimeout(None)
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return connection
        connection.close()
    raise OSError("the worker did not connect")


def _cgroup(pid: int, processes: int, disable: frozenset[str]) -> tuple[Optional[_tree.Cgroup], str]:
    if "cgroup" in disable:
        return None, "disabled: switched off for this run (GRADER_SANDBOX_DISABLE=cgroup)"
    # The worker's own thread, which only runs the code it is asked to, is not one the code started: without
    # it, a pool of ``processes`` threads (what ThreadPoolExecutor() picks on a large machine) would not fit.
    cgroup, why = _tree.create_cgroup(processes + 1)
    if cgroup is None:
        return None, f"not available: {why}"
    try:
        cgroup.add(pid)
    except OSError as error:
        cgroup.remove()
        return None, f"not available: cannot move the worker into its cgroup ({error.strerror})"
    return cgroup, "active"


class _Ahead:
    """A worker process started before its submission is known (see :func:`start_ahead`)."""

    def __init__(self, process: subprocess.Popen, channel: socket.socket, read_fd: int, folder: Path,
                 token: str) -> None:
        self.process, self.channel, self.read_fd, self.folder, self.token = process, channel, read_fd, folder, token

    def discard(self) -> None:
        self.process.kill()
        self.process.wait()
        self.channel.close()
        os.close(self.read_fd)
        shutil.rmtree(self.folder, ignore_errors=True)


_ahead: Optional[_Ahead] = None


def start_ahead() -> None:
    """Start the next worker now, while the grader is still importing its checks' libraries (the worker
    imports its own, numpy, meanwhile on another core); :func:`launch` hands it its submission.

    Nothing differs for the worker: it has run no code but the trusted start of ``_worker_main`` (which waits
    for its settings), its folder and environment are those :func:`launch` gives, and the resource limits the
    grader set on itself since (see :mod:`grader._ceiling`), which a worker started later would inherit, are
    given to it when it is taken.  Only where sockets are inherited (POSIX) and limits can be given to another
    process (Linux); elsewhere, and when it cannot start, :func:`launch` starts the worker as usual.
    """
    global _ahead
    import resource

    if _ahead is not None or channel_kind() != "fd" or not hasattr(resource, "prlimit"):
        return
    folder = _new_folder()
    token = f"grader-worker-{uuid.uuid4().hex}"
    try:
        process, ours, read_fd = _start(folder, token)
    except (OSError, ValueError):
        shutil.rmtree(folder, ignore_errors=True)
        return
    _ahead = _Ahead(process, ours, read_fd, folder, token)
    atexit.register(_discard_ahead)


def _discard_ahead() -> None:
    """End a worker started ahead that no submission took."""
    global _ahead
    if _ahead is not None:
        ahead, _ahead = _ahead, None
        ahead.discard()


def _take_ahead() -> Optional[_Ahead]:
    """The worker started ahead, given the limits a worker started now would inherit; None without one."""
    global _ahead
    ahead, _ahead = _ahead, None
    if ahead is None:
        return None
    import resource

    try:
        if ahead.process.poll() is not None:
            raise OSError("ended")
        for limit in (resource.RLIMIT_CPU, resource.RLIMIT_DATA):
            resource.prlimit(ahead.process.pid, limit, resource.getrlimit(limit))
    except (OSError, ValueError):
        ahead.discard()
        return None
    return ahead


def _start(folder: Path, token: str) -> tuple[subprocess.Popen, socket.socket, int]:
    """The worker process in ``folder``, connected: (the process, the grader's end of its channel, its output
    pipe).  Raises ``OSError`` or ``ValueError`` when it cannot be started."""
    listener, ours, theirs = None, None, None
    if channel_kind() == "fd":
        ours, theirs = socket.socketpair()
        address, inherited = f"fd:{theirs.fileno()}", (theirs.fileno(),)  # type: tuple[str, tuple[int, ...]]
    else:
        listener = socket.create_server(("127.0.0.1", 0))
        address, inherited = f"tcp:{listener.getsockname()[1]}", ()
    read_fd, write_fd = os.pipe()
    process: Optional[subprocess.Popen] = None
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-u", str(_WORKER_MAIN), address],
            stdin=subprocess.DEVNULL, stdout=write_fd, stderr=write_fd, pass_fds=inherited,
            cwd=folder, env=_environment(folder, token), start_new_session=os.name == "posix", close_fds=True)
        if listener is not None:
            ours = _accept(listener, token, process)
    except (OSError, ValueError):
        if process is not None:
            process.kill()
            process.wait()
        for fd in (read_fd, write_fd):
            os.close(fd)
        if ours is not None:
            ours.close()
        raise
    finally:
        for end in (theirs, listener):
            if end is not None:
                end.close()
    os.close(write_fd)
    assert ours is not None
    return process, ours, read_fd


def launch(source: Path, *, module: str, data: Iterable[Path], write_output: Callable[[str], object],
           output_lock: threading.Lock, processes: int, disable: frozenset[str], reply_limit: int) -> tuple[Worker, str]:
    """Start a worker for the submission ``source`` (or take the one started ahead); returns it and what became
    of its cgroup, in words.

    Raises ``OSError`` or ``ValueError`` when the process cannot be started.
    """
    ahead = _take_ahead()
    if ahead is not None:
        process, ours, read_fd, folder, token = ahead.process, ahead.channel, ahead.read_fd, ahead.folder, ahead.token
        try:
            _fill_folder(folder, source, module, data)
        except OSError:
            ahead.discard()
            raise
    else:
        folder, token = _new_folder(), f"grader-worker-{uuid.uuid4().hex}"
        try:
            _fill_folder(folder, source, module, data)
            process, ours, read_fd = _start(folder, token)
        except (OSError, ValueError):
            shutil.rmtree(folder, ignore_errors=True)
            raise
    pump = _OutputPump(read_fd, write_output, output_lock)
    pump.start()
    cgroup, note = _cgroup(process.pid, processes, disable)
    return Worker(process, ours, pump, folder, token, cgroup, reply_limit=reply_limit), note

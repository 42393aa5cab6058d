"""Runs a student's whole program, once per request, inside the confined worker.

This file is the worker's "module" when the student is a program (see
:mod:`grader.student._program`): the worker confines itself (Landlock, seccomp,
rlimits, network namespace, cgroup) and imports this trusted file instead of
student code; every ``run`` call then starts the student's program as a child,
which inherits all of that confinement.  Only the standard library is used.

Each run gets a fresh folder, made by the runner under a name nobody can guess
(``run-XXXXXXXX``: a program cannot make it in advance), holding writable copies of the input
files (the course's C program opens its input ``"r+"``) and, for a script, a
copy of the script.  Standard input is a pipe that stays open and empty, so a
program that reads it blocks where the grader can see it.  The run ends at its
time limit or when it has printed too much; what it printed (stdout and stderr in
one pipe, in the order a terminal shows them: stdout is never buffered by blocks) is kept as head and
tail, and the files it left in its folder come back as text (latin-1), a file larger
than the cap as its size alone (``large``).
Everything returned is plain data that the grader validates again.
"""

from __future__ import annotations

import math
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Callable

#: What is kept of what a run prints: its start and its end, up to a size that crosses to the grader as one
#: string each (the wire's limit is a million characters); a program may print a debugging line per point and
#: still have every step it prints read (the middle of a larger output is dropped; beyond the print limit, the
#: run is stopped).
_HEAD = 768 * 1024
_TAIL = 128 * 1024
#: The wall-clock limit of a run, as a multiple of its processor-time limit.
_WALL_FACTOR = 3


#: personality(2)'s flag that turns off address randomisation (ASLR) for the process and what it executes.
_ADDR_NO_RANDOMIZE = 0x0040000


def _address_fixer() -> Callable[[], None]:
    """What turns off address randomisation for the calling process (run in the child, before it executes the
    program): a random start seeded from a variable's address replays too.  Made in the parent (the child of a
    fork must not import); Linux only, and harmless if refused (a container's filter may deny the call): the
    program then runs with random addresses, as before."""
    try:
        import ctypes

        personality = ctypes.CDLL(None, use_errno=True).personality
    except (ImportError, OSError, AttributeError):
        return lambda: None
    personality.argtypes = [ctypes.c_ulong]
    personality.restype = ctypes.c_int

    def fix() -> None:
        current = personality(0xFFFFFFFF)  # a query: the current persona
        if current != -1:
            personality(current | _ADDR_NO_RANDOMIZE)
    return fix


def _children_cpu() -> float:
    """Processor time used by the ended children of this process, in seconds."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _snapshot(folder: str, skip: str) -> dict[str, tuple[int, int]]:
    """Relative path -> (size, mtime) of every file under ``folder`` except the subtree ``skip``."""
    found: dict[str, tuple[int, int]] = {}
    for current, folders, files in os.walk(folder):
        if os.path.abspath(current) == skip:
            folders[:] = []
            continue
        folders[:] = [name for name in folders
                      if os.path.abspath(os.path.join(current, name)) != skip and name != ".matplotlib"]
        for name in files:
            path = os.path.join(current, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            found[os.path.relpath(path, folder)] = (info.st_size, info.st_mtime_ns)
    return found


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        process.kill()
    except OSError:
        pass


def _strays() -> bool:
    """Whether processes the program started are still alive (orphans come to the worker, a subreaper)."""
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return False
    while pid:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
    return True


def _keep(head: bytearray, tail: bytearray, chunk: bytes) -> None:
    """Append ``chunk`` to the head while it has room, the rest to the tail (which keeps its last bytes)."""
    room = max(_HEAD - len(head), 0)
    head += chunk[:room]
    if len(chunk) > room:
        tail += chunk[room:]
        del tail[:-_TAIL]


def _pump(process: subprocess.Popen, fd: int, timeout: float, print_limit: int) -> tuple[str, bytes, bytes, int]:
    """Read what the program prints until it ends: (how it ended, head, tail, bytes printed)."""
    head, tail, total = bytearray(), bytearray(), 0
    deadline = time.monotonic() + timeout
    ended = ""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            ended = "timeout"
            break
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.05))
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            total += len(chunk)
            _keep(head, tail, chunk)
            if total > print_limit:
                ended = "flood"
                break
        elif process.poll() is not None:
            # Ended, but a child it left may hold the pipe open: drain what is there and stop.
            while select.select([fd], [], [], 0)[0]:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                total += len(chunk)
                _keep(head, tail, chunk)
            break
    return ended, bytes(head), bytes(tail), total


def _files(folder: str, file_limit: int, inputs: dict, copies: set,
           wanted: tuple = ()) -> tuple[dict[str, str], dict[str, int], list]:
    """The files the program left in its folder (inputs it did not change excluded), as latin-1 text, the sizes
    of those larger than ``file_limit`` (not read further: their text could not cross to the grader), and the
    inputs it removed or replaced (by a link, a folder...).  The ``wanted`` names (the output files the grader
    reads) first, then at most 50 others: a program that writes many files of its own still has its output read."""
    found: dict[str, str] = {}
    large: dict[str, int] = {}
    removed = [name for name in inputs
               if not os.path.isfile(os.path.join(folder, name)) or os.path.islink(os.path.join(folder, name))]
    present = sorted(os.listdir(folder))
    first = [name for name in dict.fromkeys(str(name) for name in wanted) if name in present]
    for name in first + [name for name in present if name not in first][:50]:
        path = os.path.join(folder, name)
        if name in copies or not os.path.isfile(path) or os.path.islink(path):
            continue
        try:
            with open(path, "rb") as handle:
                data = handle.read(file_limit + 1)
        except OSError:
            continue
        if len(data) > file_limit:
            try:
                large[name] = os.path.getsize(path)
            except OSError:
                large[name] = len(data)
            continue
        if name in inputs and data == inputs[name]:
            continue
        found[name] = data.decode("latin-1")
    return found, large, removed


def _startup_folder(home: str, startup: str) -> str:
    """A folder of its own holding the worker's file ``startup`` as ``sitecustomize.py``, made once per worker
    (a name nobody can guess, like the run folders); "" without that file."""
    global _STARTUP
    if not _STARTUP and startup and os.path.isfile(os.path.join(home, startup)):
        folder = tempfile.mkdtemp(prefix="startup-", dir=home)
        shutil.copyfile(os.path.join(home, startup), os.path.join(folder, "sitecustomize.py"))
        _STARTUP = folder
    return _STARTUP


#: The folder :func:`_startup_folder` made.
_STARTUP = ""


def run(command: list, files: dict, stdin: str, timeout: float, print_limit: int, file_limit: int,
        script: str = "", preload: str = "", seed: int = 0, startup: str = "", crash_frames: str = "",
        wanted: tuple = ()) -> dict:
    """Run ``command`` in a fresh folder holding ``files`` (name -> latin-1 text); returns plain data.

    ``command`` items ``{script}`` and ``{python}`` are replaced by the script's path and this
    interpreter.  ``preload``: a library of the worker's folder loaded first (see ``_replayable.c``: a
    reproducible random start, a line-buffered stdout), seeded with ``seed``.  ``startup``: a file of the
    worker's folder a Python program runs first, as its ``sitecustomize`` (see ``_python_startup.py``).
    ``crash_frames``: a library of the worker's folder loaded first too, which tells where the program crashed
    (see ``_crash_frames.c``).  ``wanted``: the files the program writes that are read first (see :func:`_files`).  The result's ``ended`` is ``exited``, ``signaled``, ``timeout``, ``flood`` or
    ``not_started``.
    """
    home = os.getcwd()
    # A name the program cannot guess, made here (mkdir fails on anything already there, link or not).
    folder = tempfile.mkdtemp(prefix="run-", dir=home)
    inputs = {str(name): str(text).encode("latin-1") for name, text in files.items()}
    for name, data in inputs.items():
        with open(os.path.join(folder, os.path.basename(name)), "wb") as handle:
            handle.write(data)
    argv = []
    copies: set = set()
    for item in command:
        item = str(item)
        if item == "{python}":
            item = sys.executable
        elif item == "{script}":
            target = os.path.join(folder, os.path.basename(script))
            shutil.copyfile(os.path.join(home, script), target)
            item = os.path.basename(script)
            copies.add(item)
        elif item.startswith("{home}/"):
            # A copy of its own, made executable (the worker's copy may belong to another user).
            name = os.path.basename(item[len("{home}/"):])
            target = os.path.join(folder, name)
            with open(os.path.join(home, name), "rb") as original:
                content = original.read()
            # Created executable (changing a file's mode afterwards may be denied by the filter).
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o755)
            with os.fdopen(descriptor, "wb") as copy:
                copy.write(content)
            item = target
            copies.add(name)
        argv.append(item)
    startup_folder = _startup_folder(home, startup)  # made before the snapshot: not the program's doing
    before = _snapshot(home, folder)
    read_fd, write_fd = os.pipe()
    in_read, in_write = os.pipe()  # stays open and empty: a read blocks, visibly
    env = dict(os.environ)
    env["HOME"] = folder
    # What it prints is read as a terminal shows it: stdout and stderr share one pipe, and a stdout buffered by
    # blocks would be written mid-line, a stderr line landing inside a stdout line.  Python's stdout is then
    # unbuffered (written in the program's order), gfortran's preconnected units too, C's stdout line-buffered
    # by the preloaded library (see _replayable.c).
    env["PYTHONUNBUFFERED"] = "1"
    env["GFORTRAN_UNBUFFERED_PRECONNECTED"] = "y"
    if startup_folder:
        env["PYTHONPATH"] = startup_folder
    # No bytecode written, by the program (also run with -B) nor by a Python it runs (subprocess), which
    # imports the startup hook too: a cache file the grader's hook left would read as the program's writing.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    preloaded = []
    if preload and os.path.isfile(os.path.join(home, preload)):
        # The clocks and the entropy a program seeds its random start with, replayed from its input (reproducible).
        preloaded.append(os.path.join(home, preload))
        env["GRADER_RUN_SEED"] = str(int(seed))
    if crash_frames and os.path.isfile(os.path.join(home, crash_frames)):
        preloaded.append(os.path.join(home, crash_frames))
        env["GRADER_CRASH_FRAMES"] = "1"
    if preloaded:
        env["LD_PRELOAD"] = " ".join(preloaded)
    started = time.monotonic()
    cpu_before = _children_cpu()
    seconds = max(int(math.ceil(timeout)), 1)

    # A replayed start: its addresses too.
    fix_addresses = _address_fixer() if preload and sys.platform.startswith("linux") else (lambda: None)

    def limit_cpu() -> None:  # in the child, before it runs the program
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        fix_addresses()

    try:
        process = subprocess.Popen(argv, cwd=folder, stdin=in_read, stdout=write_fd, stderr=write_fd,
                                   env=env, start_new_session=True, close_fds=True, preexec_fn=limit_cpu)
    except OSError as error:
        for fd in (read_fd, write_fd, in_read, in_write):
            os.close(fd)
        return {"ended": "not_started", "how": f"{type(error).__name__}: {error}"[:500],
                "duration": 0.0, "head": "", "tail": "", "printed": 0, "files": {}, "elsewhere": [], "strays": False}
    os.close(write_fd)
    os.close(in_read)
    try:
        # The limit is on processor time (fair on a busy machine); the wall clock allows it a few times over,
        # for a program that sleeps or waits.
        ended, head, tail, total = _pump(process, read_fd, timeout * _WALL_FACTOR, print_limit)
        at_wall_limit = ended == "timeout"  # the wall clock's limit, before the processor time's
    finally:
        if process.poll() is None:
            _kill(process)
        code = process.wait()
        duration = time.monotonic() - started
        os.close(read_fd)
        os.close(in_write)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # children it left in its session
    except OSError:
        pass
    time.sleep(0.005)
    strays = _strays()
    # Stopped by the wall clock having used little processor time: it waited (on a busy machine, a program
    # that computes is slowed, not told it waited).
    waited = at_wall_limit and _children_cpu() - cpu_before < timeout / 2
    if not ended and (code == -signal.SIGXCPU or code == -signal.SIGKILL
                      and _children_cpu() - cpu_before >= seconds - 0.05):
        ended = "timeout"  # killed at its processor-time limit (SIGXCPU, then SIGKILL)
    if not ended:
        ended = "signaled" if code < 0 else "exited"
    after = _snapshot(home, folder)
    files, large, removed = _files(folder, file_limit, inputs, copies, tuple(wanted))
    elsewhere = sorted(path for path, stamp in after.items() if before.get(path) != stamp)[:20]
    result = {
        "ended": ended,
        "code": int(code),
        "duration": round(duration, 4),
        "head": head.decode("utf-8", "replace"),
        "tail": tail.decode("utf-8", "replace"),
        "printed": int(total),
        "files": files,
        "large": large,
        "elsewhere": elsewhere,
        "strays": strays,
        "removed": removed,
        "how": f"waited: ran {timeout * _WALL_FACTOR:g} s of wall-clock time" if waited else "",
    }
    shutil.rmtree(folder, ignore_errors=True)
    return result

"""The line of compiled student code where a call crashed (SIGSEGV, SIGFPE, abort()...), on Linux.

A C or Fortran call that crashes kills its worker: the verdict names the signal and the function called, and
says nothing of where.  A small library of the grader's own (``_crash_frames.c``, built once like any
compiled file and kept in the build cache) is loaded into the worker before the student's library; on a
crash it writes one marked line to standard error with the faulting instruction and the calls that led to it,
each as a library's file name and an offset in it, then lets the signal end the process as before.  In the
grader, :func:`crash_line` finds in the worker's last words the first of those in the student's library and
maps it to a line of their source with ``addr2line`` (the library is compiled with ``-g``); :data:`MARK`
removes the marked line from the output the report shows.

Invariants: nothing here changes a verdict but for the words "at line N of FILE"; without Linux, a compiler,
``addr2line`` or debug information, there is no line and the verdict is as it was.  The student's code can
print a marked line itself: the worst it can do is name another line of its own file (the line is read from
the student's own library only, and ``addr2line`` only reads it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Optional

__all__ = ["MARK", "crash_frames_library", "crash_line", "crash_location"]

_SOURCE = Path(__file__).resolve().parent / "_crash_frames.c"
#: A marked line the crash handler writes (the record separator first: no ordinary output starts so).
MARK = re.compile(r"\n?\x1egrader-crash [^\n]*(?:\n|$)")
_FRAME = re.compile(r"([^\s+]+)\+0x([0-9a-f]+)")


def crash_frames_library() -> Optional[Path]:
    """The crash handler's library, built once per process (None where it cannot be: not Linux, no C
    compiler)."""
    from grader.sandbox.compile import grader_library

    return grader_library(_SOURCE)


def crash_line(output: str, library: Path) -> Optional[tuple[str, str, int]]:
    """(signal, source file name, line) of the innermost frame in ``library`` of the last crash the worker's
    last words ``output`` tell, or None."""
    marked = list(MARK.finditer(output))
    if not marked:
        return None
    fields = marked[-1].group(0).split()
    if len(fields) < 3:
        return None
    signal = fields[1]
    for position, field in enumerate(fields[2:]):
        frame = _FRAME.fullmatch(field)
        if frame is None or frame.group(1) != library.name:
            continue
        # The faulting instruction itself; a caller's return address is the instruction after its call.
        offset = int(frame.group(2), 16) - (0 if position == 0 else 1)
        found = _addr2line(library, offset)
        if found is not None:
            return (signal, *found)
    return None


def crash_location(output: str, library: Path) -> str:
    """Where the last crash ``output`` tells happened in ``library``, as a verdict says it: " at line 12 of
    prog.c", or "" when that is not known."""
    found = crash_line(output, library)
    return f" at line {found[2]} of {found[1]}" if found is not None else ""


def _addr2line(library: Path, offset: int) -> Optional[tuple[str, int]]:
    """The innermost source line at ``offset`` in ``library`` (an inlined function's own line first)."""
    tool = shutil.which("addr2line")
    if tool is None:
        return None
    try:
        result = subprocess.run([tool, "-i", "-e", str(library), hex(offset)], capture_output=True, text=True,
                                timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    for text in result.stdout.splitlines():
        place = re.match(r"(.+):(\d+)(?: \(discriminator \d+\))?$", text.strip())
        if place and place.group(1) != "??" and int(place.group(2)) > 0:
            return os.path.basename(place.group(1)), int(place.group(2))
    return None

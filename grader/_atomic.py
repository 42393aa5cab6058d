"""Writing files for the user, atomically: a reader (or a killed run) sees the old file or the new one,
never half of one.

Every file the grader writes for someone to read (reports, gradebook, overview, CI outputs, the students'
repository, figures, course data files) goes through this module.  A file is written to a temporary file in
its own folder, synced, then renamed over its target; the target gets ordinary permissions (``0o644``, or
``0o755`` for executables), not those of a private temporary file.  A target that is there and is no regular file
(``--output /dev/null``, ``/dev/stdout``, a named pipe) is written to as it is: renaming over it would put a
file in the place of the device (for everyone, when the grader runs as root).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Union

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["readable", "write_bytes", "write_text", "copy_file", "save_figure", "sweep_temporaries"]

PathLike = Union[str, "os.PathLike[str]"]

_SUFFIX = ".partial"
_FILE_MODE = 0o644
_EXECUTABLE_MODE = 0o755


def _replace_with(path: PathLike, fill: Callable[[BinaryIO], None], *, executable: bool = False) -> Path:
    """Let ``fill`` write a temporary file in ``path``'s folder, sync it, then rename it over ``path``; or write to
    ``path`` itself when it is a device or a pipe."""
    path = Path(path)
    if _special(path):
        with open(path, "wb") as stream:
            fill(stream)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            fill(stream)
            stream.flush()
            # Without the sync a power loss right after the rename can leave an empty file behind it.
            os.fsync(stream.fileno())
        os.chmod(temporary, _EXECUTABLE_MODE if executable else _FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def _special(path: Path) -> bool:
    """Whether ``path`` (its link's target, for a link) is there and is neither a regular file nor a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def write_bytes(path: PathLike, data: bytes, *, executable: bool = False) -> Path:
    """Write ``data`` to ``path`` (folders created as needed); returns the path."""

    def fill(stream: BinaryIO) -> None:
        stream.write(data)

    return _replace_with(path, fill, executable=executable)


def write_text(path: PathLike, text: str, *, executable: bool = False) -> Path:
    """Write ``text`` as UTF-8 to ``path``; returns the path.  Bytes of a file name that were not UTF-8 (a
    student's file unpacked from a Windows archive: Python keeps them as lone surrogates) are written as the
    Windows code page reads them, "héléne" rather than an error."""
    return write_bytes(path, readable(text).encode("utf-8"), executable=executable)


_UNDECODED = re.compile("[\udc80-\udcff]+")


def readable(text: str) -> str:
    """``text`` with its runs of undecoded bytes (lone surrogates) decoded as Windows-1252 (Latin-1's superset,
    what such names are written in), else replaced."""
    if not _UNDECODED.search(text):
        return text
    return _UNDECODED.sub(lambda run: run.group(0).encode("utf-8", "surrogateescape").decode("cp1252", "replace"),
                          text)


def copy_file(source: PathLike, target: PathLike) -> Path:
    """Copy ``source`` to ``target`` (they may be on different file systems); returns the target."""

    def fill(stream: BinaryIO) -> None:
        with open(source, "rb") as origin:
            shutil.copyfileobj(origin, stream, 1 << 20)

    return _replace_with(target, fill, executable=os.access(source, os.X_OK))


def save_figure(path: PathLike, figure: Figure, **options: object) -> Path:
    """Save a matplotlib figure to ``path``, in the format of its extension (``.png``, ``.svg``, ``.pdf``...).

    Raises ``ValueError`` for an extension matplotlib cannot write, before anything is written.
    """
    path = Path(path)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=path.suffix.lstrip(".").lower() or None, **options)  # type: ignore[arg-type]
    return write_bytes(path, buffer.getvalue())


def sweep_temporaries(folder: PathLike) -> None:
    """Remove what a killed run left of its unfinished writes in ``folder``."""
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(_SUFFIX) and entry.is_file():
            with contextlib.suppress(OSError):
                entry.unlink()

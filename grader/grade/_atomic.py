"""Atomic writes: a reader (or a killed run) sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

__all__ = ["write_bytes", "write_text", "copy_file", "sweep_temporaries"]

_SUFFIX = ".partial"


def _replace_with(path: Path, fill: Callable[[BinaryIO], None]) -> None:
    """Let ``fill`` write a temporary file in ``path``'s folder, sync it, then rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            fill(stream)
            stream.flush()
            # Without the sync a power loss right after the rename can leave an empty file behind it.
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it over ``path``."""
    def fill(stream: BinaryIO) -> None:
        stream.write(data)

    _replace_with(path, fill)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def copy_file(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` atomically (they may be on different file systems)."""

    def fill(stream: BinaryIO) -> None:
        with open(source, "rb") as origin:
            shutil.copyfileobj(origin, stream, 1 << 20)

    _replace_with(target, fill)


def sweep_temporaries(folder: Path) -> None:
    """Remove what a killed run left of its unfinished writes in ``folder``."""
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(_SUFFIX) and entry.is_file():
            with contextlib.suppress(OSError):
                entry.unlink()


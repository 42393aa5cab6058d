"""The scratch area: a private folder (mode 700) holding one run's copies of the submissions.

It is removed when the run ends, however it ends short of a kill; the next run
removes what a killed one left behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Optional

__all__ = ["Scratch"]

_PREFIX = "grader-grade-"
_OWNER = "owner.pid"


def _force_remove(function, path, _info) -> None:
    # Student code may leave read-only files and folders behind: make them writable and retry.
    with contextlib.suppress(OSError):
        os.chmod(os.path.dirname(path), stat.S_IRWXU)
        os.chmod(path, stat.S_IRWXU)
        function(path)


def _remove(path: Path) -> None:
    shutil.rmtree(path, onerror=_force_remove)  # onexc only exists from Python 3.12
    if path.exists():
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remove_stale(parent: Path) -> None:
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows
        return
    for candidate in parent.glob(_PREFIX + "*"):
        try:
            if candidate.is_symlink() or not candidate.is_dir() or candidate.stat().st_uid != os.getuid():
                continue
            pid = int((candidate / _OWNER).read_text().strip())
        except (OSError, ValueError):
            continue
        if not _alive(pid):
            _remove(candidate)


class Scratch:
    """Context manager: ``with Scratch() as scratch: folder = scratch.folder(1)``."""

    def __init__(self, parent: Optional[Path] = None) -> None:
        self._parent = Path(parent) if parent is not None else Path(tempfile.gettempdir())
        self.path: Path = self._parent

    def __enter__(self) -> "Scratch":
        self._parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(self._parent)
        self.path = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=self._parent))
        (self.path / _OWNER).write_text(str(os.getpid()))
        return self

    def folder(self, index: int) -> Path:
        """A new empty folder for one student."""
        folder = self.path / f"{index:05d}"
        folder.mkdir()
        return folder

    def release(self, folder: Path) -> None:
        if folder.exists():
            _remove(folder)

    def __exit__(self, *_exc: object) -> None:
        if self.path.exists():
            _remove(self.path)

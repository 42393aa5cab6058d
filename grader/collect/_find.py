"""Finding the ``report.json`` files of CI runs: in a folder tree, and inside the artifact zips CI hands out.

Each comes with the ``report.sig`` beside it, if there is one (see :mod:`grader.signature`).

Archives are read in memory, member by member, never extracted: no path in an
archive can reach the disk, and sizes are capped so that a zip bomb cannot
exhaust the memory.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator, Optional

from grader.signature import SIGNATURE_NAME

__all__ = ["Found", "Unreadable", "find_reports", "REPORT_NAME"]

REPORT_NAME = "report.json"
_MAX_REPORT_BYTES = 64 * 1024 * 1024   # a report holds counterexamples and capped output: far less than this
_MAX_NESTED_ZIP_BYTES = 512 * 1024 * 1024
_MAX_SIGNATURE_BYTES = 4096
_MAX_DEPTH = 3                          # a zip of artifact zips of zips is the deepest seen in practice


@dataclass(frozen=True)
class Found:
    """One ``report.json``: where it was (for messages), the top entry of ARTIFACTS it came from, and its bytes."""

    source: str
    top: str
    data: bytes
    modified: float
    signature: Optional[bytes] = None  # the report.sig beside it


@dataclass(frozen=True)
class Unreadable:
    source: str
    reason: str


def _top_name(name: str) -> str:
    return name[: -len(".zip")] if name.lower().endswith(".zip") else name


def _zip_time(info: zipfile.ZipInfo) -> float:
    try:
        return datetime(*info.date_time).timestamp()
    except (ValueError, OverflowError):
        return 0.0


def _zip_signature(archive: zipfile.ZipFile, name: str) -> Optional[bytes]:
    wanted = name[: -len(REPORT_NAME)] + SIGNATURE_NAME
    try:
        info = archive.getinfo(wanted)
    except KeyError:
        return None
    return archive.read(info) if info.file_size <= _MAX_SIGNATURE_BYTES else None


def _file_signature(path: Path) -> Optional[bytes]:
    signature = path.with_name(SIGNATURE_NAME)
    if signature.is_symlink() or not signature.is_file() or signature.stat().st_size > _MAX_SIGNATURE_BYTES:
        return None
    return signature.read_bytes()


def _in_zip(archive: zipfile.ZipFile, label: str, top: str, depth: int) -> Iterator[Found | Unreadable]:
    for info in sorted(archive.infolist(), key=lambda item: item.filename):
        name = info.filename.replace("\\", "/")
        if info.is_dir() or "__MACOSX" in name.split("/"):
            continue
        where = f"{label}!{name}"
        base = name.rsplit("/", 1)[-1]
        if base == REPORT_NAME:
            if info.file_size > _MAX_REPORT_BYTES:
                yield Unreadable(where, f"larger than {_MAX_REPORT_BYTES // 2 ** 20} MiB")
                continue
            yield Found(where, top, archive.read(info), _zip_time(info), _zip_signature(archive, info.filename))
        elif base.lower().endswith(".zip") and depth < _MAX_DEPTH:
            if info.file_size > _MAX_NESTED_ZIP_BYTES:
                yield Unreadable(where, "archive too large")
                continue
            yield from _zip_bytes(archive.read(info), where, top, depth + 1)


def _zip_bytes(data: bytes, label: str, top: str, depth: int) -> Iterator[Found | Unreadable]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield from _in_zip(archive, label, top, depth)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
        yield Unreadable(label, f"not a readable zip archive ({error})")


def _zip_file(path: Path, label: str, top: str) -> Iterator[Found | Unreadable]:
    try:
        with zipfile.ZipFile(path) as archive:
            yield from _in_zip(archive, label, top, 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
        yield Unreadable(label, f"not a readable zip archive ({error})")


def find_reports(artifacts: Path) -> Iterator[Found | Unreadable]:
    """Every ``report.json`` under ``artifacts`` (a folder, or one zip), in a stable order; symlinks are not followed."""
    artifacts = Path(artifacts)
    if artifacts.is_file():
        yield from _zip_file(artifacts, artifacts.name, _top_name(artifacts.name))
        return
    for path in sorted(artifacts.rglob("*")):
        relative = path.relative_to(artifacts)
        if path.is_symlink() or not path.is_file() or "__MACOSX" in relative.parts:
            continue
        top = _top_name(relative.parts[0]) if len(relative.parts) > 1 or path.suffix.lower() == ".zip" else ""
        if path.name == REPORT_NAME:
            if path.stat().st_size > _MAX_REPORT_BYTES:
                yield Unreadable(relative.as_posix(), f"larger than {_MAX_REPORT_BYTES // 2 ** 20} MiB")
                continue
            yield Found(relative.as_posix(), top, path.read_bytes(), path.stat().st_mtime, _file_signature(path))
        elif path.suffix.lower() == ".zip":
            yield from _zip_file(path, relative.as_posix(), top)

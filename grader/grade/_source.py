"""Reading a student's module the way a teacher would: any common encoding and line ending, no binary."""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional

from grader import _atomic

__all__ = ["Source", "read_source", "readable", "scratch_folder"]

_COOKIE = re.compile(rb"^([ \t\f]*#.*?coding[:=][ \t]*)([-\w.]+)", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Source:
    """The bytes to grade (``None`` when there is nothing to grade), why, and what was done to them."""

    data: Optional[bytes]
    problem: str = ""
    note: str = ""


def _python_reads(data: bytes) -> bool:
    """Whether Python itself can decode these bytes (BOM, coding declaration, or UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return False
    return True


def _looks_binary(text: str) -> bool:
    return "\x00" in text or len(_CONTROL.findall(text)) > max(8, len(text) // 100)


def read_source(data: bytes, name: str) -> Source:
    """What to grade of the file ``name`` holding ``data``.

    Python reads UTF-8 (with or without a BOM) and Windows line endings itself,
    so such files are graded as they are.  A file in another 8-bit encoding
    (Latin-1, Windows-1252: accents in comments written on an old editor) is
    converted to UTF-8 rather than failing on a character of a comment.
    Binary files (a compiled ``.pyc``, a document renamed ``.py``) are refused
    with a message.
    """
    if not data.strip():
        return Source(None, problem=f"{name} is empty: submit the file with your code")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode" as saved by Windows editors: UTF-16
        try:
            return _converted(data.decode("utf-16"), "UTF-16", name)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        return Source(None, problem=f"{name} is not a text file (it holds binary data, such as a compiled file "
                                    "or a document): submit the Python source file itself")
    if _python_reads(data):
        text = data.decode("utf-8", errors="replace")
        if _looks_binary(text):
            return Source(None, problem=f"{name} is not a text file (it holds binary data): submit the Python "
                                        "source file itself")
        return Source(data)
    try:
        text, encoding = data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "Latin-1"
    return _converted(text, encoding, name)


def _converted(text: str, encoding: str, name: str) -> Source:
    if _looks_binary(text):
        return Source(None, problem=f"{name} is not a text file (it holds binary data): submit the Python source "
                                    "file itself")
    converted = text.lstrip("\ufeff").encode("utf-8")
    # A coding declaration naming the old encoding would now be wrong: it becomes utf-8.
    lines = converted.split(b"\n", 2)
    for index in range(min(2, len(lines))):
        lines[index] = _COOKIE.sub(rb"\1utf-8", lines[index], count=1)
    return Source(b"\n".join(lines), note=f"{name} was not UTF-8: read as {encoding} and converted to UTF-8")


def readable(path: Path, folder: Callable[[], Path]) -> tuple[Path, str]:
    """The file to grade for the student's file ``path``, as every channel reads it (:func:`read_source`): ``path``
    itself, or, when it is not UTF-8, its converted copy of the same name in the folder ``folder()`` makes (asked
    for only then); and the note saying so ("").  A file :func:`read_source` refuses is graded as it is: the
    loader says what is wrong with it."""
    try:
        source = read_source(Path(path).read_bytes(), Path(path).name)
    except OSError:
        return path, ""
    if source.data is None or not source.note:
        return path, ""
    copy = folder() / Path(path).name
    _atomic.write_bytes(copy, source.data)
    from grader.student._build import LANGUAGES

    if LANGUAGES.get(Path(path).suffix.lower(), "python") != "python":
        # A C or Fortran source is compiled with the files of its folder it includes: they go with the copy.
        from grader.sandbox.compile import local_includes

        for name, data in local_includes(copy, folder=Path(path).parent).items():
            _atomic.write_bytes(copy.parent / name, data)
    return copy, source.note


@contextlib.contextmanager
def scratch_folder(prefix: str = "grader-read-") -> Iterator[Callable[[], Path]]:
    """A maker of one temporary folder, made only when first asked for (most files need no converted copy, and a
    grading under a memory ceiling should not have to clean up a folder it never used), removed at the end."""
    made: list[Path] = []

    def folder() -> Path:
        if not made:
            made.append(Path(tempfile.mkdtemp(prefix=prefix)))
        return made[0]

    try:
        yield folder
    finally:
        for path in made:
            shutil.rmtree(path, ignore_errors=True)

"""Keeping what student code prints, within a cap: the head and the tail survive."""

from __future__ import annotations

import io
from typing import NamedTuple


class Mark(NamedTuple):
    """What a :class:`CappedOutput` held at one moment (see :meth:`CappedOutput.mark`)."""

    head: str
    tail: str
    dropped: int


class CappedOutput(io.TextIOBase):
    """A text sink that keeps the first and last ``limit // 2`` characters of what is written."""

    def __init__(self, limit: int) -> None:
        self._half = max(limit // 2, 1)
        self._head = ""
        self._tail = ""
        self._dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        written = len(text)
        room = self._half - len(self._head)
        if room > 0:
            self._head += text[:room]
            text = text[room:]
        if text:
            combined = self._tail + text
            self._dropped += max(len(combined) - self._half, 0)
            self._tail = combined[-self._half :]
        return written

    def mark(self) -> Mark:
        """The state to :meth:`restore`: what is written after it can be taken back."""
        return Mark(self._head, self._tail, self._dropped)

    def restore(self, mark: Mark) -> None:
        """Forget what was written since ``mark`` was taken, as if it never was."""
        self._head, self._tail, self._dropped = mark

    def text(self) -> str:
        if self._dropped:
            return f"{self._head}\n[... {self._dropped} characters not shown ...]\n{self._tail}"
        return self._head + self._tail

"""Framing of the private channel between the grader and its worker.

A frame is an 8-byte big-endian length followed by that many bytes (one
:mod:`grader.wire` message).  The worker side blocks; the grader side reads with
a deadline and a size cap, because whatever arrives was written by a process
that runs student code.
"""

from __future__ import annotations

import socket
import struct

__all__ = ["send_frame", "recv_frame", "FrameReader", "HEADER"]

HEADER = struct.Struct(">Q")


def send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(HEADER.pack(len(payload)) + payload if len(payload) < 65536 else HEADER.pack(len(payload)))
    if len(payload) >= 65536:
        sock.sendall(payload)


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        count = sock.recv_into(view[got:], size - got)
        if count == 0:
            raise EOFError("the channel was closed")
        got += count
    return bytes(buffer)


def recv_frame(sock: socket.socket) -> bytes:
    """One whole frame, blocking (the worker's side)."""
    (size,) = HEADER.unpack(_recv_exactly(sock, HEADER.size))
    return _recv_exactly(sock, size)


class FrameReader:
    """Incremental reader for the grader's side: feed it bytes, ask for a complete frame.

    ``limit`` caps the declared size of a frame; a larger one raises ``OverflowError``
    before any of it is buffered.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._buffer = bytearray()
        self._size: int | None = None

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def wanted(self) -> int:
        """How many more bytes the current frame needs (at least 1)."""
        if self._size is None:
            return max(HEADER.size - len(self._buffer), 1)
        return max(self._size - len(self._buffer), 1)

    def frame(self) -> bytes | None:
        """A complete frame, or None when more bytes are needed."""
        if self._size is None:
            if len(self._buffer) < HEADER.size:
                return None
            (self._size,) = HEADER.unpack(self._buffer[: HEADER.size])
            del self._buffer[: HEADER.size]
            if self._size > self.limit:
                raise OverflowError(self._size)
        if len(self._buffer) < self._size:
            return None
        payload = bytes(self._buffer[: self._size])
        del self._buffer[: self._size]
        self._size = None
        return payload

    def pending(self) -> bool:
        return bool(self._buffer) or self._size is not None

"""No datagram reaches a unix socket outside the worker (``/dev/log``, journald, any world-writable one).

A datagram or seqpacket socket needs no ``connect``: ``sendto`` or ``sendmsg`` with the socket's path
is enough, and Landlock does not cover socket paths on every kernel.  The seccomp filter lets the
worker make only unix *stream* sockets and refuses ``sendto`` with a destination; a stream pair among
the worker's own processes still works.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

from tests.sandbox.helpers import attack, full_marks

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX") or not os.path.isdir("/proc"), reason="Linux only")


@pytest.fixture
def listener():
    """A world-writable datagram socket in a folder anyone may enter, as /dev/log is."""
    from grader.sandbox.doctor import _datagram_listener  # the one grader doctor's self-test sends to

    server, folder = _datagram_listener()
    path = folder / "log"
    try:
        yield server, str(path)
    finally:
        server.close()
        shutil.rmtree(folder, ignore_errors=True)


def _received(server: socket.socket) -> list[bytes]:
    got = []
    while True:
        try:
            got.append(server.recv(1000))
        except BlockingIOError:
            return got


def test_no_datagram_reaches_a_socket_outside(course, listener):
    server, path = listener
    code = f"""
        import socket as _socket
        _PATH = {path!r}

        def _try(what, action):
            try:
                action()
                print("SENT", what)
            except OSError as error:
                print("DENIED", what, type(error).__name__)

        def _dgram():
            with _socket.socket(_socket.AF_UNIX, _socket.SOCK_DGRAM) as s:
                s.sendto(b"from a datagram socket", _PATH)

        def _seqpacket():
            with _socket.socket(_socket.AF_UNIX, _socket.SOCK_SEQPACKET) as s:
                s.sendto(b"from a seqpacket socket", _PATH)

        def _pair_sendmsg():
            a, b = _socket.socketpair(_socket.AF_UNIX, _socket.SOCK_DGRAM)
            with a, b:
                a.sendmsg([b"from a datagram pair"], [], 0, _PATH)

        def _stream_sendmsg():
            a, b = _socket.socketpair()
            with a, b:
                a.sendmsg([b"from a stream pair"], [], 0, _PATH)

        for _what, _action in (("dgram", _dgram), ("seqpacket", _seqpacket), ("pair", _pair_sendmsg),
                               ("stream", _stream_sendmsg)):
            _try(_what, _action)

        # A stream pair among the worker's own processes still works.
        _a, _b = _socket.socketpair()
        _a.sendall(b"ping")
        print("PAIR", _b.recv(4).decode())
        _a.close(); _b.close()
    """
    report = course.grade(attack(code))
    assert _received(server) == []
    assert "SENT" not in report.output
    assert report.output.count("DENIED") == 4
    assert "PAIR ping" in report.output
    assert "unix sockets other than stream ones" in report.sandbox["syscalls"]
    assert full_marks(report)

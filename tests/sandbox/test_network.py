"""No network connection leaves the worker, not even to 127.0.0.1."""

from __future__ import annotations

import socket
import threading

from tests.sandbox.helpers import attack


def test_cannot_connect_to_a_local_listener(course):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    accepted = []
    done = threading.Event()

    def serve():
        while not done.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            accepted.append(connection.recv(100))
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    code = f"""
        import socket
        for _family, _kind in ((socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET, socket.SOCK_DGRAM),
                               (socket.AF_INET6, socket.SOCK_STREAM)):
            try:
                with socket.socket(_family, _kind) as _s:
                    _s.settimeout(2)
                    _s.connect(("127.0.0.1", {port}) if _family == socket.AF_INET else ("::1", {port}))
                    _s.sendall(b"secret answers")
                print("CONNECTED", _family, _kind)
            except OSError as _error:
                print("REFUSED", type(_error).__name__)
    """
    try:
        report = course.grade(attack(code))
    finally:
        done.set()
        thread.join(timeout=5)
        listener.close()
    assert accepted == []
    assert "CONNECTED" not in report.output
    assert report.output.count("REFUSED") == 3
    assert report.sandbox["network"].startswith("active")
    assert report.score == report.max_score

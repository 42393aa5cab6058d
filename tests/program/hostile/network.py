# Tries to connect to a port the test listens on.
import socket
PORT = int("@PORT@")
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=2).sendall(b"LEAKED")
    print("CONNECTED")
except OSError as error:
    print("no network:", type(error).__name__)
raise SystemExit(1)

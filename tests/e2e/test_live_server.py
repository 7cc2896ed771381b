"""The browser tests' live server never leaves a response open when a client drops."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Iterator
from typing import Any

from tests.e2e.conftest import serve_in_thread, stop


class Body:
    """A response body that records whether the server closed it."""

    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(50):
            yield b"x" * 65536

    def close(self) -> None:
        self.closed = True


def test_a_dropped_connection_leaves_no_response_open() -> None:
    # Werkzeug's server skips close() when the socket is reset while it drains the
    # request; an open static file then failed a later test as a ResourceWarning.
    bodies: list[Body] = []

    def app(environ: dict[str, Any], start_response: Any) -> Body:
        start_response("200 OK", [("Content-Type", "text/plain")])
        bodies.append(Body())
        return bodies[-1]

    server, thread = serve_in_thread(app)
    try:
        for _ in range(10):
            client = socket.create_connection(("127.0.0.1", server.server_port))
            client.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            time.sleep(0.005)
            # Close with a reset, as a browser abandoning a request may.
            client.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            client.close()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not (
            len(bodies) == 10 and all(body.closed for body in bodies)
        ):
            time.sleep(0.02)
    finally:
        stop(server, thread)
    assert len(bodies) == 10
    assert [body.closed for body in bodies] == [True] * 10

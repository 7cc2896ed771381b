"""Slow clients: does the server `make run` starts keep answering while 50 hang?

Starts gunicorn as `make run` does (``-c python:serving``) on a free 127.0.0.1 port with
a temporary instance folder (SQLite), opens SLOW sockets that send part of a request
line and never finish it, then times REQUESTS ``GET /healthz`` over new connections.
Prints p50 and max; exits 1 if any request fails or takes over LIMIT seconds.

    .venv/bin/python bench/slow_clients.py [--slow 50] [--requests 20]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
SLOW = 50
REQUESTS = 20
# Seconds one /healthz may take while the slow sockets hang.
LIMIT = 1.0
# Seconds a request may take before it counts as failed (not a timing figure).
SOCKET_TIMEOUT = 5.0
STARTUP_SECONDS = 60.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (for now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_command(port: int) -> list[str]:
    """The Makefile's `run` command, on another port."""
    return [
        str(VENV_BIN / "gunicorn"),
        "-c",
        "python:serving",
        "--bind",
        f"127.0.0.1:{port}",
        "app:create_app()",
    ]


@contextmanager
def server(instance: Path) -> Iterator[int]:
    """Migrate a fresh SQLite database, serve it as `make run` does; yield the port."""
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "RX_INSTANCE_PATH": str(instance),
        "RX_ICD_PRELOAD": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("RATELIMIT_STORAGE_URI", None)
    subprocess.run(
        [str(VENV_BIN / "flask"), "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = (instance / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        serve_command(port), cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    """Poll /healthz until the server answers 200."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited at start")
        try:
            if healthz(port) == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz")


def healthz(port: int) -> int:
    """One GET /healthz over a new connection; its status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=SOCKET_TIMEOUT)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def open_slow_clients(port: int, count: int) -> list[socket.socket]:
    """Sockets that sent part of a request line and will never send the rest."""
    sockets = []
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"GET /healthz HT")
        sockets.append(client)
    return sockets


def timed_requests(port: int, count: int) -> list[float]:
    """Seconds each of ``count`` /healthz requests took; raises if one fails."""
    durations = []
    for _ in range(count):
        start = time.perf_counter()
        status = healthz(port)
        durations.append(time.perf_counter() - start)
        if status != 200:
            raise RuntimeError(f"/healthz answered {status}")
    return durations


def measure(slow: int, requests: int) -> list[float]:
    """Serve, hang ``slow`` sockets, then time ``requests`` /healthz calls."""
    with tempfile.TemporaryDirectory() as folder, server(Path(folder)) as port:
        sockets = open_slow_clients(port, slow)
        try:
            # Let the server take every slow connection before the clock starts.
            time.sleep(0.5)
            return timed_requests(port, requests)
        finally:
            for client in sockets:
                client.close()


def main() -> int:
    """Run the measurement and print p50 and max."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=SLOW)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    args = parser.parse_args()
    try:
        durations = measure(args.slow, args.requests)
    except (OSError, RuntimeError) as exc:
        print(f"FAIL: {exc}")
        return 1
    p50, worst = statistics.median(durations), max(durations)
    print(
        f"{args.requests} x GET /healthz with {args.slow} slow clients open: "
        f"p50 {p50 * 1000:.1f} ms, max {worst * 1000:.1f} ms"
    )
    if worst > LIMIT:
        print(f"FAIL: a request took over {LIMIT:.0f} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

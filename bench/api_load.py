"""Search API throughput under wrk against gunicorn with 2 workers on 127.0.0.1.

``python bench/api_load.py --seconds 15``: starts gunicorn on a free local port, waits
for /healthz, runs wrk (4 threads, 32 connections) with bench/search.lua, stops the
server, and prints requests per second, latency and errors.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    """Run the load and print one summary line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed (make bench installs it)", file=sys.stderr)
        return 1
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="rx-load-"))
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{folder / 'load.sqlite3'}",
        SECRET_KEY="bench",  # noqa: S106 - a throwaway local server
        RX_ICD_PRELOAD="1",
        RATELIMIT_ENABLED="0",
    )
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--preload", "--no-control-socket",
         "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("gunicorn did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
        done = subprocess.run(
            [wrk, "-t4", f"-c{args.connections}", f"-d{args.seconds}s",
             "-s", str(ROOT / "bench" / "search.lua"), f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, timeout=args.seconds + 60,
        )  # fmt: skip
        if done.returncode != 0:
            print(f"wrk failed ({done.returncode}): {done.stderr}", file=sys.stderr)
            return 1
        out = done.stdout
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    line = next((x for x in out.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        print(out, file=sys.stderr)
        return 1
    requests, errors, p50, p95, rate = line.split()[1:]
    print(
        f"API  /api/v1/icd10/search, gunicorn 2 workers, wrk {args.connections} conns "
        f"{args.seconds}s: {float(rate):,.0f} req/s, p50 {float(p50):.1f} ms, "
        f"p95 {float(p95):.1f} ms, {int(requests):,} requests, {errors} errors"
    )
    return 0 if int(errors) == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

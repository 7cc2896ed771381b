"""scripts/ci-redis.sh: a private directory of its own, and it stops only its server."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bench.slow_clients import free_port

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "ci-redis.sh"

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None or shutil.which("redis-cli") is None,
    reason="redis-server is not installed (make test-tools installs it)",
)


def _answers(port: int) -> bool:
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False
    finally:
        client.close()


def _script(tmp_path: Path, port: int, *arguments: str) -> str:
    environment = {**os.environ, "RX_REDIS_PORT": str(port), "TMPDIR": str(tmp_path)}
    return subprocess.run(
        [str(SCRIPT), *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


@pytest.fixture
def foreign_redis(tmp_path: Path) -> Iterator[int]:
    """A Redis on a free port that the script did not start."""
    port = free_port()
    folder = tmp_path / "theirs"
    folder.mkdir()
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--dir",
         str(folder), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            if _answers(port):
                break
            time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_stop_never_shuts_down_a_redis_the_script_did_not_start(
    tmp_path: Path, foreign_redis: int
) -> None:
    _script(tmp_path, foreign_redis, "--stop")
    assert _answers(foreign_redis)
    # Nor does a run of a command that found it already running.
    output = _script(tmp_path, foreign_redis, "--server-only")
    assert "REDIS_STARTED=0" in output
    _script(tmp_path, foreign_redis, "true")
    assert _answers(foreign_redis)


def test_server_lives_in_a_fresh_private_directory_and_stops(tmp_path: Path) -> None:
    port = free_port()
    # A directory planted at the old predictable name is never used.
    planted = tmp_path / f"rxassist-redis-{os.getuid()}-{port}"
    planted.mkdir()
    try:
        assert "REDIS_STARTED=1" in _script(tmp_path, port, "--server-only")
        assert _answers(port)
        made = [p for p in tmp_path.iterdir() if p.name.startswith("rxassist-redis.")]
        assert len(made) == 1 and (made[0] / "redis.pid").is_file()
        assert stat.S_IMODE(made[0].stat().st_mode) == 0o700
        assert list(planted.iterdir()) == []
    finally:
        _script(tmp_path, port, "--stop")
    assert not _answers(port)
    assert not made[0].exists()

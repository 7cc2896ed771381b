"""Rate limits counted once across hosts: two app processes, one Redis store."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bench.slow_clients import free_port
from rxassist.icd import IcdIndex
from tests.factories import make_app

ROOT = Path(__file__).resolve().parent.parent
# views/auth.py: refused logins for one account, per 10 minutes.
ACCOUNT_LIMIT = 5
ATTEMPTS_PER_HOST = 4

# One app host: its own process and app, the test's database and the given store.
HOST = """
import sys
from pathlib import Path

from app import create_app
from tests.helpers import app_config

folder, storage, prefix, email, attempts = sys.argv[1:]
app = create_app(
    app_config(
        Path(folder),
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=storage,
        RATELIMIT_KEY_PREFIX=prefix,
        WTF_CSRF_ENABLED=False,
    )
)
client = app.test_client()
for _ in range(int(attempts)):
    answer = client.post("/login", data={"email": email, "password": "not it"})
    print(answer.status_code)
"""


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """RATELIMIT_STORAGE_URI's Redis when set (CI), else a private redis-server."""
    configured = os.environ.get("RATELIMIT_STORAGE_URI", "")
    if configured.startswith("redis://"):
        yield configured
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (make test-tools installs it)")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder),
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)


def _host(folder: Path, storage: str, prefix: str, email: str) -> list[int]:
    """The statuses one app process answers to refused logins for ``email``."""
    answer = subprocess.run(
        [sys.executable, "-c", HOST, str(folder), storage, prefix, email,
         str(ATTEMPTS_PER_HOST)],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return [int(line) for line in answer.stdout.split()]


def _two_hosts(tmp_path: Path, icd: IcdIndex, storage: str) -> tuple[list[int], ...]:
    """Guesses at one account split across two app processes on one database."""
    make_app(tmp_path, icd)
    prefix = f"test-{uuid.uuid4().hex}"
    email = f"{prefix}@example.org"
    return (
        _host(tmp_path, storage, prefix, email),
        _host(tmp_path, storage, prefix, email),
    )


def test_login_limit_is_counted_once_across_two_hosts_sharing_redis(
    tmp_path: Path, icd: IcdIndex, redis_url: str
) -> None:
    first, second = _two_hosts(tmp_path, icd, redis_url)
    allowed_second = ACCOUNT_LIMIT - ATTEMPTS_PER_HOST
    assert first == [200] * ATTEMPTS_PER_HOST
    assert second == [200] * allowed_second + [429] * (
        ATTEMPTS_PER_HOST - allowed_second
    )


def test_login_limit_counts_per_process_without_a_shared_store(
    tmp_path: Path, icd: IcdIndex
) -> None:
    # Why several hosts need Redis: memory:// lets each process allow the whole limit.
    first, second = _two_hosts(tmp_path, icd, "memory://")
    assert first == second == [200] * ATTEMPTS_PER_HOST

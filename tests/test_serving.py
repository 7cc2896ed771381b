"""How `make run` serves: one process of threads, slow clients, exact rate limits."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest

import config
import serving
from bench import slow_clients
from extensions import limiter
from tests import factories
from tests.factories import api_key, make_app
from tests.helpers import csrf_token
from tests.test_patient_link import make_link

ROOT = Path(__file__).resolve().parent.parent
DOB_LIMIT = 10
ATTEMPTS = 2 * DOB_LIMIT
API_LIMIT = 300


def _run_recipe() -> str:
    """The Makefile's `run` recipe, its continued lines joined."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "the Makefile has no run target"
    return recipe.group(1).replace("\\\n", " ")


def test_make_run_serves_from_one_process_of_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = _run_recipe()
    assert "-c python:serving" in recipe
    # A --workers or -w here would override serving.py and split the counters.
    assert not re.search(r"\s(--workers|-w)\b", recipe)
    assert serving.workers == 1
    assert serving.worker_class == "gthread"
    assert serving.threads > slow_clients.SLOW
    # CI runs the suite with a shared store set; the default is what `make run` has.
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    settings = config.load({"RX_INSTANCE_PATH": str(tmp_path)})
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.mark.server
def test_make_run_answers_healthz_while_slow_clients_hang() -> None:
    # Each request must succeed within the socket timeout; timing is bench's job.
    durations = slow_clients.measure(slow_clients.SLOW, 5)
    assert len(durations) == 5


def test_patient_dob_limit_holds_exactly_under_concurrent_threads(
    tmp_path: Any, icd: Any
) -> None:
    app, doctor = factories.rate_limited(tmp_path, icd)
    path, _ = make_link(doctor, factories.prescription_url(app))
    clients = [app.test_client() for _ in range(ATTEMPTS)]
    tokens = [csrf_token(client, path) for client in clients]
    start = threading.Barrier(ATTEMPTS)
    statuses: list[int] = []

    def guess(index: int) -> None:
        start.wait()
        response = clients[index].post(
            path, data={"dob": f"1970-01-{index + 1:02d}", "csrf_token": tokens[index]}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    limiter.reset()
    assert sorted(statuses) == [200] * DOB_LIMIT + [429] * DOB_LIMIT


def test_api_rate_limit_headers_agree_and_retry_after_only_on_429(
    tmp_path: Any, icd: Any
) -> None:
    app = make_app(tmp_path, icd, RATELIMIT_ENABLED=True)
    limiter.reset()
    headers = {"Authorization": f"Bearer {api_key(app)}"}
    client = app.test_client()
    first = client.get("/api/v1/prescriptions", headers=headers)
    assert first.status_code == 200
    assert first.headers["RateLimit-Limit"] == str(API_LIMIT)
    assert first.headers["RateLimit-Remaining"] == str(API_LIMIT - 1)
    # A one-minute window; limits rounds its reset up to the next second.
    assert 0 < int(first.headers["RateLimit-Reset"]) <= 61
    assert "Retry-After" not in first.headers
    for _ in range(API_LIMIT - 1):
        client.get("/api/v1/prescriptions", headers=headers)
    refused = client.get("/api/v1/prescriptions", headers=headers)
    limiter.reset()
    assert refused.status_code == 429
    assert refused.headers["RateLimit-Remaining"] == "0"
    retry = refused.headers["Retry-After"]
    assert retry == refused.headers["RateLimit-Reset"]
    assert refused.get_json()["retry_after"] == int(retry)
    assert "error" in refused.get_json()

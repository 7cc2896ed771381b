"""One physician or key finalizing in a loop cannot starve the others."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

import models
from extensions import db
from rxassist.icd import IcdIndex
from rxassist.pdf import PdfEngineError
from services import capacity, rendering
from tests import factories
from tests.helpers import Physician, payload, step, walk_to_review


def _count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(models.Prescription.id))) or 0)


def test_pdf_engine_slots_bound_concurrent_renders(
    app: Flask, physician: Physician
) -> None:
    app.config.update(RX_PDF_SLOTS=1, RX_PDF_WAIT_SECONDS=0.05)
    base = walk_to_review(physician)
    with app.app_context():
        slots = rendering._slots()  # noqa: SLF001 - hold the only slot, as a render would
        assert slots.acquire(timeout=1)
        try:
            with pytest.raises(PdfEngineError, match="busy"), rendering.engine_slot():
                pass
            busy = step(physician, base, "review", {"nav": "finalize", "attest": "y"})
        finally:
            slots.release()
    assert busy.status_code == 503
    assert _count(app) == 0
    done = step(physician, base, "review", {"nav": "finalize", "attest": "y"})
    assert done.status_code == 302 and _count(app) == 1


@pytest.fixture
def limited(tmp_path: Path, icd: IcdIndex) -> Flask:
    """An app with its rate limits on, and a finalize limit of 2 a minute."""
    return factories.make_app(
        tmp_path, icd, RATELIMIT_ENABLED=True, RX_FINALIZE_LIMIT="2 per minute"
    )


def test_api_caller_is_limited_in_prescriptions_a_minute(limited: Flask) -> None:
    factories.physician(limited, practice="Lakeside")
    token = factories.personal_token(limited)
    client = limited.test_client()
    answers = [
        client.post(
            "/api/v1/prescriptions",
            json={**payload(), "attest": True},
            headers={"Authorization": f"Bearer {token}"},
        )
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert int(answers[2].headers["Retry-After"]) > 0
    assert _count(limited) == 2


def test_physician_is_limited_in_finalizes_a_minute(limited: Flask) -> None:
    limited.config["RX_FINALIZE_LIMIT"] = "1 per minute"
    factories.physician(limited)
    physician = factories.signed_in(limited.test_client())
    first, second = walk_to_review(physician), walk_to_review(physician)
    assert (
        step(physician, first, "review", {"nav": "finalize", "attest": "y"}).status_code
        == 302
    )
    refused = step(physician, second, "review", {"nav": "finalize", "attest": "y"})
    assert refused.status_code == 429
    assert _count(limited) == 1


def _requested(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count(models.Draft.id)).where(
                    models.Draft.requested_by_key.is_not(None)
                )
            )
            or 0
        )


def test_api_calls_past_the_slots_answer_busy_and_store_nothing(app: Flask) -> None:
    app.config.update(RX_API_SLOTS=1, RX_API_WAIT_SECONDS=0.05)
    factories.physician(app, practice=factories.PRACTICE)
    headers = {"Authorization": f"Bearer {factories.api_key(app)}"}
    client = app.test_client()
    with app.app_context():
        slots = capacity.slots("api", 1)
        assert slots.acquire(timeout=1)  # another call of the key's, still working
        try:
            busy = client.post("/api/v1/prescriptions", json=payload(), headers=headers)
        finally:
            slots.release()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "1"
    assert busy.get_json()["error"] == "The server is busy; try again in a moment."
    assert _requested(app) == 0
    done = client.post("/api/v1/prescriptions", json=payload(), headers=headers)
    assert done.status_code == 202
    assert _requested(app) == 1


def test_unauthenticated_api_calls_neither_wait_for_nor_hold_a_slot(
    app: Flask,
) -> None:
    app.config.update(RX_API_SLOTS=1, RX_API_WAIT_SECONDS=0.05)
    client = app.test_client()
    with app.app_context():
        slots = capacity.slots("api", 1)
        assert slots.acquire(timeout=1)  # a practice's call, still working
        try:
            for header in ("Bearer not-a-key", "Basic eDp5", "junk"):
                refused = client.post(
                    "/api/v1/prescriptions",
                    json=payload(),
                    headers={"Authorization": header},
                )
                assert refused.status_code == 401  # not 503: it never queued
                assert "WWW-Authenticate" in refused.headers
        finally:
            slots.release()
        # Nothing was left held by the refused calls: the one slot is free again.
        assert slots.acquire(timeout=0)
        slots.release()
    assert _requested(app) == 0

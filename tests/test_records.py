"""Prescriptions on record: immutable PDFs, amend, void, renew, list, audit log."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import models
from extensions import db
from tests import factories
from tests.factories import record
from tests.helpers import (
    PATIENT,
    SESSION,
    Physician,
    csrf_token,
    finalize_draft,
    pdf_text,
    step,
    today,
    walk_to_review,
)


def prescribe(app: Flask, **patient: str) -> str:
    """A prescription for the example's patient (with ``patient`` over it); its URL."""
    patient = {**factories.order()["patient"], **patient}
    return factories.prescription_url(app, patient=patient)


def test_record_pdf_is_served_from_storage_byte_for_byte(
    app: Flask, physician: Physician, monkeypatch: Any
) -> None:
    url = prescribe(app)
    stored = record(app, url)
    assert stored.sha256 == hashlib.sha256(stored.pdf).hexdigest()

    def no_render(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("a finalized PDF is never rendered again")

    monkeypatch.setattr("services.rendering.prescription_pdf", no_render)
    first = physician.client.get(url + ".pdf")
    second = physician.client.get(url + ".pdf")
    assert first.data == second.data == stored.pdf
    assert first.headers["ETag"] == f'"{stored.sha256}"'
    assert "no-store" in first.headers["Cache-Control"]


def test_record_amend_supersedes_the_original(app: Flask, physician: Physician) -> None:
    url = prescribe(app)
    original = record(app, url)
    response = physician.post(f"{url}/amend", {}, page=url)
    draft_base = response.location.rsplit("/", 1)[0]
    step(physician, draft_base, "patient", {**PATIENT, "name": "Jane Q. Doe"})
    amended = record(app, finalize_draft(physician, draft_base))
    assert amended.replaces_id == original.id
    assert amended.status == "final"
    assert record(app, url).status == "superseded"
    assert f"Amends {original.number}" in pdf_text(amended.pdf)
    assert "Jane Q. Doe" in pdf_text(amended.pdf)
    page = physician.client.get(url).get_data(as_text=True)
    assert "Superseded by" in page and amended.number in page
    # a superseded prescription cannot be amended or voided again
    again = physician.post(f"{url}/amend", {}, page=url)
    assert again.location.endswith(url)


def test_record_void_needs_a_reason_and_sticks(
    app: Flask, physician: Physician
) -> None:
    url = prescribe(app)
    empty = physician.post(f"{url}/void", {"reason": ""})
    assert "Say why this prescription is void." in empty.get_data(as_text=True)
    assert record(app, url).status == "final"
    physician.post(f"{url}/void", {"reason": "Written for the wrong patient"})
    voided = record(app, url)
    assert voided.status == "void"
    assert voided.void_reason == "Written for the wrong patient"
    assert voided.voided_at is not None


def test_record_renew_starts_a_draft_with_todays_dates(
    app: Flask, physician: Physician
) -> None:

    url = prescribe(app)
    response = physician.post(f"{url}/renew", {}, page=url)
    assert response.location.endswith("/session")
    draft_id = response.location.rsplit("/", 2)[-2]
    with app.app_context():
        draft = db.session.get(models.Draft, draft_id)
        assert draft is not None
        assert draft.amends_id is None
        assert draft.document["plan"]["start"] == today().isoformat()
        assert draft.document["diagnoses"] == ["S13.4XXA", "M54.2", "M62.838"]


def test_record_list_searches_by_name_and_dob_and_filters_status(
    app: Flask, physician: Physician
) -> None:
    jane = prescribe(app)
    prescribe(app, name="Oscar Ortiz", dob="1955-02-03")
    physician.post(f"{jane}/void", {"reason": "duplicate"})

    def numbers(query: str) -> set[str]:
        html = physician.client.get(f"/prescriptions/?{query}").get_data(as_text=True)
        return set(re.findall(r">(RX-\d{8}-\w{6})<", html))

    jane_no, oscar_no = record(app, jane).number, _only_other(app, jane)
    assert numbers("q=oscar") == {oscar_no}
    assert numbers("q=JANE") == {jane_no}
    assert numbers("dob=1955-02-03") == {oscar_no}
    assert numbers("status=void") == {jane_no}
    assert numbers("status=final") == {oscar_no}
    assert numbers("written_from=2000-01-01") == {jane_no, oscar_no}
    assert numbers("written_to=2000-01-01") == set()
    assert numbers("q=%25") == set()  # a % is a character, not a wildcard


def _only_other(app: Flask, url: str) -> str:
    with app.app_context():
        rows = db.session.scalars(select(models.Prescription)).all()
        return next(r.number for r in rows if r.id != url.rsplit("/", 1)[-1])


def test_record_list_paginates(app: Flask, physician: Physician) -> None:
    import views.documents

    views.documents.PAGE_SIZE, saved = 1, views.documents.PAGE_SIZE
    try:
        prescribe(app)
        prescribe(app)
        first = physician.client.get("/prescriptions/").get_data(as_text=True)
        second = physician.client.get("/prescriptions/?page=2").get_data(as_text=True)
        assert "Page 1 of 2" in first and 'rel="next"' in first
        assert "Page 2 of 2" in second
    finally:
        views.documents.PAGE_SIZE = saved


def test_record_audit_log_lists_who_did_what(app: Flask, physician: Physician) -> None:
    url = prescribe(app)
    physician.client.get(url)
    physician.client.get(url + ".pdf")
    physician.post(f"{url}/void", {"reason": "test"})
    with app.app_context():
        actions = [
            e.action
            for e in db.session.scalars(
                select(models.AuditEvent).order_by(models.AuditEvent.id)
            )
        ]
        assert actions[:2] == ["finalized", "warnings accepted"]
        assert {"viewed", "downloaded", "voided"} <= set(actions)
        issued = ("finalized", "warnings accepted")  # by the factory, not the web
        web = select(models.AuditEvent).where(models.AuditEvent.action.not_in(issued))
        assert {e.ip for e in db.session.scalars(web)} == {"127.0.0.1"}
    html = physician.client.get(f"{url}/audit").get_data(as_text=True)
    assert "downloaded" in html and "maria@example.org" in html


def test_record_of_another_physician_is_not_found(
    app: Flask, client: FlaskClient
) -> None:
    factories.physician(app)
    url = prescribe(app)
    factories.physician(app, "john@example.org", name="John Smith")
    factories.signed_in(client, "john@example.org")
    for path in ("", ".pdf", "/print", "/audit", "/void"):
        assert client.get(url + path).status_code == 404, path
    token = csrf_token(client, "/drafts")
    for path in ("/amend", "/renew", "/void", "/links"):
        assert (
            client.post(
                url + path, data={"csrf_token": token, "reason": "x", "days": "5"}
            ).status_code
            == 404
        )
    assert client.get("/prescriptions/unknown-id").status_code == 404
    assert record(app, url).status == "final"  # the record stays untouched
    html = client.get("/prescriptions/").get_data(as_text=True)
    assert "RX-" not in html


def test_record_opens_as_signed_after_the_code_set_changes(
    app: Flask, physician: Physician, icd: Any, monkeypatch: Any
) -> None:
    url = prescribe(app)
    signed = record(app, url)
    # A later release retires M54.2 and renames everything else.
    from rxassist.icd import CodeCheck

    monkeypatch.setattr(
        type(icd), "check", lambda self, code: CodeCheck(code, False, "retired")
    )
    page = physician.client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Cervicalgia" in html and "ICD-10-CM FY2026" in html
    assert physician.client.get(f"{url}/print").status_code == 200
    assert physician.client.get(f"{url}.pdf").data == signed.pdf


def test_record_renewal_keeps_every_precaution(
    app: Flask, physician: Physician
) -> None:
    base = walk_to_review(physician)
    step(physician, base, "session", {**SESSION, "postop": "y", "postop_date": "2026-12-01",
                                       "lymphedema": "y", "other_precautions": "No heat"})  # fmt: skip
    url = finalize_draft(physician, base)
    renewed = physician.post(f"{url}/renew", {}, page=url).location
    page = physician.client.get(renewed).get_data(as_text=True)
    for box in ("anticoagulant", "postop", "lymphedema"):
        assert re.search(rf'<input checked[^>]*id="{box}"', page), box
    assert 'value="2026-12-01"' in page and 'value="No heat"' in page
    done = physician.post(renewed, {**SESSION, "postop": "y", "postop_date": "2026-12-01",
                                    "lymphedema": "y", "other_precautions": "No heat"})  # fmt: skip
    assert done.status_code == 302

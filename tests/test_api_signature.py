"""Accountable API writes: a practice key's request awaits the physician's signature,
a personal token signs with ``attest: true``, the audit log names who acted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import models
from extensions import db
from rxassist import wizard
from tests import factories
from tests.factories import api_key, personal_token
from tests.helpers import EMAIL, Physician, finalize_draft, payload, pdf_text

OTHER = "ana@example.org"
OTHER_NPI = "1245319599"


@pytest.fixture
def key(app: Flask) -> str:
    """The practice's key, named "EHR"; Maria belongs to the practice."""
    secret = api_key(app, name="EHR")
    factories.physician(app, practice="Lakeside")
    return secret


@pytest.fixture
def doctor(client: FlaskClient, key: str) -> Physician:
    """Maria, signed in on the same client that calls the API."""
    return factories.signed_in(client)


def post(client: FlaskClient, secret: str, body: Any, **headers: str) -> Any:
    return client.post(
        "/api/v1/prescriptions",
        json=body,
        headers={"Authorization": f"Bearer {secret}", **headers},
    )


def get(client: FlaskClient, secret: str, url: str) -> Any:
    path = url.replace("http://localhost", "")
    return client.get(path, headers={"Authorization": f"Bearer {secret}"})


def count(app: Flask, model: type[Any]) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_practice_key_request_awaits_signature_in_the_to_sign_list(
    app: Flask, client: FlaskClient, key: str, doctor: Physician
) -> None:
    response = post(client, key, {**payload(), "attest": True})
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body["status"] == "awaiting_signature"
    assert set(body["links"]) == {"self", "sign"}
    assert body["links"]["sign"] == f"http://localhost/rx/{body['id']}/review"
    assert response.headers["Location"] == body["links"]["self"]
    assert {w["severity"] for w in body["warnings"]} == {"warning"}
    assert count(app, models.Prescription) == 0
    assert count(app, models.PatientLink) == 0
    draft = factories.draft(app, body["id"])
    assert draft.step == "review" and draft.requested_by_key is not None
    state = get(client, key, body["links"]["self"])
    assert state.status_code == 200
    assert state.get_json()["status"] == "awaiting_signature"
    assert state.get_json()["document"]["patient"]["name"] == "Jane Doe"
    assert get(client, key, body["links"]["self"] + "/pdf").status_code == 404
    page = client.get("/drafts").get_data(as_text=True)
    to_sign = page[page.index("To sign") : page.index('id="drafts-heading"')]
    assert "Jane Doe" in to_sign and "EHR" in to_sign
    assert to_sign.count(f'href="/rx/{body["id"]}/review"') == 1
    assert re.search(r'class="badge">\s*1 to sign', page)


def test_physician_signs_a_requested_prescription_from_its_review_page(
    app: Flask, client: FlaskClient, key: str, doctor: Physician
) -> None:
    requested = post(client, key, payload()).get_json()
    # The physician may change any step of the request before signing.
    for name in wizard.BY_NAME:
        assert client.get(f"/rx/{requested['id']}/{name}").status_code == 200, name
    finalize_draft(doctor, f"/rx/{requested['id']}")
    signed = get(client, key, requested["links"]["self"])
    assert signed.status_code == 200
    record = signed.get_json()
    assert record["status"] == "final" and record["number"].startswith("RX-")
    pdf = get(client, key, requested["links"]["self"] + "/pdf")
    assert pdf.status_code == 200 and record["number"] in pdf_text(pdf.data)
    page = client.get("/drafts").get_data(as_text=True)
    assert "To sign" not in page and "to sign</span>" not in page
    audit = client.get(f"/prescriptions/{record['id']}/audit").get_data(as_text=True)
    assert (
        "signed on request" in audit and "requested by api key &#39;EHR&#39;" in audit
    )


def test_practice_key_request_replays_its_first_answer(
    app: Flask, client: FlaskClient, key: str
) -> None:
    first = post(client, key, payload(), **{"Idempotency-Key": "order-7"})
    again = post(client, key, payload(), **{"Idempotency-Key": "order-7"})
    assert first.status_code == again.status_code == 202
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(app, models.Draft) == 1


def test_personal_token_with_attest_issues_with_pdf_and_patient_link(
    app: Flask, client: FlaskClient, key: str
) -> None:
    token = personal_token(app)
    response = post(client, token, {**payload(), "attest": True})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    pdf = get(client, token, body["links"]["pdf"])
    assert pdf.status_code == 200 and "Maria Lopez, MD" in pdf_text(pdf.data)
    patient = client.get(body["links"]["patient"].replace("http://localhost", ""))
    assert patient.status_code == 200
    assert count(app, models.Draft) == 0


@pytest.mark.parametrize("attest", [None, False, "true", 1])
def test_personal_token_without_attest_true_is_refused(
    app: Flask, client: FlaskClient, key: str, attest: Any
) -> None:
    token = personal_token(app)
    body = payload() if attest is None else {**payload(), "attest": attest}
    response = post(client, token, body)
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"attest"}
    assert "attest: true" in response.get_json()["fields"]["attest"]
    assert count(app, models.Prescription) == count(app, models.Draft) == 0


def test_personal_token_writes_only_in_its_physicians_name(
    app: Flask, client: FlaskClient, key: str
) -> None:
    factories.physician(app, OTHER, practice="Lakeside", npi=OTHER_NPI)
    token = personal_token(app)
    response = post(client, token, {**payload(), "npi": OTHER_NPI, "attest": True})
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"npi"}
    assert count(app, models.Prescription) == 0


def test_profile_page_creates_a_token_shown_once_and_revokes_it(
    app: Flask, client: FlaskClient, doctor: Physician
) -> None:
    created = doctor.post("/profile/tokens", {"name": "Laptop"}, page="/profile")
    assert created.status_code == 200
    secret = re.search(r"<code[^>]*data-token>(rxp_[^<]+)</code>", created.text)
    assert secret is not None
    token = secret.group(1)
    with app.app_context():
        stored = db.session.scalars(select(models.PersonalToken)).one()
        assert stored.name == "Laptop" and token not in (stored.token_hash, stored.id)
        token_id = stored.id
    assert token not in client.get("/profile").text
    assert post(client, token, {**payload(), "attest": True}).status_code == 201
    revoked = doctor.post(f"/profile/tokens/{token_id}/revoke", {}, page="/profile")
    assert revoked.status_code == 302
    assert post(client, token, {**payload(), "attest": True}).status_code == 401
    assert get(client, token, "/api/v1/prescriptions").status_code == 401


def test_profile_page_refuses_to_revoke_anothers_token(
    app: Flask, client: FlaskClient, doctor: Physician
) -> None:
    factories.physician(app, OTHER, npi=OTHER_NPI)
    personal_token(app, OTHER)
    with app.app_context():
        theirs = db.session.scalars(select(models.PersonalToken.id)).one()
    answer = doctor.post(f"/profile/tokens/{theirs}/revoke", {}, page="/profile")
    assert answer.status_code == 404


def test_audit_log_names_the_key_by_name_and_the_token_with_its_physician(
    app: Flask, client: FlaskClient, key: str, doctor: Physician
) -> None:
    token = personal_token(app, name="My EHR")
    created = post(client, token, {**payload(), "attest": True}).get_json()
    # Read with the practice key while Maria is signed in on the same client.
    assert get(client, key, created["links"]["self"]).status_code == 200
    html = client.get(f"/prescriptions/{created['id']}/audit").get_data(as_text=True)
    who = re.findall(r'<td class="audit-who">([^<]*)</td>', html)
    assert "api key &#39;EHR&#39;" in who
    assert f"personal token &#39;My EHR&#39; of {EMAIL}" in who
    assert "patient link" not in who
    with app.app_context():
        read = db.session.scalars(
            select(models.AuditEvent).where(
                models.AuditEvent.action == "api GET /api/v1/prescriptions/<rx_id>"
            )
        ).one()
        assert read.api_key_id is not None and read.user_id is None
        finalized = db.session.scalars(
            select(models.AuditEvent).where(models.AuditEvent.action == "finalized")
        ).one()
        assert finalized.token_id is not None and "via API" in finalized.detail


def test_admin_create_token_prints_a_working_token(
    app: Flask, client: FlaskClient, key: str
) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["admin", "create-token", "--email", EMAIL, "--name", "Script"]
    )
    assert result.exit_code == 0, result.output
    secret = next(
        line for line in result.output.splitlines() if line.startswith("rxp_")
    )
    assert post(client, secret, {**payload(), "attest": True}).status_code == 201
    unknown = runner.invoke(args=["admin", "create-token", "--email", "no@x.org"])
    assert unknown.exit_code == 1
    assert "No account for no@x.org" in unknown.output

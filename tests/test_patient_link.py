"""The patient's download link: DOB check, expiry, revocation, rate limits, privacy."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

import models
from extensions import db
from tests import factories
from tests.factories import record
from tests.helpers import Physician, csrf_token, pdf_text


def make_link(doctor: Physician, url: str, days: int = 90) -> tuple[str, str]:
    """Create a patient link; return its URL and the handout HTML."""
    response = doctor.post(f"{url}/links", {"days": str(days)}, page=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    link = re.search(r"<code>(http://localhost/p/[^<]+)</code>", html)
    assert link, html[:500]
    return link.group(1).replace("http://localhost", ""), html


def patient_post(client: FlaskClient, path: str, dob: str) -> Any:
    return client.post(path, data={"dob": dob, "csrf_token": csrf_token(client, path)})


@pytest.fixture
def shared(app: Flask, physician: Physician) -> tuple[str, str]:
    """A finalized prescription and its patient link path."""
    url = factories.prescription_url(app)
    path, _ = make_link(physician, url)
    return url, path


def test_patient_link_token_is_long_random_and_stored_only_hashed(
    app: Flask, physician: Physician
) -> None:
    url = factories.prescription_url(app)
    path, handout = make_link(physician, url)
    token = path.rsplit("/", 1)[-1]
    assert len(token) >= 22  # 128 bits in base64url
    assert 'src="data:image/svg+xml;base64,' in handout  # the QR code
    with app.app_context():
        link = db.session.scalars(db.select(models.PatientLink)).one()
        assert token not in (link.token_hash, link.id)
        import hashlib

        assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert (link.expires_at - link.created_at).days == 90


def test_patient_sees_the_prescription_after_the_right_dob(
    app: Flask, shared: tuple[str, str]
) -> None:
    url, path = shared
    patient = app.test_client()
    first = patient.get(path)
    assert "Enter your date of birth" in first.get_data(
        as_text=True
    ) or "date of birth" in first.get_data(as_text=True)
    assert "Jane Doe" not in first.get_data(as_text=True)
    assert first.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in first.headers["Cache-Control"]
    opened = patient_post(patient, path, "1980-04-12")
    html = opened.get_data(as_text=True)
    assert "Jane Doe" in html and "Download the prescription" in html
    pdf = patient.get(f"{path}/prescription.pdf")
    assert pdf.status_code == 200
    assert pdf.data == record(app, url).pdf
    assert "Jane Doe" in pdf_text(pdf.data)
    assert pdf.headers["Referrer-Policy"] == "no-referrer"


def test_patient_wrong_dob_and_unknown_token_look_the_same(
    app: Flask, shared: tuple[str, str]
) -> None:
    _, path = shared
    patient = app.test_client()
    wrong = patient_post(patient, path, "1980-04-13")
    forged = patient_post(patient, "/p/" + "A" * 32, "1980-04-12")
    assert wrong.status_code == forged.status_code == 200

    def body(response: Any) -> str:
        return re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))

    assert body(wrong) == body(forged)
    assert "Jane Doe" not in body(wrong)
    assert patient.get(f"{path}/prescription.pdf").status_code == 404


def test_patient_link_expired_or_revoked_opens_nothing(
    app: Flask, physician: Physician, shared: tuple[str, str]
) -> None:
    url, path = shared
    with app.app_context():
        link = db.session.scalars(db.select(models.PatientLink)).one()
        link.expires_at = models.utcnow() - timedelta(seconds=1)
        db.session.commit()
    expired = patient_post(app.test_client(), path, "1980-04-12")
    assert "Jane Doe" not in expired.get_data(as_text=True)

    path2, _ = make_link(physician, url)
    patient = app.test_client()
    assert "Jane Doe" in patient_post(patient, path2, "1980-04-12").get_data(
        as_text=True
    )
    with app.app_context():
        links = db.session.scalars(db.select(models.PatientLink))
        active = [link for link in links if link.is_active()]
        link_id = active[0].id
    physician.post(f"{url}/links/{link_id}/revoke", {}, page=url)
    # revocation takes effect at once, even for the patient already in
    assert "Jane Doe" not in patient.get(path2).get_data(as_text=True)
    assert patient.get(f"{path2}/prescription.pdf").status_code == 404


def test_patient_link_of_a_void_prescription_opens_nothing(
    app: Flask, physician: Physician, shared: tuple[str, str]
) -> None:
    url, path = shared
    physician.post(f"{url}/void", {"reason": "wrong patient"})
    assert "Jane Doe" not in patient_post(
        app.test_client(), path, "1980-04-12"
    ).get_data(as_text=True)


def test_patient_dob_brute_force_is_rate_limited(tmp_path: Any, icd: Any) -> None:
    from extensions import limiter

    app, doctor = factories.rate_limited(tmp_path, icd)
    url = factories.prescription_url(app)
    path, _ = make_link(doctor, url)
    attacker = app.test_client()
    statuses = [
        patient_post(attacker, path, f"1980-01-{day:02d}").status_code
        for day in range(1, 16)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[-1] == 429
    # even the right answer is refused while the limit holds
    assert patient_post(attacker, path, "1980-04-12").status_code == 429
    limiter.reset()


def test_patient_handout_qr_code_is_a_standalone_svg(
    app: Flask, physician: Physician
) -> None:
    import base64

    url = factories.prescription_url(app)
    _, handout = make_link(physician, url)
    encoded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', handout)
    assert encoded
    svg = base64.b64decode(encoded.group(1)).decode()
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg


def test_patient_link_is_refused_for_a_superseded_prescription(
    app: Flask, physician: Physician
) -> None:
    url = factories.prescription_url(app)
    with app.app_context():
        row = db.session.get(models.Prescription, url.rsplit("/", 1)[-1])
        row.status = "superseded"
        db.session.commit()
    response = physician.post(f"{url}/links", {"days": "30"}, page=url)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(db.select(models.PatientLink)).all() == []

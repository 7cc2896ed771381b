"""Finalize is the physician's signature: password, statement, PAdES, verification."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import models
from extensions import db
from rxassist.attestation import ATTESTATION_VERSION
from services import signing
from tests import factories
from tests.helpers import PASSWORD, Physician, pdf_text, step, walk_to_review


def _finalize(physician: Physician, **extra: str) -> object:
    base = walk_to_review(physician)
    return step(physician, base, "review", {"nav": "finalize", "attest": "y", **extra})


def test_finalize_signs_the_pdf_in_the_physicians_name(
    app: Flask, client: FlaskClient
) -> None:
    factories.physician(app, practice="Lakeside Family Medicine")
    response = _finalize(factories.signed_in(client))
    assert response.status_code == 302  # type: ignore[attr-defined]
    record = factories.record(app, response.location)  # type: ignore[attr-defined]
    text = pdf_text(record.pdf)
    assert (
        "Electronically signed by Maria Lopez, MD, NPI 1234567893, FL license ME123456, "
        f"on {record.document['signature']['date']} at" in text
    )
    assert record.sha256 == hashlib.sha256(record.pdf).hexdigest()
    assert record.signed_at is not None and record.signed_ip == "127.0.0.1"
    assert record.attestation_version == ATTESTATION_VERSION
    with app.app_context():
        checked = signing.verify_pdf(record.pdf)
        assert checked.valid, checked.reason
        # Signed with the practice's own certificate, made at its first use.
        assert "CN=Lakeside Family Medicine" in checked.signer_subject
        broken = bytearray(record.pdf)
        middle = len(broken) // 3
        broken[middle] = (broken[middle] + 1) % 256
        assert not signing.verify_pdf(bytes(broken)).valid


def test_finalize_asks_the_password_once_the_window_has_passed(
    app: Flask, physician: Physician
) -> None:
    app.config["RX_SIGN_WINDOW_SECONDS"] = -1
    base = walk_to_review(physician)
    asked = step(physician, base, "review", {"nav": "finalize", "attest": "y"})
    assert asked.status_code == 422
    assert "Enter your password to sign." in asked.get_data(as_text=True)
    wrong = step(
        physician, base, "review", {"nav": "finalize", "attest": "y", "password": "x"}
    )
    assert "That is not your password." in wrong.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(models.Prescription)).all() == []
    signed = step(
        physician,
        base,
        "review",
        {"nav": "finalize", "attest": "y", "password": PASSWORD},
    )
    assert signed.status_code == 302


def _verify_url(app: Flask, rx_url: str) -> str:
    return f"/v/{factories.record(app, rx_url).verify_token}"


def test_verification_page_shows_the_minimum_and_the_status(
    app: Flask, client: FlaskClient, physician: Physician
) -> None:
    rx_url = factories.prescription_url(app)
    page = client.get(_verify_url(app, rx_url))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Current." in html and "J.D." in html and "born 1980" in html
    assert "Jane" not in html and "1980-04-12" not in html and "04/12/1980" not in html
    assert "NPI 1234567893" in html and factories.record(app, rx_url).sha256 in html
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]
    assert "noindex" in page.headers["X-Robots-Tag"]
    physician.post(f"{rx_url}/void", {"reason": "wrong patient"})
    voided = client.get(_verify_url(app, rx_url)).get_data(as_text=True)
    assert "Voided on" in voided and "do not treat from it" in voided
    assert client.get("/v/not-a-token").status_code == 404


def test_verification_page_checks_an_uploaded_pdf(
    app: Flask, client: FlaskClient
) -> None:
    factories.physician(app)
    rx_url = factories.prescription_url(app)
    record = factories.record(app, rx_url)
    url = _verify_url(app, rx_url)
    token = _csrf(client, url)
    same = client.post(
        url, data={"csrf_token": token, "pdf": (_file(record.pdf), "rx.pdf")}
    ).get_data(as_text=True)
    assert "byte for byte the PDF that was issued" in same
    assert "Its digital signature is valid" in same
    changed = bytearray(record.pdf)
    changed[len(changed) // 3] ^= 0x01
    other = client.post(
        url, data={"csrf_token": token, "pdf": (_file(bytes(changed)), "rx.pdf")}
    ).get_data(as_text=True)
    assert "is <strong>not</strong> the PDF that was issued" in other
    assert "Its digital signature is not valid" in other


def test_pdf_qr_code_leads_to_the_verification_page(app: Flask, tmp_path: Path) -> None:
    factories.physician(app)
    record = factories.record(app, factories.prescription_url(app))
    pdf = tmp_path / "rx.pdf"
    pdf.write_bytes(record.pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "p.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded == f"http://localhost/v/{record.verify_token}"
    assert len(record.verify_token or "") >= 22  # 128 bits in URL-safe base64


def _file(data: bytes) -> object:
    from io import BytesIO

    return BytesIO(data)


def _csrf(client: FlaskClient, url: str) -> str:
    from tests.helpers import csrf_token

    return csrf_token(client, url)


def test_finalize_stores_nothing_when_the_pdf_cannot_be_signed(
    app: Flask, client: FlaskClient
) -> None:
    factories.physician(app, practice="Lakeside Family Medicine")
    factories.prescription(app)  # makes the practice's certificate with this secret
    app.config["RX_SIGNING_SECRET"] = "a different secret"
    physician = factories.signed_in(client)
    base = walk_to_review(physician)
    response = step(physician, base, "review", {"nav": "finalize", "attest": "y"})
    assert response.status_code == 422
    assert "RX_SIGNING_SECRET" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(models.Prescription)).all()) == 1
        draft = db.session.get(models.Draft, base.rsplit("/", 1)[-1])
        assert draft is not None and draft.prescription_id is None

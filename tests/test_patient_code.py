"""The handout's short code: typed by the patient, then the date of birth as for a link."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

import models
from extensions import db, limiter
from rxassist import short_code
from tests import factories
from tests.factories import record
from tests.helpers import Physician, csrf_token
from tests.test_patient_link import make_link, patient_post

DOB = "1980-04-12"


def handout_code(html: str) -> str:
    """The short code printed on the handout."""
    found = re.search(r'id="short-code">([^<]+)<', html)
    assert found, html[:500]
    return found.group(1)


def code_post(client: FlaskClient, code: str, dob: str | None = None) -> Any:
    data = {"code": code, "csrf_token": csrf_token(client, "/p/code")}
    if dob is not None:
        data["dob"] = dob
    return client.post("/p/code", data=data)


def shared_code(app: Flask, doctor: Physician) -> tuple[str, str, str]:
    url = factories.prescription_url(app)
    path, handout = make_link(doctor, url)
    return url, path, handout_code(handout)


def test_handout_code_is_grouped_and_stored_only_hashed(
    app: Flask, physician: Physician
) -> None:
    _, _, code = shared_code(app, physician)
    assert re.fullmatch(r"[23456789A-HJKMNP-TV-Z]{4}-[23456789A-HJKMNP-TV-Z]{4}", code)
    with app.app_context():
        link = db.session.scalars(db.select(models.PatientLink)).one()
        raw = code.replace("-", "")
        assert link.code_hash == short_code.code_hash(raw)
        assert raw not in (link.code_hash, link.id, link.token_hash)


def test_patient_opens_prescription_with_code_typed_loosely_and_dob(
    app: Flask, physician: Physician
) -> None:
    url, _, code = shared_code(app, physician)
    patient = app.test_client()
    typed = " " + code.lower().replace("-", " ") + " "
    asked = code_post(patient, typed)
    assert asked.status_code == 200
    assert 'name="dob"' in asked.get_data(as_text=True)
    assert "Jane Doe" not in asked.get_data(as_text=True)
    opened = code_post(patient, typed, DOB)
    html = opened.get_data(as_text=True)
    assert "Jane Doe" in html and "Download the prescription" in html
    pdf_url = re.search(r'href="(/p/code/[^"]+/prescription\.pdf)"', html)
    assert pdf_url
    assert patient.get(pdf_url.group(1)).data == record(app, url).pdf
    # Another browser, without the answer, cannot use the download address.
    assert app.test_client().get(pdf_url.group(1)).status_code == 404


def test_patient_code_wrong_dob_is_refused_and_unknown_code_is_404(
    app: Flask, physician: Physician
) -> None:
    _, _, code = shared_code(app, physician)
    patient = app.test_client()
    wrong = code_post(patient, code, "1980-04-13")
    assert wrong.status_code == 200
    assert "could not open a prescription" in wrong.get_data(as_text=True)
    assert "Jane Doe" not in wrong.get_data(as_text=True)
    unknown = "2222-2222" if code != "2222-2222" else "3333-3333"
    for typed in (unknown, "not a code"):
        missing = code_post(patient, typed, DOB)
        assert missing.status_code == 404
        assert "We do not know this code" in missing.get_data(as_text=True)


def test_patient_code_and_link_share_one_dob_rate_limit(
    tmp_path: Any, icd: Any
) -> None:
    app, doctor = factories.rate_limited(tmp_path, icd)
    _, path, code = shared_code(app, doctor)
    attacker = app.test_client()
    # Wrong dates through both doors count toward the same limit per address.
    statuses = [
        code_post(attacker, code, f"1980-01-{day:02d}").status_code
        for day in range(1, 6)
    ] + [
        patient_post(attacker, path, f"1980-02-{day:02d}").status_code
        for day in range(1, 6)
    ]
    assert statuses == [200] * 10
    assert code_post(attacker, code, DOB).status_code == 429
    assert patient_post(attacker, path, DOB).status_code == 429
    limiter.reset()


def test_patient_code_guesses_from_many_addresses_add_up_per_link(
    tmp_path: Any, icd: Any
) -> None:
    app, doctor = factories.rate_limited(tmp_path, icd)
    _, path, code = shared_code(app, doctor)
    statuses = []
    for day in range(1, 22):
        guesser = app.test_client()
        address = {"REMOTE_ADDR": f"10.0.{day}.1"}
        token = csrf_token(guesser, "/p/code")
        door = {"code": code} if day % 2 else {}
        target = "/p/code" if day % 2 else path
        data = {**door, "dob": f"1970-01-{day:02d}", "csrf_token": token}
        statuses.append(
            guesser.post(target, data=data, environ_base=address).status_code
        )
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
    limiter.reset()

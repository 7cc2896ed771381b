"""Embedding: frame-ancestors, signed launches that prefill, the embed layout."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import select

import models
from app import create_app
from extensions import db
from rxassist.launch import sign
from tests import factories
from tests.factories import make_app
from tests.helpers import PASSWORD, app_config, csrf_token, step, walk_to_review

SECRET = "intranet-shared-secret"
INTRANET = "https://intranet.clinic.example"


@pytest.fixture
def embed_app(tmp_path: Path, icd: Any) -> Flask:
    return make_app(
        tmp_path,
        icd,
        RX_FRAME_ANCESTORS=f"{INTRANET} https://ehr.clinic.example",
        RX_LAUNCH_SECRET=SECRET,
    )


def launch_url(secret: str = SECRET, **overrides: str) -> str:
    params = {
        "name": "Jane Doe", "dob": "1980-04-12", "mrn": "MRN-0042",
        "payer_type": "workers_comp", "payer_name": "Acme Mutual",
        "claim_number": "WC-2026-0042", "date_of_injury": "2026-10-03",
        "employer": "Gulf Coast Builders", "jurisdiction_state": "FL",
    }  # fmt: skip
    signed = sign(params, secret)
    signed.update(overrides)
    return "/embed/launch?" + urlencode(signed)


def test_app_refuses_to_be_framed_by_default(client: Any) -> None:
    response = client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_frame_ancestors_lists_the_configured_origins(embed_app: Flask) -> None:
    response = embed_app.test_client().get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {INTRANET} https://ehr.clinic.example" in csp
    assert "X-Frame-Options" not in response.headers


def test_frame_ancestors_refuses_what_is_not_an_origin(tmp_path: Path) -> None:
    bad = "https://ok.example; script-src *"
    with pytest.raises(ValueError, match="not an origin"):
        create_app(app_config(tmp_path, RX_FRAME_ANCESTORS=bad))


def test_signed_launch_prefills_a_draft_in_the_embed_layout(embed_app: Flask) -> None:
    factories.physician(embed_app)
    doctor = factories.signed_in(embed_app.test_client())
    response = doctor.client.get(launch_url())
    assert response.status_code == 302
    page = doctor.client.get(response.location)
    html = page.get_data(as_text=True)
    assert 'value="Jane Doe"' in html and 'value="WC-2026-0042"' in html
    assert '<header class="site">' not in html and 'class="embed"' in html
    with embed_app.app_context():
        draft = db.session.scalars(select(models.Draft)).one()
        assert draft.embedded
        assert draft.document["patient"]["mrn"] == "MRN-0042"


def test_launch_before_login_comes_back_after_login(embed_app: Flask) -> None:
    factories.physician(embed_app)
    client = embed_app.test_client()
    url = launch_url()
    response = client.get(url)
    assert "/login" in response.location
    login = client.post(
        response.location,
        data={
            "email": "maria@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )
    assert login.location.startswith("/embed/launch?")


@pytest.mark.parametrize(
    "bad",
    [
        {"name": "Someone Else"},
        {"sig": "0" * 64},
        {"ts": str(int(time.time()) - 3600)},
    ],
)
def test_forged_or_stale_launch_is_refused_with_a_clear_page(
    embed_app: Flask, bad: dict[str, str]
) -> None:
    factories.physician(embed_app)
    doctor = factories.signed_in(embed_app.test_client())
    response = doctor.client.get(launch_url(**bad))
    assert response.status_code == 403
    assert "This launch could not be verified" in response.get_data(as_text=True)
    with embed_app.app_context():
        assert db.session.scalars(select(models.Draft)).all() == []


def test_launch_is_refused_when_no_secret_is_configured(client: Any) -> None:
    response = client.get(launch_url())
    assert response.status_code == 403
    assert "not configured" in response.get_data(as_text=True)


def test_embedded_finalize_shows_the_message_for_the_parent(embed_app: Flask) -> None:
    factories.physician(embed_app)
    doctor = factories.signed_in(embed_app.test_client())
    base = walk_to_review(doctor)
    with embed_app.app_context():
        draft = db.session.get(models.Draft, base.rsplit("/", 1)[-1])
        draft.embedded = True
        db.session.commit()
    response = step(doctor, base, "review", {"nav": "finalize", "attest": "y"})
    assert response.location.startswith("/embed/prescriptions/")
    html = doctor.client.get(response.location).get_data(as_text=True)
    found = re.search(r'data-message="([^"]+)" data-origins="([^"]+)"', html)
    assert found
    import html as html_lib

    message = json.loads(html_lib.unescape(found.group(1)))
    origins = json.loads(html_lib.unescape(found.group(2)))
    assert message["type"] == "rx.finalized"
    assert set(message) == {"type", "id", "number", "pdf_url", "fhir_url"}
    assert message["pdf_url"].endswith(f"/prescriptions/{message['id']}.pdf")
    assert message["fhir_url"].endswith(f"/api/v1/prescriptions/{message['id']}/fhir")
    assert origins == [INTRANET, "https://ehr.clinic.example"]
    assert "/static/js/embed.js" in html


def test_launch_mrn_survives_the_patient_step_into_the_document(
    embed_app: Flask,
) -> None:
    factories.physician(embed_app)
    doctor = factories.signed_in(embed_app.test_client())
    page = doctor.client.get(launch_url()).location
    html = doctor.client.get(page).get_data(as_text=True)
    assert 'value="MRN-0042"' in html
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', html))
    fields.update(
        csrf_token=csrf_token(doctor.client, page),
        nav="next",
        payer_type="workers_comp",
        jurisdiction_state="FL",  # a select: its value is no value="" attribute
    )
    assert doctor.client.post(page, data=fields).status_code == 302
    with embed_app.app_context():
        draft = db.session.scalars(select(models.Draft)).one()
        assert draft.document["patient"]["mrn"] == "MRN-0042"


def test_reloading_a_launch_resumes_its_draft(embed_app: Flask) -> None:
    factories.physician(embed_app)
    doctor = factories.signed_in(embed_app.test_client())
    url = launch_url()
    first = doctor.client.get(url).location
    again = doctor.client.get(url).location
    assert first == again
    assert doctor.client.get(launch_url(mrn="OTHER")).status_code == 403
    with embed_app.app_context():
        assert len(db.session.scalars(select(models.Draft)).all()) == 1


def test_secure_deployments_send_hsts(tmp_path: Path, icd: Any) -> None:
    app = make_app(tmp_path, icd, SESSION_COOKIE_SECURE=True)
    header = app.test_client().get("/login").headers["Strict-Transport-Security"]
    assert header.startswith("max-age=31536000")


def test_launch_prefills_no_field_over_its_limit(embed_app: Flask) -> None:
    factories.physician(embed_app)
    doctor = factories.signed_in(embed_app.test_client())
    params = {"name": "J" * 300, "dob": "1980-04-12", "payer_name": "Acme Mutual"}
    response = doctor.client.get("/embed/launch?" + urlencode(sign(params, SECRET)))
    assert response.status_code == 302
    with embed_app.app_context():
        draft = db.session.scalars(select(models.Draft)).one()
        assert "name" not in draft.document["patient"]
        assert draft.document["patient"]["dob"] == "1980-04-12"
        assert draft.document["coverage"]["payer_name"] == "Acme Mutual"

"""Security that health data needs: throttling, cookies, CSRF, CSP, outages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from app import create_app
from extensions import db, limiter
from tests import factories
from tests.factories import make_app
from tests.helpers import (
    FINALIZE,
    PASSWORD,
    SESSION,
    Physician,
    app_config,
    csrf_token,
    step,
    walk_to_review,
)


@pytest.fixture
def limited_app(tmp_path: Path, icd: Any) -> Flask:
    """An app with rate limits on (the shared limiter starts empty)."""
    app = make_app(tmp_path, icd, RATELIMIT_ENABLED=True)
    limiter.reset()
    return app


def _login(client: FlaskClient, email: str, password: str, ip: str = "10.0.0.1") -> int:
    token = csrf_token(client, "/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": ip},
    ).status_code


def test_login_is_throttled_per_account_from_any_address(limited_app: Flask) -> None:
    factories.physician(limited_app)
    client = limited_app.test_client()
    wrong = [
        _login(client, "maria@example.org", "guess", ip=f"10.0.0.{i}") for i in range(6)
    ]
    assert wrong[:5] == [200] * 5
    assert wrong[5] == 429
    # the right password is refused too until the window passes
    assert _login(client, "maria@example.org", PASSWORD, ip="10.0.9.9") == 429
    limiter.reset()
    assert _login(client, "maria@example.org", PASSWORD, ip="10.0.9.9") == 302


def test_login_is_throttled_per_address_across_accounts(limited_app: Flask) -> None:
    client = limited_app.test_client()
    codes = [
        _login(client, f"user{i}@example.org", "guess", ip="10.1.1.1")
        for i in range(21)
    ]
    assert codes[:20] == [200] * 20
    assert codes[20] == 429
    limiter.reset()


def test_tampered_session_cookie_is_not_trusted(
    app: Flask, physician: Physician
) -> None:
    client = physician.client
    assert client.get("/drafts").status_code == 200
    cookie = client.get_cookie("session")
    assert cookie is not None
    value = cookie.value
    tampered = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    client.set_cookie("session", tampered)
    response = client.get("/drafts")
    assert response.status_code == 302
    assert "/login" in response.location


def test_session_cookie_is_httponly_and_samesite(
    app: Flask, client: FlaskClient
) -> None:
    factories.physician(app)
    response = Physician(client).login()
    assert response.status_code == 302
    header = " ".join(response.headers.getlist("Set-Cookie"))
    assert header.startswith("session=")
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # plain-HTTP local runs; see the next test


def test_session_cookie_is_secure_when_configured(tmp_path: Path) -> None:
    app = create_app(
        app_config(
            tmp_path, SESSION_COOKIE_SECURE=True, SQLALCHEMY_DATABASE_URI="sqlite://"
        )
    )
    response = app.test_client().get("/login")
    assert "Secure" in " ".join(response.headers.getlist("Set-Cookie"))


def test_every_form_post_needs_a_csrf_token(app: Flask, physician: Physician) -> None:
    client = physician.client
    refused = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or set()) or rule.rule.startswith("/api/"):
            continue
        # Any value the converter accepts: the CSRF check comes before the view.
        url = re.sub(r"<int:[^>]+>", "1", rule.rule)
        url = re.sub(r"<[^>]+>", "x", url)
        response = client.post(url, data={"x": "1"})
        assert response.status_code == 400, url
        refused.append(url)
    assert "/login" in refused and "/rx/new" in refused and "/p/x" in refused


def test_content_security_policy_allows_no_inline_script(client: FlaskClient) -> None:
    for path in ("/", "/login", "/register"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "<script>" not in response.get_data(as_text=True)


def test_database_outage_shows_a_503_page_and_recovers(
    app: Flask, physician: Physician, monkeypatch: Any
) -> None:
    from sqlalchemy.orm import Session

    real = Session.execute

    def down(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(Session, "execute", down)
    page = physician.client.get("/drafts")
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert "briefly unavailable" in html and "Traceback" not in html
    api = physician.client.get("/healthz")
    assert api.status_code == 503
    monkeypatch.setattr(Session, "execute", real)
    assert physician.client.get("/drafts").status_code == 200


def test_odd_numbers_in_urls_and_forms_get_answers_not_500s(
    app: Flask, physician: Physician
) -> None:
    client = physician.client
    for page in ("²", "9" * 5000, "-1", "1e3"):
        assert client.get(f"/prescriptions/?page={page}").status_code == 200
    base = physician.new_draft()
    assert step(physician, base, "diagnoses", {"action": "remove:²"}).status_code == 302
    huge = step(physician, base, "session", {**SESSION, "minutes": "9" * 5000})
    assert huge.status_code == 422
    assert client.get(f"{base}/session").status_code == 200
    assert client.get(f"{base}/review").status_code == 200
    assert (
        client.get("/api/v1/icd10/search?q=neck&limit=" + "9" * 5000).status_code == 400
    )


def test_signed_in_pages_are_never_cached(app: Flask, physician: Physician) -> None:
    assert physician.client.get("/drafts").headers["Cache-Control"] == "no-store"
    with physician.client.get("/static/css/app.css") as asset:
        assert "no-store" not in asset.headers.get("Cache-Control", "")


def test_forged_api_keys_share_their_addresss_rate_limit(limited_app: Flask) -> None:
    client = limited_app.test_client()
    codes = [
        client.get(
            "/api/v1/prescriptions", headers={"Authorization": f"Bearer forged-{i}"}
        ).status_code
        for i in range(301)
    ]
    assert codes[:300] == [401] * 300
    assert codes[300] == 429
    limiter.reset()


def test_pdf_engine_failure_answers_503_and_finalizes_nothing(
    app: Flask, physician: Physician, monkeypatch: Any
) -> None:
    from rxassist import pdf

    base = walk_to_review(physician)

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise pdf.PdfEngineError("wkhtmltopdf failed")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    response = step(physician, base, "review", FINALIZE)
    assert response.status_code == 503
    assert "The PDF could not be made just now" in response.get_data(as_text=True)
    with app.app_context():
        import models

        assert db.session.scalars(db.select(models.Prescription)).all() == []


def test_finalize_with_the_configured_pdf_engine_missing_answers_503(
    tmp_path: Path, icd: Any
) -> None:
    app = make_app(tmp_path, icd, WKHTMLTOPDF=str(tmp_path / "no-such-engine"))
    factories.physician(app)
    doctor = factories.signed_in(app.test_client())
    base = walk_to_review(doctor)
    response = step(doctor, base, "review", FINALIZE)
    assert response.status_code == 503
    with app.app_context():
        import models

        assert db.session.scalars(db.select(models.Prescription)).all() == []
    health = app.test_client().get("/healthz")
    assert health.status_code == 503


def test_json_logins_count_against_the_account_and_never_sign_in(
    limited_app: Flask,
) -> None:
    factories.physician(limited_app)
    client = limited_app.test_client()
    token = csrf_token(client, "/login")
    codes = [
        client.post(
            "/login",
            json={"email": "Maria@example.org", "password": guess},
            headers={"X-CSRFToken": token},
            environ_base={"REMOTE_ADDR": f"10.2.0.{i}"},
        ).status_code
        for i, guess in enumerate(["guess"] * 4 + [PASSWORD, "guess"])
    ]
    assert 302 not in codes
    assert codes[:5] == [415] * 5 and codes[5] == 429
    # the account's limit is spent: the form is refused too until the window passes
    assert _login(client, "maria@example.org", PASSWORD, ip="10.2.9.9") == 429
    limiter.reset()

"""Sessions kept on the server: logout, timeouts, password changes, resets and
"sign out everywhere" end them; a login starts a new one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import models
from extensions import db
from rxassist.icd import IcdIndex
from services.links import token_hash
from tests import factories
from tests.helpers import PASSWORD, Physician, app_config, csrf_token

COOKIE = "session"
NEW_PASSWORD = "kayak lakeside evening"


def _signed_in(app: Flask) -> Physician:
    """A second browser of the physician, signed in."""
    return factories.signed_in(app.test_client())


def _rows(app: Flask) -> list[models.UserSession]:
    with app.app_context():
        rows = db.session.scalars(
            select(models.UserSession).order_by(models.UserSession.created_at)
        ).all()
        db.session.expunge_all()
        return list(rows)


def _token(client: FlaskClient) -> str:
    """The session token the browser's cookie carries."""
    with client.session_transaction() as session:
        return str(session.get("_user_id", ""))


def _age(app: Flask, client: FlaskClient, **moved: timedelta) -> None:
    """Move the session's timestamps into the past (``created_at=…, last_seen_at=…``)."""
    with app.app_context():
        row = db.session.get(models.UserSession, token_hash(_token(client)))
        assert row is not None
        for column, by in moved.items():
            setattr(row, column, models.utcnow() - by)
        db.session.commit()


def _works(client: FlaskClient) -> bool:
    response = client.get("/drafts")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_logout_ends_a_copied_session_cookie(app: Flask, physician: Physician) -> None:
    thief = app.test_client()
    cookie = physician.client.get_cookie(COOKIE)
    assert cookie is not None
    thief.set_cookie(COOKIE, cookie.value)
    assert _works(thief)
    assert physician.logout().status_code == 302
    assert not _works(thief)
    assert not _works(physician.client)
    (row,) = _rows(app)
    assert row.revoked_at is not None


def test_session_table_keeps_only_the_tokens_hash(
    app: Flask, physician: Physician
) -> None:
    token = _token(physician.client)
    (row,) = _rows(app)
    assert len(token) >= 43 and row.id == token_hash(token) != token
    assert row.ip == "127.0.0.1" and row.user_agent.startswith("Werkzeug")


@pytest.mark.parametrize(
    ("idle", "works"), [(timedelta(minutes=29), True), (timedelta(minutes=31), False)]
)
def test_session_ends_after_the_idle_timeout(
    app: Flask, physician: Physician, idle: timedelta, works: bool
) -> None:
    _age(app, physician.client, created_at=idle, last_seen_at=idle)
    assert _works(physician.client) is works


@pytest.mark.parametrize(
    ("age", "works"),
    [(timedelta(hours=11), True), (timedelta(hours=12, minutes=1), False)],
)
def test_session_ends_after_the_absolute_timeout_however_active(
    app: Flask, physician: Physician, age: timedelta, works: bool
) -> None:
    _age(app, physician.client, created_at=age, last_seen_at=timedelta(0))
    assert _works(physician.client) is works


def test_session_timeouts_are_settings(tmp_path: Path, icd: IcdIndex) -> None:
    app = factories.make_app(
        tmp_path, icd, RX_SESSION_IDLE_MINUTES=5, RX_SESSION_MAX_HOURS=1
    )
    factories.physician(app)
    idle, old = _signed_in(app), _signed_in(app)
    _age(app, idle.client, last_seen_at=timedelta(minutes=6))
    _age(app, old.client, created_at=timedelta(minutes=61))
    assert not _works(idle.client)
    assert not _works(old.client)
    assert _works(_signed_in(app).client)


def test_session_is_marked_seen_at_most_once_a_minute(
    app: Flask, physician: Physician
) -> None:
    _age(app, physician.client, last_seen_at=timedelta(seconds=30))
    (before,) = _rows(app)
    assert _works(physician.client)
    assert _rows(app)[0].last_seen_at == before.last_seen_at  # not written again
    _age(app, physician.client, last_seen_at=timedelta(minutes=2))
    assert _works(physician.client)
    assert models.utcnow() - _rows(app)[0].last_seen_at < timedelta(seconds=30)


def test_login_starts_a_new_session_and_csrf_secret(
    app: Flask, client: FlaskClient
) -> None:
    factories.physician(app)
    doctor = Physician(client)
    form_token = csrf_token(client, "/login")
    with client.session_transaction() as session:
        secret_before = session["csrf_token"]
    cookie_before = client.get_cookie(COOKIE)
    assert cookie_before is not None
    assert doctor.login().status_code == 302
    cookie_after = client.get_cookie(COOKIE)
    assert cookie_after is not None and cookie_after.value != cookie_before.value
    with client.session_transaction() as session:
        assert session.get("csrf_token") != secret_before
    assert csrf_token(client, "/profile") != form_token
    # The token of the page before the login no longer passes.
    stale = client.post("/profile/signature/remove", data={"csrf_token": form_token})
    assert stale.status_code == 400
    first = _token(client)
    assert doctor.login().status_code == 302
    assert _token(client) != first  # every login, a new token
    assert [row.revoked_at is not None for row in _rows(app)] == [True, False]


def test_password_change_revokes_the_other_sessions_and_keeps_this_one(
    app: Flask, physician: Physician
) -> None:
    other = _signed_in(app)
    response = physician.post(
        "/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _works(physician.client) and not _works(other.client)
    this, that = _token(physician.client), _token(other.client)
    revoked = {row.id: row.revoked_at is not None for row in _rows(app)}
    assert revoked == {token_hash(this): False, token_hash(that): True}
    with app.app_context():
        event = db.session.scalars(
            select(models.AuditEvent).where(
                models.AuditEvent.action == "password changed"
            )
        ).one()
        assert event.detail == "1 other session ended"


def test_admin_reset_password_revokes_every_session(
    app: Flask, physician: Physician
) -> None:
    other = _signed_in(app)
    result = app.test_cli_runner().invoke(
        args=[
            "admin",
            "reset-password",
            "maria@example.org",
            "--password",
            NEW_PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    assert not _works(physician.client) and not _works(other.client)
    assert all(row.revoked_at is not None for row in _rows(app))
    with app.app_context():
        event = db.session.scalars(
            select(models.AuditEvent).where(
                models.AuditEvent.action == "password reset"
            )
        ).one()
        assert event.detail == "2 sessions ended"


def test_sign_out_everywhere_ends_every_session(
    app: Flask, physician: Physician
) -> None:
    other = _signed_in(app)
    profile = physician.client.get("/profile").get_data(as_text=True)
    assert "Sign out everywhere" in profile and "(this browser)" in profile
    response = physician.post("/profile/sign-out-everywhere", {}, page="/profile")
    assert response.status_code == 302 and response.location == "/login"
    assert not _works(physician.client) and not _works(other.client)
    assert all(row.revoked_at is not None for row in _rows(app))
    with app.app_context():
        event = db.session.scalars(
            select(models.AuditEvent).where(
                models.AuditEvent.action == "signed out everywhere"
            )
        ).one()
        assert event.detail == "2 sessions ended"
        assert event.user_id is not None


def test_sign_out_everywhere_leaves_other_physicians_signed_in(
    app: Flask, physician: Physician
) -> None:
    factories.physician(app, email="john@example.org", npi="1245319599")
    john = factories.signed_in(app.test_client(), "john@example.org")
    physician.post("/profile/sign-out-everywhere", {}, page="/profile")
    assert _works(john.client)


def test_session_settings_must_be_positive(tmp_path: Path) -> None:
    import config

    settings = app_config(tmp_path, RX_SESSION_IDLE_MINUTES=0)
    with pytest.raises(ValueError, match="RX_SESSION_IDLE_MINUTES"):
        config.load(settings)

"""Accounts and the prescriber profile."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

import models
from extensions import db
from tests import factories
from tests.helpers import PASSWORD, PROFILE, Physician, csrf_token, field_error

# These tests exercise self-registration, which RX_SELF_REGISTRATION turns on.
pytestmark = pytest.mark.usefixtures("open_registration")


def test_register_stores_a_hashed_password_and_asks_for_the_profile(
    app: Flask, client: FlaskClient
) -> None:
    response = Physician(client).register("Maria@Example.org")
    assert response.status_code == 302
    assert response.location.endswith("/profile")
    with app.app_context():
        user = db.session.scalars(select(models.User)).one()
        assert user.email == "maria@example.org"
        assert PASSWORD not in user.password_hash
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password(PASSWORD)


def test_register_refuses_a_short_password(client: FlaskClient) -> None:
    short = Physician(client).post(
        "/register", {"email": "a@example.org", "password": "short", "confirm": "short"}
    )
    assert "Use at least 10 characters." in short.get_data(as_text=True)


def _register(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    return Physician(client).post(
        "/register", {"email": email, "password": password, "confirm": password}
    )


def _page(html: str) -> str:
    """A page without its CSRF token (one per session)."""
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", html)


def test_register_answers_a_taken_email_as_a_new_one(app: Flask) -> None:
    first = _register(app.test_client(), "a@example.org")
    taken = _register(app.test_client(), "A@example.org", "another long secret")
    new = _register(app.test_client(), "b@example.org")
    answers = [
        (r.status_code, r.location, r.get_data(as_text=True)) for r in (taken, new)
    ]
    assert answers[0] == answers[1]
    assert first.status_code == 302 and "/login" in first.location
    with app.app_context():
        user = db.session.scalars(
            select(models.User).where(models.User.email == "a@example.org")
        ).one()
        assert user.check_password(PASSWORD)  # the taken account is unchanged


def test_register_flashes_the_same_message_for_a_taken_and_a_new_email(
    app: Flask,
) -> None:
    factories.physician(app)
    messages = []
    for email in ("maria@example.org", "new@example.org"):
        client = app.test_client()
        response = _register(client, email)
        assert response.status_code == 302
        messages.append(client.get(response.location).get_data(as_text=True))
    assert "If this email had no account" in messages[0]
    assert _page(messages[0]) == _page(messages[1])


def test_failed_login_checks_a_hash_for_an_unknown_account_too(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services import accounts

    factories.physician(app)
    checked: list[str] = []
    real = accounts.check_password_hash

    def counted(stored: str, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counted)
    doctor = Physician(client)
    known = doctor.login(password="not the password")
    unknown = doctor.login("nobody@example.org", "not the password")
    assert len(checked) == 2
    assert checked[1].split("$")[0] == generate_password_hash("x").split("$")[0]
    assert known.status_code == unknown.status_code == 200
    assert _page(known.get_data(as_text=True)) == _page(
        unknown.get_data(as_text=True).replace("nobody@", "maria@")
    )


def test_login_with_a_wrong_password_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    factories.physician(app)
    doctor = Physician(client)
    wrong = doctor.login(password="not the password")
    assert wrong.status_code == 200
    assert "The email or password is not right." in wrong.get_data(as_text=True)
    assert client.get("/drafts").status_code == 302
    assert doctor.login().status_code == 302
    assert client.get("/drafts").status_code == 200


def test_login_ignores_an_offsite_next_url(app: Flask, client: FlaskClient) -> None:
    factories.physician(app)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": "maria@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert "evil" not in response.location


def test_profile_saves_every_field(app: Flask, client: FlaskClient) -> None:
    doctor = Physician(client)
    assert doctor.register().status_code == 302
    with app.app_context():
        assert db.session.scalars(select(models.User)).one().profile_missing
    assert doctor.complete_profile().status_code == 302
    with app.app_context():
        user = db.session.scalars(select(models.User)).one()
        assert user.profile == PROFILE
        assert user.profile_missing == []


def test_profile_refuses_an_npi_with_a_wrong_check_digit(
    app: Flask, physician: Physician
) -> None:
    response = physician.complete_profile(npi="1234567890", name="Changed Name")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not a valid NPI" in html
    assert 'value="Changed Name"' in html
    with app.app_context():
        assert db.session.scalars(select(models.User)).one().name == "Maria Lopez"


def test_profile_requires_what_the_prescription_prints(physician: Physician) -> None:
    response = physician.complete_profile(license="", phone="")
    html = response.get_data(as_text=True)
    assert "Enter the state license number." in html
    assert "Enter the practice phone." in html


def test_profile_asks_for_the_license_state_beside_its_field(
    app: Flask, physician: Physician
) -> None:
    response = physician.complete_profile(license_state="")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    errors = field_error(html, "license_state")
    assert "Choose the state that issued the license." in errors
    assert physician.complete_profile(license_state="NY").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(models.User)).one().license_state == "NY"


def test_profile_without_a_license_state_is_incomplete(app: Flask) -> None:
    with app.app_context():
        user = models.User(email="old@example.org", **dict(PROFILE, license_state=""))
        assert user.profile_missing == ["license_state"]


@pytest.mark.parametrize(
    "target",
    [
        "////evil.example/phish",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "/\t/evil.example/",
        "https:evil.example",
        "/drafts\r\nSet-Cookie: x=1",
    ],
)
def test_login_follows_only_same_site_paths(
    app: Flask, client: FlaskClient, target: str
) -> None:
    factories.physician(app)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "maria@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.location == "/"


def test_login_follows_a_same_site_path(app: Flask, client: FlaskClient) -> None:
    factories.physician(app)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=/drafts%3Fpage%3D2",
        data={"email": "maria@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.location == "/drafts?page=2"


@pytest.mark.parametrize("target", ["////evil.example/phish", "/x\r\nLocation: //e"])
def test_profile_next_step_follows_only_same_site_paths(
    physician: Physician, target: str
) -> None:
    token = csrf_token(physician.client, "/profile")
    response = physician.client.post(
        "/profile",
        query_string={"next_step": target},
        data={**PROFILE, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.location == "/drafts"


@pytest.mark.parametrize(
    ("weak", "words"),
    [
        ("aaaaaaaaaa", "repeated"),
        ("1234567890", "run of keys"),
        ("password12", "most common"),
        ("new.person1", "email address"),
    ],
)
def test_register_refuses_common_and_guessable_passwords(
    app: Flask, client: FlaskClient, weak: str, words: str
) -> None:
    response = _register(client, "new.person@example.org", weak)
    assert response.status_code == 200
    assert words in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(models.User)).all() == []


NEW_PASSWORD = "kayak lakeside evening"


def _change(doctor: Physician, current: str, new: str) -> Any:
    return doctor.post(
        "/password", {"current": current, "password": new, "confirm": new}
    )


def test_password_change_asks_the_current_one_and_a_strong_new_one(
    app: Flask, physician: Physician
) -> None:
    wrong = _change(physician, "not my password", NEW_PASSWORD)
    assert wrong.status_code == 200
    assert "That is not your current password." in wrong.get_data(as_text=True)
    weak = _change(physician, PASSWORD, "password12")
    assert "most common" in weak.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalars(select(models.User)).one()
        assert user.check_password(PASSWORD)


def test_password_change_ends_the_other_sessions_and_keeps_this_one(
    app: Flask, physician: Physician
) -> None:
    other = factories.signed_in(app.test_client())
    assert other.client.get("/drafts").status_code == 200
    changed = _change(physician, PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 302 and changed.location == "/profile"
    assert physician.client.get("/drafts").status_code == 200
    assert other.client.get("/drafts").status_code == 302  # signed out
    assert Physician(app.test_client()).login(password=PASSWORD).status_code == 200
    assert Physician(app.test_client()).login(password=NEW_PASSWORD).status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(models.AuditEvent.action)).all()
        assert "password changed" in actions

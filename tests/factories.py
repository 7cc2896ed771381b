"""Factories: practices, physicians, API keys and tokens, prescriptions: no HTTP path.

Each takes the app, works in an app context of its own and returns plain values (ids,
secrets), so a test can hold them across requests. Tests about registering, the profile
form, the admin commands or the wizard use those paths instead.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

import models
from app import create_app
from extensions import codeset, db, limiter
from rxassist.icd import IcdIndex
from services import issuing, tokens
from services.audit import Actor
from services.links import token_hash
from tests.helpers import (
    EMAIL,
    PASSWORD,
    PROFILE,
    Physician,
    app_config,
    order,
    valid_npi,
)

PRACTICE = "Lakeside"
# Made once with few rounds: scrypt's deliberate slowness (tested through the register
# form in test_auth) would cost every signed-in test two hashes.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def make_app(folder: Path, icd: IcdIndex, **overrides: Any) -> Flask:
    """An app of a test's own, on a new SQLite file, with settings the fixture lacks."""
    app = create_app(app_config(folder, **overrides))
    codeset.pin(app, icd)
    with app.app_context():
        db.create_all()
    return app


def rate_limited(folder: Path, icd: IcdIndex) -> tuple[Flask, Physician]:
    """An app of its own with rate limits on, counters emptied, a physician signed in.

    The limiter is one object shared by every app a test makes: call
    ``limiter.reset()`` again at the end of the test.
    """
    app = make_app(folder, icd, RATELIMIT_ENABLED=True)
    limiter.reset()
    physician(app)
    return app, signed_in(app.test_client())


def _practice(name: str) -> models.Practice:
    place = db.session.scalar(
        select(models.Practice).where(models.Practice.name == name)
    )
    if place is None:
        place = models.Practice(name=name)
        db.session.add(place)
        db.session.flush()
    return place


def practice(app: Flask, name: str = PRACTICE) -> int:
    """The practice called ``name``, made if missing; its id."""
    with app.app_context():
        place_id = _practice(name).id
        db.session.commit()
        return place_id


def physician(
    app: Flask, email: str = EMAIL, practice: str | None = None, **profile: str
) -> int:
    """A physician with a complete profile (``PROFILE`` with ``profile`` over it),
    confirmed by an administrator as the invitation flow would leave them; id.

    Give ``confirmed=""`` for one no administrator has confirmed yet.
    """
    with app.app_context():
        fields = {**PROFILE, **profile}
        if "npi" not in profile:
            fields["npi"] = _free_npi()
        confirmed = fields.pop("confirmed", "yes")
        user = models.User(email=email, **fields)
        if confirmed:
            user.confirmed_npi = user.npi
            user.confirmed_at = models.utcnow()
        if practice is not None:
            user.practice_id = _practice(practice).id
        user.password_hash = PASSWORD_HASH
        db.session.add(user)
        db.session.commit()
        return user.id


def _free_npi() -> str:
    """PROFILE's NPI, or the next valid one no account has (one account per NPI)."""
    taken = set(db.session.scalars(select(models.User.npi)))
    candidates = (PROFILE["npi"], *(valid_npi(n) for n in range(100)))
    return next(npi for npi in candidates if npi not in taken)


def signed_in(client: FlaskClient, email: str = EMAIL) -> Physician:
    """The physician ``email``, signed in on ``client`` through the login form."""
    doctor = Physician(client)
    response = doctor.login(email)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return doctor


def api_key(app: Flask, practice: str = PRACTICE, name: str = "EHR") -> str:
    """A new API key of the practice (made if missing); the secret, shown once."""
    secret = "rxa_" + secrets.token_urlsafe(32)
    with app.app_context():
        key = models.ApiKey(
            practice_id=_practice(practice).id,
            name=name,
            prefix=secret[:12],
            key_hash=token_hash(secret),
        )
        db.session.add(key)
        db.session.commit()
    return secret


def personal_token(app: Flask, email: str = EMAIL, name: str = "My EHR") -> str:
    """A new personal API token of the physician ``email``; the secret, shown once."""
    with app.app_context():
        user = db.session.scalars(
            select(models.User).where(models.User.email == email)
        ).one()
        _, secret = tokens.new_personal_token(user, name, Actor(user=user))
    return secret


def prescription(app: Flask, email: str = EMAIL, **overrides: Any) -> str:
    """A prescription issued in the physician's name as Finalize does; its id.

    ``overrides`` replace sections of the example document.
    """
    with app.test_request_context():
        user = db.session.scalars(
            select(models.User).where(models.User.email == email)
        ).one()
        issued = issuing.issue(order(**overrides), user, Actor(user=user))
        assert issued.outcome is issuing.Outcome.ISSUED, issued.errors
        assert issued.record is not None
        return issued.record.id


def prescription_url(app: Flask, email: str = EMAIL, **overrides: Any) -> str:
    """A prescription issued as ``prescription`` does; its page, /prescriptions/<id>."""
    return f"/prescriptions/{prescription(app, email, **overrides)}"


def detached(app: Flask, model: type[Any], url: str) -> Any:
    """The stored row of ``model`` whose id ends ``url``, detached from the session."""
    with app.app_context():
        row = db.session.get(model, url.rsplit("/", 1)[-1])
        assert row is not None
        db.session.expunge(row)
        return row


def record(app: Flask, url: str) -> models.Prescription:
    """The stored prescription of a URL or id."""
    return detached(app, models.Prescription, url)  # type: ignore[no-any-return]


def draft(app: Flask, url: str) -> models.Draft:
    """The stored draft of a wizard URL (/rx/<id>) or id."""
    return detached(app, models.Draft, url)  # type: ignore[no-any-return]

"""Shared fixtures: an app on a fresh database, its client, and a signed-in physician."""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

import config
from app import create_app
from extensions import codeset, db
from rxassist.icd import IcdIndex, default_index

EXAMPLE = json.loads((Path(__file__).parent / "data" / "example.json").read_text())
PROFILE = {
    "name": "Maria Lopez",
    "credentials": "MD",
    "specialty": "Family Medicine",
    "npi": "1234567893",
    "license": "ME123456",
    "practice": "Lakeside Family Medicine",
    "address": "12 Main St, Sarasota, FL 34236",
    "phone": "941-555-0100",
    "fax": "941-555-0101",
}
PASSWORD = "correct horse battery"


def document(**overrides: Any) -> dict[str, Any]:
    """The issue's example document with sections replaced by ``overrides``."""
    doc = copy.deepcopy(EXAMPLE)
    doc.update(copy.deepcopy(overrides))
    return doc


@pytest.fixture(scope="session")
def icd() -> IcdIndex:
    """The ICD-10-CM index, loaded once for the whole run."""
    return default_index()


@pytest.fixture(scope="session")
def server_database() -> str | None:
    """TEST_DATABASE_URL's database with the models' schema built once, or None."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    url = config.database_url(url)
    app = create_app({"SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        # Whatever an earlier run or an older schema left there goes first.
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture
def app(tmp_path: Path, icd: IcdIndex, server_database: str | None) -> Iterator[Flask]:
    """An app on an empty database: TEST_DATABASE_URL's, else its own SQLite file."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": server_database
            or f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "RATELIMIT_ENABLED": False,
        }
    )
    codeset.pin(app, icd)
    with app.app_context():
        if server_database:
            # Emptying the tables is much faster than rebuilding the schema per test.
            quote = db.engine.dialect.identifier_preparer.quote
            tables = ", ".join(quote(t.name) for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        else:
            db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def make_app(folder: Path, icd: IcdIndex, **overrides: Any) -> Flask:
    """An app of a test's own, on a new SQLite file, with settings the fixture lacks."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'own.sqlite3'}",
            "RATELIMIT_ENABLED": False,
            **overrides,
        }
    )
    codeset.pin(app, icd)
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like client for the app."""
    return app.test_client()


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token a page's form carries, as a browser would send it back."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    if match is None:
        match = re.search(
            r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html
        )
    assert match, f"no CSRF token on {url}"
    return match.group(1)


class Physician:
    """Drives the app as a physician would, sending CSRF tokens like a browser."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def post(self, url: str, data: dict[str, Any], page: str | None = None) -> Any:
        """POST a form with the CSRF token of the page it sits on."""
        token = csrf_token(self.client, page or url)
        return self.client.post(url, data={**data, "csrf_token": token})

    def register(self, email: str = "maria@example.org") -> Any:
        return self.post(
            "/register", {"email": email, "password": PASSWORD, "confirm": PASSWORD}
        )

    def login(self, email: str = "maria@example.org", password: str = PASSWORD) -> Any:
        return self.post("/login", {"email": email, "password": password})

    def complete_profile(self, **overrides: str) -> Any:
        return self.post("/profile", {**PROFILE, **overrides})

    def new_draft(self) -> str:
        """Start a draft; return its base URL /rx/<id>."""
        response = self.post("/rx/new", {}, page="/drafts")
        assert response.status_code == 302
        return response.location.rsplit("/", 1)[0]


@pytest.fixture
def physician(client: FlaskClient) -> Physician:
    """A registered physician with a complete profile, signed in."""
    doctor = Physician(client)
    assert doctor.register().status_code == 302
    assert doctor.complete_profile().status_code == 302
    return doctor

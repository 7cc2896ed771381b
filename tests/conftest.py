"""Shared fixtures: the ICD index, an app on a fresh database, its client and runner,
and a signed-in physician.

The unit tests see this file too and must not import the application, so the
app-level modules are imported inside the fixtures that need them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rxassist.icd import IcdIndex, default_index
from tests.helpers import Physician, app_config

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner

# The default instance folder; every app the tests make keeps its own in tmp_path.
CHECKOUT_INSTANCE = Path(__file__).resolve().parent.parent / "instance"
_BEFORE = pytest.StashKey[set[Path]]()


def _instance_files() -> set[Path]:
    return set(CHECKOUT_INSTANCE.rglob("*")) if CHECKOUT_INSTANCE.exists() else set()


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = _instance_files()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a test wrote into the checkout's instance folder."""
    written = _instance_files() - session.config.stash.get(_BEFORE, set())
    if written:
        names = ", ".join(sorted(str(p) for p in written))
        print(f"\nThe tests wrote into the checkout's instance folder: {names}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def icd() -> IcdIndex:
    """The ICD-10-CM index, loaded once for the whole run."""
    return default_index()


@pytest.fixture(scope="session")
def server_database(tmp_path_factory: pytest.TempPathFactory) -> str | None:
    """TEST_DATABASE_URL's database with the models' schema built once, or None."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    from sqlalchemy import text

    import config
    from app import create_app
    from extensions import db

    url = config.database_url(url)
    folder = tmp_path_factory.mktemp("server")
    app = create_app(app_config(folder, SQLALCHEMY_DATABASE_URI=url))
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
    from sqlalchemy import text

    from app import create_app
    from extensions import codeset, db

    overrides = {"SQLALCHEMY_DATABASE_URI": server_database} if server_database else {}
    app = create_app(app_config(tmp_path, **overrides))
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


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """The app's flask command runner."""
    return app.test_cli_runner()


@pytest.fixture
def physician(app: Flask, client: FlaskClient) -> Physician:
    """A physician with a complete profile, signed in on ``client``."""
    from tests import factories

    factories.physician(app)
    return factories.signed_in(client)


@pytest.fixture
def open_registration(app: Flask) -> Flask:
    """The app with RX_SELF_REGISTRATION on, for tests that register through /register."""
    app.config["RX_SELF_REGISTRATION"] = True
    return app

"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from extensions import db
from tests.helpers import app_config


def test_migrations_upgrade_an_empty_database_to_the_models(tmp_path: Path) -> None:
    migrated = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(app_config(tmp_path, SQLALCHEMY_DATABASE_URI=migrated))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()


def test_migration_to_unique_npis_keeps_each_npi_on_its_first_account(
    tmp_path: Path,
) -> None:
    """Duplicates from before NPIs were unique do not stop the upgrade."""
    migrated = f"sqlite:///{tmp_path / 'duplicates.sqlite3'}"
    app = create_app(app_config(tmp_path, SQLALCHEMY_DATABASE_URI=migrated))
    with app.app_context():
        upgrade(revision=BEFORE_UNIQUE_NPI)
        with db.engine.begin() as connection:
            for email, npi in (("a@x.org", NPI), ("b@x.org", NPI), ("c@x.org", "")):
                connection.execute(text(INSERT_USER), {"email": email, "npi": npi})
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT email, npi, confirmed_npi FROM users ORDER BY id")
            ).all()
        db.engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("a@x.org", NPI, None),
        ("b@x.org", "", None),
        ("c@x.org", "", None),
    ]


BEFORE_UNIQUE_NPI = "7c4e2b9d1a05"  # presets and practice time zones
NPI = "1234567893"
INSERT_USER = (
    "INSERT INTO users (email, password_hash, created_at, name, credentials, "
    "specialty, npi, license, license_state, practice, address, phone, fax) "
    "VALUES (:email, '-', '2026-01-01', '', '', '', :npi, '', '', '', '', '', '')"
)

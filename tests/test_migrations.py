"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

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

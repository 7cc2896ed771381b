"""The suite's own promises: unit tests need no application, the checkout stays clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import app_config

ROOT = Path(__file__).resolve().parent.parent
# What "the application" means for the unit tests: none of it may be imported.
APP_MODULES = ("flask", "app", "models", "extensions", "services", "views", "forms")
# Collect the unit tests and set up their fixtures (without running them), then list
# the application modules that got imported along the way.
PROBE = """
import sys, pytest
code = pytest.main(["tests/unit", "--setup-only", "-q", "-p", "no:cacheprovider"])
print("imported:", *sorted(m for m in {names} if m in sys.modules))
sys.exit(code)
"""


def test_unit_tests_import_nothing_of_the_application() -> None:
    probe = PROBE.format(names=APP_MODULES)
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stdout.rstrip().endswith("imported:"), result.stdout[-500:]


def test_app_keeps_its_generated_secret_in_the_instance_path(tmp_path: Path) -> None:
    from app import create_app

    instance = tmp_path / "elsewhere"
    config = app_config(tmp_path, RX_INSTANCE_PATH=str(instance), SECRET_KEY=None)
    first = create_app(config)
    assert first.instance_path == str(instance)
    assert (instance / "secret_key").read_text().strip() == first.secret_key
    assert create_app(config).secret_key == first.secret_key  # kept, not remade


def test_default_database_lives_in_the_instance_path(tmp_path: Path) -> None:
    from app import create_app

    instance = tmp_path / "elsewhere"
    config = app_config(tmp_path, RX_INSTANCE_PATH=str(instance))
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": None})
    expected = f"sqlite:///{instance / 'rxassist.sqlite3'}"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected

"""flask icd10 import: a newer CMS release replaces the code set in use."""

from __future__ import annotations

import gzip
import zipfile
from datetime import date
from pathlib import Path

from flask import Flask

from app import create_app
from extensions import codeset
from rxassist.icd_build import DEFAULT_SOURCE
from tests.helpers import app_config


def _fy2027_zip(tmp_path: Path) -> Path:
    """A CMS-style zip of a FY2027 release (the FY2026 tabular, relabelled)."""
    xml = gzip.decompress(DEFAULT_SOURCE.read_bytes())
    xml = xml.replace(b"<version>2026</version>", b"<version>2027</version>", 1)
    archive = tmp_path / "icd10cm-table-index-2027.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("icd10cm-tabular-2027.xml", xml)
        zf.writestr("icd10cm-order-2027.txt", "not the tabular")
    return archive


def _app(tmp_path: Path) -> Flask:
    return create_app(
        app_config(
            tmp_path,
            SQLALCHEMY_DATABASE_URI="sqlite://",
            RX_ICD_IMPORT_DIR=str(tmp_path),
        )
    )


def test_icd10_import_switches_the_app_to_the_new_release(tmp_path: Path) -> None:
    app = _app(tmp_path)
    with app.app_context():
        assert codeset.index().version == "FY2026"
    result = app.test_cli_runner().invoke(
        args=["icd10", "import", str(_fy2027_zip(tmp_path))]
    )
    assert result.exit_code == 0, result.output
    assert "ICD-10-CM FY2027" in result.output
    assert "10/01/2026 to 09/30/2027" in result.output
    assert (tmp_path / "icd10cm-index.json.gz").exists()
    with app.app_context():
        codeset.expire(app)  # skip the re-check pause
        index = codeset.index()
        assert index.version == "FY2027"
        assert index.covers(date(2026, 11, 23))
    health = app.test_client().get("/healthz").get_json()
    assert health["icd10cm"]["version"] == "FY2027"


def test_icd10_import_refuses_a_file_that_is_not_a_release(tmp_path: Path) -> None:
    app = _app(tmp_path)
    junk = tmp_path / "junk.xml"
    junk.write_text("<notes>nothing</notes>")
    result = app.test_cli_runner().invoke(args=["icd10", "import", str(junk)])
    assert result.exit_code == 1
    assert result.output.startswith("icd10 import:")
    assert not (tmp_path / "icd10cm-index.json.gz").exists()

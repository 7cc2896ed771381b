"""flask rx render: validate a document and render its PDF."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from flask import Flask

from tests.helpers import EXAMPLE, document, pdf_pages, pdf_text

ROOT = Path(__file__).resolve().parent.parent


def test_rx_render_writes_the_example_pdf(app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "rx.pdf"
    result = app.test_cli_runner().invoke(
        args=["rx", "render", str(ROOT / "tests/data/example.json"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert len(pdf_pages(data)) == 1
    text = pdf_text(data)
    assert "Jane Doe" in text and "S13.4XXA" in text and "60 minutes (4 units)" in text
    assert "Prescription RX-20261123-" in text


def test_rx_render_reads_stdin(app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "rx.pdf"
    result = app.test_cli_runner().invoke(
        args=["rx", "render", "-", "-o", str(out)], input=json.dumps(EXAMPLE)
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_rx_render_prints_one_line_per_bad_field(app: Flask, tmp_path: Path) -> None:
    bad = document(diagnoses=["M54.5", "Z99.999"], session={"minutes": 5})
    bad["prescriber"]["npi"] = "1234567890"
    out = tmp_path / "rx.pdf"
    result = app.test_cli_runner().invoke(
        args=["rx", "render", "-", "-o", str(out)], input=json.dumps(bad)
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert sorted(line.split(":")[0] for line in lines) == [
        "diagnoses.0", "diagnoses.1", "prescriber.npi", "session.minutes",
    ]  # fmt: skip
    assert not out.exists()


def test_rx_render_refuses_invalid_json(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(
        args=["rx", "render", "-", "-o", str(tmp_path / "x.pdf")], input="{not json"
    )
    assert result.exit_code == 1
    assert result.output.startswith("document: not valid JSON")


def test_rx_render_runs_as_the_documented_command(tmp_path: Path) -> None:
    out = tmp_path / "rx.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "rx", "render",
         "tests/data/example.json", "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SECRET_KEY": "x",
             "RX_INSTANCE_PATH": str(tmp_path / "instance"),
             "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_rx_render_refuses_a_surgical_clearance_after_the_plan_starts(
    app: Flask, tmp_path: Path
) -> None:
    bad = document(precautions=[{"kind": "postop", "cleared_on": "2026-12-01"}])
    out = tmp_path / "rx.pdf"
    result = app.test_cli_runner().invoke(
        args=["rx", "render", "-", "-o", str(out)], input=json.dumps(bad)
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "precautions.0.cleared_on: The surgeon's clearance (12/01/2026) is after the "
        "plan starts (11/24/2026): start the plan on or after the clearance date."
    ]
    assert not out.exists()

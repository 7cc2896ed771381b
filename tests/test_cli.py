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
        "ERROR document.field diagnoses.0", "ERROR document.field diagnoses.1",
        "ERROR document.field prescriber.npi", "ERROR document.field session.minutes",
    ]  # fmt: skip
    assert not out.exists()


def test_rx_render_refuses_invalid_json(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(
        args=["rx", "render", "-", "-o", str(tmp_path / "x.pdf")], input="{not json"
    )
    assert result.exit_code == 1
    assert result.output.startswith("ERROR document.json document: not valid JSON")


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
    errors = [line for line in result.output.splitlines() if line.startswith("ERROR")]
    assert errors == [
        "ERROR plan.postop-clearance precautions.0.cleared_on: The surgeon's clearance"
        " (12/01/2026) is after the plan starts (11/24/2026): start the plan on or"
        " after the clearance date."
    ]
    assert not out.exists()


def test_rx_check_prints_one_line_per_finding_and_exits_0_without_errors(
    app: Flask,
) -> None:
    result = app.test_cli_runner().invoke(
        args=["rx", "check", str(ROOT / "tests/data/example.json")]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert (
        "WARNING icd.injury-initial-encounter diagnoses.0: S13.4XXA is for the "
        "initial encounter" in "\n".join(lines)
    )
    assert all(line.split()[0] in ("WARNING", "INFO") for line in lines)


def test_rx_check_json_groups_findings_and_exits_1_on_an_error(app: Flask) -> None:
    bad = document(diagnoses=["V43.52XA", "S13.4XXD"])
    result = app.test_cli_runner().invoke(
        args=["rx", "check", "--json", "-"], input=json.dumps(bad)
    )
    assert result.exit_code == 1, result.output
    body = json.loads(result.output)
    assert set(body) == {"errors", "warnings", "info"}
    assert [e["rule"] for e in body["errors"]] == ["icd.external-cause-first"]
    error = body["errors"][0]
    assert set(error) == {"rule", "severity", "field", "message", "source"}
    assert error["field"] == "diagnoses.0" and error["severity"] == "error"
    assert "Section I.C.20" in error["source"]


def test_rx_render_refuses_a_rule_error_with_the_check_lines(
    app: Flask, tmp_path: Path
) -> None:
    bad = document(modality={"cpt": ["97140"], "techniques": ["myofascial release"],
                             "pressure": "deep", "performer": "lmt"})  # fmt: skip
    out = tmp_path / "rx.pdf"
    result = app.test_cli_runner().invoke(
        args=["rx", "render", "-", "-o", str(out)], input=json.dumps(bad)
    )
    assert result.exit_code == 1
    assert (
        "ERROR plan.anticoagulant-pressure modality.pressure: The patient is on "
        "anticoagulants" in result.output
    )
    assert not out.exists()

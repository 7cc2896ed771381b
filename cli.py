"""Flask CLI commands: ``rx render`` (and the ICD-10-CM commands)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from rxassist.pdf import PdfEngineError
from rxassist.prescription import parse_date, validate
from services import icd_index, new_number, render_prescription_pdf

rx_cli = AppGroup("rx", help="Prescriptions.")


@rx_cli.command("render")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the PDF.",
)
def render(source: click.utils.LazyFile, output: Path) -> None:
    """Validate a prescription document (JSON; - for stdin) and render its PDF."""
    try:
        document = json.load(source)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        click.echo(f"document: not valid JSON ({exc})", err=True)
        sys.exit(1)
    if isinstance(document, dict) and not document.get("number"):
        written = parse_date(document.get("written_on")) or date.today()
        document["number"] = new_number(written)
    rx, errors = validate(document, icd=icd_index())
    if rx is None:
        for path, message in errors.items():
            click.echo(f"{path}: {message}", err=True)
        sys.exit(1)
    for warning in rx.warnings:
        click.echo(f"warning: {warning}", err=True)
    try:
        data = render_prescription_pdf(rx)
    except PdfEngineError as exc:
        click.echo(f"pdf: {exc}", err=True)
        sys.exit(2)
    output.write_bytes(data)
    click.echo(f"wrote {output} ({len(data):,} bytes)")


def register(app: Flask) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(rx_cli)

"""Flask CLI commands: ``rx render`` (and the ICD-10-CM commands)."""

from __future__ import annotations

import json
import sys
import zipfile
from datetime import date
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from rxassist.icd_build import BuildError, build
from rxassist.pdf import PdfEngineError
from rxassist.prescription import parse_date, validate
from services import (
    icd_index,
    icd_index_path,
    imported_index_path,
    new_number,
    render_prescription_pdf,
)

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


icd_cli = AppGroup("icd10", help="The ICD-10-CM code set.")


@icd_cli.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def icd_import(source: Path) -> None:
    """Install a CMS ICD-10-CM release (tabular XML, .xml.gz or CMS zip) and use it."""
    dest = imported_index_path()
    try:
        info = build(source, dest)
    except (BuildError, OSError, zipfile.BadZipFile) as exc:
        click.echo(f"icd10 import: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"{info.label} ({info.release}), effective {info.effective_from:%m/%d/%Y} to "
        f"{info.effective_to:%m/%d/%Y}: {info.billable:,} billable codes; now in use."
    )


@icd_cli.command("status")
def icd_status() -> None:
    """Show the code set in use and whether it covers today."""
    index = icd_index()
    covered = "covers today" if index.covers(date.today()) else "does NOT cover today"
    click.echo(
        f"{index.label} ({index.release}) from {icd_index_path()}: "
        f"effective {index.effective_from:%m/%d/%Y} to {index.effective_to:%m/%d/%Y}, "
        f"{covered}; {index.billable_count():,} billable codes."
    )


def register(app: Flask) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(rx_cli)
    app.cli.add_command(icd_cli)

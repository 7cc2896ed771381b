"""The prescription as HTML (page and print) and as a one-page PDF."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template

from rxassist import pdf
from rxassist.prescription import Prescription

_STATIC = Path(__file__).resolve().parent.parent / "static"
# Most orders fit the normal setting; the longest (12 diagnoses, long goals) need less.
DENSITIES = ("", "dense", "denser")


def pdf_binary() -> str | None:
    """The wkhtmltopdf executable this app uses."""
    return pdf.find_binary(current_app.config["WKHTMLTOPDF"])


def prescription_html(rx: Prescription, *, standalone: bool, density: str = "") -> str:
    """The prescription's HTML: standalone (CSS inline) for the PDF engine."""
    css = (_STATIC / "css" / "prescription.css").read_text() if standalone else None
    return render_template(
        "documents/prescription.html",
        rx=rx,
        inline_css=css,
        density=density,
        page_size=current_app.config["RX_PAGE_SIZE"],
    )


def prescription_pdf(rx: Prescription) -> bytes:
    """The prescription as a one-page PDF, set tighter when a long order needs it."""
    data = b""
    for density in DENSITIES:
        data = pdf.render_pdf(
            prescription_html(rx, standalone=True, density=density),
            page_size=current_app.config["RX_PAGE_SIZE"],
            binary=pdf_binary(),
            title=f"Prescription {rx.number}".strip(),
        )
        if pdf.page_count(data) == 1:
            break
    return data

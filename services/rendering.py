"""The prescription as HTML (page and print) and as a one-page PDF."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import segno
from flask import current_app, render_template
from markupsafe import Markup

from rxassist import pdf, signature_image
from rxassist.prescription import Prescription
from services import capacity, urls

_STATIC = Path(__file__).resolve().parent.parent / "static"
# Most orders fit the normal setting; the longest (12 diagnoses, long goals) need less.
DENSITIES = ("", "dense", "denser")


def pdf_binary() -> str | None:
    """The wkhtmltopdf executable this app uses (WKHTMLTOPDF, else the one on PATH).

    None when the configured one is missing: never another binary in its place.
    """
    return pdf.find_binary(current_app.config["WKHTMLTOPDF"])


def _slots() -> threading.BoundedSemaphore:
    """This app's PDF engine slots: at most RX_PDF_SLOTS renders at once."""
    return capacity.slots("pdf", current_app.config["RX_PDF_SLOTS"])


@contextmanager
def engine_slot() -> Iterator[None]:
    """Hold one of the PDF engine's slots, or say it is busy after a short wait.

    One physician (or key) finalizing in a loop must not take every core: renders
    queue here instead of piling wkhtmltopdf processes onto the machine.
    """
    slots = _slots()
    if not slots.acquire(timeout=current_app.config["RX_PDF_WAIT_SECONDS"]):
        raise pdf.PdfEngineError("PDF engine busy")
    try:
        yield
    finally:
        slots.release()


def _engine() -> str:
    """``pdf_binary()``, or PdfEngineError naming what is missing."""
    binary = pdf_binary()
    if binary is None:
        wanted = current_app.config["WKHTMLTOPDF"] or "wkhtmltopdf on PATH"
        raise pdf.PdfEngineError(f"PDF engine not found: {wanted}")
    return binary


@dataclass(frozen=True)
class Verification:
    """Where a reader checks a printed prescription: the address and its QR code."""

    url: str
    qr_svg: Markup

    @property
    def short(self) -> str:
        """The address without its scheme, as printed under the QR code."""
        return self.url.split("://", 1)[-1]


def verification(token: str) -> Verification:
    """The verification page of a token, and its QR code as inline SVG.

    Inline SVG, not an image: the PDF engine loads no image, from disk or network.
    """
    url = urls.absolute("verify.page", token=token)
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=2, border=2, omitsize=False)
    return Verification(url, Markup(svg))  # noqa: S704 - segno's own SVG, no input


def prescription_html(
    rx: Prescription,
    *,
    standalone: bool,
    density: str = "",
    signature: Mapping[str, str] | None = None,
    verification: Verification | None = None,
) -> str:
    """The prescription's HTML: standalone (CSS inline) for the PDF engine.

    ``signature`` is the stored signature block; a draft has none.
    """
    css = (_STATIC / "css" / "prescription.css").read_text() if standalone else None
    return render_template(
        "documents/prescription.html",
        rx=rx,
        inline_css=css,
        density=density,
        page_size=current_app.config["RX_PAGE_SIZE"],
        signature=signature,
        signature_image=signature_svg(signature),
        verification=verification,
    )


def signature_svg(signature: Mapping[str, str] | None) -> Markup | None:
    """The stored signature's image as markup, if it is exactly what to_svg makes.

    Checked again when printed: the SVG comes from a stored document.
    """
    return svg_markup((signature or {}).get("image_svg"))


def svg_markup(image: str | None) -> Markup | None:
    """A signature image's SVG as markup, if it is exactly what to_svg makes."""
    if image and signature_image.is_svg(image):
        return Markup(image)  # noqa: S704 - numbers only, checked by is_svg
    return None


def prescription_pdf(
    rx: Prescription,
    *,
    signature: Mapping[str, str] | None = None,
    verification: Verification | None = None,
) -> bytes:
    """The prescription as a one-page PDF, set tighter when a long order needs it."""
    data = b""
    binary = _engine()
    for density in DENSITIES:
        html = prescription_html(
            rx,
            standalone=True,
            density=density,
            signature=signature,
            verification=verification,
        )
        with engine_slot():
            data = pdf.render_pdf(
                html,
                page_size=current_app.config["RX_PAGE_SIZE"],
                binary=binary,
                title=f"Prescription {rx.number}".strip(),
            )
        if pdf.page_count(data) == 1:
            break
    return data

"""HTML to PDF with wkhtmltopdf, locked down: no local files, no scripts, no network."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess  # noqa: S404 - wkhtmltopdf is a fixed binary, never a user value

import pdfkit  # type: ignore[import-untyped]
from pypdf import PdfReader

PAGE_SIZES = ("Letter", "A4")

# Everything the prescription needs is inline in the HTML. Local file access, scripts
# and images are off, and any network fetch goes to a closed local port and fails.
SAFE_OPTIONS: dict[str, str | None] = {
    "disable-local-file-access": None,
    "disable-javascript": None,
    "no-images": None,
    "proxy": "http://127.0.0.1:9",
    "encoding": "UTF-8",
    "margin-top": "14mm",
    "margin-bottom": "12mm",
    "margin-left": "16mm",
    "margin-right": "16mm",
    "quiet": None,
}


class PdfEngineError(RuntimeError):
    """wkhtmltopdf is missing or failed."""


def find_binary(override: str | None = None) -> str | None:
    """The wkhtmltopdf executable: the configured path, else the one on PATH."""
    if override:
        return override if shutil.which(override) else None
    return shutil.which("wkhtmltopdf")


@functools.cache
def engine_version(binary: str | None) -> str | None:
    """The engine's version line, e.g. "wkhtmltopdf 0.12.6"; None when unavailable."""
    if not binary:
        return None
    try:
        out = subprocess.run(  # noqa: S603
            [binary, "--version"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def render_pdf(
    html: str, *, page_size: str = "Letter", binary: str | None = None, title: str = ""
) -> bytes:
    """Render a self-contained HTML document to PDF bytes.

    ``binary`` is the executable to run; only when None is PATH searched.
    """
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size must be one of {PAGE_SIZES}")
    executable = find_binary(binary)
    if executable is None:
        raise PdfEngineError("wkhtmltopdf is not installed (run make run to set up).")
    options = dict(SAFE_OPTIONS, **{"page-size": page_size})
    if title:
        options["title"] = title
    configuration = pdfkit.configuration(wkhtmltopdf=executable)
    try:
        data = pdfkit.from_string(
            html, False, options=options, configuration=configuration
        )
    except OSError as exc:
        raise PdfEngineError(f"wkhtmltopdf failed: {exc}") from exc
    if not isinstance(data, bytes) or not data.startswith(b"%PDF"):
        raise PdfEngineError("wkhtmltopdf returned no PDF.")
    return data


def page_count(data: bytes) -> int:
    """Pages in a PDF."""
    return len(PdfReader(io.BytesIO(data)).pages)

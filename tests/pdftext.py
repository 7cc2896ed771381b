"""Read a PDF as a payer's parser would: its pages and their text."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def pdf_pages(data: bytes) -> list[str]:
    """Text of each page, with runs of white space folded to one space."""
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def pdf_text(data: bytes) -> str:
    """All text of a PDF, white space folded."""
    return " ".join(pdf_pages(data))

"""The physician's signature image: decoded, cleaned, re-encoded, and printed as SVG.

Nothing that was sent is kept: the picture is decoded with Pillow (PNG, JPEG, GIF or
WebP only), reduced to black ink on transparency, trimmed, scaled into a box and
encoded as a fresh PNG without metadata. The PDF engine loads no images, so the
signature prints as inline SVG built from that PNG's pixels, numbers only.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Iterator

from PIL import Image, ImageOps, UnidentifiedImageError

# What is accepted: formats Pillow decodes here, sizes of what was sent.
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
MAX_UPLOAD_BYTES = 512 * 1024  # below the app's 1 MB request limit
MAX_SOURCE_PIXELS = 16_000_000  # a 12-megapixel phone photo fits
# What is kept: the trimmed signature fits this box, its PNG within this size.
BOX = (600, 200)
MAX_STORED_BYTES = 64 * 1024
# Pixels lighter than this much ink are paper (a photo's grey background), in 0..255.
PAPER_CUTOFF = 64
# Printing: a pixel with at least this much ink prints black, in 0..255.
INK_THRESHOLD = 128
# The printed signature is at most this tall and wide, in points.
PRINT_HEIGHT_PT = 30
PRINT_MAX_WIDTH_PT = 200
# A printed signature with more runs of ink is noise, not a signature.
MAX_PRINT_RUNS = 4000
DATA_URL_PREFIX = "data:image/png;base64,"

# Pillow's own guard against decompression bombs, at our limit (the app's only user).
Image.MAX_IMAGE_PIXELS = MAX_SOURCE_PIXELS

FORMAT_NAMES = "PNG, JPEG, GIF or WebP"
MESSAGES = {
    "missing": "Choose an image file, or draw your signature.",
    "bytes": f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KB: "
    "use a smaller picture of your signature.",
    "pixels": f"The picture has more than {MAX_SOURCE_PIXELS // 1_000_000} million "
    "pixels: use a smaller picture of your signature.",
    "svg": f"SVG drawings are not accepted: use a {FORMAT_NAMES} picture.",
    "not_image": f"This file is not a picture: use a {FORMAT_NAMES} image.",
    "corrupt": "The picture could not be read: the file is damaged or incomplete.",
    "blank": "There is no signature in it: the picture is blank.",
    "detailed": "The picture has too much in it besides a signature: use a picture "
    "of your signature alone on plain white paper.",
    "drawing": "The drawing could not be read: clear it and sign again.",
}


class SignatureImageError(ValueError):
    """Why a picture cannot be a signature image (``kind`` keys ``MESSAGES``)."""

    def __init__(self, kind: str) -> None:
        super().__init__(MESSAGES[kind])
        self.kind = kind


def from_data_url(text: str) -> bytes:
    """The PNG bytes of a canvas's ``data:image/png;base64,…`` address."""
    if not text.startswith(DATA_URL_PREFIX):
        raise SignatureImageError("drawing")
    encoded = text[len(DATA_URL_PREFIX) :]
    if len(encoded) > (MAX_UPLOAD_BYTES * 4) // 3 + 4:
        raise SignatureImageError("bytes")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureImageError("drawing") from None


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and (b"<svg" in head or head.startswith(b"<?xml"))


def _decoded(data: bytes) -> Image.Image:
    """The first frame of a picture, its size checked before its pixels are read."""
    if not data:
        raise SignatureImageError("missing")
    if len(data) > MAX_UPLOAD_BYTES:
        raise SignatureImageError("bytes")
    if _looks_like_svg(data):
        raise SignatureImageError("svg")
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise SignatureImageError("pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise SignatureImageError("not_image") from None
    width, height = image.size
    if width * height > MAX_SOURCE_PIXELS:
        raise SignatureImageError("pixels")
    try:
        image.load()
        return ImageOps.exif_transpose(image).convert("RGBA")
    except (OSError, ValueError, SyntaxError, EOFError, IndexError):
        raise SignatureImageError("corrupt") from None


def _ink(image: Image.Image) -> Image.Image:
    """How much ink each pixel holds (0 none, 255 black), over white paper."""
    rgba = image.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    luminance = Image.alpha_composite(paper, rgba).convert("L")
    return ImageOps.invert(luminance)


def clean(data: bytes) -> bytes:
    """A fresh PNG of the signature in ``data``: black on transparent, trimmed,
    within ``BOX`` and ``MAX_STORED_BYTES``; raises SignatureImageError."""
    ink = _ink(_decoded(data)).point(lambda v: v if v >= PAPER_CUTOFF else 0)
    darkest = ink.getextrema()[1]
    box = ink.getbbox()
    if box is None or not isinstance(darkest, int):
        raise SignatureImageError("blank")
    # A faint pen prints as firmly as a dark one.
    ink = ink.crop(box).point(lambda v: min(255, v * 255 // darkest))
    ink.thumbnail(BOX, Image.Resampling.LANCZOS)
    black = Image.new("L", ink.size, 0)
    out = io.BytesIO()
    Image.merge("LA", (black, ink)).save(out, format="PNG", optimize=True)
    png = out.getvalue()
    if len(png) > MAX_STORED_BYTES or len(_runs(png)) > MAX_PRINT_RUNS:
        raise SignatureImageError("detailed")
    return png


Run = tuple[int, int, int, int]  # x, y, width, height in pixels


def _row_runs(row: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of ink in one row of 0/1 values."""
    start = None
    for x, value in enumerate(row):
        if value and start is None:
            start = x
        elif not value and start is not None:
            yield start, x
            start = None
    if start is not None:
        yield start, len(row)


def _grid(png: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(png), formats=("PNG",))
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise SignatureImageError("pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise SignatureImageError("corrupt") from None
    return _ink(image).point(lambda v: 1 if v >= INK_THRESHOLD else 0)


def _runs(png: bytes) -> list[Run]:
    """The runs of ink, a run of equal runs in consecutive rows merged into one."""
    grid = _grid(png)
    width, height = grid.size
    pixels = grid.tobytes()
    done: list[Run] = []
    open_runs: dict[tuple[int, int], Run] = {}
    for y in range(height):
        row = pixels[y * width : (y + 1) * width]
        current: dict[tuple[int, int], Run] = {}
        for start, end in _row_runs(row):
            above = open_runs.pop((start, end), None)
            current[start, end] = (
                (start, above[1], end - start, above[3] + 1)
                if above
                else (start, y, end - start, 1)
            )
        done.extend(open_runs.values())
        open_runs = current
    done.extend(open_runs.values())
    return sorted(done, key=lambda r: (r[1], r[0]))


def to_svg(
    png: bytes,
    height_pt: float = PRINT_HEIGHT_PT,
    max_width_pt: float = PRINT_MAX_WIDTH_PT,
) -> str:
    """The signature as inline SVG, one ``<rect>`` per run of ink, numbers only.

    It is ``height_pt`` tall (less if that would make it wider than
    ``max_width_pt``); raises SignatureImageError if ``png`` is not a PNG.
    """
    runs = _runs(png)
    with Image.open(io.BytesIO(png), formats=("PNG",)) as image:
        width, height = image.size
    scale = min(height_pt / height, max_width_pt / width)
    rects = "".join(
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}"/>' for x, y, w, h in runs
    )
    return (
        f'<svg class="sig-image" viewBox="0 0 {width} {height}" '
        f'width="{width * scale:.1f}pt" height="{height * scale:.1f}pt" '
        f'shape-rendering="crispEdges" fill="#000">{rects}</svg>'
    )


_SVG = re.compile(
    r'<svg class="sig-image" viewBox="0 0 \d+ \d+" width="\d+\.\d+pt" '
    r'height="\d+\.\d+pt" shape-rendering="crispEdges" fill="#000">'
    r'(?:<rect x="\d+" y="\d+" width="\d+" height="\d+"/>)*</svg>'
)


def is_svg(text: str) -> bool:
    """True when ``text`` is exactly what ``to_svg`` makes: safe to print as is."""
    return _SVG.fullmatch(text) is not None

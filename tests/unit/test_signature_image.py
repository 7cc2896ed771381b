"""The signature image: what is refused, what is kept, and how it prints as SVG."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image, ImageDraw, PngImagePlugin

from rxassist import signature_image
from rxassist.signature_image import SignatureImageError, clean, is_svg, to_svg


def _png(image: Image.Image, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **params)
    return out.getvalue()


def signature(size: tuple[int, int] = (900, 300), mode: str = "RGB") -> Image.Image:
    """A scrawl on white paper, with wide empty margins."""
    image = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.line(
        [(w // 4, h // 2), (w // 2, h // 3), (3 * w // 4, 2 * h // 3)], "black", 6
    )
    return image


def _chunks(png: bytes) -> list[bytes]:
    names, at = [], 8
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        names.append(png[at + 4 : at + 8])
        at += 12 + length
    return names


def test_to_svg_prints_one_rect_per_run_of_ink_merging_equal_rows() -> None:
    image = Image.new("LA", (5, 3), (0, 0))
    for x, y in [(0, 0), (1, 0), (3, 0), (0, 1), (1, 1), (4, 2)]:
        image.putpixel((x, y), (0, 255))
    image.putpixel((2, 2), (0, 100))  # faint: below the threshold, no ink
    svg = to_svg(_png(image), height_pt=30, max_width_pt=200)
    assert svg == (
        '<svg class="sig-image" viewBox="0 0 5 3" width="50.0pt" height="30.0pt" '
        'shape-rendering="crispEdges" fill="#000">'
        '<rect x="0" y="0" width="2" height="2"/>'
        '<rect x="3" y="0" width="1" height="1"/>'
        '<rect x="4" y="2" width="1" height="1"/>'
        "</svg>"
    )
    assert is_svg(svg)


def test_to_svg_keeps_a_wide_signature_within_the_line() -> None:
    image = Image.new("LA", (100, 2), (0, 255))
    svg = to_svg(_png(image), height_pt=30, max_width_pt=200)
    assert 'width="200.0pt" height="4.0pt"' in svg
    assert svg.count("<rect") == 1


@pytest.mark.parametrize(
    "text",
    [
        '<svg class="sig-image" viewBox="0 0 5 3" width="1.0pt" height="1.0pt" '
        'shape-rendering="crispEdges" fill="#000"><script>alert(1)</script></svg>',
        '<svg onload="x()"></svg>',
        "",
    ],
)
def test_is_svg_refuses_anything_to_svg_does_not_make(text: str) -> None:
    assert not is_svg(text)


def test_clean_reencodes_trims_and_drops_metadata() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret")
    sent = _png(signature(), pnginfo=info)
    kept = clean(sent)
    assert kept != sent
    assert set(_chunks(kept)) <= {b"IHDR", b"IDAT", b"IEND"}
    image = Image.open(io.BytesIO(kept))
    assert image.mode == "LA"
    assert image.width <= signature_image.BOX[0]
    assert image.height <= signature_image.BOX[1]
    assert len(kept) <= signature_image.MAX_STORED_BYTES
    # Trimmed: ink touches every edge.
    alpha = image.getchannel("A")
    assert alpha.getbbox() == (0, 0, image.width, image.height)
    assert image.getchannel("L").getextrema() == (0, 0)  # black on transparent


@pytest.mark.parametrize("fmt", ["JPEG", "GIF", "WEBP"])
def test_clean_accepts_each_raster_format(fmt: str) -> None:
    out = io.BytesIO()
    signature().save(out, format=fmt)
    assert clean(out.getvalue()).startswith(b"\x89PNG")


def test_clean_reads_a_canvas_data_url() -> None:
    drawn = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(drawn).line([(50, 100), (550, 120)], (0, 0, 0, 255), 4)
    url = "data:image/png;base64," + base64.b64encode(_png(drawn)).decode()
    kept = clean(signature_image.from_data_url(url))
    assert Image.open(io.BytesIO(kept)).height < 40  # trimmed to the stroke
    assert is_svg(to_svg(kept))


def _bomb() -> bytes:
    # Pixels cost little to send: a 4,100 x 4,100 blank PNG is a few KB.
    return _png(Image.new("1", (4100, 4100), 1), optimize=True)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "missing"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "svg"),
        (b'<?xml version="1.0"?>\n<svg></svg>', "svg"),
        (b"%PDF-1.7 not a picture", "not_image"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "not_image"),
        (b"x" * (signature_image.MAX_UPLOAD_BYTES + 1), "bytes"),
        (_png(Image.new("RGB", (50, 50), "white")), "blank"),
        (_png(Image.new("RGBA", (50, 50), (0, 0, 0, 0))), "blank"),
    ],
)
def test_clean_refuses_with_a_reason(data: bytes, kind: str) -> None:
    with pytest.raises(SignatureImageError) as refused:
        clean(data)
    assert refused.value.kind == kind
    assert str(refused.value) == signature_image.MESSAGES[kind]


def test_clean_refuses_too_many_pixels_before_decoding_them() -> None:
    with pytest.raises(SignatureImageError) as refused:
        clean(_bomb())
    assert refused.value.kind == "pixels"


def test_clean_refuses_a_truncated_picture() -> None:
    whole = _png(signature())
    with pytest.raises(SignatureImageError) as refused:
        clean(whole[: len(whole) // 2])
    assert refused.value.kind == "corrupt"


def test_clean_refuses_noise_that_is_no_signature() -> None:
    noise = Image.effect_noise((600, 200), 128).point(lambda v: 0 if v < 128 else 255)
    with pytest.raises(SignatureImageError) as refused:
        clean(_png(noise))
    assert refused.value.kind == "detailed"


@pytest.mark.parametrize(
    "url",
    [
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:image/png;base64,@@@",
        "http://x/a.png",
    ],
)
def test_from_data_url_refuses_anything_but_a_png_data_url(url: str) -> None:
    with pytest.raises(SignatureImageError):
        signature_image.from_data_url(url)

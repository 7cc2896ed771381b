"""The signature image on the profile page, and on the prescriptions signed after."""

from __future__ import annotations

import base64
import io
import re

import pytest
from flask import Flask
from PIL import Image, ImageDraw, PngImagePlugin
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

import models
from extensions import db
from rxassist import signature_image
from services import rendering
from services.issuing import stored_prescription
from tests import factories
from tests.helpers import EMAIL, Physician, csrf_token, field_errors, pdf_text

SIGNATURE = "/profile/signature"


def _user(app: Flask) -> models.User:
    with app.app_context():
        user = db.session.scalars(
            select(models.User).where(models.User.email == EMAIL)
        ).one()
        db.session.expunge(user)
        return user


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(models.AuditEvent.action)))


def _picture(fmt: str = "PNG", **params: object) -> bytes:
    image = Image.new("RGB", (900, 300), "white")
    ImageDraw.Draw(image).line([(200, 150), (450, 100), (700, 200)], "navy", 6)
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def _upload(physician: Physician, data: bytes, name: str = "sig.png") -> object:
    """POST a file as the profile's upload does, the body built in memory (the test
    client would spool a large one to a file it never closes)."""
    boundary, body = encode_multipart(
        {
            "image": FileStorage(io.BytesIO(data), filename=name),
            "drawing": "",
            "csrf_token": csrf_token(physician.client, "/profile"),
        }
    )
    return physician.client.post(
        SIGNATURE,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_uploaded_png_is_stored_re_encoded_without_metadata(
    app: Flask, physician: Physician
) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "patient Jane Doe")
    sent = _picture(pnginfo=info)
    response = _upload(physician, sent)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response.location.endswith("/profile#signature")  # type: ignore[attr-defined]
    stored = _user(app).signature_png
    assert stored is not None and stored != sent
    assert b"tEXt" not in stored and b"eXIf" not in stored and b"Jane" not in stored
    assert len(stored) <= signature_image.MAX_STORED_BYTES
    assert Image.open(io.BytesIO(stored)).size <= signature_image.BOX
    assert _user(app).signature_updated_at is not None
    assert "signature image changed" in _actions(app)
    page = physician.client.get("/profile").get_data(as_text=True)
    assert '<svg class="sig-image"' in page
    assert "Replace signature image" in page


def test_drawing_sent_as_a_data_url_is_stored(app: Flask, physician: Physician) -> None:
    drawn = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(drawn).line([(40, 150), (300, 40), (560, 120)], (0, 0, 0, 255), 4)
    out = io.BytesIO()
    drawn.save(out, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    response = physician.post(SIGNATURE, {"drawing": url}, page="/profile")
    assert response.status_code == 302
    assert _user(app).signature_png is not None


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "sig.svg",
            "SVG drawings are not accepted",
        ),
        (b"just some words, not a picture", "sig.png", "This file is not a picture"),
        (_picture()[:900], "sig.png", "The picture could not be read"),
        (
            b"\x89PNG" + b"0" * signature_image.MAX_UPLOAD_BYTES,
            "big.png",
            "The file is larger than 512 KB",
        ),
        (b"", "", "Choose an image file, or draw your signature."),
    ],
)
def test_bad_upload_is_refused_beside_the_field_and_keeps_the_image(
    app: Flask, physician: Physician, data: bytes, name: str, message: str
) -> None:
    assert _upload(physician, _picture()).status_code == 302  # type: ignore[attr-defined]
    kept = _user(app).signature_png
    response = _upload(physician, data, name)
    assert response.status_code == 422  # type: ignore[attr-defined]
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert any(e.startswith(message) for e in field_errors(html)), field_errors(html)
    assert 'id="image-error"' in html
    assert _user(app).signature_png == kept
    # The profile beside it is shown as stored.
    assert 'value="Maria Lopez"' in html


def test_picture_with_too_many_pixels_is_refused(
    app: Flask, physician: Physician
) -> None:
    out = io.BytesIO()
    Image.new("1", (4100, 4100), 1).save(out, format="PNG", optimize=True)
    response = _upload(physician, out.getvalue())
    assert response.status_code == 422  # type: ignore[attr-defined]
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "more than 16 million pixels" in html
    assert _user(app).signature_png is None


def test_empty_drawing_is_refused_beside_the_pad(
    app: Flask, physician: Physician
) -> None:
    blank = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    out = io.BytesIO()
    blank.save(out, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    response = physician.post(SIGNATURE, {"drawing": url}, page="/profile")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The drawing is empty: sign in the box, then save." in field_errors(html)
    assert 'id="drawing-error"' in html
    assert _user(app).signature_png is None


def test_remove_deletes_the_image_and_is_audited(
    app: Flask, physician: Physician
) -> None:
    _upload(physician, _picture())
    response = physician.post(f"{SIGNATURE}/remove", {}, page="/profile")
    assert response.status_code == 302
    assert _user(app).signature_png is None
    assert "signature image removed" in _actions(app)
    page = physician.client.get("/profile").get_data(as_text=True)
    assert "No signature image" in page
    assert "Remove signature image" not in page


def test_signature_forms_need_the_csrf_token(app: Flask, physician: Physician) -> None:
    response = physician.client.post(
        SIGNATURE, data={"image": (io.BytesIO(_picture()), "sig.png")}
    )
    assert response.status_code == 400
    assert _user(app).signature_png is None


def test_profile_page_loads_the_pad_script_and_no_inline_script(
    physician: Physician,
) -> None:
    html = physician.client.get("/profile").get_data(as_text=True)
    assert 'src="/static/js/signature.js"' in html
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    with physician.client.get("/static/css/app.css") as css:
        assert "touch-action: none" in css.get_data(as_text=True)


def test_prescription_signed_after_saving_prints_the_image_as_it_was(
    app: Flask, physician: Physician
) -> None:
    _upload(physician, _picture())
    url = factories.prescription_url(app)
    record = factories.record(app, url)
    image_svg = record.document["signature"]["image_svg"]
    assert signature_image.is_svg(image_svg) and "<rect " in image_svg
    with app.test_request_context():
        html = rendering.prescription_html(
            stored_prescription(record),
            standalone=True,
            signature=record.document["signature"],
        )
    assert image_svg in html
    assert "src=" not in html and "href=" not in html
    text = pdf_text(record.pdf)
    assert "Electronically signed by Maria Lopez, MD" in text
    # A later change alters no prescription signed before it.
    physician.post(f"{SIGNATURE}/remove", {}, page="/profile")
    assert factories.record(app, url).document["signature"]["image_svg"] == image_svg
    print_html = physician.client.get(f"{url}/print").get_data(as_text=True)
    assert image_svg in print_html


def test_prescription_without_an_image_prints_the_statement_alone(
    app: Flask, physician: Physician
) -> None:
    record = factories.record(app, factories.prescription_url(app))
    assert "image_svg" not in record.document["signature"]
    assert "sig-image" not in physician.client.get(
        f"/prescriptions/{record.id}/print"
    ).get_data(as_text=True)


def test_tampered_stored_svg_is_not_printed(app: Flask) -> None:
    signature = {"statement": "s", "date": "d", "image_svg": "<svg onload=x()></svg>"}
    assert rendering.signature_svg(signature) is None

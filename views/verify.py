"""The public verification page a printed prescription's QR code leads to."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select

import models
from extensions import db, limiter
from services import clock, signing
from services.issuing import stored_prescription

bp = Blueprint("verify", __name__, url_prefix="/v")

MAX_TOKEN = 64


class CheckFileForm(FlaskForm):
    """A PDF to compare with the issued one."""

    pdf = FileField(
        "A PDF of this prescription", validators=[FileRequired("Choose a PDF.")]
    )


@bp.after_request
def _private(response: Any) -> Any:
    """Nothing leaks through referrers, caches or search engines."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store, max-age=0"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _record(token: str) -> models.Prescription:
    if not token or len(token) > MAX_TOKEN:
        abort(404)
    record = db.session.scalar(
        select(models.Prescription).where(models.Prescription.verify_token == token)
    )
    if record is None:
        abort(404)
    return record


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("60 per minute")
@limiter.limit("10 per minute", methods=["POST"])
def page(token: str) -> Any:
    """The minimum a therapist or payer needs, and a check of a PDF they hold."""
    record = _record(token)
    form = CheckFileForm()
    checked = None
    if form.validate_on_submit() and form.pdf.data is not None:
        data = form.pdf.data.read()
        checked = {
            "identical": hmac.compare_digest(
                hashlib.sha256(data).hexdigest(), record.sha256
            ),
            "signature": signing.verify_pdf(data),
        }
    replaced_by = db.session.scalar(
        select(models.Prescription).where(models.Prescription.replaces_id == record.id)
    )
    return render_template(
        "verify/page.html",
        record=record,
        rx=stored_prescription(record),
        replaced_by=replaced_by,
        form=form,
        checked=checked,
        zone=clock.zone_of(record.user),
    ), (200 if request.method == "GET" or checked is not None else 422)

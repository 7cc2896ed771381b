"""Finalized prescriptions: the summary page, the PDF and the HTML print view."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user, login_required

import models
from extensions import db
from services import render_prescription_html, stored_prescription

bp = Blueprint("documents", __name__, url_prefix="/prescriptions")


@bp.before_request
@login_required
def _require_login() -> None:
    """Prescriptions are seen by the physician who wrote them."""


def _record(rx_id: str) -> models.Prescription:
    record = db.session.get(models.Prescription, rx_id) if len(rx_id) <= 32 else None
    if record is None or record.user_id != current_user.id:
        abort(404)
    return record


@bp.get("/<rx_id>")
def show(rx_id: str) -> Any:
    """The finalized prescription with its download link."""
    record = _record(rx_id)
    return render_template(
        "documents/show.html", record=record, rx=stored_prescription(record)
    )


@bp.get("/<rx_id>.pdf")
def pdf(rx_id: str) -> Any:
    """The PDF exactly as signed (stored bytes, never re-rendered)."""
    record = _record(rx_id)
    response = Response(record.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{record.number}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["ETag"] = record.sha256
    return response


@bp.get("/<rx_id>/print")
def print_view(rx_id: str) -> Any:
    """The same template as the PDF, served as HTML for printing from the browser."""
    record = _record(rx_id)
    html = render_prescription_html(stored_prescription(record), standalone=False)
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "private, no-store"
    return response

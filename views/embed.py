"""Embedding in a clinic intranet: signed launches and the finished page."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

import models
from extensions import db
from rxassist import wizard
from rxassist.launch import LaunchError, verify
from rxassist.schema import within_limits
from services import audit, clock, urls
from views.actors import actor

bp = Blueprint("embed", __name__, url_prefix="/embed")


@bp.before_request
def _embed_layout() -> None:
    """Pages under /embed/ are drawn without the site's header and footer."""
    g.embed = True


@bp.get("/launch")
def launch() -> Any:
    """Start a draft prefilled by a signed intranet launch."""
    params = {k: v for k, v in request.args.items()}
    try:
        sections = verify(
            params,
            current_app.config["RX_LAUNCH_SECRET"] or "",
            current_app.config["RX_LAUNCH_MAX_AGE"],
        )
    except LaunchError as exc:
        return render_template("embed/refused.html", reason=str(exc)), 403
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    # A reload of the same signed launch resumes its draft instead of adding another.
    signature = params["sig"].lower()
    for earlier in db.session.scalars(
        select(models.Draft).where(
            models.Draft.user_id == current_user.id,
            models.Draft.embedded.is_(True),
            models.Draft.prescription_id.is_(None),
        )
    ):
        if (earlier.document.get("wizard") or {}).get("launch") == signature:
            return redirect(
                url_for("wizard.step", draft_id=earlier.id, name=earlier.step)
            )
    document = wizard.new_document(clock.today())
    document.update(sections, wizard={"launch": signature})
    # A prefilled field over its limit is left for the physician to type.
    document, _ = within_limits(document, {})
    draft = models.Draft(
        user_id=current_user.id, document=document, step="patient", embedded=True
    )
    db.session.add(draft)
    db.session.commit()
    return redirect(url_for("wizard.step", draft_id=draft.id, name="patient"))


@bp.get("/prescriptions/<rx_id>")
def done(rx_id: str) -> Any:
    """The finished prescription inside the frame; tells the parent window."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    record = db.session.get(models.Prescription, rx_id) if len(rx_id) <= 32 else None
    if record is None or record.user_id != current_user.id:
        abort(404)
    audit.record("viewed", record, actor(), detail="embedded")
    db.session.commit()
    message = {
        "type": "rx.finalized",
        "id": record.id,
        "number": record.number,
        "pdf_url": urls.absolute("documents.pdf", rx_id=record.id),
        "fhir_url": urls.absolute("api.prescription_fhir", rx_id=record.id),
    }
    return render_template(
        "embed/done.html",
        record=record,
        message=json.dumps(message),
        origins=json.dumps(current_app.config["RX_FRAME_ANCESTORS"]),
    )

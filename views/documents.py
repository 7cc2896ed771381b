"""Prescriptions on record: list, view, PDF, print, amend, void, renew, audit, links."""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select

import models
from extensions import db
from forms.records import PatientLinkForm, SearchForm, VoidForm
from rxassist import lifecycle
from rxassist.lifecycle import Action, Status
from rxassist.prescription import parse_date, parse_whole_number
from services import audit, issuing, links, rendering, urls
from services.issuing import stored_prescription
from views.actors import actor

bp = Blueprint("documents", __name__, url_prefix="/prescriptions")

PAGE_SIZE = 20


@bp.before_request
@login_required
def _require_login() -> None:
    """Prescriptions are seen by the physician who wrote them."""


def _record(rx_id: str) -> models.Prescription:
    """The current physician's prescription, or 404 for anything else."""
    record = db.session.get(models.Prescription, rx_id) if len(rx_id) <= 32 else None
    if record is None or record.user_id != current_user.id:
        abort(404)
    return record


@bp.get("/")
def index() -> Any:
    """The physician's prescriptions and drafts: search, filter, paginate."""
    form = SearchForm(request.args)
    form.validate()
    page_number = parse_whole_number(request.args.get("page", "1"), max_digits=4) or 1
    status = form.status.data or ""
    if status == Status.DRAFT:
        query = select(models.Draft).where(
            models.Draft.user_id == current_user.id,
            models.Draft.prescription_id.is_(None),
        )
        query = query.order_by(models.Draft.updated_at.desc())
    else:
        query = select(models.Prescription).where(
            models.Prescription.user_id == current_user.id
        )
        if name := (form.q.data or "").strip():
            query = query.where(models.Prescription.name_contains(name))
        if dob := parse_date(form.dob.data or ""):
            query = query.where(models.Prescription.patient_dob == dob)
        if status in lifecycle.RECORD_STATUSES:
            query = query.where(models.Prescription.status == status)
        if start := parse_date(form.written_from.data or ""):
            query = query.where(models.Prescription.written_on >= start)
        if end := parse_date(form.written_to.data or ""):
            query = query.where(models.Prescription.written_on <= end)
        query = query.order_by(models.Prescription.created_at.desc())
    pagination = db.paginate(
        query, page=page_number, per_page=PAGE_SIZE, error_out=False
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "documents/index.html",
        form=form,
        pagination=pagination,
        showing_drafts=status == Status.DRAFT,
        args=args,
    )


@bp.get("/<rx_id>")
def show(rx_id: str) -> Any:
    """The finalized prescription with its download link and history."""
    record = _record(rx_id)
    audit.record("viewed", record, actor())
    db.session.commit()
    replaced_by = db.session.scalar(
        select(models.Prescription).where(models.Prescription.replaces_id == record.id)
    )
    links = db.session.scalars(
        select(models.PatientLink)
        .where(models.PatientLink.prescription_id == record.id)
        .order_by(models.PatientLink.created_at.desc())
    ).all()
    return render_template(
        "documents/show.html",
        record=record,
        rx=stored_prescription(record),
        replaces=db.session.get(models.Prescription, record.replaces_id)
        if record.replaces_id
        else None,
        replaced_by=replaced_by,
        links=links,
        now=models.utcnow(),
        link_form=PatientLinkForm(days=current_app.config["RX_LINK_DAYS"]),
        signature=record.document.get("signature"),
        signature_image=rendering.signature_svg(record.document.get("signature")),
    )


@bp.get("/<rx_id>.pdf")
def pdf(rx_id: str) -> Any:
    """The PDF exactly as signed (stored bytes, never re-rendered)."""
    record = _record(rx_id)
    audit.record("downloaded", record, actor())
    db.session.commit()
    return pdf_response(record)


def pdf_response(record: models.Prescription) -> Response:
    """The stored PDF as a download that no cache keeps."""
    response = Response(record.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{record.number}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["ETag"] = f'"{record.sha256}"'
    return response


@bp.get("/<rx_id>/print")
def print_view(rx_id: str) -> Any:
    """The same template as the PDF, served as HTML for printing from the browser."""
    record = _record(rx_id)
    audit.record("printed", record, actor())
    db.session.commit()
    html = rendering.prescription_html(
        stored_prescription(record),
        standalone=False,
        signature=record.document.get("signature"),
        verification=rendering.verification(record.verify_token)
        if record.verify_token
        else None,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<rx_id>/amend")
def amend(rx_id: str) -> Any:
    """Start a corrected version; finalizing it supersedes this one."""
    record = _record(rx_id)
    draft = issuing.start_draft(record, Action.AMEND, actor())
    if draft is None:
        flash(lifecycle.refusal(Action.AMEND), "error")
        return redirect(url_for("documents.show", rx_id=record.id))
    flash(
        f"Correcting {record.number}: change what is wrong, then finalize. "
        "The original will be marked superseded.",
        "info",
    )
    return redirect(url_for("wizard.step", draft_id=draft.id, name="patient"))


@bp.post("/<rx_id>/renew")
def renew(rx_id: str) -> Any:
    """Start a new prescription from this one, starting today."""
    record = _record(rx_id)
    draft = issuing.start_draft(record, Action.RENEW, actor())
    if draft is None:
        flash(lifecycle.refusal(Action.RENEW), "error")
        return redirect(url_for("documents.show", rx_id=record.id))
    flash(f"Renewing {record.number}: check the dates, then finalize.", "info")
    return redirect(url_for("wizard.step", draft_id=draft.id, name="session"))


@bp.route("/<rx_id>/void", methods=["GET", "POST"])
def void_view(rx_id: str) -> Any:
    """Void a prescription with a reason."""
    record = _record(rx_id)
    form = VoidForm()
    if not lifecycle.can(Action.VOID, record.status):
        flash(lifecycle.refusal(Action.VOID), "error")
        return redirect(url_for("documents.show", rx_id=record.id))
    if form.validate_on_submit():
        if issuing.void(record, actor(), (form.reason.data or "").strip()):
            flash(f"{record.number} is void.", "success")
        return redirect(url_for("documents.show", rx_id=record.id))
    return render_template("documents/void.html", record=record, form=form)


@bp.get("/<rx_id>/audit")
def audit_log(rx_id: str) -> Any:
    """Who created, viewed, downloaded and changed this prescription."""
    record = _record(rx_id)
    events = db.session.scalars(
        select(models.AuditEvent)
        .where(models.AuditEvent.prescription_id == record.id)
        .order_by(models.AuditEvent.at.desc(), models.AuditEvent.id.desc())
    ).all()
    return render_template(
        "documents/audit.html", record=record, events=events, who=audit.who
    )


@bp.post("/<rx_id>/links")
def create_link(rx_id: str) -> Any:
    """Make a patient link and show it once, with a printable handout and QR code."""
    record = _record(rx_id)
    form = PatientLinkForm()
    if not lifecycle.can(Action.SHARE, record.status):
        flash(lifecycle.refusal(Action.SHARE), "error")
        return redirect(url_for("documents.show", rx_id=record.id))
    if not form.validate_on_submit():
        for error in form.days.errors:
            flash(str(error), "error")
        return redirect(url_for("documents.show", rx_id=record.id))
    link, token = links.new_patient_link(record, actor(), int(form.days.data or 0))
    url = urls.absolute("patient.open_link", token=token)
    code = links.add_short_code(link)
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    # A standalone SVG (with its namespace): browsers draw it as an <img> data URI.
    qr.save(buffer, kind="svg", scale=4, xmldecl=False)
    svg = base64.b64encode(buffer.getvalue()).decode()
    response = Response(
        render_template(
            "documents/handout.html",
            record=record,
            link=link,
            url=url,
            code=code,
            code_url=urls.absolute("patient.open_code"),
            qr=f"data:image/svg+xml;base64,{svg}",
            rx=stored_prescription(record),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<rx_id>/links/<link_id>/revoke")
def revoke_link(rx_id: str, link_id: str) -> Any:
    """Revoke a patient link at once."""
    record = _record(rx_id)
    link = db.session.get(models.PatientLink, link_id) if len(link_id) <= 32 else None
    if link is None or link.prescription_id != record.id:
        abort(404)
    links.revoke(link, actor())
    flash("The patient link is revoked.", "success")
    return redirect(url_for("documents.show", rx_id=record.id))

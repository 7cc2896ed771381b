"""Order presets: save an order as one, list, rename, delete, and apply one to a draft;
start from a returning patient's last order."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

import models
from extensions import codeset, db
from forms.presets import PresetForm, RenameForm
from forms.wizard import PatientForm
from rxassist import wizard
from rxassist.prescription import validate_sections
from rxassist.schema import within_limits
from services import presets
from views.actors import actor
from views.documents import _record

bp = Blueprint("presets", __name__)


@bp.before_request
@login_required
def _require_login() -> None:
    """Presets belong to signed-in physicians."""


def _draft(draft_id: str) -> models.Draft:
    """The physician's open draft, or 404."""
    draft = db.session.get(models.Draft, draft_id) if len(draft_id) <= 32 else None
    if draft is None or draft.user_id != current_user.id or draft.prescription_id:
        abort(404)
    return draft


@bp.get("/presets")
def index() -> Any:
    """The physician's presets and the practice's shared ones."""
    return render_template(
        "presets/index.html",
        presets=presets.offered(current_user),
        form=RenameForm(),
    )


@bp.post("/rx/<draft_id>/save-preset")
def save_from_draft(draft_id: str) -> Any:
    """Save the order of a draft (from its review page) as a preset."""
    draft = _draft(draft_id)
    back = url_for("wizard.step", draft_id=draft.id, name="review")
    return _save(draft.document, back)


@bp.post("/prescriptions/<rx_id>/save-preset")
def save_from_record(rx_id: str) -> Any:
    """Save the order of a finished prescription as a preset."""
    record = _record(rx_id)
    back = url_for("documents.show", rx_id=record.id)
    return _save(record.document, back)


def _save(document: dict[str, Any], back: str) -> Any:
    form = PresetForm()
    if form.validate():  # binds the fields; CSRF is checked app-wide
        saved = presets.save(
            current_user,
            form.preset_name.data or "",
            document,
            shared=bool(form.shared.data),
            actor=actor(),
        )
        if saved.preset is not None:
            flash(f"Preset “{saved.preset.name}” saved.", "success")
            return redirect(back)
        for path, message in saved.errors.items():
            if path == "preset_name":
                form.preset_name.errors = [message]
            else:
                form.form_errors.append(f"{path}: {message}")
    # Shown again on a page of its own: the name as typed, the message beside it,
    # posting to the URL it came to.
    action = url_for(request.endpoint or "", **(request.view_args or {}))
    return render_template(
        "presets/save.html", form=form, action=action, back=back
    ), 422


@bp.post("/presets/<preset_id>/rename")
def rename(preset_id: str) -> Any:
    """Rename one of the physician's presets."""
    preset = presets.owned(preset_id, current_user) or abort(404)
    form = RenameForm()
    form.validate()  # binds the name; CSRF is checked app-wide
    problem = presets.rename(preset, form.preset_name.data or "", actor())
    if problem:
        return render_template(
            "presets/index.html",
            presets=presets.offered(current_user),
            form=form,
            failed=(preset.id, problem, form.preset_name.data or ""),
        ), 422
    flash(f"Renamed to “{preset.name}”.", "success")
    return redirect(url_for("presets.index"))


@bp.post("/presets/<preset_id>/delete")
def delete(preset_id: str) -> Any:
    """Delete one of the physician's presets."""
    preset = presets.owned(preset_id, current_user) or abort(404)
    name = preset.name
    presets.delete(preset, actor())
    flash(f"Preset “{name}” deleted.", "info")
    return redirect(url_for("presets.index"))


@bp.post("/presets/<preset_id>/apply")
def apply(preset_id: str) -> Any:
    """Start a prescription from a preset: into the draft named, else a blank one.

    From the patient step, the patient typed so far is posted too and kept.
    """
    preset = presets.usable(preset_id, current_user) or abort(404)
    draft_id = request.args.get("draft", "")
    draft = _draft(draft_id) if draft_id else presets.new_draft(current_user)
    if draft_id:
        _keep_patient(draft)
    notes = presets.apply(draft, preset)
    flash(f"Preset “{preset.name}” applied.", "success")
    for note in notes:
        flash(note, "warning")
    return redirect(_after_start(draft))


def _keep_patient(draft: models.Draft) -> None:
    """Save the patient step's fields as posted with the preset's button."""
    form = PatientForm()
    form.validate()
    if any(request.form.get(name) for name in ("name", "dob", "payer_type")):
        draft.document, _ = within_limits(form.dump(draft.document), draft.document)


def _after_start(draft: models.Draft) -> str:
    """The review when the patient is entered, else the patient step."""
    errors = validate_sections(
        draft.document, wizard.BY_NAME["patient"].sections, icd=codeset.index()
    )
    if errors:
        flash("Enter the patient: Next then takes you to the review.", "info")
        return url_for("wizard.step", draft_id=draft.id, name=wizard.FIRST)
    return url_for("wizard.step", draft_id=draft.id, name="review")


@bp.post("/rx/<draft_id>/same-as-last")
def same_as_last(draft_id: str) -> Any:
    """Start the draft from its patient's last prescription, for a later visit."""
    draft = _draft(draft_id)
    record = presets.last_prescription(
        current_user, draft.document.get("patient") or {}
    )
    if record is None:
        flash("No earlier prescription for this patient.", "info")
        return redirect(url_for("wizard.step", draft_id=draft.id, name=draft.step))
    for note in presets.start_from_last(draft, record):
        flash(note, "info")
    return redirect(_after_start(draft))

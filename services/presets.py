"""Order presets and fresh drafts: save, list, rename, delete and apply a preset;
start a draft without leaving empty ones behind; start from a patient's last order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import false, func, or_, select

import models
from extensions import codeset, db
from rxassist import presets, wizard
from rxassist.lifecycle import Status
from rxassist.prescription import Errors, parse_date
from rxassist.schema import within_limits
from services import audit, clock


@dataclass(frozen=True)
class Saved:
    """A preset saved, or why not: messages by field ("preset_name", "modality")."""

    preset: models.Preset | None
    errors: Errors


def _usable(user: models.User) -> Any:
    """The presets ``user`` may apply: their own, and their practice's shared ones."""
    table = models.Preset
    shared = (
        (table.shared.is_(True)) & (table.practice_id == user.practice_id)
        if user.practice_id is not None
        else false()
    )
    return select(table).where(or_(table.user_id == user.id, shared))


def offered(user: models.User) -> list[models.Preset]:
    """The physician's presets by name, then the practice's shared ones by name."""
    rows = db.session.scalars(_usable(user)).all()
    return sorted(rows, key=lambda p: (p.user_id != user.id, p.name.casefold()))


def usable(preset_id: str, user: models.User) -> models.Preset | None:
    """A preset ``user`` may apply, or None (someone else's personal one, say)."""
    if len(preset_id) > 32:
        return None
    return db.session.scalar(_usable(user).where(models.Preset.id == preset_id))


def owned(preset_id: str, user: models.User) -> models.Preset | None:
    """A preset ``user`` may rename or delete: only their own (there are no roles)."""
    preset = db.session.get(models.Preset, preset_id) if len(preset_id) <= 32 else None
    return preset if preset is not None and preset.user_id == user.id else None


def save(
    user: models.User,
    name: str,
    document: Mapping[str, Any],
    *,
    shared: bool,
    actor: audit.Actor,
) -> Saved:
    """Keep the order of ``document`` (a draft's or a record's) as a named preset."""
    name, problem = presets.check_name(name)
    errors: Errors = {"preset_name": problem} if problem else {}
    content = presets.order_of(document)
    icd = codeset.index()
    errors.update(presets.validate(content, icd, clock.today(user)))
    count = db.session.scalar(
        select(func.count()).where(models.Preset.user_id == user.id)
    )
    if (count or 0) >= presets.MAX_PRESETS:
        errors["preset_name"] = (
            f"You have {presets.MAX_PRESETS} presets: delete one you no longer use."
        )
    if errors:
        return Saved(None, errors)
    preset = models.Preset(
        user_id=user.id,
        practice_id=user.practice_id,
        shared=shared and user.practice_id is not None,
        name=name,
        content=content,
        code_set=icd.label,
    )
    db.session.add(preset)
    db.session.flush()
    audit.record("preset saved", None, actor, detail=_detail(preset))
    db.session.commit()
    return Saved(preset, {})


def _detail(preset: models.Preset) -> str:
    scope = "shared with the practice" if preset.shared else "personal"
    return f"preset {preset.id} '{preset.name}', {scope}"


def rename(preset: models.Preset, name: str, actor: audit.Actor) -> str | None:
    """Rename a preset; the message when the name is refused."""
    name, problem = presets.check_name(name)
    if problem:
        return problem
    old = preset.name
    preset.name = name
    audit.record(
        "preset renamed", None, actor, detail=f"{_detail(preset)}, was '{old}'"
    )
    db.session.commit()
    return None


def delete(preset: models.Preset, actor: audit.Actor) -> None:
    """Delete a preset (prescriptions written from it keep their copy)."""
    audit.record("preset deleted", None, actor, detail=_detail(preset))
    db.session.delete(preset)
    db.session.commit()


def apply(draft: models.Draft, preset: models.Preset) -> tuple[str, ...]:
    """Put the preset's order into the draft; what the physician must know."""
    icd = codeset.index()
    applied = presets.apply(
        draft.document, preset.content, icd, made_with=preset.code_set
    )
    _fill(draft, applied.document)
    return applied.notes


def _fill(draft: models.Draft, document: Mapping[str, Any]) -> None:
    """Save a filled-in order: every step but the review is reached."""
    draft.document, _ = within_limits(document, draft.document)
    draft.step = wizard.STEPS[-1].name
    db.session.commit()


def untouched(draft: models.Draft) -> bool:
    """A blank draft New prescription made, nothing typed into it since."""
    return (
        draft.step == wizard.FIRST
        and not (draft.embedded or draft.amends_id or draft.requested_by_key)
        and wizard.is_untouched(draft.document)
    )


def new_draft(user: models.User) -> models.Draft:
    """A new blank draft of its own: two tabs never share one.

    Clicking New prescription again leaves nothing behind that a person sees: the
    Drafts page lists no untouched blank draft, and those untouched for longer than
    the session's idle timeout are deleted here, since no signed-in tab can still
    save into them (the session ended with the idle time).
    """
    idle = timedelta(minutes=int(current_app.config["RX_SESSION_IDLE_MINUTES"]))
    stale = db.session.scalars(
        select(models.Draft).where(
            models.Draft.user_id == user.id,
            models.Draft.prescription_id.is_(None),
            models.Draft.step == wizard.FIRST,
            models.Draft.updated_at < models.utcnow() - idle,
        )
    ).all()
    for draft in stale:
        if untouched(draft):
            db.session.delete(draft)
    draft = models.Draft(
        user_id=user.id,
        document=wizard.new_document(clock.today(user)),
        step=wizard.FIRST,
    )
    db.session.add(draft)
    db.session.commit()
    return draft


LAST_ORDERS_READ = 50  # the physician's latest orders for one date of birth


def last_prescription(
    user: models.User, patient: Mapping[str, Any]
) -> models.Prescription | None:
    """The latest current prescription ``user`` wrote for the same patient.

    The same patient: the same name (any case and spacing) and date of birth, and the
    same medical record number when both have one. Only the physician's own orders
    and only final ones (not void or superseded): a judgement call that follows the
    records list, where a physician sees their own prescriptions, so that no
    colleague's patient can be reached by typing an MRN.
    """
    name = " ".join(str(patient.get("name") or "").split()).casefold()
    dob = parse_date(patient.get("dob"))
    mrn = str(patient.get("mrn") or "").strip()
    if not (name and dob):
        return None
    table = models.Prescription
    query = (
        select(table)
        .where(
            table.user_id == user.id,
            table.patient_dob == dob,
            table.status == Status.FINAL,
        )
        .order_by(table.created_at.desc())
        .limit(LAST_ORDERS_READ)
    )
    for record in db.session.scalars(query):
        if " ".join(record.patient_name.split()).casefold() != name:
            continue
        theirs = str((record.document.get("patient") or {}).get("mrn") or "").strip()
        if not (mrn and theirs) or mrn == theirs:
            return record
    return None


def start_from_last(draft: models.Draft, record: models.Prescription) -> list[str]:
    """Put the patient's last order into the draft, for a later visit; the notes."""
    icd = codeset.index()
    content = presets.order_of(record.document)
    codes, changed = presets.subsequent_codes(list(content.get("diagnoses") or []), icd)
    content["diagnoses"] = codes
    applied = presets.apply(draft.document, content, icd)
    document = applied.document
    # The same patient: what the draft leaves blank of their coverage is kept.
    earlier = record.document.get("coverage") or {}
    coverage = dict(document.get("coverage") or {})
    for key, value in earlier.items():
        if value and not coverage.get(key):
            coverage[key] = value
    document["coverage"] = coverage
    _fill(draft, document)
    notes = [f"Started from {record.number}, written {record.written_on:%m/%d/%Y}."]
    notes += [
        f"{old} (initial encounter) is now {new} (subsequent encounter): ICD-10-CM "
        "Official Guidelines I.C.19.a."
        for old, new in changed
    ]
    return [*notes, *applied.notes]

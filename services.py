"""State changes and renderings that views and CLI commands share."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, render_template, request
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

import models
from extensions import db
from rxassist import pdf
from rxassist.icd import DEFAULT_PATH, IcdIndex
from rxassist.prescription import Prescription, from_record, validate

# Where `flask icd10 import` keeps the release it installed (instance/ is local state).
IMPORTED_INDEX = "icd10cm-index.json.gz"
# A running server notices an imported release within this many seconds.
ICD_RECHECK_SECONDS = 5.0
_ICD_LOCK = threading.Lock()
_STATIC = Path(__file__).resolve().parent / "static"
# Most orders fit the normal setting; the longest (12 diagnoses, long goals) need less.
DENSITIES = ("", "dense", "denser")
_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def imported_index_path() -> Path:
    """Where ``flask icd10 import`` installs a release for this installation."""
    folder = current_app.config.get("RX_ICD_IMPORT_DIR") or current_app.instance_path
    return Path(folder) / IMPORTED_INDEX


def icd_index_path() -> Path:
    """The index in use: RX_ICD_INDEX, else an imported release, else the built one."""
    configured = current_app.config.get("RX_ICD_INDEX")
    if configured:
        return Path(configured)
    imported = imported_index_path()
    return imported if imported.exists() else DEFAULT_PATH


def icd_index() -> IcdIndex:
    """The loaded ICD-10-CM index; reloaded when ``flask icd10 import`` replaces it."""
    state = current_app.extensions.get("rx_icd_state")
    pinned = current_app.extensions.get("rx_icd")
    if pinned is not None and state is None:
        return pinned  # set directly (tests, preloaded apps that never re-check)
    now = time.monotonic()
    if state is None or now - state["checked"] > ICD_RECHECK_SECONDS:
        with _ICD_LOCK:  # one thread loads a new release; the others wait for it
            state = _reload_icd(state, now)
    return state["index"]


def _reload_icd(state: dict[str, Any] | None, now: float) -> dict[str, Any]:
    current = current_app.extensions.get("rx_icd_state")
    if current is not state and current is not None:
        return current  # another thread reloaded while this one waited
    path = icd_index_path()
    stamp = path.stat().st_mtime_ns if path.exists() else None
    if state is None or (path, stamp) != (state["path"], state["stamp"]):
        state = {"index": IcdIndex.load(path), "path": path, "stamp": stamp}
    state["checked"] = now
    current_app.extensions["rx_icd_state"] = state
    return state


def pdf_binary() -> str | None:
    """The wkhtmltopdf executable this app uses."""
    return pdf.find_binary(current_app.config.get("WKHTMLTOPDF"))


def render_prescription_html(
    rx: Prescription, *, standalone: bool, density: str = ""
) -> str:
    """The prescription's HTML: standalone (CSS inline) for the PDF engine."""
    css = (_STATIC / "css" / "prescription.css").read_text() if standalone else None
    return render_template(
        "documents/prescription.html",
        rx=rx,
        inline_css=css,
        density=density,
        page_size=current_app.config["RX_PAGE_SIZE"],
    )


def render_prescription_pdf(rx: Prescription) -> bytes:
    """The prescription as a one-page PDF, set tighter when a long order needs it."""
    data = b""
    for density in DENSITIES:
        data = pdf.render_pdf(
            render_prescription_html(rx, standalone=True, density=density),
            page_size=current_app.config["RX_PAGE_SIZE"],
            binary=pdf_binary(),
            title=f"Prescription {rx.number}".strip(),
        )
        if pdf.page_count(data) == 1:
            break
    return data


def draft_document(draft: models.Draft, user: models.User) -> dict[str, Any]:
    """The draft as a full document: today's date and the prescriber's profile."""
    document = {k: v for k, v in draft.document.items() if k != "wizard"}
    document["written_on"] = date.today().isoformat()
    document["prescriber"] = user.profile
    return document


def new_number(day: date) -> str:
    """A prescription number that is readable over the phone: RX-20261123-7K3QZD."""
    suffix = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))
    return f"RX-{day:%Y%m%d}-{suffix}"


def finalize(
    draft: models.Draft, user: models.User
) -> tuple[models.Prescription | None, dict[str, str]]:
    """Validate the draft, render its PDF and store it; a draft finalizes once.

    A draft that amends a prescription supersedes it in the same transaction.
    """
    if draft.prescription_id:
        return db.session.get(models.Prescription, draft.prescription_id), {}
    replaced = None
    if draft.amends_id:
        replaced = db.session.get(models.Prescription, draft.amends_id)
        if replaced is None or replaced.status != "final":
            return None, {
                "amends": "The prescription this draft corrects is no longer current."
            }
    document = draft_document(draft, user)
    today = date.today()
    document["number"] = new_number(today)
    if replaced is not None:
        document["amends"] = replaced.number
    rx, errors = validate(document, icd=icd_index())
    if rx is None:
        return None, errors
    record = _new_record(rx, user, replaces=replaced)
    # Claim the draft atomically: of two concurrent finalizes only one stores its Rx.
    claimed = db.session.execute(
        update(models.Draft)
        .where(models.Draft.id == draft.id, models.Draft.prescription_id.is_(None))
        .values(prescription_id=record.id)
    ).rowcount
    if replaced is not None and claimed == 1:
        claimed = db.session.execute(
            update(models.Prescription)
            .where(
                models.Prescription.id == replaced.id,
                models.Prescription.status == "final",
            )
            .values(status="superseded")
        ).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(draft)
        if draft.prescription_id:
            return db.session.get(models.Prescription, draft.prescription_id), {}
        return None, {
            "amends": "The prescription this draft corrects is no longer current."
        }
    audit("finalized", record, user, detail=f"number {record.number}")
    if replaced is not None:
        audit("amended", replaced, user, detail=f"superseded by {record.number}")
    db.session.commit()
    return record, {}


@dataclass
class Created:
    """What creating a prescription through the API gave."""

    record: models.Prescription | None = None
    errors: dict[str, str] = field(default_factory=dict)
    link: models.PatientLink | None = None
    token: str = ""
    replayed: bool = False
    conflict: str = ""


def create_prescription(
    document: dict[str, Any],
    user: models.User,
    *,
    link_days: int,
    idempotency: tuple[str, str, str] | None = None,
) -> Created:
    """Validate a whole document, render, store it and make its patient link.

    ``idempotency`` is (API key id, Idempotency-Key, request hash): the key is claimed
    first, in the same transaction, so a retry or a concurrent duplicate gets the first
    prescription back instead of a second one.
    """
    claim = None
    if idempotency is not None:
        key_id, key, body_hash = idempotency
        earlier = _idempotent(key_id, key)
        if earlier is None:
            claim = models.IdempotentRequest(
                api_key_id=key_id, key=key, request_sha256=body_hash
            )
            db.session.add(claim)
            try:
                db.session.flush()
            except IntegrityError:
                db.session.rollback()
                claim, earlier = None, _idempotent(key_id, key)
        if earlier is not None:
            return _replay(earlier, body_hash)
    today = date.today()
    written = document.get("written_on")
    document = dict(document, prescriber=user.profile, number=new_number(today))
    document.pop("amends", None)
    document["written_on"] = today.isoformat()
    rx, errors = validate(document, icd=icd_index())
    if written not in (None, today.isoformat()):
        # A stored prescription is signed today: no back- or post-dating by the API.
        errors = dict(errors, written_on="Leave written_on out, or send today's date.")
        rx = None
    if rx is None:
        db.session.rollback()  # releases the key for a corrected retry
        return Created(errors=errors)
    record = _new_record(rx, user, replaces=None)
    audit("finalized", record, user, detail=f"number {record.number} via API")
    link, token = new_patient_link(record, user, link_days, commit=False)
    if claim is not None:
        claim.prescription_id = record.id
    db.session.commit()
    return Created(record=record, link=link, token=token)


def _idempotent(key_id: str, key: str) -> models.IdempotentRequest | None:
    return db.session.scalar(
        select(models.IdempotentRequest).where(
            models.IdempotentRequest.api_key_id == key_id,
            models.IdempotentRequest.key == key,
        )
    )


def _replay(earlier: models.IdempotentRequest, body_hash: str) -> Created:
    if earlier.request_sha256 != body_hash:
        return Created(
            conflict="This Idempotency-Key was used with a different document."
        )
    if earlier.prescription_id is None:
        return Created(conflict="A request with this Idempotency-Key is in progress.")
    record = db.session.get(models.Prescription, earlier.prescription_id)
    return Created(record=record, replayed=True)


def _new_record(
    rx: Prescription, user: models.User, *, replaces: models.Prescription | None
) -> models.Prescription:
    """Render the PDF once and add the immutable record to the session."""
    data = render_prescription_pdf(rx)
    record = models.Prescription(
        number=rx.number,
        user_id=user.id,
        patient_name=rx.patient.name,
        patient_dob=rx.patient.dob,
        written_on=rx.written_on,
        document=rx.to_document(),
        pdf=data,
        sha256=hashlib.sha256(data).hexdigest(),
        code_set=rx.code_set,
        replaces_id=replaces.id if replaces else None,
    )
    db.session.add(record)
    db.session.flush()
    return record


def audit(
    action: str,
    record: models.Prescription | None,
    user: models.User | None,
    *,
    detail: str = "",
    api_key_id: str | None = None,
) -> None:
    """Record an event in the audit log (committed with the caller's transaction)."""
    ip = (request.remote_addr or "") if has_request_context() else "cli"
    db.session.add(
        models.AuditEvent(
            action=action,
            prescription_id=record.id if record else None,
            user_id=user.id if user else None,
            api_key_id=api_key_id,
            ip=ip[:64],
            detail=detail[:200],
        )
    )


def void(record: models.Prescription, user: models.User, reason: str) -> bool:
    """Void a current prescription with a reason; False when it is not current."""
    voided = db.session.execute(
        update(models.Prescription)
        .where(
            models.Prescription.id == record.id, models.Prescription.status == "final"
        )
        .values(status="void", voided_at=models.utcnow(), void_reason=reason)
    ).rowcount
    if voided != 1:
        db.session.rollback()
        return False
    audit("voided", record, user, detail=f"reason: {reason}")
    db.session.commit()
    db.session.refresh(record)
    return True


def draft_from(
    record: models.Prescription, user: models.User, *, amend: bool
) -> models.Draft:
    """A new draft prefilled from a prescription: to amend it, or to renew it."""
    source = record.document
    document: dict[str, Any] = {
        key: source[key]
        for key in (
            "patient", "coverage", "modality", "body_areas", "diagnoses",
            "session", "plan", "precautions", "goals",
        )
        if key in source
    }  # fmt: skip
    if not amend:
        # A renewal restarts the same plan today; the old dates no longer apply.
        document["plan"] = dict(
            source.get("plan") or {}, start=date.today().isoformat()
        )
    draft = models.Draft(
        user_id=user.id,
        document=document,
        step="review",
        amends_id=record.id if amend else None,
    )
    db.session.add(draft)
    audit("amend started" if amend else "renewed", record, user)
    db.session.commit()
    return draft


def new_patient_link(
    record: models.Prescription, user: models.User, days: int, *, commit: bool = True
) -> tuple[models.PatientLink, str]:
    """A patient link and its token (shown once; only its hash is stored)."""
    token = secrets.token_urlsafe(24)  # 192 bits
    now = models.utcnow()
    link = models.PatientLink(
        prescription_id=record.id,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=days),
        created_by=user.id,
    )
    db.session.add(link)
    db.session.flush()
    audit("patient link created", record, user, detail=f"expires in {days} days")
    if commit:
        db.session.commit()
    return link, token


def token_hash(token: str) -> str:
    """SHA-256 of a patient token (random tokens need no salt or slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


def stored_prescription(record: models.Prescription) -> Prescription:
    """The domain prescription of a stored record, as it was signed."""
    return from_record(record.document)

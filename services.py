"""State changes and renderings that views and CLI commands share."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from sqlalchemy import update

import models
from extensions import db
from rxassist import pdf
from rxassist.icd import DEFAULT_PATH, IcdIndex
from rxassist.prescription import Prescription, validate

# Where `flask icd10 import` keeps the release it installed (instance/ is local state).
IMPORTED_INDEX = "icd10cm-index.json.gz"
# A running server notices an imported release within this many seconds.
ICD_RECHECK_SECONDS = 5.0
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
        path = icd_index_path()
        stamp = path.stat().st_mtime_ns if path.exists() else None
        if state is None or (path, stamp) != (state["path"], state["stamp"]):
            state = {"index": IcdIndex.load(path), "path": path, "stamp": stamp}
        state["checked"] = now
        current_app.extensions["rx_icd_state"] = state
    return state["index"]


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
    """Validate the draft, render its PDF and store it; a draft finalizes once."""
    if draft.prescription_id:
        return db.session.get(models.Prescription, draft.prescription_id), {}
    document = draft_document(draft, user)
    today = date.today()
    document["number"] = new_number(today)
    rx, errors = validate(document, icd=icd_index())
    if rx is None:
        return None, errors
    data = render_prescription_pdf(rx)
    record = models.Prescription(
        number=rx.number,
        user_id=user.id,
        patient_name=rx.patient.name,
        document=rx.to_document(),
        pdf=data,
        sha256=hashlib.sha256(data).hexdigest(),
        code_set=rx.code_set,
    )
    db.session.add(record)
    db.session.flush()
    # Claim the draft atomically: of two concurrent finalizes only one stores its Rx.
    claimed = db.session.execute(
        update(models.Draft)
        .where(models.Draft.id == draft.id, models.Draft.prescription_id.is_(None))
        .values(prescription_id=record.id)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(draft)
        return db.session.get(models.Prescription, draft.prescription_id), {}
    db.session.commit()
    return record, {}


def stored_prescription(record: models.Prescription) -> Prescription:
    """The domain prescription of a stored record (it validated when finalized)."""
    rx, errors = validate(record.document, icd=icd_index())
    if rx is None:
        raise ValueError(f"stored prescription {record.id} no longer validates")
    return rx

"""Patient links: a token shown once, stored as a hash, that expires or is revoked."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select

import models
from extensions import db
from rxassist import lifecycle, short_code
from services import audit

TOKEN_BYTES = 24  # 192 bits
MAX_TOKEN = 100


def token_hash(token: str) -> str:
    """SHA-256 of a random token (random tokens need no salt or slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_patient_link(
    record: models.Prescription,
    actor: audit.Actor,
    days: int,
    *,
    commit: bool = True,
) -> tuple[models.PatientLink, str]:
    """A patient link and its token (shown once; only its hash is stored)."""
    if not lifecycle.can(lifecycle.Action.SHARE, record.status):
        raise ValueError(lifecycle.refusal(lifecycle.Action.SHARE))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = models.utcnow()
    link = models.PatientLink(
        prescription_id=record.id,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=days),
        # A link made through the API is made by the prescription's physician.
        created_by=actor.user_id or record.user_id,
    )
    db.session.add(link)
    db.session.flush()
    audit.record(
        "patient link created", record, actor, detail=f"expires in {days} days"
    )
    if commit:
        db.session.commit()
    return link, token


def add_short_code(link: models.PatientLink) -> str:
    """Give a link a short code for the handout; shown once, only its hash is kept."""
    raw = short_code.new_code()
    link.code_hash = short_code.code_hash(raw)
    db.session.commit()
    return short_code.display(raw)


def active_link(token: str) -> models.PatientLink | None:
    """The link a patient's token opens, if it still opens anything."""
    if not token or len(token) > MAX_TOKEN:
        return None
    return _usable(models.PatientLink.token_hash == token_hash(token))


def link_by_code(typed: str) -> models.PatientLink | None:
    """The link a typed short code opens (any case, dashes and spaces ignored)."""
    raw = short_code.normalize(typed)
    # An impossible code is still looked up, so every miss takes the same path.
    digest = short_code.code_hash(raw or typed[: short_code.MAX_TYPED])
    return _usable(models.PatientLink.code_hash == digest)


def link_by_id(link_id: str) -> models.PatientLink | None:
    """A link by its id (not a secret: the patient's session grant is the key)."""
    return _usable(models.PatientLink.id == link_id)


def _usable(where: Any) -> models.PatientLink | None:
    """The one link matching ``where``, unless expired, revoked or not to be opened."""
    link = db.session.scalar(select(models.PatientLink).where(where))
    if (
        link is None
        or not link.is_active()
        or not lifecycle.patient_may_open(link.prescription.status)
    ):
        return None
    return link


def revoke(link: models.PatientLink, actor: audit.Actor) -> None:
    """Revoke a patient link at once (revoking twice changes nothing)."""
    if link.revoked_at is None:
        link.revoked_at = models.utcnow()
        audit.record("patient link revoked", link.prescription, actor)
        db.session.commit()

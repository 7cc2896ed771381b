"""Patient links: a token shown once, stored as a hash, that expires or is revoked."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

import models
from extensions import db
from rxassist import lifecycle
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


def active_link(token: str) -> models.PatientLink | None:
    """The link a patient's token opens, if it still opens anything."""
    if not token or len(token) > MAX_TOKEN:
        return None
    link = db.session.scalar(
        select(models.PatientLink).where(
            models.PatientLink.token_hash == token_hash(token)
        )
    )
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

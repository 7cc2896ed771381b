"""API credentials: practice keys and physicians' personal tokens (hashes only)."""

from __future__ import annotations

import secrets

from sqlalchemy import select

import models
from extensions import db
from rxassist.schema import RECORD_LIMITS
from services import audit
from services.links import token_hash

KEY_PREFIX = "rxa_"
TOKEN_PREFIX = "rxp_"  # noqa: S105 - a prefix, not a secret
SECRET_BYTES = 32
# Longer than any secret this module makes: a longer one is not looked up.
MAX_SECRET = 200
SHOWN_PREFIX = 12
MAX_NAME = RECORD_LIMITS["api_key_name"]

Credential = models.ApiKey | models.PersonalToken


def authenticate(secret: str) -> Credential | None:
    """The active practice key or personal token whose secret this is."""
    secret = secret.strip()
    if not 0 < len(secret) <= MAX_SECRET:
        return None
    digest = token_hash(secret)
    if secret.startswith(TOKEN_PREFIX):
        return db.session.scalar(
            select(models.PersonalToken).where(
                models.PersonalToken.token_hash == digest,
                models.PersonalToken.revoked_at.is_(None),
            )
        )
    return db.session.scalar(
        select(models.ApiKey).where(
            models.ApiKey.key_hash == digest, models.ApiKey.revoked_at.is_(None)
        )
    )


def new_personal_token(
    user: models.User, name: str, actor: audit.Actor
) -> tuple[models.PersonalToken, str]:
    """A personal token of ``user`` and its secret (shown once; committed)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = models.PersonalToken(
        user_id=user.id,
        name=name.strip()[:MAX_NAME],
        prefix=secret[:SHOWN_PREFIX],
        token_hash=token_hash(secret),
    )
    db.session.add(token)
    db.session.flush()
    audit.record("personal token created", None, actor, detail=token.name)
    db.session.commit()
    return token, secret


def personal_tokens(user: models.User) -> list[models.PersonalToken]:
    """The physician's personal tokens, newest first, revoked ones included."""
    return list(
        db.session.scalars(
            select(models.PersonalToken)
            .where(models.PersonalToken.user_id == user.id)
            .order_by(models.PersonalToken.created_at.desc())
        )
    )


def revoke_personal_token(token: models.PersonalToken, actor: audit.Actor) -> None:
    """Revoke a personal token at once (revoking twice changes nothing)."""
    if token.revoked_at is None:
        token.revoked_at = models.utcnow()
        audit.record("personal token revoked", None, actor, detail=token.name)
        db.session.commit()

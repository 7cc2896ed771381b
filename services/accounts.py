"""Physician accounts: registering and logging in without telling who has an account."""

from __future__ import annotations

import functools
import secrets

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

import models
from extensions import db
from services import audit, sessions


def find(email: str) -> models.User | None:
    """The account of ``email`` (any case), if there is one."""
    return db.session.scalar(
        select(models.User).where(func.lower(models.User.email) == email.lower())
    )


@functools.cache
def _dummy_hash() -> str:
    """A hash made as real ones are, checked for unknown accounts (same work)."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> models.User | None:
    """The account whose email and password these are, else None.

    An unknown email costs the same hash check as a wrong password, so the time a
    refusal takes tells no one whether the account exists.
    """
    user = find(email)
    stored = user.password_hash if user is not None else _dummy_hash()
    matches = check_password_hash(stored, password)
    return user if user is not None and matches else None


def register(email: str, password: str) -> models.User | None:
    """Create an account; None when the email has one (after the same hashing work)."""
    hashed = generate_password_hash(password)
    if find(email) is not None:
        return None
    user = models.User(email=email, password_hash=hashed)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # registered at the same moment by another request
        db.session.rollback()
        return None
    return user


def change_password(
    user: models.User,
    password: str,
    actor: audit.Actor,
    *,
    keep: str = "",
    action: str = "password changed",
) -> None:
    """Set a new password (its rule checked by the caller) and end the user's
    sessions, but the one of token ``keep`` (the browser that changed it)."""
    user.set_password(password)
    ended = sessions.end_all(user, keep=keep)
    detail = sessions.ended_text(ended, other=bool(keep))
    audit.record(action, None, actor, detail=detail)
    db.session.commit()

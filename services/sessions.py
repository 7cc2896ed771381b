"""Browser sessions kept on the server: started at login, ended by logout, a password
change, an administrator's reset, "sign out everywhere" or a timeout."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

import models
from extensions import db
from rxassist.schema import RECORD_LIMITS
from services import audit
from services.links import token_hash

TOKEN_BYTES = 32  # 256 bits
# Longer than any token this module makes: a longer one is not looked up.
MAX_TOKEN = 100
# last_seen_at is written at most this often: an idle timeout needs no finer clock.
TOUCH_EVERY = timedelta(minutes=1)
MAX_USER_AGENT = RECORD_LIMITS["user_agent"]
MAX_ADDRESS = RECORD_LIMITS["address_ip"]


@dataclass(frozen=True)
class Limits:
    """How long a session lives: idle since its last request, and in all."""

    idle: timedelta
    lifetime: timedelta

    @classmethod
    def of(cls, config: dict[str, object]) -> Limits:
        """The limits RX_SESSION_IDLE_MINUTES and RX_SESSION_MAX_HOURS set."""
        return cls(
            idle=timedelta(minutes=float(str(config["RX_SESSION_IDLE_MINUTES"]))),
            lifetime=timedelta(hours=float(str(config["RX_SESSION_MAX_HOURS"]))),
        )


def start(user: models.User, ip: str, user_agent: str) -> str:
    """Open a session for ``user``; return its token (the cookie's, never stored).

    The token is also set on ``user``, whose get_id() Flask-Login keeps in the cookie.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(
        models.UserSession(
            id=token_hash(token),
            user_id=user.id,
            ip=ip[:MAX_ADDRESS],
            user_agent=user_agent[:MAX_USER_AGENT],
        )
    )
    db.session.commit()
    user.session_token = token
    return token


def load(token: str, limits: Limits) -> models.User | None:
    """The user of a live session, else None (unknown, revoked, idle or too old).

    Marks the session seen, at most once every TOUCH_EVERY to spare writes.
    """
    if not 0 < len(token) <= MAX_TOKEN:
        return None
    row = db.session.get(models.UserSession, token_hash(token))
    now = models.utcnow()
    if row is None or not _alive(row, now, limits):
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    user = row.user
    user.session_token = token
    return user


def _alive(row: models.UserSession, now: datetime, limits: Limits) -> bool:
    return (
        row.revoked_at is None
        and now - row.last_seen_at <= limits.idle
        and now - row.created_at <= limits.lifetime
    )


def end(token: str) -> None:
    """Revoke the session of ``token`` (logout): copies of its cookie stop working."""
    if 0 < len(token) <= MAX_TOKEN:
        db.session.execute(
            update(models.UserSession)
            .where(
                models.UserSession.id == token_hash(token),
                models.UserSession.revoked_at.is_(None),
            )
            .values(revoked_at=models.utcnow())
        )
        db.session.commit()


def end_all(user: models.User, *, keep: str = "") -> int:
    """Revoke the user's sessions, but the one of token ``keep``; how many ended.

    Committed with the caller's transaction.
    """
    query = update(models.UserSession).where(
        models.UserSession.user_id == user.id,
        models.UserSession.revoked_at.is_(None),
    )
    if keep:
        query = query.where(models.UserSession.id != token_hash(keep))
    result = db.session.execute(query.values(revoked_at=models.utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def sign_out_everywhere(user: models.User, actor: audit.Actor) -> int:
    """End every session of ``user`` and record it; how many ended."""
    ended = end_all(user)
    audit.record("signed out everywhere", None, actor, detail=ended_text(ended))
    db.session.commit()
    return ended


def live(user: models.User, limits: Limits) -> list[models.UserSession]:
    """The user's sessions still open, most recently seen first."""
    rows = db.session.scalars(
        select(models.UserSession)
        .where(
            models.UserSession.user_id == user.id,
            models.UserSession.revoked_at.is_(None),
        )
        .order_by(models.UserSession.last_seen_at.desc())
    )
    now = models.utcnow()
    return [row for row in rows if _alive(row, now, limits)]


def ended_text(count: int, *, other: bool = False) -> str:
    """How many sessions ended, in words, as the audit log's detail says it."""
    noun = "session" if count == 1 else "sessions"
    return f"{count} {'other ' if other else ''}{noun} ended"

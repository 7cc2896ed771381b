"""Tables: accounts with their prescriber profile, drafts, finalized prescriptions."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db

PROFILE_FIELDS = (
    "name",
    "credentials",
    "specialty",
    "npi",
    "license",
    "practice",
    "address",
    "phone",
    "fax",
)
REQUIRED_PROFILE_FIELDS = (
    "name",
    "credentials",
    "npi",
    "license",
    "practice",
    "address",
    "phone",
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_id() -> str:
    """An unguessable identifier for URLs (128 bits)."""
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """A physician's account and the prescriber profile printed on every Rx."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=_now)
    name: Mapped[str] = mapped_column(String(100), default="")
    credentials: Mapped[str] = mapped_column(String(20), default="")
    specialty: Mapped[str] = mapped_column(String(80), default="")
    npi: Mapped[str] = mapped_column(String(10), default="")
    license: Mapped[str] = mapped_column(String(40), default="")
    practice: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    fax: Mapped[str] = mapped_column(String(30), default="")

    drafts: Mapped[list[Draft]] = relationship(back_populates="user")

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def profile(self) -> dict[str, str]:
        """The prescriber section of a prescription document."""
        return {key: getattr(self, key) or "" for key in PROFILE_FIELDS}

    @property
    def profile_missing(self) -> list[str]:
        """Profile fields still empty that every prescription needs."""
        return [key for key in REQUIRED_PROFILE_FIELDS if not getattr(self, key)]


class Draft(db.Model):  # type: ignore[name-defined,misc]
    """A prescription being written, saved after every wizard step."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    step: Mapped[str] = mapped_column(String(20), default="patient")
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)
    prescription_id: Mapped[str | None] = mapped_column(
        ForeignKey("prescriptions.id"), default=None
    )

    user: Mapped[User] = relationship(back_populates="drafts")


class Prescription(db.Model):  # type: ignore[name-defined,misc]
    """A finalized prescription: the document as signed and its PDF."""

    __tablename__ = "prescriptions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="final")
    patient_name: Mapped[str] = mapped_column(String(100))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    code_set: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=_now)

"""Tables: accounts with prescriber profiles, drafts, prescriptions, signing keys."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from rxassist.accounts import MAX_EMAIL
from rxassist.lifecycle import STATUS_LENGTH, Status
from rxassist.prescription import PRESCRIBER_FIELDS, REQUIRED_PRESCRIBER_FIELDS
from rxassist.presets import MAX_NAME as MAX_PRESET_NAME
from rxassist.schema import MAX_LENGTH, RECORD_LIMITS, STATE_LENGTH

PROFILE_FIELDS = PRESCRIBER_FIELDS
REQUIRED_PROFILE_FIELDS = REQUIRED_PRESCRIBER_FIELDS


def utcnow() -> datetime:
    """The current UTC time, naive (as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_id() -> str:
    """An unguessable identifier for URLs and command arguments (128 bits, hex).

    Hex, not URL-safe base64: an id that began with "-" would be read as an option
    by ``flask admin revoke-api-key``.
    """
    return secrets.token_hex(16)


class Practice(db.Model):  # type: ignore[name-defined,misc]
    """A clinic whose physicians each keep their own prescriptions."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(
        String(RECORD_LIMITS["practice_name"]), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # An IANA zone ("America/Chicago") its pages and PDFs show times in; empty: the
    # installation's RX_TIMEZONE.
    time_zone: Mapped[str] = mapped_column(
        String(RECORD_LIMITS["time_zone"]), default="", server_default=""
    )

    users: Mapped[list[User]] = relationship(back_populates="practice_ref")


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """A physician's account and the prescriber profile printed on every Rx."""

    __tablename__ = "users"
    # An NPI belongs to one account in the whole install; "" (not entered yet) is
    # everyone's, so the index is partial.
    __table_args__ = (
        Index(
            "uq_users_npi",
            "npi",
            unique=True,
            sqlite_where=text("npi != ''"),
            postgresql_where=text("npi != ''"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(MAX_EMAIL), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    name: Mapped[str] = mapped_column(String(MAX_LENGTH["name"]), default="")
    credentials: Mapped[str] = mapped_column(
        String(MAX_LENGTH["credentials"]), default=""
    )
    specialty: Mapped[str] = mapped_column(String(MAX_LENGTH["specialty"]), default="")
    npi: Mapped[str] = mapped_column(String(MAX_LENGTH["npi"]), default="")
    license: Mapped[str] = mapped_column(String(MAX_LENGTH["license"]), default="")
    license_state: Mapped[str] = mapped_column(
        String(STATE_LENGTH), default="", server_default=""
    )
    practice: Mapped[str] = mapped_column(String(MAX_LENGTH["practice"]), default="")
    address: Mapped[str] = mapped_column(String(MAX_LENGTH["address"]), default="")
    phone: Mapped[str] = mapped_column(String(MAX_LENGTH["phone"]), default="")
    fax: Mapped[str] = mapped_column(String(MAX_LENGTH["fax"]), default="")
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id"), default=None, index=True
    )
    # The signature image, as rxassist.signature_image re-encoded it (never as sent).
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    signature_updated_at: Mapped[datetime | None] = mapped_column(default=None)
    # The practice's administrator: invites physicians and confirms them.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The NPI an administrator (or the command line, or the first-run setup)
    # confirmed as this person's, when, and by whom (NULL: not a user).
    confirmed_npi: Mapped[str | None] = mapped_column(
        String(MAX_LENGTH["npi"]), default=None
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), default=None
    )

    drafts: Mapped[list[Draft]] = relationship(back_populates="user")
    practice_ref: Mapped[Practice | None] = relationship(back_populates="users")

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    # The token of the browser session this object was signed in or loaded with
    # (services/sessions.py); not a column: only its hash is stored.
    session_token = ""

    def get_id(self) -> str:
        """The id Flask-Login keeps in the cookie: the server-side session's token."""
        if not self.session_token:
            raise RuntimeError(
                "sign in through services.sessions.start, not login_user"
            )
        return self.session_token

    @property
    def profile(self) -> dict[str, str]:
        """The prescriber section of a prescription document."""
        return {key: getattr(self, key) or "" for key in PROFILE_FIELDS}

    @property
    def profile_missing(self) -> list[str]:
        """Profile fields still empty that every prescription needs."""
        return [key for key in REQUIRED_PROFILE_FIELDS if not getattr(self, key)]

    @property
    def npi_confirmed(self) -> bool:
        """True when the NPI on the profile is the one an administrator confirmed."""
        return bool(self.npi) and self.npi == self.confirmed_npi


class Invitation(db.Model):  # type: ignore[name-defined,misc]
    """An invitation to join a practice; only its token's hash is kept."""

    __tablename__ = "invitations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    email: Mapped[str] = mapped_column(String(MAX_EMAIL))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)

    practice: Mapped[Practice] = relationship()

    def is_open(self, now: datetime | None = None) -> bool:
        """True until it is used or expires."""
        return self.used_at is None and (now or utcnow()) < self.expires_at


class SetupLink(db.Model):  # type: ignore[name-defined,misc]
    """The first-run setup address printed by `make run`; only its hash is kept."""

    __tablename__ = "setup_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class UserSession(db.Model):  # type: ignore[name-defined,misc]
    """A signed-in browser: its cookie carries the token, the table only its hash."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256, hex
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip: Mapped[str] = mapped_column(String(RECORD_LIMITS["address_ip"]), default="")
    user_agent: Mapped[str] = mapped_column(
        String(RECORD_LIMITS["user_agent"]), default=""
    )
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship()


class Draft(db.Model):  # type: ignore[name-defined,misc]
    """A prescription being written, saved after every wizard step."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    step: Mapped[str] = mapped_column(String(20), default="patient")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    prescription_id: Mapped[str | None] = mapped_column(
        ForeignKey("prescriptions.id"), default=None, unique=True
    )
    # A draft that corrects a finalized prescription (finalizing supersedes it).
    amends_id: Mapped[str | None] = mapped_column(
        ForeignKey("prescriptions.id"), default=None
    )
    # Started by a signed launch from a clinic intranet: shown in the embed layout.
    embedded: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Requested through the API with this practice key: it awaits the physician's
    # signature in their "To sign" list.
    requested_by_key: Mapped[str | None] = mapped_column(
        ForeignKey("api_keys.id"), default=None, index=True
    )

    user: Mapped[User] = relationship(back_populates="drafts")
    requested_by: Mapped[ApiKey | None] = relationship()


class Prescription(db.Model):  # type: ignore[name-defined,misc]
    """A finalized prescription: the document as signed and its PDF."""

    __tablename__ = "prescriptions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(MAX_LENGTH["number"]), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(
        String(STATUS_LENGTH), default=Status.FINAL.value, index=True
    )
    patient_name: Mapped[str] = mapped_column(String(MAX_LENGTH["name"]), index=True)
    patient_dob: Mapped[date] = mapped_column(Date)
    written_on: Mapped[date] = mapped_column(Date, index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    code_set: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaces_id: Mapped[str | None] = mapped_column(
        ForeignKey("prescriptions.id"), default=None
    )
    voided_at: Mapped[datetime | None] = mapped_column(default=None)
    # The electronic signature: when (UTC), from where, which attestation text.
    signed_at: Mapped[datetime | None] = mapped_column(default=None)
    signed_ip: Mapped[str] = mapped_column(
        String(RECORD_LIMITS["address_ip"]), default="", server_default=""
    )
    attestation_version: Mapped[str] = mapped_column(
        String(RECORD_LIMITS["attestation_version"]), default="", server_default=""
    )
    # The public verification page's token (/v/<token>), printed on the PDF.
    verify_token: Mapped[str | None] = mapped_column(
        String(RECORD_LIMITS["verify_token"]), default=None, unique=True
    )
    # The rules' warnings when it was issued, as the physician accepted them.
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )
    void_reason: Mapped[str] = mapped_column(
        String(RECORD_LIMITS["void_reason"]), default=""
    )

    user: Mapped[User] = relationship()

    @staticmethod
    def name_contains(text: str) -> ColumnElement[bool]:
        """Patient name contains ``text``, any case; % and _ are plain characters."""
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return Prescription.patient_name.ilike(f"%{escaped}%", escape="\\")


class AuditEvent(db.Model):  # type: ignore[name-defined,misc]
    """Who did what to a prescription, when, from where (never patient data)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    prescription_id: Mapped[str | None] = mapped_column(
        ForeignKey("prescriptions.id"), default=None, index=True
    )
    api_key_id: Mapped[str | None] = mapped_column(
        ForeignKey("api_keys.id"), default=None
    )
    token_id: Mapped[str | None] = mapped_column(
        ForeignKey("personal_tokens.id"), default=None
    )
    action: Mapped[str] = mapped_column(String(RECORD_LIMITS["audit_action"]))
    ip: Mapped[str] = mapped_column(String(RECORD_LIMITS["address_ip"]), default="")
    detail: Mapped[str] = mapped_column(
        String(RECORD_LIMITS["audit_detail"]), default=""
    )

    user: Mapped[User | None] = relationship()
    api_key: Mapped[ApiKey | None] = relationship()
    token: Mapped[PersonalToken | None] = relationship()


class Preset(db.Model):  # type: ignore[name-defined,misc]
    """A saved order without a patient: its physician's, or shared with the practice."""

    __tablename__ = "presets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The owner's practice when saved; a shared preset is offered to all of it.
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id"), default=None, index=True
    )
    shared: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(MAX_PRESET_NAME))
    # rxassist.presets.order_of: the order's sections, never the patient's data.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The ICD-10-CM code set its diagnoses were chosen in ("ICD-10-CM FY2026").
    code_set: Mapped[str] = mapped_column(String(RECORD_LIMITS["code_set"]))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()


class PatientLink(db.Model):  # type: ignore[name-defined,misc]
    """A link that lets the patient fetch a prescription; the token is kept hashed."""

    __tablename__ = "patient_links"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    prescription_id: Mapped[str] = mapped_column(
        ForeignKey("prescriptions.id"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The short code printed on the handout, hashed like the token (none via the API).
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    prescription: Mapped[Prescription] = relationship()

    def is_active(self, now: datetime | None = None) -> bool:
        """True until it expires or is revoked."""
        moment = now or utcnow()
        return self.revoked_at is None and moment < self.expires_at


class ApiKey(db.Model):  # type: ignore[name-defined,misc]
    """A practice's key to the REST API; only its hash is stored."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    name: Mapped[str] = mapped_column(String(RECORD_LIMITS["api_key_name"]))
    prefix: Mapped[str] = mapped_column(String(12))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    practice: Mapped[Practice] = relationship()


class PersonalToken(db.Model):  # type: ignore[name-defined,misc]
    """A physician's own token to the REST API; it acts for them alone (hash only)."""

    __tablename__ = "personal_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(RECORD_LIMITS["api_key_name"]))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship()


class IdempotentRequest(db.Model):  # type: ignore[name-defined,misc]
    """A POST made with an Idempotency-Key, so a retry returns the first answer."""

    __tablename__ = "idempotent_requests"
    # One of api_key_id and token_id is set: keys are per caller (NULLs never collide).
    __table_args__ = (
        UniqueConstraint("api_key_id", "key"),
        UniqueConstraint("token_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    api_key_id: Mapped[str | None] = mapped_column(
        ForeignKey("api_keys.id"), default=None
    )
    token_id: Mapped[str | None] = mapped_column(
        ForeignKey("personal_tokens.id"), default=None
    )
    key: Mapped[str] = mapped_column(String(RECORD_LIMITS["idempotency_key"]))
    request_sha256: Mapped[str] = mapped_column(String(64))
    # Empty while the first request with this key is still being processed.
    prescription_id: Mapped[str | None] = mapped_column(
        ForeignKey("prescriptions.id"), default=None
    )
    # The first answer, replayed verbatim (empty on rows from before it was kept).
    response_status: Mapped[int | None] = mapped_column(default=None)
    response_json: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SigningCertificate(db.Model):  # type: ignore[name-defined,misc]
    """A certificate and its encrypted key that sign a practice's issued PDFs."""

    __tablename__ = "signing_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL: the installation's own, for physicians who belong to no practice.
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id"), default=None, index=True
    )
    # "practice:<id>" or "installation" while in use, NULL once replaced. A unique
    # column rather than a flag: NULLs never collide, so two first uses racing to
    # create a practice's certificate cannot both end up active.
    active_slot: Mapped[str | None] = mapped_column(
        String(40), default=None, unique=True
    )
    # PEM, the signer's certificate first, then the rest of its chain.
    chain_pem: Mapped[str] = mapped_column(Text)
    # PKCS#8, encrypted with a key derived from RX_SIGNING_SECRET (or SECRET_KEY).
    key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    self_signed: Mapped[bool] = mapped_column()
    subject: Mapped[str] = mapped_column(String(500))
    fingerprint_sha256: Mapped[str] = mapped_column(String(64), index=True)
    not_after: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    practice: Mapped[Practice | None] = relationship()

    @property
    def active(self) -> bool:
        """True while it signs new PDFs (old ones stay to validate older files)."""
        return self.active_slot is not None

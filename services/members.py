"""Practice members: the first-run setup, invitations, whose NPI is whose, and the
administrator's confirmation that lets a physician sign."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import has_request_context, request
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

import models
from extensions import db
from rxassist import accounts as rules
from rxassist.coverage import CREDENTIALS
from rxassist.prescription import RecordedCodes, validate_sections
from services import audit
from services.links import token_hash

CONFIRMED = "physician confirmed"
UNCONFIRMED = "confirmation revoked"
IDENTITY_CHANGED = "identity changed"
# The prescriber section checks no diagnosis: an empty code set spares loading the
# ICD-10-CM index (about half a second) on a profile save or the first-run setup.
_NO_CODES = RecordedCodes({}, "")
# The first-run setup and the command line confirm without an administrator.
BY_SETUP = "by the first-run setup"
BY_CLI = "by the command line"


def npi_owner(npi: str, *, other_than: models.User | None = None) -> models.User | None:
    """The account whose NPI this is (another than ``other_than``), if any."""
    if not npi:
        return None
    query = select(models.User).where(models.User.npi == npi)
    if other_than is not None and other_than.id is not None:
        query = query.where(models.User.id != other_than.id)
    return db.session.scalar(query)


def save_profile(
    user: models.User, prescriber: Mapping[str, str], actor: audit.Actor
) -> dict[str, str]:
    """Store the prescriber profile; {field: message} when a field is refused or the
    NPI is another's.

    A changed identity (name, credentials, NPI, license) is no longer the one an
    administrator checked: the physician cannot sign until it is confirmed again.
    """
    errors = identity_problems(prescriber)
    npi = prescriber.get("npi", user.npi)
    if npi_owner(npi, other_than=user) is not None:
        errors.setdefault("npi", rules.NPI_TAKEN)
    if errors:
        return errors
    changed = [
        key
        for key in rules.IDENTITY_FIELDS
        if key in prescriber and prescriber[key] != (getattr(user, key) or "")
    ]
    for key, value in prescriber.items():
        setattr(user, key, value)
    if changed and user.confirmed_npi is not None:
        _unconfirm(user)
        # The field names only: their values are the profile's, not the log's.
        detail = f"{user.email}: {', '.join(changed)} changed; unconfirmed"
        audit.record(IDENTITY_CHANGED, None, actor, detail=detail)
    try:
        db.session.commit()
    except IntegrityError:  # another account took the NPI at the same moment
        db.session.rollback()
        return {"npi": rules.NPI_TAKEN}
    return {}


def identity_problems(prescriber: Mapping[str, str]) -> dict[str, str]:
    """{field: message} for the given prescriber fields the domain refuses (lengths,
    characters, NPI check digit, license state) or credentials not offered."""
    document = {"prescriber": dict(prescriber)}
    found = validate_sections(document, ("prescriber",), icd=_NO_CODES)
    problems = {
        path.split(".", 1)[-1]: message
        for path, message in found.items()
        if path.split(".", 1)[-1] in prescriber
    }
    credentials = prescriber.get("credentials", "")
    if credentials and credentials not in CREDENTIALS:
        problems.setdefault("credentials", rules.UNKNOWN_CREDENTIALS)
    return problems


def _unconfirm(user: models.User) -> None:
    user.confirmed_npi = None
    user.confirmed_at = None
    user.confirmed_by_id = None


def _confirm(
    member: models.User, actor: audit.Actor, how: str = "", *, commit: bool = True
) -> None:
    member.confirmed_npi = member.npi
    member.confirmed_at = models.utcnow()
    member.confirmed_by_id = actor.user_id if not how else None
    detail = f"{member.email}: NPI {member.npi}" + (f", {how}" if how else "")
    audit.record(CONFIRMED, None, actor, detail=detail)
    if commit:
        db.session.commit()


def administers(admin: models.User, member: models.User) -> bool:
    """True when ``admin`` is an administrator of ``member``'s practice."""
    return bool(
        admin.is_admin
        and admin.practice_id is not None
        and admin.practice_id == member.practice_id
    )


def confirm(
    member: models.User, admin: models.User, actor: audit.Actor, seen_npi: str
) -> str:
    """Confirm ``member``'s identity and NPI as ``admin``, who checked ``seen_npi``;
    why not, or ""."""
    if not administers(admin, member):
        return "Only an administrator of this physician's practice confirms them."
    if member.id == admin.id:
        return rules.SELF_CONFIRM
    if not member.npi:
        return "This physician has not entered an NPI yet."
    if seen_npi != member.npi:
        return rules.NPI_NOT_AS_SEEN.format(npi=member.npi)
    _confirm(member, actor)
    return ""


def confirm_from_cli(member: models.User) -> str:
    """Confirm ``member``'s NPI from the command line; why not, or ""."""
    if not member.npi:
        return f"{member.email} has no NPI yet: they enter it on their profile first."
    _confirm(member, audit.Actor(), BY_CLI)
    return ""


def revoke(member: models.User, admin: models.User, actor: audit.Actor) -> str:
    """Withdraw ``member``'s confirmation: they cannot sign again until confirmed."""
    if not administers(admin, member):
        return "Only an administrator of this physician's practice changes this."
    if member.confirmed_npi is not None:
        _unconfirm(member)
        audit.record(UNCONFIRMED, None, actor, detail=member.email)
        db.session.commit()
    return ""


def members(practice_id: int) -> list[models.User]:
    """The accounts of a practice, by name then email."""
    return list(
        db.session.scalars(
            select(models.User)
            .where(models.User.practice_id == practice_id)
            .order_by(models.User.name, models.User.email)
        )
    )


def confirmer(member: models.User) -> str:
    """Who confirmed ``member``'s NPI, in words."""
    if member.confirmed_by_id is None:
        return "setup or command line"
    admin = db.session.get(models.User, member.confirmed_by_id)
    return admin.email if admin is not None else "unknown"


def _token_and_expiry(lifetime: timedelta) -> tuple[str, datetime, datetime]:
    token = secrets.token_urlsafe(rules.LINK_TOKEN_BYTES)
    now = models.utcnow()
    return token, now, now + lifetime


def invite(
    practice_id: int, email: str, actor: audit.Actor
) -> tuple[models.Invitation, str]:
    """An invitation to the practice and its token (shown once; the hash is kept)."""
    token, now, expires = _token_and_expiry(timedelta(days=rules.INVITATION_DAYS))
    invitation = models.Invitation(
        practice_id=practice_id,
        email=email.strip().lower(),
        token_hash=token_hash(token),
        created_by=actor.user_id,
        created_at=now,
        expires_at=expires,
    )
    db.session.add(invitation)
    audit.record("invitation created", None, actor, detail=invitation.email)
    db.session.commit()
    return invitation, token


def pending_invitations(practice_id: int) -> list[models.Invitation]:
    """The practice's invitations not used yet and not expired, newest first."""
    return list(
        db.session.scalars(
            select(models.Invitation)
            .where(
                models.Invitation.practice_id == practice_id,
                models.Invitation.used_at.is_(None),
                models.Invitation.expires_at > models.utcnow(),
            )
            .order_by(models.Invitation.created_at.desc())
        )
    )


def withdraw_invitation(
    invitation_id: str, admin: models.User, actor: audit.Actor
) -> models.Invitation | None:
    """End a pending invitation of ``admin``'s practice now (its link opens nothing
    more); None when there is no such pending invitation."""
    now = models.utcnow()
    invitation = db.session.scalar(
        select(models.Invitation).where(
            models.Invitation.id == invitation_id,
            models.Invitation.practice_id == admin.practice_id,
            models.Invitation.used_at.is_(None),
            models.Invitation.expires_at > now,
        )
    )
    if invitation is None or not admin.is_admin:
        return None
    # Expired rather than used: no account was made from it.
    invitation.expires_at = now
    audit.record("invitation withdrawn", None, actor, detail=invitation.email)
    db.session.commit()
    return invitation


def open_invitation(token: str) -> models.Invitation | None:
    """The invitation a token opens, while it is unused and unexpired."""
    if not token or len(token) > rules.MAX_LINK_TOKEN:
        return None
    invitation = db.session.scalar(
        select(models.Invitation).where(
            models.Invitation.token_hash == token_hash(token)
        )
    )
    return invitation if invitation is not None and invitation.is_open() else None


@dataclass(frozen=True)
class NewAccount:
    """What an invited physician or the first administrator types."""

    email: str
    password: str
    profile: Mapping[str, str]


def accept(invitation: models.Invitation, account: NewAccount) -> dict[str, str]:
    """Make the invited physician's account (unconfirmed); {field: message} if not.

    The invitation is claimed in the same transaction, so a token makes one account.
    """
    errors = _account_problems(account)
    if errors:
        return errors
    claimed = db.session.execute(
        update(models.Invitation)
        .where(
            models.Invitation.id == invitation.id,
            models.Invitation.used_at.is_(None),
            # Not withdrawn (nor expired) since the page was opened.
            models.Invitation.expires_at > models.utcnow(),
        )
        .values(used_at=models.utcnow())
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return {"invitation": "This invitation was used or withdrawn already."}
    user = _new_user(account, invitation.practice_id)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "invitation accepted",
        None,
        audit.Actor(user=user, ip=_ip()),
        detail=f"{user.email} joined {invitation.practice.name}",
    )
    return _commit_account()


def _account_problems(account: NewAccount) -> dict[str, str]:
    # Checked here too, not only by the form: nothing over-long reaches a column.
    errors = identity_problems(account.profile)
    if _email_taken(account.email):
        errors["email"] = "This email has an account already: log in with it."
    if npi_owner(account.profile.get("npi", "")) is not None:
        errors["npi"] = rules.NPI_TAKEN
    return errors


def _email_taken(email: str) -> bool:
    return (
        db.session.scalar(
            select(models.User.id).where(func.lower(models.User.email) == email.lower())
        )
        is not None
    )


def _new_user(account: NewAccount, practice_id: int | None) -> models.User:
    user = models.User(email=account.email.strip().lower(), practice_id=practice_id)
    user.set_password(account.password)
    for key, value in account.profile.items():
        setattr(user, key, value)
    return user


def _commit_account() -> dict[str, str]:
    try:
        db.session.commit()
    except IntegrityError:  # the email or NPI was taken at the same moment
        db.session.rollback()
        return {"email": "This email or NPI has an account already."}
    return {}


def _ip() -> str:
    """The request's address for the audit log (the new account acts)."""
    if has_request_context():
        return request.remote_addr or ""
    return audit.CLI_ADDRESS


def setup_needed() -> bool:
    """True while the install has no account: the first-run setup is open."""
    return db.session.scalar(select(models.User.id).limit(1)) is None


def new_setup_link() -> str:
    """A one-time setup token (shown once); earlier unused ones stop working."""
    db.session.execute(
        update(models.SetupLink)
        .where(models.SetupLink.used_at.is_(None))
        .values(used_at=models.utcnow())
    )
    token, now, expires = _token_and_expiry(timedelta(hours=rules.SETUP_HOURS))
    db.session.add(
        models.SetupLink(
            token_hash=token_hash(token), created_at=now, expires_at=expires
        )
    )
    db.session.commit()
    return token


def open_setup(token: str) -> models.SetupLink | None:
    """The setup link a token opens, while no account exists and it is unused."""
    if not token or len(token) > rules.MAX_LINK_TOKEN or not setup_needed():
        return None
    link = db.session.scalar(
        select(models.SetupLink).where(models.SetupLink.token_hash == token_hash(token))
    )
    if link is None or link.used_at is not None or link.expires_at <= models.utcnow():
        return None
    return link


def set_up(
    link: models.SetupLink, practice_name: str, account: NewAccount, physician: bool
) -> dict[str, str]:
    """Create the practice and its administrator; a physician-administrator's NPI is
    confirmed by the setup itself (and audited so). {field: message} if not."""
    if not physician:  # the prescriber fields are neither kept nor checked
        account = NewAccount(account.email, account.password, {})
    errors = _account_problems(account)
    if _practice_taken(practice_name):
        errors["practice_name"] = "A practice has this name already."
    if errors:
        return errors
    claimed = db.session.execute(
        update(models.SetupLink)
        .where(models.SetupLink.id == link.id, models.SetupLink.used_at.is_(None))
        .values(used_at=models.utcnow())
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return {"setup": "This setup address was used already."}
    practice = models.Practice(name=practice_name)
    db.session.add(practice)
    db.session.flush()
    user = _new_user(account, practice.id)
    user.is_admin = True
    user.practice = practice.name
    db.session.add(user)
    db.session.flush()
    actor = audit.Actor(user=user, ip=_ip())
    audit.record("practice set up", None, actor, detail=practice.name)
    if physician:
        _confirm(user, actor, BY_SETUP, commit=False)
    return _commit_account()


def _practice_taken(name: str) -> bool:
    return (
        db.session.scalar(
            select(models.Practice.id).where(models.Practice.name == name)
        )
        is not None
    )

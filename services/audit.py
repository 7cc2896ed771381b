"""The audit log: who did what to a prescription, when and from where."""

from __future__ import annotations

from dataclasses import dataclass

import models
from extensions import db
from rxassist.schema import RECORD_LIMITS

# Where an event came from when no web request carries an address.
CLI_ADDRESS = "cli"
MAX_ADDRESS = RECORD_LIMITS["address_ip"]
MAX_DETAIL = RECORD_LIMITS["audit_detail"]
MAX_ACTION = RECORD_LIMITS["audit_action"]
# Actions of API calls start so; one refused for want of a key has no actor.
API_ACTION = "api "


@dataclass(frozen=True)
class Actor:
    """Who acts: a physician, an API key, a personal token, a patient link or the
    command line, and from which address."""

    user: models.User | None = None
    api_key_id: str | None = None
    ip: str = CLI_ADDRESS
    api_key_name: str = ""
    # A personal token acts for ``user``, its physician.
    token_id: str | None = None
    token_name: str = ""

    @property
    def user_id(self) -> int | None:
        """The acting physician's id, if a physician acts."""
        return self.user.id if self.user is not None else None

    @property
    def via_api(self) -> bool:
        """True when an API key or a personal token acts."""
        return bool(self.api_key_id or self.token_id)

    @property
    def label(self) -> str:
        """Who acted, in words, as the audit log prints it."""
        email = self.user.email if self.user is not None else "unknown physician"
        if self.ip == CLI_ADDRESS:
            return "command line" + (f" for {email}" if self.user else "")
        if self.token_id:
            return f"personal token '{self.token_name}' of {email}"
        if self.api_key_id:
            return f"api key '{self.api_key_name}'"
        if self.user is not None:
            return email
        return "patient link"

    @classmethod
    def of(cls, event: models.AuditEvent) -> Actor:
        """The actor a stored event names."""
        return cls(
            user=event.user,
            api_key_id=event.api_key_id,
            api_key_name=event.api_key.name if event.api_key else "",
            token_id=event.token_id,
            token_name=event.token.name if event.token else "",
            ip=event.ip,
        )


def who(event: models.AuditEvent) -> str:
    """Who acted in a stored event, in words."""
    actor = Actor.of(event)
    if actor.label == "patient link" and event.action.startswith(API_ACTION):
        return "API call without a valid key"
    return actor.label


def record(
    action: str,
    prescription: models.Prescription | None,
    actor: Actor,
    *,
    detail: str = "",
) -> None:
    """Add an event to the audit log (committed with the caller's transaction)."""
    db.session.add(
        models.AuditEvent(
            action=action[:MAX_ACTION],
            prescription_id=prescription.id if prescription else None,
            user_id=actor.user_id,
            api_key_id=actor.api_key_id,
            token_id=actor.token_id,
            ip=actor.ip[:MAX_ADDRESS],
            detail=detail[:MAX_DETAIL],
        )
    )

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


@dataclass(frozen=True)
class Actor:
    """Who acts: a physician, an API key or the command line, and from which address."""

    user: models.User | None = None
    api_key_id: str | None = None
    ip: str = CLI_ADDRESS

    @property
    def user_id(self) -> int | None:
        """The acting physician's id, if a physician acts."""
        return self.user.id if self.user is not None else None


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
            ip=actor.ip[:MAX_ADDRESS],
            detail=detail[:MAX_DETAIL],
        )
    )

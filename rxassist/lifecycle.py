"""A prescription's lifecycle: its statuses, what may be done in each, its number.

The only place that names a status. A draft becomes *final* when the physician
finalizes it (a draft requested through the API with a practice key is *awaiting
signature* until then); a final prescription may be amended (the new version finalizes
and the old one becomes *superseded*), voided (*void*), renewed or shared with the
patient.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    """Where a prescription is in its life."""

    DRAFT = "draft"
    # Requested through the API with a practice key: a draft only the physician signs.
    AWAITING_SIGNATURE = "awaiting_signature"
    FINAL = "final"
    SUPERSEDED = "superseded"
    VOID = "void"

    @property
    def label(self) -> str:
        """The status in words, as lists and filters show it."""
        return self.value.replace("_", " ").capitalize()


class Action(StrEnum):
    """What a physician (or the API) can do to a prescription."""

    FINALIZE = "finalize"
    AMEND = "amend"
    VOID = "void"
    RENEW = "renew"
    SHARE = "share"


# The statuses a stored record can have (a draft is not a record yet).
RECORD_STATUSES: tuple[Status, ...] = (Status.FINAL, Status.SUPERSEDED, Status.VOID)
# Longest record status, for the column that stores it (drafts have no status column).
STATUS_LENGTH = 12


@dataclass(frozen=True)
class Transition:
    """An action: the statuses it starts from and the status it leaves behind."""

    action: Action
    allowed_from: frozenset[Status]
    # The status of the prescription acted on afterwards (None: unchanged).
    leaves: Status | None
    refusal: str


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        # Finalizing is the physician's signature, also of a draft the API requested.
        Transition(
            Action.FINALIZE,
            frozenset({Status.DRAFT, Status.AWAITING_SIGNATURE}),
            Status.FINAL,
            "This draft is already finalized.",
        ),
        # The amended prescription is superseded when its correction is finalized.
        Transition(
            Action.AMEND,
            frozenset({Status.FINAL}),
            Status.SUPERSEDED,
            "Only a current prescription can be amended.",
        ),
        Transition(
            Action.VOID,
            frozenset({Status.FINAL}),
            Status.VOID,
            "Only a current prescription can be voided.",
        ),
        # Renewing starts a new draft from any record; the record itself stays.
        Transition(
            Action.RENEW,
            frozenset(RECORD_STATUSES),
            None,
            "This prescription cannot be renewed.",
        ),
        Transition(
            Action.SHARE,
            frozenset({Status.FINAL}),
            None,
            "Only the current version of a prescription can be shared.",
        ),
    )
}

# A patient may still open a link to a superseded version (it names its correction),
# never to a void one.
PATIENT_VISIBLE: frozenset[Status] = frozenset({Status.FINAL, Status.SUPERSEDED})

# FHIR R4 ServiceRequest.status codes (hl7.org/fhir/R4/valueset-request-status.html)
FHIR_REQUEST_STATUSES: frozenset[str] = frozenset(
    {
        "draft", "active", "on-hold", "revoked",
        "completed", "entered-in-error", "unknown",
    }
)  # fmt: skip
# The FHIR ServiceRequest.status of each record status.
FHIR_REQUEST_STATUS: dict[Status, str] = {
    Status.FINAL: "active",
    Status.SUPERSEDED: "revoked",
    Status.VOID: "revoked",
}

SUPERSEDED_REFUSAL = "The prescription this draft corrects is no longer current."

_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
NUMBER_SUFFIX_LENGTH = 6


def can(action: Action, status: str) -> bool:
    """True when ``action`` may be done to a prescription in ``status``."""
    return Status(status) in TRANSITIONS[action].allowed_from


def refusal(action: Action) -> str:
    """What to tell someone who tries ``action`` where it is not allowed."""
    return TRANSITIONS[action].refusal


def after(action: Action) -> Status:
    """The status a prescription has once ``action`` changed it."""
    leaves = TRANSITIONS[action].leaves
    if leaves is None:
        raise ValueError(f"{action} does not change the prescription's status")
    return leaves


def patient_may_open(status: str) -> bool:
    """True when a patient link to a prescription in ``status`` still opens it."""
    return Status(status) in PATIENT_VISIBLE


def fhir_status(status: str) -> str:
    """The FHIR ServiceRequest status of a record in ``status``."""
    return FHIR_REQUEST_STATUS[Status(status)]


def new_number(day: date) -> str:
    """A prescription number that is readable over the phone: RX-20261123-7K3QZD."""
    suffix = "".join(
        secrets.choice(_NUMBER_ALPHABET) for _ in range(NUMBER_SUFFIX_LENGTH)
    )
    return f"RX-{day:%Y%m%d}-{suffix}"

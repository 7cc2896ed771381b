"""The one way a prescription is issued, and the changes to it afterwards.

``issue`` stamps the prescriber, the number and the date on a document, validates it,
renders its PDF once and stores the record with its audit event. The wizard's Finalize
(a draft, possibly amending a record) and the API (an optional Idempotency-Key) both
call it; each guard makes sure one request stores at most one prescription.
``request_signature`` validates the same way but stores a draft that only the
physician's Finalize issues (a practice API key's request).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from enum import Enum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

import models
from extensions import db
from rxassist import accounts, attestation, lifecycle, localtime
from rxassist.lifecycle import Action
from rxassist.prescription import (
    ORDER_SECTIONS,
    PATIENT_SECTIONS,
    Prescription,
    from_record,
)
from rxassist.review import Review, field_findings
from rxassist.rules import Finding, Severity
from services import (
    audit,
    checks,
    clock,
    links,
    rendering,
    signature_images,
    signing,
)

# The sections a new draft copies from a prescription it amends or renews.
COPIED_SECTIONS = (*PATIENT_SECTIONS, *ORDER_SECTIONS)
WRITTEN_TODAY = "Leave written_on out, or send today's date."
VERIFY_TOKEN_BYTES = 16  # 128 bits: the verification page's token is unguessable


class Outcome(Enum):
    """What ``issue`` did."""

    ISSUED = "issued"
    # The draft or Idempotency-Key had issued it already: the first record is returned.
    ALREADY_ISSUED = "already issued"
    INVALID = "invalid"
    # The prescription a draft amends was amended or voided in the meantime.
    NOT_CURRENT = "not current"
    # The physician has not accepted every warning the rules raise now.
    WARNINGS_NOT_ACCEPTED = "warnings not accepted"
    # The PDF could not be signed (certificate or its secret): nothing was stored.
    SIGNING_FAILED = "signing failed"
    KEY_REUSED = "key reused"
    IN_PROGRESS = "in progress"
    # Stored as a draft for the physician to sign (``request_signature``).
    AWAITING_SIGNATURE = "awaiting signature"
    # The Idempotency-Key's first answer, to be sent again as it was.
    REPLAYED = "replayed"
    # No administrator has confirmed the prescriber's identity and NPI (yet).
    UNCONFIRMED = "unconfirmed"


# An API answer kept with its Idempotency-Key: the JSON body and the status code.
Reply = tuple[dict[str, Any], int]


@dataclass(frozen=True)
class DraftClaim:
    """Guard: the draft is claimed in the same transaction, so it issues once."""

    draft: models.Draft


@dataclass(frozen=True)
class IdempotencyClaim:
    """Guard: an API caller's Idempotency-Key, claimed before anything is stored.

    The caller is a practice key (``api_key_id``) or a personal token (``token_id``);
    ``reply`` makes the answer that is stored with the claim in the same transaction,
    so that a retry gets it verbatim.
    """

    api_key_id: str | None
    key: str
    request_sha256: str
    token_id: str | None = None
    reply: Callable[[Issued], Reply] | None = None


@dataclass
class Issued:
    """The result of ``issue``: the record, or why there is none."""

    outcome: Outcome
    record: models.Prescription | None = None
    errors: dict[str, str] = field(default_factory=dict)
    link: models.PatientLink | None = None
    token: str = ""
    findings: tuple[Finding, ...] = ()
    # AWAITING_SIGNATURE: the draft the physician signs.
    draft: models.Draft | None = None
    # REPLAYED: the first answer to this Idempotency-Key.
    replay: Reply | None = None

    @property
    def warnings(self) -> list[Finding]:
        """The warnings the rules raised (accepted when the record was issued)."""
        return [f for f in self.findings if f.severity is Severity.WARNING]


def warning_key(finding: Finding) -> str:
    """How a shown warning is named when the physician accepts it."""
    return f"{finding.rule}@{finding.field}"


def issue(
    document: dict[str, Any],
    prescriber: models.User,
    actor: audit.Actor,
    *,
    guard: DraftClaim | IdempotencyClaim | None = None,
    link_days: int | None = None,
    accepted: Collection[str] | None = None,
) -> Issued:
    """Issue a prescription from ``document`` in ``prescriber``'s name.

    ``accepted`` names the warnings (``warning_key``) the physician saw and accepted;
    None means whoever calls answers for them (the API returns them). With
    ``link_days`` a patient link valid that long is made in the same transaction.
    """
    started = _start(prescriber, guard)
    if isinstance(started, Issued):
        return started
    replaced, claim = started
    checked = _stamped(document, prescriber, replaced)
    refusal = _refusal(checked, accepted)
    if refusal is not None:
        db.session.rollback()  # releases an Idempotency-Key for a corrected retry
        return refusal
    assert checked.rx is not None  # noqa: S101 - _refusal answers for an invalid one
    try:
        record = _store(checked.rx, prescriber, actor, replaces=replaced)
    except signing.SigningError as exc:
        db.session.rollback()  # no PDF without its signature, no signature without it
        return _unsigned(exc)
    record.warnings = [w.to_json() for w in checked.warnings]
    if isinstance(guard, DraftClaim) and not _claim_draft(
        guard.draft, record, replaced
    ):
        return _lost_claim(guard.draft)
    _audit_issue(record, checked, actor, replaced)
    link, token = None, ""
    if link_days is not None:
        link, token = links.new_patient_link(record, actor, link_days, commit=False)
    issued = Issued(
        Outcome.ISSUED, record=record, link=link, token=token, findings=checked.findings
    )
    if isinstance(guard, IdempotencyClaim) and claim is not None:
        claim.prescription_id = record.id
        _keep_reply(claim, guard, issued)
    db.session.commit()
    return issued


def _start(
    prescriber: models.User, guard: DraftClaim | IdempotencyClaim | None
) -> Issued | tuple[models.Prescription | None, models.IdempotentRequest | None]:
    """What the guard allows: (the record amended, the key claimed), or why not."""
    if not prescriber.npi_confirmed:
        return _unconfirmed()
    try:
        # Made (at first use) before this transaction writes: SQLite allows one writer.
        signing.certificate_for(prescriber.practice_ref)
    except signing.SigningError as exc:
        return _unsigned(exc)
    if isinstance(guard, DraftClaim):
        if guard.draft.prescription_id:
            return _already(guard.draft.prescription_id)
        if guard.draft.amends_id:
            replaced = db.session.get(models.Prescription, guard.draft.amends_id)
            if replaced is None or not lifecycle.can(Action.AMEND, replaced.status):
                return _not_current()
            return replaced, None
    elif isinstance(guard, IdempotencyClaim):
        claim, earlier = _claim_key(guard)
        if earlier is not None:
            return earlier
        return None, claim
    return None, None


def _refusal(checked: Review, accepted: Collection[str] | None) -> Issued | None:
    """Why a checked document may not be issued now, or None."""
    if checked.rx is None or not checked.ok:
        return Issued(Outcome.INVALID, errors=checked.errors, findings=checked.findings)
    unseen = [w for w in checked.warnings if warning_key(w) not in (accepted or ())]
    if accepted is not None and unseen:
        return Issued(Outcome.WARNINGS_NOT_ACCEPTED, findings=checked.findings)
    return None


def _lost_claim(draft: models.Draft) -> Issued:
    """Another request finalized the draft, or superseded what it amends, first."""
    db.session.rollback()
    db.session.refresh(draft)
    if draft.prescription_id:
        return _already(draft.prescription_id)
    return _not_current()


def _audit_issue(
    record: models.Prescription,
    checked: Review,
    actor: audit.Actor,
    replaced: models.Prescription | None,
) -> None:
    """The audit events of an issue: finalized, the warnings accepted, amended."""
    via = " via API" if actor.via_api else ""
    audit.record("finalized", record, actor, detail=f"number {record.number}{via}")
    if checked.warnings:
        rule_ids = ", ".join(dict.fromkeys(w.rule for w in checked.warnings))
        audit.record("warnings accepted", record, actor, detail=rule_ids)
    if replaced is not None:
        audit.record(
            "amended", replaced, actor, detail=f"superseded by {record.number}"
        )


def request_signature(
    document: dict[str, Any],
    prescriber: models.User,
    actor: audit.Actor,
    *,
    guard: IdempotencyClaim | None = None,
) -> Issued:
    """Validate ``document`` as ``issue`` does, then store it as a draft awaiting
    ``prescriber``'s signature: nothing is issued, no PDF, no patient link."""
    if not prescriber.npi_confirmed:
        return _unconfirmed(accounts.KEY_NOT_CONFIRMED)
    claim = None
    if guard is not None:
        claim, earlier = _claim_key(guard)
        if earlier is not None:
            return earlier
    checked = _stamped(document, prescriber, None)
    refusal = _refusal(checked, accepted=None)
    if refusal is not None:
        db.session.rollback()  # releases an Idempotency-Key for a corrected retry
        return refusal
    draft = models.Draft(
        user_id=prescriber.id,
        document={k: v for k, v in document.items() if k not in NOT_DRAFTED},
        step="review",
        requested_by_key=actor.api_key_id,
    )
    db.session.add(draft)
    db.session.flush()
    audit.record("signature requested", None, actor, detail=f"draft {draft.id} to sign")
    issued = Issued(Outcome.AWAITING_SIGNATURE, draft=draft, findings=checked.findings)
    if guard is not None and claim is not None:
        _keep_reply(claim, guard, issued)
    db.session.commit()
    return issued


# Stamped when the physician signs, or the wizard's own: not kept in a requested draft.
NOT_DRAFTED = ("written_on", "number", "prescriber", "wizard", "amends")


def _keep_reply(
    claim: models.IdempotentRequest, guard: IdempotencyClaim, issued: Issued
) -> None:
    if guard.reply is not None:
        claim.response_json, claim.response_status = guard.reply(issued)


def _stamped(
    document: dict[str, Any],
    prescriber: models.User,
    replaced: models.Prescription | None,
) -> Review:
    """Check the document as signed today by ``prescriber`` under a new number."""
    today = clock.today(prescriber)
    written = document.get("written_on")
    stamped = {k: v for k, v in document.items() if k not in ("wizard", "amends")}
    stamped.update(
        prescriber=prescriber.profile,
        number=lifecycle.new_number(today),
        written_on=today.isoformat(),
    )
    if replaced is not None:
        stamped["amends"] = replaced.number
    checked = checks.review(stamped)
    if written not in (None, today.isoformat()):
        # A prescription is signed the day it is issued: no back- or post-dating.
        dated = field_findings({"written_on": WRITTEN_TODAY})
        return Review(None, (*dated, *checked.findings))
    return checked


def _store(
    rx: Prescription,
    prescriber: models.User,
    actor: audit.Actor,
    *,
    replaces: models.Prescription | None,
) -> models.Prescription:
    """Sign, render and seal the PDF once, and add the immutable record."""
    now = models.utcnow()
    signature = attestation.signed_now(
        rx.prescriber, clock.zone_of(prescriber), now.replace(tzinfo=UTC)
    ).to_document()
    # The image as it is now, kept with the record: later changes alter no print.
    image_svg = signature_images.svg(prescriber)
    if image_svg is not None:
        signature["image_svg"] = image_svg
    token = secrets.token_urlsafe(VERIFY_TOKEN_BYTES)
    data = signing.sign_pdf(
        rendering.prescription_pdf(
            rx, signature=signature, verification=rendering.verification(token)
        ),
        prescriber.practice_ref,
        reason=f"Prescription {rx.number}, {attestation.ATTESTATION_VERSION}",
        signer_name=rx.prescriber.name,
    )
    record = models.Prescription(
        number=rx.number,
        user_id=prescriber.id,
        status=lifecycle.after(Action.FINALIZE),
        patient_name=rx.patient.name,
        patient_dob=rx.patient.dob,
        written_on=rx.written_on,
        document={**rx.to_document(), "signature": signature},
        pdf=data,
        sha256=hashlib.sha256(data).hexdigest(),
        code_set=rx.code_set,
        replaces_id=replaces.id if replaces else None,
        signed_at=now,
        signed_ip=actor.ip,
        attestation_version=attestation.ATTESTATION_VERSION,
        verify_token=token,
    )
    db.session.add(record)
    db.session.flush()
    return record


def _claim_draft(
    draft: models.Draft,
    record: models.Prescription,
    replaced: models.Prescription | None,
) -> bool:
    """Claim the draft (and supersede what it amends) atomically: one of two wins."""
    claimed = db.session.execute(
        update(models.Draft)
        .where(models.Draft.id == draft.id, models.Draft.prescription_id.is_(None))
        .values(prescription_id=record.id)
    ).rowcount
    if replaced is not None and claimed == 1:
        claimed = _transition(replaced, Action.AMEND)
    return claimed == 1


def _transition(record: models.Prescription, action: Action, **values: Any) -> int:
    """Move ``record`` along ``action`` if its stored status still allows it."""
    allowed = lifecycle.TRANSITIONS[action].allowed_from
    return int(
        db.session.execute(
            update(models.Prescription)
            .where(
                models.Prescription.id == record.id,
                models.Prescription.status.in_([s.value for s in allowed]),
            )
            .values(status=lifecycle.after(action).value, **values)
        ).rowcount
    )


def _claim_key(
    guard: IdempotencyClaim,
) -> tuple[models.IdempotentRequest | None, Issued | None]:
    """Claim the Idempotency-Key, or the result of the request that claimed it."""
    earlier = _idempotent(guard)
    if earlier is None:
        claim = models.IdempotentRequest(
            api_key_id=None if guard.token_id else guard.api_key_id,
            token_id=guard.token_id,
            key=guard.key,
            request_sha256=guard.request_sha256,
        )
        db.session.add(claim)
        try:
            db.session.flush()
            return claim, None
        except IntegrityError:
            db.session.rollback()
            earlier = _idempotent(guard)
    if earlier is None:  # claimed and released again by a failed request: retry later
        return None, Issued(Outcome.IN_PROGRESS)
    if earlier.request_sha256 != guard.request_sha256:
        return None, Issued(Outcome.KEY_REUSED)
    if earlier.response_json is not None and earlier.response_status is not None:
        return None, Issued(
            Outcome.REPLAYED, replay=(earlier.response_json, earlier.response_status)
        )
    if earlier.prescription_id is None:
        return None, Issued(Outcome.IN_PROGRESS)
    return None, _already(earlier.prescription_id)


def _idempotent(guard: IdempotencyClaim) -> models.IdempotentRequest | None:
    table = models.IdempotentRequest
    caller = (
        table.token_id == guard.token_id
        if guard.token_id
        else table.api_key_id == guard.api_key_id
    )
    return db.session.scalar(select(table).where(caller, table.key == guard.key))


def _already(prescription_id: str) -> Issued:
    return Issued(
        Outcome.ALREADY_ISSUED,
        record=db.session.get(models.Prescription, prescription_id),
    )


def _unsigned(exc: Exception) -> Issued:
    return Issued(Outcome.SIGNING_FAILED, errors={"signature": str(exc)})


def _unconfirmed(message: str = accounts.NOT_CONFIRMED) -> Issued:
    return Issued(Outcome.UNCONFIRMED, errors={"npi": message})


def _not_current() -> Issued:
    return Issued(Outcome.NOT_CURRENT, errors={"amends": lifecycle.SUPERSEDED_REFUSAL})


def draft_document(draft: Mapping[str, Any], user: models.User) -> dict[str, Any]:
    """A draft's document as issued today: the date and the prescriber's profile."""
    document = {k: v for k, v in draft.items() if k != "wizard"}
    document["written_on"] = clock.today(user).isoformat()
    document["prescriber"] = user.profile
    return document


def finalize(
    draft: models.Draft,
    user: models.User,
    actor: audit.Actor,
    accepted: Collection[str] | None = None,
) -> Issued:
    """Issue the draft as the signed-in physician's prescription (once).

    ``accepted`` names the warnings the physician saw and accepted on the review page
    (see ``issue``).
    """
    issued = issue(
        draft_document(draft.document, user),
        user,
        actor,
        guard=DraftClaim(draft),
        accepted=accepted,
    )
    requester = draft.requested_by
    if issued.outcome is Outcome.ISSUED and requester is not None:
        audit.record(
            "signed on request",
            issued.record,
            actor,
            detail=f"requested by api key '{requester.name}' "
            f"on {localtime.shown(draft.created_at, clock.zone_of(user))}",
        )
        db.session.commit()
    return issued


def void(record: models.Prescription, actor: audit.Actor, reason: str) -> bool:
    """Void a current prescription with a reason; False when it is not current."""
    if _transition(record, Action.VOID, voided_at=models.utcnow(), void_reason=reason):
        audit.record("voided", record, actor, detail=f"reason: {reason}")
        db.session.commit()
        db.session.refresh(record)
        return True
    db.session.rollback()
    return False


def start_draft(
    record: models.Prescription, action: Action, actor: audit.Actor
) -> models.Draft | None:
    """A new draft from a record, to amend or renew it; None when not allowed."""
    if action not in (Action.AMEND, Action.RENEW) or not lifecycle.can(
        action, record.status
    ):
        return None
    source = record.document
    document: dict[str, Any] = {k: source[k] for k in COPIED_SECTIONS if k in source}
    # Re-evaluations are scheduled again when the new prescription is issued.
    plan = {k: v for k, v in (source.get("plan") or {}).items() if k != "reevaluations"}
    document["plan"] = plan
    if action is Action.RENEW:
        # A renewal restarts the same plan today; the old dates no longer apply.
        document["plan"] = dict(plan, start=clock.today(actor.user).isoformat())
    assert actor.user is not None  # noqa: S101 - drafts belong to a physician
    draft = models.Draft(
        user_id=actor.user.id,
        document=document,
        step="review",
        amends_id=record.id if action is Action.AMEND else None,
    )
    db.session.add(draft)
    audit.record(
        "amend started" if action is Action.AMEND else "renewed", record, actor
    )
    db.session.commit()
    return draft


def stored_prescription(record: models.Prescription) -> Prescription:
    """The domain prescription of a stored record, as it was signed."""
    return from_record(record.document)

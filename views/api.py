"""JSON API v1: ICD-10-CM search, and prescriptions for a practice's API key (which
requests a physician's signature) or a physician's personal token (which signs)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from sqlalchemy import select
from sqlalchemy.sql.elements import ColumnElement

import models
from extensions import codeset, csrf, db, limiter
from rxassist import accounts, lifecycle
from rxassist.prescription import parse_date, parse_whole_number
from rxassist.rules import Severity
from rxassist.schema import MAX_JSON_DEPTH, RECORD_LIMITS, json_depth
from services import audit, capacity, issuing, members, tokens, urls
from services.issuing import (
    IdempotencyClaim,
    Issued,
    Outcome,
    Reply,
    stored_prescription,
)
from views.actors import api_actor
from views.documents import pdf_response
from views.errors import retry_after

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.after_request
def rate_limit_headers(response: Response) -> Response:
    """The tightest limit as RateLimit-* headers; Retry-After on a 429 only."""
    window = limiter.current_limit
    seconds = retry_after()
    if window is None or seconds is None:
        return response
    # IETF draft-ietf-httpapi-ratelimit-headers: Reset is in seconds from now.
    response.headers["RateLimit-Limit"] = str(window.limit.amount)
    response.headers["RateLimit-Remaining"] = str(window.remaining)
    response.headers["RateLimit-Reset"] = str(seconds)
    if response.status_code == 429:
        response.headers["Retry-After"] = str(seconds)
    return response


csrf.exempt(bp)

BUSY = "The server is busy; try again in a moment."
BUSY_RETRY_SECONDS = 1


@bp.before_request
def _take_turn() -> Any:
    """Wait for one of this process's RX_API_SLOTS for a call with a valid key or
    token (its whole work after the lookup: the view, the audit); 503 when none comes
    free."""
    if "Authorization" not in request.headers or _caller() is None:
        # An unknown caller neither waits for nor holds a slot: require_key answers
        # 401 at once, so bogus headers cannot crowd out the practices' calls.
        return None
    slots = capacity.slots("api", current_app.config["RX_API_SLOTS"])
    if not slots.acquire(timeout=current_app.config["RX_API_WAIT_SECONDS"]):
        return {"error": BUSY}, 503, {"Retry-After": str(BUSY_RETRY_SECONDS)}
    g.api_slots = slots
    return None


@bp.teardown_request
def _end_turn(error: BaseException | None) -> None:
    slots = g.pop("api_slots", None)
    if slots is not None:
        slots.release()


MAX_QUERY = RECORD_LIMITS["search_query"]
MAX_LIMIT = 50
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
STATUS_FILTER = (
    "status must be "
    + ", ".join(lifecycle.RECORD_STATUSES[:-1])
    + f" or {lifecycle.RECORD_STATUSES[-1]}."
)


def _bad(message: str, fields: dict[str, str] | None = None, code: int = 400) -> Any:
    body: dict[str, Any] = {"error": message}
    if fields:
        body["fields"] = fields
    return body, code


@bp.get("/icd10/search")
@limiter.limit("600 per minute")
def icd10_search() -> Any:
    """Search the ICD-10-CM code set by code or words."""
    query = request.args.get("q", "")
    errors: dict[str, str] = {}
    if not query.strip():
        errors["q"] = "Enter a code or words to search for."
    elif len(query) > MAX_QUERY:
        errors["q"] = f"Use at most {MAX_QUERY} characters."
    limit = parse_whole_number(request.args.get("limit", "20"), max_digits=3) or 0
    if not 1 <= limit <= MAX_LIMIT:
        errors["limit"] = f"limit must be a whole number from 1 to {MAX_LIMIT}."
    billable = request.args.get("billable", "only")
    if billable not in ("only", "all"):
        errors["billable"] = "billable must be 'only' or 'all'."
    if errors:
        return _bad("Invalid search.", errors)
    index = codeset.index()
    results = index.search(query, limit=limit, billable_only=billable == "only")
    return {
        "query": query,
        "version": index.version,
        "count": len(results),
        "results": [
            {
                "code": r.code,
                "description": r.description,
                "billable": r.billable,
                **({"matched": r.matched} if r.matched else {}),
                **({"excludes": list(r.excludes)} if r.excludes else {}),
            }
            for r in results
        ],
    }


def _caller() -> tokens.Credential | None:
    """The practice key or personal token of ``Authorization: Bearer <secret>``.

    Looked up once a request: the rate limits and the view all ask.
    """
    if "api_caller" not in g:
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        g.api_caller = (
            tokens.authenticate(secret) if scheme.lower() == "bearer" else None
        )
    caller: tokens.Credential | None = g.api_caller
    return caller


def _rate_key() -> str:
    """Rate-limit key: a valid key's or token's id, else the caller's address."""
    caller = _caller()
    if isinstance(caller, models.PersonalToken):
        return f"api-token:{caller.id}"
    if caller is not None:
        return f"api-key:{caller.id}"
    return f"api-addr:{request.remote_addr}"


UNAUTHENTICATED = "A valid API key or personal token is required."


def require_key(view: Callable[..., Any]) -> Callable[..., Any]:
    """Authenticate with a practice key or a personal token; audit every call."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        caller = _caller()
        if caller is None:
            audit.record(
                f"api refused {request.method} {request.url_rule}", None, api_actor()
            )
            db.session.commit()
            body, code = _bad(UNAUTHENTICATED, code=401)
            return body, code, {"WWW-Authenticate": 'Bearer realm="rxassist"'}
        token = caller if isinstance(caller, models.PersonalToken) else None
        g.api_key = None if token else caller
        g.token = token
        g.audited_rx = None
        g.audited_detail = ""
        response = current_app.make_response(view(*args, **kwargs))
        # Answers name patients: no browser, proxy or EHR cache may keep them.
        response.headers.setdefault("Cache-Control", "no-store")
        record = (
            db.session.get(models.Prescription, g.audited_rx) if g.audited_rx else None
        )
        audit.record(
            f"api {request.method} {request.url_rule}",
            record,
            api_actor(key=g.api_key, token=g.token),
            detail=g.audited_detail,
        )
        db.session.commit()
        return response

    return limiter.limit("300 per minute", key_func=_rate_key)(wrapped)


def _readable() -> ColumnElement[bool]:
    """Whose prescriptions the caller reads: its practice's, or its physician's."""
    if g.token is not None:
        return models.User.id == g.token.user_id
    return models.User.practice_id == g.api_key.practice_id


def _readable_by(user_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(models.User.id).where(models.User.id == user_id, _readable())
        )
    )


def _practice_record(rx_id: str) -> models.Prescription | None:
    """A prescription the caller may read, by its id or its signed request's id."""
    if len(rx_id) > 32:
        return None
    record = db.session.get(models.Prescription, rx_id)
    if record is None:
        requested = _requested_draft(rx_id)
        if requested is None or requested.prescription_id is None:
            return None
        record = db.session.get(models.Prescription, requested.prescription_id)
    if record is None or not _readable_by(record.user_id):
        return None
    g.audited_rx = record.id
    return record


def _requested_draft(draft_id: str) -> models.Draft | None:
    """A draft requested through the API that the caller may read."""
    draft = db.session.get(models.Draft, draft_id) if len(draft_id) <= 32 else None
    if draft is None or draft.requested_by_key is None:
        return None
    if not _readable_by(draft.user_id):
        return None
    g.audited_detail = f"draft {draft.id}"
    return draft


def _awaiting(draft: models.Draft, **extra: Any) -> dict[str, Any]:
    """A request that awaits the physician's signature."""
    return {
        "id": draft.id,
        "status": lifecycle.Status.AWAITING_SIGNATURE.value,
        "links": {
            "self": urls.absolute("api.get_prescription", rx_id=draft.id),
            "sign": urls.absolute("wizard.step", draft_id=draft.id, name="review"),
        },
        **extra,
    }


def _summary(record: models.Prescription, **extra: Any) -> dict[str, Any]:
    rx = stored_prescription(record)
    return {
        "id": record.id,
        "number": record.number,
        "status": record.status,
        # The rules' warnings when it was issued (accepted with it).
        "warnings": record.warnings or [],
        "written_on": rx.written_on.isoformat(),
        "patient": {"name": rx.patient.name, "dob": rx.patient.dob.isoformat()},
        "prescriber_npi": rx.prescriber.npi,
        "units": rx.session.units,
        "minutes": rx.session.minutes,
        "total_visits": rx.plan.total_visits,
        "start_date": rx.plan.start.isoformat(),
        "end_date": rx.plan.end.isoformat(),
        # The first date, kept for clients that read one; every date follows.
        "reevaluation_date": rx.plan.reevaluation.isoformat(),
        "reevaluation_dates": [day.isoformat() for day in rx.plan.reevaluation_dates],
        "replaces": record.replaces_id,
        "sha256": record.sha256,
        "links": {
            "self": urls.absolute("api.get_prescription", rx_id=record.id),
            "pdf": urls.absolute("api.prescription_pdf", rx_id=record.id),
            "fhir": urls.absolute("api.prescription_fhir", rx_id=record.id),
            **extra.pop("links", {}),
        },
        **extra,
    }


@bp.post("/prescriptions")
@limiter.limit(lambda: current_app.config["RX_FINALIZE_LIMIT"], key_func=_rate_key)
@require_key
def create() -> Any:
    """Validate a prescription document; a practice key stores it to be signed (202),
    a personal token with ``attest: true`` issues it (201); else 422 per field."""
    payload, unreadable = _json_body()
    if unreadable:
        return _bad("The body is not a JSON document.", {"body": unreadable})
    if not isinstance(payload, dict):
        return _bad("Send a prescription document as a JSON object.", code=422)
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency_key) > RECORD_LIMITS["idempotency_key"]:
        longest = RECORD_LIMITS["idempotency_key"]
        return _bad(
            "Invalid header.", {"Idempotency-Key": f"Use at most {longest} characters."}
        )
    prescriber, refused = _prescriber(payload)
    if prescriber is None or refused:
        return _bad(NOT_ISSUED, refused, code=422)
    document = {k: v for k, v in payload.items() if k not in NOT_DOCUMENT}
    guard = None
    if idempotency_key:
        body_hash = hashlib.sha256(
            json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
        guard = IdempotencyClaim(
            api_key_id=g.api_key.id if g.api_key else None,
            token_id=g.token.id if g.token else None,
            key=idempotency_key,
            request_sha256=body_hash,
            reply=_reply,
        )
    if g.token is not None:
        issued = issuing.issue(
            document,
            prescriber,
            api_actor(token=g.token),
            guard=guard,
            link_days=_link_days(),
        )
    else:
        issued = issuing.request_signature(
            document, prescriber, api_actor(key=g.api_key, user=prescriber), guard=guard
        )
    return _answer(issued)


def _json_body() -> tuple[Any, str]:
    """The request's JSON, or why it cannot be read (bad syntax, nested too deep)."""
    too_deep = f"Nest objects and arrays at most {MAX_JSON_DEPTH} levels deep."
    try:
        payload = request.get_json(silent=True)
    except RecursionError:
        # The parser recurses per level: 50,000 "[" exhaust the stack first.
        return None, too_deep
    if payload is None:
        return None, "Send valid JSON (Content-Type: application/json)."
    if json_depth(payload) > MAX_JSON_DEPTH:
        return None, too_deep
    return payload, ""


NOT_ISSUED = "The prescription could not be issued."
# Fields of the request that are not part of the prescription document.
NOT_DOCUMENT = ("npi", "prescriber", "attest")
ATTEST_REQUIRED = (
    "A personal token signs only with attest: true, the physician's confirmation."
)


def _prescriber(payload: dict[str, Any]) -> tuple[models.User | None, dict[str, str]]:
    """The physician the request names, exactly, and what is wrong.

    A personal token writes for its own physician; a practice key for the one
    physician whose NPI is sent (one account per NPI in the install), who must be of
    the key's practice and confirmed by its administrator.
    """
    given = payload.get("prescriber")
    inner = str(given.get("npi") or "") if isinstance(given, dict) else ""
    npi = str(payload.get("npi") or inner)
    if inner and inner != npi:
        return None, {"prescriber.npi": accounts.NPI_DIFFERS}
    refused: dict[str, str] = {}
    if g.token is not None:
        prescriber: models.User | None = g.token.user
        assert prescriber is not None  # noqa: S101 - a token belongs to a physician
        if npi and npi != prescriber.npi:
            refused["npi"] = "A personal token writes only in its physician's name."
        if payload.get("attest") is not True:
            refused["attest"] = ATTEST_REQUIRED
    else:
        if not npi:
            return None, {"npi": accounts.NPI_MISSING}
        prescriber = members.npi_owner(npi)
        if prescriber is None or prescriber.practice_id != g.api_key.practice_id:
            return None, {"npi": accounts.NO_SUCH_PHYSICIAN}
    if prescriber.profile_missing and "npi" not in refused:
        refused["npi"] = (
            "This physician's profile is incomplete: "
            + ", ".join(prescriber.profile_missing)
            + "."
        )
    if not prescriber.npi_confirmed and "npi" not in refused:
        refused["npi"] = (
            accounts.NOT_CONFIRMED
            if g.token is not None
            else accounts.KEY_NOT_CONFIRMED
        )
    return prescriber, refused


def _reply(issued: Issued) -> Reply:
    """The answer to a create that stored something: 201 issued, 202 to be signed."""
    if issued.draft is not None:
        warnings = [w.to_json() for w in issued.warnings]
        return _awaiting(issued.draft, warnings=warnings), 202
    assert issued.record is not None  # noqa: S101 - ISSUED carries its record
    patient_url = urls.absolute("patient.open_link", token=issued.token)
    expires = issued.link.expires_at.date().isoformat() if issued.link else None
    body = _summary(
        issued.record, links={"patient": patient_url}, patient_link_expires=expires
    )
    return body, 201


def _answer(issued: Issued) -> Any:
    """The HTTP answer to what ``issue`` or ``request_signature`` did."""
    if issued.outcome in CONFLICTS:
        code, message = CONFLICTS[issued.outcome]
        return _bad(
            message, {"Idempotency-Key": "Use a new key for a new prescription."}, code
        )
    if issued.outcome is Outcome.UNCONFIRMED:
        return _bad(NOT_ISSUED, issued.errors, code=422)
    if issued.outcome is Outcome.INVALID:
        body, code = _bad(NOT_ISSUED, issued.errors, code=422)
        body["errors"] = [
            f.to_json() for f in issued.findings if f.severity is Severity.ERROR
        ]
        return body, code
    if issued.replay is not None:
        body, code = issued.replay
        g.audited_detail = "replayed"
        g.audited_rx = _replayed_record(body)
        return body, code, {"Location": body["links"]["self"], **REPLAYED}
    if issued.outcome is Outcome.ALREADY_ISSUED and issued.record is not None:
        # Replayed from before the first answer was kept: the summary, no link.
        g.audited_rx = issued.record.id
        return _summary(issued.record), 200, REPLAYED
    body, code = _reply(issued)
    if issued.record is not None:
        g.audited_rx = issued.record.id
    if issued.draft is not None:
        g.audited_detail = f"draft {issued.draft.id}"
    return body, code, {"Location": body["links"]["self"]}


REPLAYED = {"Idempotent-Replayed": "true"}


def _replayed_record(body: dict[str, Any]) -> str | None:
    """The prescription a replayed answer names, if it still is one."""
    found = db.session.get(models.Prescription, str(body.get("id", ""))[:32])
    return found.id if found is not None else None


CONFLICTS = {
    Outcome.KEY_REUSED: (
        422,
        "This Idempotency-Key was used with a different document.",
    ),
    Outcome.IN_PROGRESS: (409, "A request with this Idempotency-Key is in progress."),
}


def _link_days() -> int:
    return int(current_app.config["RX_LINK_DAYS"])


@bp.get("/prescriptions")
@require_key
def list_prescriptions() -> Any:
    """Prescriptions the caller reads (the key's practice's, the token's physician's),
    filtered and paginated."""
    errors: dict[str, str] = {}
    args = request.args
    page = _positive(args.get("page", "1"), "page", MAX_PAGE, errors)
    per_page = _positive(args.get("per_page", "20"), "per_page", MAX_PER_PAGE, errors)
    query = (
        select(models.Prescription)
        .join(models.User, models.User.id == models.Prescription.user_id)
        .where(_readable())
    )
    if (status := args.get("status")) is not None:
        if status not in lifecycle.RECORD_STATUSES:
            errors["status"] = STATUS_FILTER
        query = query.where(models.Prescription.status == status)
    for name, column, op in (
        ("dob", models.Prescription.patient_dob, "eq"),
        ("written_from", models.Prescription.written_on, "ge"),
        ("written_to", models.Prescription.written_on, "le"),
    ):
        # An empty filter is refused like any other malformed one, as documented.
        if (raw := args.get(name)) is not None:
            day = parse_date(raw)
            if day is None:
                errors[name] = "Use a date as YYYY-MM-DD."
                continue
            query = query.where(
                column == day
                if op == "eq"
                else column >= day
                if op == "ge"
                else column <= day
            )
    if patient := args.get("patient", "").strip()[:100]:
        query = query.where(models.Prescription.name_contains(patient))
    if npi := args.get("npi"):
        query = query.where(models.User.npi == npi)
    if errors:
        return _bad("Invalid filters.", errors)
    pagination = db.paginate(
        query.order_by(models.Prescription.created_at.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    return {
        "page": pagination.page,
        "per_page": per_page,
        "total": pagination.total,
        "results": [_summary(record) for record in pagination.items],
    }


def _positive(raw: str, name: str, high: int, errors: dict[str, str]) -> int:
    number = parse_whole_number(raw, max_digits=6)
    if number is not None and 1 <= number <= high:
        return number
    errors[name] = f"{name} must be a whole number from 1 to {high}."
    return 1


@bp.get("/prescriptions/<rx_id>")
@require_key
def get_prescription(rx_id: str) -> Any:
    """One prescription: summary and its document (awaiting signature: its request)."""
    record = _practice_record(rx_id)
    if record is None:
        requested = _requested_draft(rx_id)
        if requested is not None and requested.prescription_id is None:
            return _awaiting(
                requested,
                requested_at=requested.created_at.isoformat(timespec="seconds") + "Z",
                document=requested.document,
            )
        return _bad("No such prescription.", code=404)
    return _summary(record, document=record.document)


@bp.get("/prescriptions/<rx_id>/pdf")
@require_key
def prescription_pdf(rx_id: str) -> Any:
    """The stored PDF."""
    record = _practice_record(rx_id)
    if record is None:
        return _bad("No such prescription.", code=404)
    return pdf_response(record)


@bp.get("/prescriptions/<rx_id>/fhir")
@require_key
def prescription_fhir(rx_id: str) -> Any:
    """The prescription as a FHIR R4 Bundle of ServiceRequests."""
    record = _practice_record(rx_id)
    if record is None:
        return _bad("No such prescription.", code=404)
    from rxassist import fhir

    bundle = fhir.bundle(
        stored_prescription(record),
        prescription_id=record.id,
        base_url=urls.absolute("api.get_prescription", rx_id=record.id),
        status=lifecycle.fhir_status(record.status),
    )
    return bundle, 200, {"Content-Type": "application/fhir+json"}


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3 description of this API."""
    from views.openapi import spec

    return spec(urls.absolute("main.index").rstrip("/"))

"""JSON API v1: ICD-10-CM search, and prescriptions for practices holding an API key."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, g, request, url_for
from sqlalchemy import select

import models
from extensions import codeset, csrf, db, limiter
from rxassist import lifecycle
from rxassist.prescription import parse_date, parse_whole_number
from rxassist.rules import Severity
from rxassist.schema import RECORD_LIMITS
from services import audit, issuing
from services.issuing import IdempotencyClaim, Outcome, stored_prescription
from services.links import token_hash
from views.actors import actor
from views.documents import pdf_response

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

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


def _api_key_id() -> str:
    """Rate-limit key: a valid API key's id, else the caller's address."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and 0 < len(secret.strip()) <= 200:
        key_id = db.session.scalar(
            select(models.ApiKey.id).where(
                models.ApiKey.key_hash == token_hash(secret.strip()),
                models.ApiKey.revoked_at.is_(None),
            )
        )
        if key_id:
            return f"api-key:{key_id}"
    return f"api-addr:{request.remote_addr}"


def require_key(view: Callable[..., Any]) -> Callable[..., Any]:
    """Authenticate with ``Authorization: Bearer <key>``; audit every call."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        key = None
        if scheme.lower() == "bearer" and 0 < len(secret.strip()) <= 200:
            key = db.session.scalar(
                select(models.ApiKey).where(
                    models.ApiKey.key_hash == token_hash(secret.strip()),
                    models.ApiKey.revoked_at.is_(None),
                )
            )
        if key is None:
            audit.record(
                f"api refused {request.method} {request.url_rule}", None, actor()
            )
            db.session.commit()
            body, code = _bad("A valid API key is required.", code=401)
            return body, code, {"WWW-Authenticate": 'Bearer realm="rxassist"'}
        g.api_key = key
        g.audited_rx = None
        response = view(*args, **kwargs)
        record = (
            db.session.get(models.Prescription, g.audited_rx) if g.audited_rx else None
        )
        audit.record(
            f"api {request.method} {request.url_rule}",
            record,
            actor(api_key_id=key.id),
        )
        db.session.commit()
        return response

    return limiter.limit("300 per minute", key_func=_api_key_id)(wrapped)


def _practice_record(rx_id: str) -> models.Prescription | None:
    """A prescription written by a physician of the key's practice."""
    record = db.session.get(models.Prescription, rx_id) if len(rx_id) <= 32 else None
    if record is None:
        return None
    author = db.session.get(models.User, record.user_id)
    if author is None or author.practice_id != g.api_key.practice_id:
        return None
    g.audited_rx = record.id
    return record


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
            "self": url_for("api.get_prescription", rx_id=record.id, _external=True),
            "pdf": url_for("api.prescription_pdf", rx_id=record.id, _external=True),
            "fhir": url_for("api.prescription_fhir", rx_id=record.id, _external=True),
            **extra.pop("links", {}),
        },
        **extra,
    }


@bp.post("/prescriptions")
@require_key
def create() -> Any:
    """Validate a prescription document, render and store it: 201, or 422 per field."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _bad("Send a prescription document as a JSON object.", code=422)
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency_key) > RECORD_LIMITS["idempotency_key"]:
        longest = RECORD_LIMITS["idempotency_key"]
        return _bad(
            "Invalid header.", {"Idempotency-Key": f"Use at most {longest} characters."}
        )
    body_hash = hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    given = payload.get("prescriber")
    npi = str(
        payload.get("npi") or (given.get("npi") if isinstance(given, dict) else "")
    )
    prescriber = db.session.scalar(
        select(models.User).where(
            models.User.practice_id == g.api_key.practice_id, models.User.npi == npi
        )
    )
    if prescriber is None:
        return _bad(
            "The prescription could not be issued.",
            {"npi": "No physician of your practice has this NPI."},
            code=422,
        )
    if prescriber.profile_missing:
        return _bad(
            "The prescription could not be issued.",
            {"npi": "This physician's profile is incomplete: "
                    + ", ".join(prescriber.profile_missing) + "."},
            code=422,
        )  # fmt: skip
    document = {k: v for k, v in payload.items() if k not in ("npi", "prescriber")}
    issued = issuing.issue(
        document,
        prescriber,
        actor(api_key_id=g.api_key.id, user=prescriber),
        guard=IdempotencyClaim(g.api_key.id, idempotency_key, body_hash)
        if idempotency_key
        else None,
        link_days=_link_days(),
    )
    if issued.outcome in CONFLICTS:
        code, message = CONFLICTS[issued.outcome]
        return _bad(
            message, {"Idempotency-Key": "Use a new key for a new prescription."}, code
        )
    if issued.record is None:
        body, code = _bad(
            "The prescription could not be issued.", issued.errors, code=422
        )
        body["errors"] = [
            f.to_json() for f in issued.findings if f.severity is Severity.ERROR
        ]
        return body, code
    g.audited_rx = issued.record.id
    if issued.outcome is Outcome.ALREADY_ISSUED:
        return _summary(issued.record), 200
    patient_url = url_for("patient.open_link", token=issued.token, _external=True)
    expires = issued.link.expires_at.date().isoformat() if issued.link else None
    body = _summary(
        issued.record, links={"patient": patient_url}, patient_link_expires=expires
    )
    return body, 201, {"Location": body["links"]["self"]}


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
    """Prescriptions of the key's practice, filtered and paginated."""
    errors: dict[str, str] = {}
    args = request.args
    page = _positive(args.get("page", "1"), "page", MAX_PAGE, errors)
    per_page = _positive(args.get("per_page", "20"), "per_page", MAX_PER_PAGE, errors)
    query = (
        select(models.Prescription)
        .join(models.User, models.User.id == models.Prescription.user_id)
        .where(models.User.practice_id == g.api_key.practice_id)
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
    """One prescription: summary and its document."""
    record = _practice_record(rx_id)
    if record is None:
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
        base_url=url_for("api.get_prescription", rx_id=record.id, _external=True),
        status=lifecycle.fhir_status(record.status),
    )
    return bundle, 200, {"Content-Type": "application/fhir+json"}


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3 description of this API."""
    from views.openapi import spec

    return spec(url_for("main.index", _external=True).rstrip("/"))

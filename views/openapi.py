"""The OpenAPI 3 description of API v1, kept beside the views it describes."""

from __future__ import annotations

from datetime import date
from typing import Any

from rxassist.lifecycle import RECORD_STATUSES, Status
from rxassist.rules import Severity
from rxassist.schema import json_schema
from views.api import MAX_LIMIT, MAX_PAGE, MAX_PER_PAGE, MAX_QUERY


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


ERRORS = {
    "400": _json(_ref("Error"), "Bad parameters: `fields` names each one."),
    "401": _json(_ref("Error"), "No valid practice key or personal token."),
    "429": _json(_ref("Error"), "Too many requests."),
}
STATUS = {"type": "string", "enum": [s.value for s in RECORD_STATUSES]}
DATE = {"type": "string", "format": "date", "example": "2026-11-23"}
TEXT = {"type": "string"}
ID = {
    "name": "rx_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "maxLength": 64},
}

REPLAYED = {
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored first answer to the "
        "Idempotency-Key, sent again verbatim.",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Location": {"description": "The URL of what was created.", "schema": TEXT},
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": TEXT,
            "fields": {"type": "object", "additionalProperties": TEXT},
            "errors": {
                "type": "array",
                "description": "On 422: every error, validator's and rules', with "
                "the rule that found it and its source.",
                "items": _ref("Finding"),
            },
        },
    },
    "Finding": {
        "type": "object",
        "required": ["rule", "severity", "field", "message", "source"],
        "properties": {
            "rule": {"type": "string", "example": "icd.injury-initial-encounter"},
            "severity": {"type": "string", "enum": [s.value for s in Severity]},
            "field": {"type": "string", "example": "diagnoses.0"},
            "message": TEXT,
            "source": TEXT,
            "fix": {
                "type": "object",
                "required": ["replace", "by"],
                "properties": {"replace": TEXT, "by": TEXT},
            },
        },
    },
    "Prescription": {
        "type": "object",
        "required": [
            "id",
            "number",
            "status",
            "units",
            "total_visits",
            "end_date",
            "links",
        ],
        "properties": {
            "id": TEXT,
            "number": TEXT,
            "status": STATUS,
            "written_on": DATE,
            "patient": {"type": "object"},
            "prescriber_npi": TEXT,
            "units": {"type": "integer"},
            "minutes": {"type": "integer"},
            "total_visits": {"type": "integer"},
            "start_date": DATE,
            "end_date": DATE,
            "reevaluation_date": DATE,
            "reevaluation_dates": {
                "type": "array",
                "description": "Every re-evaluation date, at the payer's cadence, "
                "as issued; reevaluation_date is the first.",
                "items": DATE,
            },
            "replaces": {"type": "string", "nullable": True},
            "sha256": TEXT,
            "links": {"type": "object", "additionalProperties": TEXT},
            "patient_link_expires": DATE,
            "document": {"type": "object"},
            "warnings": {
                "type": "array",
                "description": "The rules' warnings when it was issued.",
                "items": _ref("Finding"),
            },
        },
    },  # fmt: skip
    "AwaitingSignature": {
        "type": "object",
        "description": "A practice key's request, stored as a draft in the named "
        "physician's To sign list. Nothing is issued (no number, PDF or patient "
        "link) until the physician opens `links.sign`, checks it and finalizes it; "
        "then `links.self` answers the issued prescription.",
        "required": ["id", "status", "links"],
        "properties": {
            "id": TEXT,
            "status": {"type": "string", "enum": [Status.AWAITING_SIGNATURE.value]},
            "links": {
                "type": "object",
                "required": ["self", "sign"],
                "properties": {"self": TEXT, "sign": TEXT},
            },
            "warnings": {
                "type": "array",
                "description": "The rules' warnings, for the physician to accept.",
                "items": _ref("Finding"),
            },
            "requested_at": {"type": "string", "format": "date-time"},
            "document": {"type": "object"},
        },
    },
    "SearchResult": {
        "type": "object",
        "required": ["query", "version", "count", "results"],
        "properties": {
            "query": TEXT,
            "version": TEXT,
            "count": {"type": "integer"},
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "description", "billable"],
                    "properties": {
                        "code": TEXT,
                        "description": TEXT,
                        "billable": {"type": "boolean"},
                        "matched": TEXT,
                        "excludes": {"type": "array", "items": TEXT},
                    },
                },
            },
        },
    },
}


def _documents() -> dict[str, Any]:
    """The prescription document, and the request that carries it to the API."""
    document = json_schema(date.today())
    request = {
        "allOf": [
            _ref("Document"),
            {
                "type": "object",
                "properties": {
                    "attest": {
                        "type": "boolean",
                        "description": "With a personal token: `true` is the "
                        "physician's confirmation that they checked and sign this "
                        "prescription (required to issue it). Ignored with a "
                        "practice key, whose requests always await signature.",
                    }
                },
            },
        ],
    }
    return {"Document": document, "Request": request}


def spec(server: str) -> dict[str, Any]:
    """The OpenAPI document, with this server's address."""
    secured = [{"bearer": []}]
    one = {"parameters": [ID], "security": secured}
    not_found = {"404": _json(_ref("Error"), "Not a prescription of your practice.")}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Rx Assist API",
            "version": "1",
            "description": "Prescriptions for medical massage therapy: create, read, "
            "PDF and FHIR R4 export. Authenticate as `Authorization: Bearer <secret>` "
            "with either\n\n"
            "- a **practice API key** (`rxa_…`, `flask admin create-api-key`): it "
            "reads the practice's prescriptions, and a create is stored *awaiting "
            "signature* (202) in the named physician's To sign list; or\n"
            "- a physician's **personal token** (`rxp_…`, made on the profile page or "
            "with `flask admin create-token`): it acts for that physician alone, "
            'reads only their prescriptions, and a create with `"attest": true` '
            "(the physician's confirmation) issues the prescription at once (201).\n\n"
            "Each key and token has its own rate limit and its own Idempotency-Keys; "
            "the audit log names the key or token behind every call.",
        },
        "servers": [{"url": server}],
        "components": {
            "schemas": {**SCHEMAS, **_documents()},
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A practice API key (`rxa_…`) or a physician's "
                    "personal token (`rxp_…`).",
                }
            },
        },
        "paths": {
            "/api/v1/icd10/search": {
                "get": {
                    "operationId": "searchIcd10",
                    "summary": "Search ICD-10-CM by code or words",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "schema": {
                                "type": "string",
                                # Not blank as Python strips it: ECMA's \S
                                # lets through \x1c-\x1f and \x85.
                                "pattern": r"[^\s\x1c-\x1f\x85]",
                                "maxLength": MAX_QUERY,
                            },
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_LIMIT,
                            },
                        },
                        {
                            "name": "billable",
                            "in": "query",
                            "schema": {"enum": ["only", "all"]},
                        },
                    ],  # fmt: skip
                    "responses": {
                        "200": _json(
                            _ref("SearchResult"), "Matching codes, best first."
                        ),
                        "400": ERRORS["400"],
                        "429": ERRORS["429"],
                    },
                }
            },
            "/api/v1/prescriptions": {
                "post": {
                    "operationId": "createPrescription",
                    "summary": "Request a prescription's signature (practice key) or "
                    "issue it (personal token with attest)",
                    "description": "The document is validated the same way either "
                    "way (422 names each bad field). A practice key's request is "
                    "stored for the physician named by `npi` to sign (202): exactly "
                    "the one account with that NPI, of the key's practice, whose "
                    "identity and NPI an administrator confirmed (else 422 naming "
                    "`npi`). A personal token issues the prescription in its "
                    "physician's name (`npi` may be left out; another physician's is "
                    'refused) only with `"attest": true`, else 422 naming `attest`, '
                    "and only once the physician is confirmed. A retry with "
                    "the same Idempotency-Key and body gets the first answer again, "
                    "verbatim and with its status (header `Idempotent-Replayed`).",
                    "security": secured,
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "schema": {"type": "string", "maxLength": 200},
                        },
                    ],  # fmt: skip
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("Request")}},
                    },
                    "responses": {
                        "201": {
                            **_json(
                                _ref("Prescription"),
                                "Issued (personal token with attest): PDF and "
                                "patient link made.",
                            ),
                            "headers": REPLAYED,
                        },
                        "202": {
                            **_json(
                                _ref("AwaitingSignature"),
                                "Stored awaiting the physician's signature "
                                "(practice key).",
                            ),
                            "headers": REPLAYED,
                        },
                        "200": _json(
                            _ref("Prescription"),
                            "Replayed Idempotency-Key first used before answers "
                            "were kept: the summary, without the patient link.",
                        ),
                        "400": ERRORS["400"],
                        "401": ERRORS["401"],
                        "409": _json(_ref("Error"), "This Idempotency-Key is in use."),
                        "422": _json(
                            _ref("Error"), "Invalid: one entry per bad field."
                        ),
                        "429": ERRORS["429"],
                    },
                },
                "get": {
                    "operationId": "listPrescriptions",
                    "summary": "Prescriptions of your practice",
                    "security": secured,
                    "parameters": [
                        {"name": n, "in": "query", "schema": s}
                        for n, s in (
                            ("patient", {"type": "string"}),
                            ("dob", DATE),
                            ("status", STATUS),
                            ("written_from", DATE),
                            ("written_to", DATE),
                            ("npi", {"type": "string"}),
                            (
                                "page",
                                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                            ),
                            (
                                "per_page",
                                {
                                    "type": "integer",
                                    "minimum": 1,
                                    "maximum": MAX_PER_PAGE,
                                },
                            ),
                        )
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["page", "per_page", "total", "results"],
                                "properties": {
                                    "page": {"type": "integer"},
                                    "per_page": {"type": "integer"},
                                    "total": {"type": "integer"},
                                    "results": {
                                        "type": "array",
                                        "items": _ref("Prescription"),
                                    },
                                },
                            },
                            "A page of prescriptions, newest first.",
                        ),
                        **ERRORS,
                    },
                },
            },
            "/api/v1/prescriptions/{rx_id}": {
                "get": {
                    "operationId": "getPrescription",
                    "description": "A prescription, or a practice key's request by "
                    "the id its 202 gave: awaiting signature, then (signed) the "
                    "issued prescription. PDF and FHIR answer 404 until signed.",
                    **one,
                    "responses": {
                        "200": _json(
                            {
                                "oneOf": [
                                    _ref("Prescription"),
                                    _ref("AwaitingSignature"),
                                ]
                            },
                            "The prescription, or the request awaiting signature.",
                        ),
                        **not_found,
                        **ERRORS,
                    },
                }
            },
            "/api/v1/prescriptions/{rx_id}/pdf": {
                "get": {
                    "operationId": "getPrescriptionPdf",
                    **one,
                    "responses": {
                        "200": {
                            "description": "The PDF as signed.",
                            "content": {
                                "application/pdf": {
                                    "schema": {"type": "string", "format": "binary"}
                                }
                            },
                        },
                        **not_found,
                        **ERRORS,
                    },
                }
            },
            "/api/v1/prescriptions/{rx_id}/fhir": {
                "get": {
                    "operationId": "getPrescriptionFhir",
                    **one,
                    "responses": {
                        "200": {
                            "description": "A FHIR R4 Bundle of ServiceRequests.",
                            "content": {
                                "application/fhir+json": {"schema": {"type": "object"}}
                            },
                        },
                        **not_found,
                        **ERRORS,
                    },
                }
            },
        },
    }

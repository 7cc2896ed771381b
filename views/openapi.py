"""The OpenAPI 3 description of API v1, kept beside the views it describes."""

from __future__ import annotations

from datetime import date
from typing import Any

from rxassist.lifecycle import RECORD_STATUSES
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
    "401": _json(_ref("Error"), "No valid API key."),
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
            "PDF and FHIR R4 export. Authenticate with a practice API key as "
            "`Authorization: Bearer <key>` (see `flask admin create-api-key`).",
        },
        "servers": [{"url": server}],
        "components": {
            "schemas": {**SCHEMAS, "Document": json_schema(date.today())},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
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
                    "summary": "Create, render and store a prescription",
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
                        "content": {"application/json": {"schema": _ref("Document")}},
                    },
                    "responses": {
                        "201": _json(_ref("Prescription"), "Created."),
                        "200": _json(_ref("Prescription"), "Replayed Idempotency-Key."),
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
                    **one,
                    "responses": {
                        "200": _json(_ref("Prescription"), "The prescription."),
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

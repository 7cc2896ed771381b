"""Schemathesis drives every API operation from the OpenAPI document: no 5xx, no
response that breaks the schema (status codes, content types, bodies)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from extensions import db
from tests import factories
from tests.helpers import app_config, payload

# Schemathesis builds its tests when this module is collected, so the app it drives
# is made here: a practice, a physician, a key and one prescription to read.
_FOLDER = Path(tempfile.mkdtemp(prefix="rx-openapi-"))
APP = create_app(app_config(_FOLDER))
with APP.app_context():
    db.create_all()
KEY = factories.api_key(APP)
factories.physician(APP, practice="Lakeside")
CREATED = APP.test_client().post(
    "/api/v1/prescriptions", json=payload(), headers={"Authorization": f"Bearer {KEY}"}
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)

# Domain rules (a real ICD-10-CM code, dates in order) are beyond what a schema can
# say, so a schema-valid document may rightly get 422: acceptance is not checked.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_openapi_fixture_created_a_prescription() -> None:
    assert CREATED.status_code == 201


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: Any) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"}, checks=CHECKS)

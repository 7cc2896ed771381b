"""No secret reaches a log: patient-link tokens and query strings are redacted."""

from __future__ import annotations

import datetime
import logging
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask

from serving import RedactingLogger, redact


def test_redact_hides_patient_tokens_and_queries() -> None:
    assert redact("/p/AbC-123_xyz") == "/p/[token]"
    assert redact("/p/AbC-123_xyz/prescription.pdf") == "/p/[token]/prescription.pdf"
    assert redact("GET /p/secret?x=1 HTTP/1.1") == "GET /p/[token]"
    assert redact("/api/v1/icd10/search?q=jane+doe") == "/api/v1/icd10/search"
    assert redact("/prescriptions/abc") == "/prescriptions/abc"


def test_gunicorn_access_log_atoms_carry_no_token() -> None:
    logger = RedactingLogger(SimpleNamespace(
        errorlog="-", loglevel="info", accesslog=None, access_log_format="%(r)s",
        syslog=False, capture_output=False, logconfig=None, logconfig_dict={},
        logconfig_json=None, disable_redirect_access_to_syslog=False, user=0, group=0,
        umask=0, syslog_addr=None, syslog_prefix=None, syslog_facility="user",
        dogstatsd_tags="", statsd_host=None,
    ))  # fmt: skip
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": "/p/TOPSECRET?dob=1980",
        "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": "/p/TOPSECRET",
        "QUERY_STRING": "dob=1980", "HTTP_REFERER": "https://x/p/TOPSECRET",
        "REMOTE_ADDR": "127.0.0.1",
    }  # fmt: skip
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(
        resp, SimpleNamespace(headers=[]), environ, datetime.timedelta(0)
    )
    assert "TOPSECRET" not in str(atoms)
    assert "1980" not in str(atoms)


def _duplicate_practice() -> None:
    from extensions import db
    from models import Practice

    for _ in range(2):
        db.session.add(Practice(name="Jane Doe Clinic"))
    db.session.flush()  # the second row breaks the unique name: IntegrityError


def test_a_database_error_logs_its_type_and_route_never_its_values(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    app.add_url_rule("/boom/<name>", "boom", lambda name: _duplicate_practice())
    with caplog.at_level(logging.DEBUG):
        response = app.test_client().get("/boom/x")
    assert response.status_code == 500
    logged = caplog.text
    assert "IntegrityError" in logged and "GET /boom/<name>" in logged
    assert "Jane Doe" not in logged and "INSERT" not in logged


def test_an_error_after_the_view_logs_no_values_either(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(response: Any) -> Any:
        _duplicate_practice()
        return response

    app.after_request(broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: log, answer 500
    with caplog.at_level(logging.DEBUG):
        response = app.test_client().get("/login")
    assert response.status_code == 500
    assert "IntegrityError" in caplog.text
    assert "Jane Doe" not in caplog.text and "INSERT" not in caplog.text

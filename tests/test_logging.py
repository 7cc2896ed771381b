"""No secret reaches a log: patient-link tokens and query strings are redacted."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

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

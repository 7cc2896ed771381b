"""The ICD-10-CM search API, health check and error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import app_config


def test_icd10_search_answers_the_documented_shape(client: FlaskClient) -> None:
    response = client.get("/api/v1/icd10/search?q=cervicalgia&limit=5")
    assert response.status_code == 200
    body = response.get_json()
    assert body["query"] == "cervicalgia"
    assert body["version"] == "FY2026"
    assert body["count"] == len(body["results"]) <= 5
    first = body["results"][0]
    assert {k: first[k] for k in ("code", "description", "billable")} == {
        "code": "M54.2",
        "description": "Cervicalgia",
        "billable": True,
    }


def test_icd10_search_finds_codes_typed_without_a_dot(client: FlaskClient) -> None:
    body = client.get("/api/v1/icd10/search?q=m542").get_json()
    assert body["results"][0]["code"] == "M54.2"


def test_icd10_search_returns_only_billable_codes_by_default(
    client: FlaskClient,
) -> None:
    body = client.get("/api/v1/icd10/search?q=low+back+pain&limit=20").get_json()
    assert body["count"] > 0
    assert all(r["billable"] for r in body["results"])
    assert "M54.5" not in [r["code"] for r in body["results"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [("", "q"), ("   ", "q"), ("x" * 201, "q"), ("neck&limit=0", "limit"),
     ("neck&limit=abc", "limit"), ("neck&limit=51", "limit"), ("neck&billable=maybe", "billable")],
)  # fmt: skip
def test_icd10_search_refuses_bad_parameters_with_json(
    client: FlaskClient, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/icd10/search?q={query}")
    assert response.status_code == 400
    body = response.get_json()
    assert field in body["fields"]
    assert body["error"]


def test_healthz_reports_database_code_set_and_pdf_engine(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"]["ok"] is True
    assert body["icd10cm"]["version"] == "FY2026"
    assert body["icd10cm"]["billable_codes"] == 74_719
    assert body["pdf_engine"]["version"].startswith("wkhtmltopdf 0.12")


def test_unknown_api_path_answers_json_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": "There is nothing here. The link may be mistyped or out of date."
    }


def test_unknown_page_answers_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_no_traceback(
    app: Flask, client: FlaskClient
) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret patient Jane Doe")

    app.config["TESTING"] = False
    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "Traceback" not in html and "Jane Doe" not in html


def test_pages_send_security_headers(client: FlaskClient) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_healthz_answers_503_when_the_database_is_down(tmp_path: Path) -> None:
    from app import create_app

    missing = "sqlite:////nonexistent-dir/none/db.sqlite3"
    app = create_app(app_config(tmp_path, SQLALCHEMY_DATABASE_URI=missing))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == {"ok": False}
    assert response.get_json()["status"] == "degraded"


def test_healthz_tells_others_only_the_status(tmp_path: Path, icd: Any) -> None:
    from tests.factories import make_app

    app = make_app(tmp_path, icd, RX_HEALTH_TOKEN="operator-secret")
    client = app.test_client()
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    public = client.get("/healthz", environ_base=remote)
    assert public.get_json() == {"status": "ok"}
    relayed = client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})
    assert relayed.get_json() == {"status": "ok"}
    wrong = client.get(
        "/healthz", environ_base=remote, headers={"Authorization": "Bearer guess"}
    )
    assert wrong.get_json() == {"status": "ok"}
    operator = client.get(
        "/healthz",
        environ_base=remote,
        headers={"Authorization": "Bearer operator-secret"},
    )
    assert operator.get_json()["pdf_engine"]["ok"] is True
    assert public.status_code == operator.status_code == 200
    assert "pdf_engine" in client.get("/healthz").get_json()  # loopback


def test_healthz_tells_others_a_degraded_status_with_its_code(tmp_path: Path) -> None:
    from app import create_app

    missing = "sqlite:////nonexistent-dir/none/db.sqlite3"
    app = create_app(app_config(tmp_path, SQLALCHEMY_DATABASE_URI=missing))
    response = app.test_client().get(
        "/healthz", environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert response.status_code == 503
    assert response.get_json() == {"status": "degraded"}


def test_healthz_answers_503_when_the_database_takes_no_writes(
    app: Flask, tmp_path: Path
) -> None:
    from app import create_app

    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    other = create_app(app_config(tmp_path / "ro", SQLALCHEMY_DATABASE_URI=read_only))
    response = other.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == {"ok": False}
    assert app.test_client().get("/healthz").status_code == 200

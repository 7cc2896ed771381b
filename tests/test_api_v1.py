"""REST API v1: keys and tokens, create (422 per field, idempotent), read, PDF, list,
audit. Prescriptions are issued with a personal token and ``attest: true``; what a
practice key's request awaiting signature does is in test_api_signature.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import models
from extensions import db
from tests import factories
from tests.factories import api_key, personal_token
from tests.helpers import EXAMPLE, payload, pdf_text, today


@pytest.fixture
def key(app: Flask) -> str:
    secret = api_key(app)
    factories.physician(app, practice="Lakeside")
    return secret


@pytest.fixture
def token(app: Flask, key: str) -> str:
    """A personal token of the practice's physician (made by ``key``)."""
    return personal_token(app)


def signed(**overrides: Any) -> dict[str, Any]:
    """The example as a personal token sends it: attested by the physician."""
    return {**payload(**overrides), "attest": True}


def post(client: FlaskClient, key: str, body: Any, **headers: str) -> Any:
    return client.post(
        "/api/v1/prescriptions",
        json=body,
        headers={"Authorization": f"Bearer {key}", **headers},
    )


START = today() + timedelta(days=1)


def test_api_creates_a_prescription_with_computed_figures_and_links(
    app: Flask, client: FlaskClient, token: str
) -> None:
    response = post(client, token, signed())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "final"
    assert body["units"] == 4
    assert body["total_visits"] == 11
    assert body["end_date"] == (START + timedelta(days=55)).isoformat()
    assert body["number"].startswith("RX-")
    assert set(body["links"]) == {"self", "pdf", "fhir", "patient"}
    assert response.headers["Location"] == body["links"]["self"]
    auth = {"Authorization": f"Bearer {token}"}
    pdf = client.get(body["links"]["pdf"].replace("http://localhost", ""), headers=auth)
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert "Jane Doe" in text and "Maria Lopez, MD" in text and body["number"] in text
    one = client.get(f"/api/v1/prescriptions/{body['id']}", headers=auth).get_json()
    assert one["document"]["diagnoses"] == EXAMPLE["diagnoses"]
    patient = client.get(body["links"]["patient"].replace("http://localhost", ""))
    assert patient.status_code == 200


def test_api_answers_422_with_one_entry_per_bad_field(
    client: FlaskClient, key: str
) -> None:
    response = post(
        client, key, payload(diagnoses=["M54.5"], session={"minutes": 5}, body_areas=[])
    )
    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert set(fields) == {"diagnoses.0", "session.minutes", "body_areas"}
    assert "M54.50" in fields["diagnoses.0"]


def test_api_refuses_an_npi_outside_the_practice(
    app: Flask, client: FlaskClient, key: str
) -> None:
    other = api_key(app, "Other Clinic")
    response = post(client, other, payload())
    assert response.status_code == 422
    assert "npi" in response.get_json()["fields"]


def test_api_is_idempotent_with_an_idempotency_key(
    app: Flask, client: FlaskClient, token: str
) -> None:
    first = post(client, token, signed(), **{"Idempotency-Key": "visit-42"})
    again = post(client, token, signed(), **{"Idempotency-Key": "visit-42"})
    assert first.status_code == 201
    # The first answer again, byte for byte, patient link included.
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert "patient" in again.get_json()["links"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    changed = post(
        client, token, signed(goals="Other goals"), **{"Idempotency-Key": "visit-42"}
    )
    assert changed.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(models.Prescription.id))) == 1


def test_api_needs_a_valid_key(app: Flask, client: FlaskClient, key: str) -> None:
    assert post(client, "rxa_forged", payload()).status_code == 401
    with app.app_context():
        refused = db.session.scalars(
            select(models.AuditEvent).where(
                models.AuditEvent.action == "api refused POST /api/v1/prescriptions"
            )
        ).all()
        assert [e.ip for e in refused] == ["127.0.0.1"]
    missing = client.get("/api/v1/prescriptions")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    with app.app_context():
        stored = db.session.scalars(select(models.ApiKey)).one()
        assert key not in (stored.key_hash, stored.id, stored.prefix)
        key_id = stored.id
    revoked = app.test_cli_runner().invoke(args=["admin", "revoke-api-key", key_id])
    assert revoked.exit_code == 0, revoked.output
    assert post(client, key, payload()).status_code == 401
    assert post(client, "rxp_forged", signed()).status_code == 401


def test_api_shows_only_the_practices_prescriptions(
    app: Flask, client: FlaskClient, key: str, token: str
) -> None:
    created = post(client, token, signed()).get_json()
    other = api_key(app, "Other Clinic")
    factories.physician(app, "ana@example.org", practice="Lakeside", npi="1245319599")
    colleague = personal_token(app, "ana@example.org")
    for outsider in (other, colleague):
        auth = {"Authorization": f"Bearer {outsider}"}
        for path in ("", "/pdf", "/fhir"):
            assert (
                client.get(
                    f"/api/v1/prescriptions/{created['id']}{path}", headers=auth
                ).status_code
                == 404
            )
        listed = client.get("/api/v1/prescriptions", headers=auth).get_json()
        assert listed["total"] == 0
    practice = client.get(
        "/api/v1/prescriptions", headers={"Authorization": f"Bearer {key}"}
    )
    assert practice.get_json()["total"] == 1


def test_api_lists_with_filters_and_pages(client: FlaskClient, token: str) -> None:
    post(client, token, signed())
    post(client, token, signed(patient={"name": "Oscar Ortiz", "dob": "1955-02-03"}))
    auth = {"Authorization": f"Bearer {token}"}

    def names(query: str) -> list[str]:
        body = client.get(f"/api/v1/prescriptions?{query}", headers=auth).get_json()
        return [r["patient"]["name"] for r in body["results"]]

    assert sorted(names("")) == ["Jane Doe", "Oscar Ortiz"]
    assert names("patient=osc") == ["Oscar Ortiz"]
    assert names("dob=1980-04-12") == ["Jane Doe"]
    assert len(names("per_page=1&page=2")) == 1
    bad = client.get("/api/v1/prescriptions?dob=tomorrow&per_page=0", headers=auth)
    assert bad.status_code == 400
    assert set(bad.get_json()["fields"]) == {"dob", "per_page"}


def test_api_audits_every_call(app: Flask, client: FlaskClient, token: str) -> None:
    created = post(client, token, signed()).get_json()
    client.get(
        f"/api/v1/prescriptions/{created['id']}/pdf",
        headers={"Authorization": f"Bearer {token}"},
    )
    with app.app_context():
        events = [
            e
            for e in db.session.scalars(select(models.AuditEvent))
            if e.action.startswith(("api GET", "api POST"))
        ]
        actions = [e.action for e in events]
        assert "api POST /api/v1/prescriptions" in actions
        assert "api GET /api/v1/prescriptions/<rx_id>/pdf" in actions
        assert all(e.prescription_id == created["id"] for e in events)


def test_openapi_document_lists_every_api_route(
    app: Flask, client: FlaskClient
) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {
        (path, method.upper()) for path, ops in spec["paths"].items() for method in ops
    }
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi":
            path = rule.rule.replace("<rx_id>", "{rx_id}")
            routed |= {(path, m) for m in rule.methods or () if m in ("GET", "POST")}
    assert documented == routed


def test_api_fhir_export_is_a_valid_r4_bundle(client: FlaskClient, token: str) -> None:
    from fhir.resources.R4B.bundle import Bundle

    created = post(client, token, signed()).get_json()
    response = client.get(
        created["links"]["fhir"].replace("http://localhost", ""),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    body = response.get_json()
    Bundle.model_validate(body)
    requests = [
        e["resource"]
        for e in body["entry"]
        if e["resource"]["resourceType"] == "ServiceRequest"
    ]
    assert [r["quantityQuantity"]["value"] for r in requests] == [3, 2, 6]
    assert all(r["status"] == "active" and r["intent"] == "order" for r in requests)
    assert requests[0]["reasonCode"][0]["coding"][0] == {
        "system": "http://hl7.org/fhir/sid/icd-10-cm",
        "code": "S13.4XXA",
        "display": "Sprain of ligaments of cervical spine, initial encounter",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"prescriber": "x"},
        {"npi": "1234567893", "session": {"minutes": "9" * 5000}},
        {"npi": "1234567893", "diagnoses": "M54.2", "body_areas": "cervical"},
        {"npi": ["1234567893"]},
    ],
)
def test_api_answers_odd_documents_with_422(
    client: FlaskClient, key: str, body: Any
) -> None:
    response = post(client, key, body)
    assert response.status_code == 422
    assert response.get_json()["fields"]


def test_api_concurrent_posts_with_one_idempotency_key_store_one_prescription(
    app: Flask, token: str
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def send(_: int) -> tuple[int, str]:
        with app.test_client() as own:
            answer = post(own, token, signed(), **{"Idempotency-Key": "double-click"})
            return answer.status_code, answer.get_json().get("id", "")

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(send, range(4)))
    codes = {code for code, _ in answers}
    assert 201 in codes and codes <= {201, 409}
    # Every 201 is the first answer (replayed), naming the one prescription.
    assert len({rx_id for code, rx_id in answers if code == 201}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(models.Prescription.id))) == 1


def test_api_refuses_a_back_dated_prescription(client: FlaskClient, token: str) -> None:
    response = post(client, token, {**signed(), "written_on": "2026-01-02"})
    assert response.status_code == 422
    assert "written_on" in response.get_json()["fields"]


def test_api_refuses_a_surgical_clearance_after_the_plan_starts(
    client: FlaskClient, key: str
) -> None:
    cleared = START + timedelta(days=2)
    body = payload(precautions=[{"kind": "postop", "cleared_on": cleared.isoformat()}])
    response = post(client, key, body)
    assert response.status_code == 422
    assert response.get_json()["fields"] == {
        "precautions.0.cleared_on": f"The surgeon's clearance ({cleared:%m/%d/%Y}) "
        f"is after the plan starts ({START:%m/%d/%Y}): start the plan on or after "
        "the clearance date."
    }


def test_api_without_written_on_writes_the_prescription_today(
    app: Flask, client: FlaskClient, token: str
) -> None:
    body = signed()
    assert "written_on" not in body
    response = post(client, token, body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["written_on"] == today().isoformat()
    with app.app_context():
        record = db.session.get(models.Prescription, response.get_json()["id"])
        assert record is not None and record.written_on == today()


def test_api_422_lists_each_error_with_its_rule_and_source(
    client: FlaskClient, key: str
) -> None:
    body = payload(
        diagnoses=["V43.52XA", "S13.4XXD"],
        modality={"cpt": ["97140"], "techniques": ["myofascial release"],
                  "pressure": "deep", "performer": "lmt"},
    )  # fmt: skip
    response = post(client, key, body)
    assert response.status_code == 422
    answer = response.get_json()
    assert {(e["rule"], e["field"]) for e in answer["errors"]} == {
        ("icd.external-cause-first", "diagnoses.0"),
        ("plan.anticoagulant-pressure", "modality.pressure"),
    }
    assert all(e["severity"] == "error" and e["source"] for e in answer["errors"])
    assert set(answer["fields"]) == {"diagnoses.0", "modality.pressure"}


def test_api_201_returns_and_stores_the_rules_warnings(
    app: Flask, client: FlaskClient, token: str
) -> None:
    response = post(client, token, signed())
    assert response.status_code == 201, response.get_json()
    warnings = response.get_json()["warnings"]
    assert {w["rule"] for w in warnings} >= {
        "icd.injury-initial-encounter",
        "icd.symptom-with-definitive",
    }
    assert all(w["severity"] == "warning" for w in warnings)
    with app.app_context():
        record = db.session.get(models.Prescription, response.get_json()["id"])
        assert record is not None and record.warnings == warnings
        accepted = db.session.scalars(
            select(models.AuditEvent.detail).where(
                models.AuditEvent.action == "warnings accepted"
            )
        ).one()
        assert "icd.injury-initial-encounter" in accepted


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"modality": {**EXAMPLE["modality"], "performer": ""}},
         "modality.performer", "Choose who performs the therapy."),
        ({"coverage": {**EXAMPLE["coverage"], "employer": ""}},
         "coverage.employer", "Enter the employer."),
        ({"coverage": {**EXAMPLE["coverage"], "jurisdiction_state": "XX"}},
         "coverage.jurisdiction_state", "Choose a US state, such as FL or NY."),
        ({"coverage": {"payer_type": "commercial", "payer_name": "Aetna",
                       "member_id": "W1", "related_to": "none"}},
         "coverage.onset_date", "Enter the onset date."),
        ({"coverage": {"payer_type": "medicaid", "payer_name": "Sunshine",
                       "member_id": "W1", "onset_date": "2026-01-02"}},
         "coverage.related_to", "Choose whether the condition is related to"),
    ],
)  # fmt: skip
def test_api_422_names_each_added_field(
    client: FlaskClient, key: str, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = post(client, key, payload(**overrides))
    assert response.status_code == 422
    assert message in response.get_json()["fields"][field]


def test_api_201_warns_when_a_health_plan_condition_is_work_related(
    client: FlaskClient, key: str, token: str
) -> None:
    coverage = {"payer_type": "commercial", "payer_name": "Aetna", "member_id": "W1",
                "onset_date": "2026-01-02", "related_to": "employment"}  # fmt: skip
    response = post(client, token, signed(coverage=coverage))
    assert response.status_code == 201, response.get_json()
    warning = next(
        w
        for w in response.get_json()["warnings"]
        if w["rule"] == "coverage.related-to-injury-payer"
    )
    assert warning["field"] == "coverage.related_to"
    assert "NUCC 1500" in warning["source"]


def test_api_gives_every_reevaluation_at_the_payers_cadence_as_issued(
    app: Flask, client: FlaskClient, key: str, token: str, tmp_path: Any
) -> None:
    wa = dict(EXAMPLE["coverage"], jurisdiction_state="WA")
    plan = {"start": START.isoformat(), "phases": [{"per_week": 2, "weeks": 8}]}
    response = post(client, token, signed(coverage=wa, plan=plan))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    # Washington L&I: after 6 visits or 30 days; 2x/week puts the 6th visit on day 18.
    sixth = START + timedelta(days=17)
    due = [sixth, sixth + timedelta(days=21)]  # the 12th visit; 16 in all
    assert body["reevaluation_dates"] == [day.isoformat() for day in due]
    assert body["reevaluation_date"] == due[0].isoformat()
    auth = {"Authorization": f"Bearer {key}"}
    url = f"/api/v1/prescriptions/{body['id']}"
    assert client.get(url, headers=auth).get_json()["document"]["plan"][
        "reevaluations"
    ] == [day.isoformat() for day in due]
    # A later change of the payer's cadence does not change what was signed.
    profiles = tmp_path / "payers.toml"
    profiles.write_text(
        '[[profile]]\nid = "wa-li"\nname = "WA"\npayer_type = "workers_comp"\n'
        'state = "WA"\nprogress_days = 10\n'
    )
    app.config["RX_PAYER_PROFILES"] = str(profiles)
    again = client.get(url, headers=auth).get_json()
    assert again["reevaluation_dates"] == body["reevaluation_dates"]
    pdf_url = body["links"]["pdf"].replace("http://localhost", "")
    text = pdf_text(client.get(pdf_url, headers=auth).data)
    assert "Re-evaluate by " + ", ".join(f"{d:%m/%d/%Y}" for d in due) in text


def test_api_needs_the_minutes_of_each_code_when_both_are_ordered(
    client: FlaskClient, key: str, token: str
) -> None:
    both = {
        **EXAMPLE["modality"],
        "cpt": ["97140", "97124"],
        "techniques": ["myofascial release", "effleurage"],
    }
    response = post(client, key, payload(modality=both))
    assert response.status_code == 422
    assert "20.2" in response.get_json()["fields"]["session.minutes_by_cpt"]
    session = {"minutes_by_cpt": {"97140": 33, "97124": 7}}
    response = post(client, token, signed(modality=both, session=session))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["minutes"] == 40
    assert response.get_json()["units"] == 3


def test_api_answers_with_patient_data_are_never_cached(
    client: FlaskClient, token: str
) -> None:
    created = post(client, token, signed())
    assert created.headers["Cache-Control"] == "no-store"
    auth = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/prescriptions/{created.get_json()['id']}"
    for url in ("/api/v1/prescriptions", base, f"{base}/fhir", f"{base}/pdf"):
        response = client.get(url, headers=auth)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 50_000 + "]" * 50_000,
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        '{"patient": ' + "[" * 30 + "]" * 30 + "}",
        '{"patient": {"name": "Jane"',
    ],
)
def test_api_answers_unreadable_or_deeply_nested_json_with_400(
    client: FlaskClient, key: str, raw: str
) -> None:
    response = client.post(
        "/api/v1/prescriptions",
        data=raw,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] and body["fields"]["body"]


def _token_of(app: Flask) -> str:
    factories.physician(app, practice="Lakeside")
    return personal_token(app)


def test_api_refuses_a_host_it_does_not_serve(client: FlaskClient, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    forged = client.post(
        "/api/v1/prescriptions",
        json=signed(),
        headers={**auth, "Host": "evil.example"},
    )
    assert forged.status_code == 400
    assert "evil" not in forged.get_data(as_text=True)


def test_api_links_use_rx_public_url_whatever_the_host(
    tmp_path: Path, icd: Any
) -> None:
    from services import rendering

    public = "https://rx.clinic.example"
    app = factories.make_app(tmp_path, icd, RX_PUBLIC_URL=public)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {_token_of(app)}", "Host": "evil.example"}
    body = client.post("/api/v1/prescriptions", json=signed(), headers=auth).get_json()
    assert body["links"]["patient"].startswith(f"{public}/p/")
    assert all(url.startswith(public) for url in body["links"].values())
    fhir = client.get(f"/api/v1/prescriptions/{body['id']}/fhir", headers=auth)
    assert "evil" not in fhir.get_data(as_text=True)
    assert public in fhir.get_data(as_text=True)
    with app.test_request_context(headers={"Host": "evil.example"}):
        assert rendering.verification("t0ken").url == f"{public}/v/t0ken"


def test_api_links_use_a_trusted_host(tmp_path: Path, icd: Any) -> None:
    app = factories.make_app(tmp_path, icd, TRUSTED_HOSTS=["rx.clinic.example"])
    client = app.test_client()
    token = _token_of(app)
    auth = {"Authorization": f"Bearer {token}", "Host": "rx.clinic.example"}
    body = client.post("/api/v1/prescriptions", json=signed(), headers=auth).get_json()
    assert body["links"]["patient"].startswith("http://rx.clinic.example/p/")
    evil = {**auth, "Host": "evil.example"}
    assert client.get("/api/v1/prescriptions", headers=evil).status_code == 400

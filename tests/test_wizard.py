"""The wizard over HTTP: steps, errors beside fields, drafts that survive, finalize."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import models
from extensions import db
from rxassist.coverage import FIELDS_FOR
from tests.factories import draft as stored
from tests.helpers import (
    MODALITY,
    PATIENT,
    SESSION,
    TOMORROW,
    Physician,
    field_error,
    field_errors,
    pdf_pages,
    pdf_text,
    step,
    walk_to_review,
)


def test_wizard_walks_every_step_to_a_downloadable_pdf(
    app: Flask, physician: Physician
) -> None:
    base = walk_to_review(physician)
    review = physician.client.get(f"{base}/review").get_data(as_text=True)
    necessity = (
        "Manual therapy (CPT 97140) is medically necessary to treat S13.4XXA (sprain "
        "of ligaments of cervical spine, initial encounter), M54.2 (cervicalgia) and "
        "M62.838 (other muscle spasm), which limit cervical rotation (45°) and neck "
        "pain (7/10); the goals are 70° and 3/10."
    )
    assert necessity in review
    assert "I attest that manual therapy (CPT 97140) is medically necessary" in review
    assert "<title>" in review and "Prescription for manual therapy" in review
    assert "60 minutes (4 units)" in review
    response = step(physician, base, "review", {"nav": "finalize", "attest": "y"})
    assert response.status_code == 302
    page = physician.client.get(response.location)
    assert page.status_code == 200
    pdf = physician.client.get(response.location + ".pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    assert len(pdf_pages(pdf.data)) == 1
    text = pdf_text(pdf.data)
    assert necessity in text
    for expected in ("Jane Doe", "S13.4XXA", "Cervicalgia", "60 minutes (4 units)",
                     "Total visits 11", "Maria Lopez, MD", "NPI 1234567893"):  # fmt: skip
        assert expected in text
    with app.app_context():
        record = db.session.scalars(select(models.Prescription)).one()
        assert record.pdf == pdf.data
        assert record.document["diagnoses"] == ["S13.4XXA", "M54.2", "M62.838"]
        assert record.number in text


def test_wizard_step_error_shows_beside_the_field_and_keeps_the_typed_values(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    typed = {**PATIENT, "name": "Zoë O'Brien", "claim_number": ""}
    response = step(physician, base, "patient", typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the claim number." in field_errors(html)
    assert 'value="Zoë O&#39;Brien"' in html
    assert 'value="Acme Mutual"' in html
    # and the typed values are already saved in the draft
    assert stored(app, base).document["patient"]["name"] == "Zoë O'Brien"


def test_wizard_draft_survives_a_reload_and_back(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    assert step(physician, base, "patient", PATIENT).status_code == 302
    assert step(
        physician, base, "modality", {**MODALITY, "nav": "back"}
    ).location.endswith("/patient")
    # a reload of either page shows what was typed
    patient_page = physician.client.get(f"{base}/patient").get_data(as_text=True)
    assert 'value="Jane Doe"' in patient_page
    modality_page = physician.client.get(f"{base}/modality").get_data(as_text=True)
    assert re.search(r'value="myofascial release"\s+checked', modality_page)
    assert re.search(
        r'<input checked[^>]*name="pressure"[^>]*value="light"', modality_page
    )


def test_wizard_drafts_list_resumes_a_draft(physician: Physician) -> None:
    base = physician.new_draft()
    step(physician, base, "patient", PATIENT)
    drafts = physician.client.get("/drafts").get_data(as_text=True)
    assert "Jane Doe" in drafts
    assert f'href="{base}/modality"' in drafts


def test_wizard_refuses_a_category_and_offers_billable_children(
    physician: Physician,
) -> None:
    base = physician.new_draft()
    response = step(physician, base, "diagnoses", {"action": "add", "code": "M54.5"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert any("M54.5 is a category" in e for e in field_errors(html))
    assert re.findall(r'value="add:(M54\.5\d)"', html) == ["M54.50", "M54.51", "M54.59"]


def test_wizard_asks_for_the_encounter_of_an_injury_code(physician: Physician) -> None:
    base = physician.new_draft()
    response = step(physician, base, "diagnoses", {"action": "add", "code": "S13.4"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.findall(r'value="add:(S13\.4XX.)"', html) == [
        "S13.4XXA",
        "S13.4XXD",
        "S13.4XXS",
    ]


def test_wizard_diagnoses_are_added_reordered_and_removed(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    for code in ("m542", "M62.838", "S13.4XXA"):
        step(physician, base, "diagnoses", {"action": "add", "code": code})
    assert stored(app, base).document["diagnoses"] == ["M54.2", "M62.838", "S13.4XXA"]
    step(physician, base, "diagnoses", {"action": "up:2"})
    step(physician, base, "diagnoses", {"action": "up:1"})
    assert stored(app, base).document["diagnoses"] == ["S13.4XXA", "M54.2", "M62.838"]
    step(physician, base, "diagnoses", {"action": "remove:2"})
    assert stored(app, base).document["diagnoses"] == ["S13.4XXA", "M54.2"]
    duplicate = step(physician, base, "diagnoses", {"action": "add", "code": "M54.2"})
    assert duplicate.status_code == 422
    assert any("twice" in e for e in field_errors(duplicate.get_data(as_text=True)))


def test_wizard_diagnoses_search_lists_billable_codes(physician: Physician) -> None:
    base = physician.new_draft()
    html = physician.client.get(f"{base}/diagnoses?q=cervicalgia").get_data(
        as_text=True
    )
    assert 'value="add:M54.2"' in html


def test_wizard_diagnoses_next_without_a_code_is_refused(physician: Physician) -> None:
    base = physician.new_draft()
    response = step(physician, base, "diagnoses", {"nav": "next"})
    assert response.status_code == 422
    assert "Add at least one ICD-10-CM diagnosis code." in response.get_data(
        as_text=True
    )


def test_wizard_session_shows_units_visits_and_dates(physician: Physician) -> None:
    base = physician.new_draft()
    step(physician, base, "session", {**SESSION, "nav": "save"})
    html = physician.client.get(f"{base}/session").get_data(as_text=True)
    start = date.fromisoformat(TOMORROW)
    end = start + timedelta(days=55)
    assert "60 minutes (4 units)" in html
    assert "11 visits" in html
    assert f"{end:%m/%d/%Y}" in html
    second = start + timedelta(days=7)
    assert (
        f"2x/week for 1 week: {second:%m/%d/%Y} to "
        f"{second + timedelta(days=6):%m/%d/%Y} (2 visits)"
    ) in html


def test_wizard_session_in_units_is_shown_as_minutes(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    step(
        physician,
        base,
        "session",
        {**SESSION, "session_mode": "units", "units": "3", "nav": "save"},
    )
    html = physician.client.get(f"{base}/session").get_data(as_text=True)
    assert "45 minutes (3 units)" in html


def test_wizard_session_rejects_bad_lengths_and_phases(physician: Physician) -> None:
    base = physician.new_draft()
    response = step(
        physician,
        base,
        "session",
        {**SESSION, "minutes": "7", "phases-0-per_week": "8", "postop": "y"},
    )
    errors = field_errors(response.get_data(as_text=True))
    assert response.status_code == 422
    assert any("at least 8 minutes" in e for e in errors)
    assert any("visits per week from 1 to 7" in e for e in errors)
    assert "Enter the date of surgical clearance." in errors


def test_wizard_body_areas_need_one_and_sides_for_limbs(physician: Physician) -> None:
    base = physician.new_draft()
    none = step(physician, base, "body_areas", {})
    assert "Choose at least one body area to treat." in field_errors(
        none.get_data(as_text=True)
    )
    sideless = step(physician, base, "body_areas", {"area_knee": "y"})
    assert "Knee: choose left, right or bilateral." in field_errors(
        sideless.get_data(as_text=True)
    )


def test_wizard_shows_the_97124_coverage_warning(physician: Physician) -> None:
    base = physician.new_draft()
    html = physician.client.get(f"{base}/modality").get_data(as_text=True)
    assert "Many carriers do not cover CPT 97124" in html


def test_wizard_escapes_html_typed_into_fields(physician: Physician) -> None:
    base = physician.new_draft()
    step(
        physician,
        base,
        "patient",
        {**PATIENT, "name": "<script>alert(1)</script>", "nav": "save"},
    )
    html = physician.client.get(f"{base}/patient").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_wizard_finalize_needs_the_attestation(physician: Physician) -> None:
    base = walk_to_review(physician)
    response = step(physician, base, "review", {"nav": "finalize"})
    assert response.status_code == 422
    assert "Tick the medical-necessity attestation" in response.get_data(as_text=True)


def test_wizard_finalize_needs_a_complete_profile(
    open_registration: Flask, client: FlaskClient
) -> None:
    app = open_registration
    doctor = Physician(client)
    doctor.register()
    base = walk_to_review(doctor)
    html = client.get(f"{base}/review").get_data(as_text=True)
    assert "Your prescriber profile is incomplete" in html
    response = step(doctor, base, "review", {"nav": "finalize", "attest": "y"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(models.Prescription.id))) == 0


def test_wizard_double_finalize_gives_one_prescription(
    app: Flask, physician: Physician
) -> None:
    base = walk_to_review(physician)
    token_page = f"{base}/review"
    first = step(physician, base, "review", {"nav": "finalize", "attest": "y"})
    # the same form posted again (a double click) lands on the same prescription
    again = physician.client.post(
        token_page,
        data={
            "nav": "finalize",
            "attest": "y",
            "csrf_token": _token_of(physician, "/drafts"),
        },
    )
    assert again.status_code == 302
    assert again.location == first.location
    with app.app_context():
        assert db.session.scalar(select(func.count(models.Prescription.id))) == 1


def _token_of(doctor: Physician, url: str) -> str:
    from tests.helpers import csrf_token

    return csrf_token(doctor.client, url)


def test_wizard_post_without_csrf_token_is_refused(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    response = physician.client.post(f"{base}/patient", data=PATIENT)
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    assert stored(app, base).document.get("patient") is None


def test_wizard_another_physicians_draft_is_not_found(
    open_registration: Flask, client: FlaskClient
) -> None:
    maria = Physician(client)
    maria.register("maria@example.org")
    base = maria.new_draft()
    client.post("/logout", data={"csrf_token": _token_of(maria, "/drafts")})
    other = Physician(client)
    other.register("john@example.org")
    assert client.get(f"{base}/patient").status_code == 404
    assert client.get("/rx/not-a-draft/patient").status_code == 404


def test_wizard_needs_a_login(client: FlaskClient) -> None:
    response = client.get("/drafts")
    assert response.status_code == 302
    assert "/login" in response.location


def test_wizard_writes_no_patient_data_to_the_log(
    physician: Physician, caplog: Any
) -> None:
    caplog.set_level("DEBUG")
    base = walk_to_review(physician)
    step(physician, base, "review", {"nav": "finalize", "attest": "y"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("Jane Doe", "1980-04-12", "WC-2026-0042", "XJ-5521"):
        assert secret not in logged


def test_wizard_save_draft_on_review_never_finalizes(
    app: Flask, physician: Physician
) -> None:
    base = walk_to_review(physician)
    response = step(physician, base, "review", {"nav": "save", "attest": "y"})
    assert response.status_code == 302
    assert response.location.endswith(f"{base}/review")
    with app.app_context():
        assert db.session.scalar(select(func.count(models.Prescription.id))) == 0


def test_wizard_notes_quietly_when_today_is_outside_the_code_sets_dates(
    physician: Physician, icd: Any, monkeypatch: Any
) -> None:
    base = physician.new_draft()
    step(physician, base, "diagnoses", {"action": "add:M54.2"})
    monkeypatch.setattr(type(icd), "covers", lambda self, day: False)
    html = physician.client.get(f"{base}/diagnoses").get_data(as_text=True)
    note = html.split('data-rule="codeset.outside-window"', 1)[1].split("</div>", 1)[0]
    assert "which is not in effect on" in note
    assert "45 CFR 162.1002" in note
    # The request to import a release is for administrators (flask icd10 status).
    assert "flask icd10 import" not in html
    monkeypatch.setattr(type(icd), "covers", lambda self, day: True)
    html = physician.client.get(f"{base}/diagnoses").get_data(as_text=True)
    assert "codeset.outside-window" not in html


def test_wizard_offers_the_codes_recently_used_by_the_physician(
    physician: Physician,
) -> None:
    base = walk_to_review(physician)
    step(physician, base, "review", {"nav": "finalize", "attest": "y"})
    fresh = physician.new_draft()
    step(physician, fresh, "diagnoses", {"action": "add:M54.2"})
    html = physician.client.get(f"{fresh}/diagnoses").get_data(as_text=True)
    recent = html.split("Recently used by you", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'value="add:([^"]+)"', recent) == ["S13.4XXA", "M62.838"]


def test_wizard_diagnoses_page_carries_the_typeahead(physician: Physician) -> None:
    base = physician.new_draft()
    html = physician.client.get(f"{base}/diagnoses").get_data(as_text=True)
    assert 'data-typeahead="/api/v1/icd10/search"' in html
    assert "Code set: ICD-10-CM FY2026 (April 1, 2026 update)." in html
    assert "/static/js/typeahead.js" in html


def test_wizard_session_summary_follows_what_is_typed_without_saving(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    url = f"{base}/session/summary"
    typed = {**SESSION, "minutes": "38", "phases-2-weeks": "2"}
    response = physician.post(url, typed, page=f"{base}/session")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "38 minutes (3 units)" in html
    assert "7 visits" in html
    bad = physician.post(url, {**SESSION, "minutes": "5"}, page=f"{base}/session")
    assert "at least 8 minutes" in bad.get_data(as_text=True)
    assert stored(app, base).document["session"] == {"minutes": "60"}


def test_wizard_session_page_explains_the_8_minute_rule(physician: Physician) -> None:
    base = physician.new_draft()
    html = physician.client.get(f"{base}/session").get_data(as_text=True)
    assert (
        "8–22 min = 1 unit, 23–37 min = 2 units, 38–52 min = 3 units, 53–67 min = 4 units"
        in html
    )
    assert "8 to 120 minutes." in html


def test_wizard_refuses_a_surgical_clearance_after_the_plan_starts(
    physician: Physician,
) -> None:
    base = physician.new_draft()
    cleared = date.fromisoformat(TOMORROW) + timedelta(days=3)
    response = step(
        physician,
        base,
        "session",
        {**SESSION, "postop": "y", "postop_date": cleared.isoformat()},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    beside = re.search(
        r'<ul class="errors" id="postop_date-error">\s*<li>([^<]*)', html
    )
    assert beside is not None
    assert beside.group(1) == (
        f"The surgeon&#39;s clearance ({cleared:%m/%d/%Y}) is after the plan starts "
        f"({date.fromisoformat(TOMORROW):%m/%d/%Y}): start the plan on or after the "
        "clearance date."
    )


def test_wizard_stores_precautions_as_structured_data_and_reloads_them(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    fields = {
        **SESSION,
        "postop": "y",
        "postop_date": TOMORROW,
        "other_precautions": "No heat",
    }
    assert step(physician, base, "session", fields).status_code == 302
    assert stored(app, base).document["precautions"] == [
        {"kind": "anticoagulant"},
        {"kind": "postop", "cleared_on": TOMORROW},
        {"kind": "other", "text": "No heat"},
    ]
    html = physician.client.get(f"{base}/session").get_data(as_text=True)
    assert re.search(r'id="postop"[^>]*checked|checked[^>]*id="postop"', html)
    assert f'value="{TOMORROW}"' in html and 'value="No heat"' in html


def test_wizard_review_lists_every_finding_and_needs_warnings_accepted(
    app: Flask, physician: Physician
) -> None:
    base = walk_to_review(physician)
    review = physician.client.get(f"{base}/review").get_data(as_text=True)
    assert 'data-rule="icd.injury-initial-encounter"' in review
    assert 'data-rule="icd.symptom-with-definitive"' in review
    assert "Section I.C.19.a" in review  # each finding names its source
    unaccepted = step(
        physician, base, "review", {"nav": "finalize", "attest": "y",
                                    "accept_warnings": ""}
    )  # fmt: skip
    assert unaccepted.status_code == 422
    assert "tick that you accept them" in unaccepted.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(models.Prescription.id))) == 0
    done = step(physician, base, "review", {"nav": "finalize", "attest": "y"})
    assert done.status_code == 302
    with app.app_context():
        record = db.session.scalars(select(models.Prescription)).one()
        assert "icd.injury-initial-encounter" in {w["rule"] for w in record.warnings}
        detail = db.session.scalars(
            select(models.AuditEvent.detail).where(
                models.AuditEvent.action == "warnings accepted"
            )
        ).one()
        assert "icd.symptom-with-definitive" in detail


def test_wizard_rule_error_shows_beside_the_field_that_fixes_it(
    physician: Physician,
) -> None:
    base = walk_to_review(physician)  # the example orders the anticoagulant precaution
    response = step(physician, base, "modality", {**MODALITY, "pressure": "deep"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = field_error(html, "pressure")
    assert "on anticoagulants: order light pressure only" in errors
    review = physician.client.get(f"{base}/review").get_data(as_text=True)
    assert "Before this prescription can be finalized" in review
    assert "plan.anticoagulant-pressure" in review
    assert 'value="finalize"' not in review


def test_wizard_offers_the_subsequent_encounter_in_one_click(
    app: Flask, physician: Physician
) -> None:
    base = walk_to_review(physician)
    page = physician.client.get(f"{base}/diagnoses").get_data(as_text=True)
    assert 'value="replace:0:S13.4XXD"' in page
    response = step(physician, base, "diagnoses", {"action": "replace:0:S13.4XXD"})
    assert response.status_code == 302
    with app.app_context():
        draft = db.session.get(models.Draft, base.rsplit("/", 1)[-1])
        assert draft is not None
        assert draft.document["diagnoses"][0] == "S13.4XXD"
    review = physician.client.get(f"{base}/review").get_data(as_text=True)
    assert 'data-rule="icd.injury-initial-encounter"' not in review


HEALTH_PLAN = {
    **PATIENT,
    "payer_type": "medicare",
    "payer_name": "Medicare",
    "member_id": "1EG4",
    "onset_date": "2026-10-01",
    "related_to": "none",
}
AUTO = {**PATIENT, "payer_type": "auto_pip", "accident_state": "FL",
        "emergency_medical_condition": "no"}  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({**PATIENT, "employer": ""}, "employer", "Enter the employer."),
        ({**PATIENT, "jurisdiction_state": ""}, "jurisdiction_state",
         "Choose the state of jurisdiction of the claim."),
        ({**HEALTH_PLAN, "onset_date": ""}, "onset_date", "Enter the onset date."),
        ({**HEALTH_PLAN, "related_to": ""}, "related_to",
         "Choose whether the condition is related to employment or an accident."),
        ({**AUTO, "emergency_medical_condition": "perhaps"},
         "emergency_medical_condition", "Choose one of: Yes, No, Not determined."),
    ],
)  # fmt: skip
def test_wizard_payer_fields_show_their_error_beside_them(
    physician: Physician, typed: dict[str, str], field: str, message: str
) -> None:
    base = physician.new_draft()
    response = step(physician, base, "patient", typed)
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), field)


def test_wizard_coverage_blocks_are_labelled_by_payer_type_from_the_domain(
    physician: Physician,
) -> None:
    html = physician.client.get(f"{physician.new_draft()}/patient").get_data(
        as_text=True
    )
    blocks = re.findall(
        r'<fieldset class="grid payer-fields" data-show-for="([^"]*)">\s*'
        r"<legend>([^<]*)</legend>(.*?)</fieldset>",
        html,
        re.S,
    )
    fields = {
        frozenset(show_for.split()): (title, set(re.findall(r'name="(\w+)"', body)))
        for show_for, title, body in blocks
    }
    assert fields == {
        FIELDS_FOR["health_plan"]: (
            "Commercial health plan / Medicare / Medicaid",
            {"member_id", "onset_date", "related_to"},
        ),
        FIELDS_FOR["injury"]: (
            "Workers&#39; Compensation / Auto PIP/no-fault",
            {"claim_number", "policy_number", "date_of_injury"},
        ),
        FIELDS_FOR["workers_comp"]: (
            "Workers&#39; Compensation",
            {"employer", "jurisdiction_state"},
        ),
        FIELDS_FOR["auto_pip"]: (
            "Auto PIP/no-fault",
            {"accident_state", "emergency_medical_condition"},
        ),
    }
    # Without JS every block shows: none is hidden by the server.
    assert 'payer-fields" data-show-for' in html and " hidden" not in "".join(
        body for _, _, body in blocks
    )
    assert "Emergency medical condition (Fla. Stat. 627.736(1)(a)3)" in html


def test_wizard_stores_each_payers_fields_and_shows_their_rules(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    response = step(physician, base, "patient", AUTO)
    assert response.status_code == 302
    coverage = stored(app, base).document["coverage"]
    assert coverage["emergency_medical_condition"] == "no"
    page = physician.client.get(f"{base}/patient").get_data(as_text=True)
    warning = page.split('id="emergency_medical_condition-warning"', 1)[1]
    assert "Florida PIP limits medical benefits to $2,500" in warning


def test_wizard_new_draft_is_performed_by_a_massage_therapist(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    html = physician.client.get(f"{base}/modality").get_data(as_text=True)
    assert "<legend>To be performed by</legend>" in html
    assert re.search(r'<input checked[^>]*name="performer"[^>]*value="lmt"', html)
    assert "Physical therapist (PT)" in html
    response = step(physician, base, "modality", {**MODALITY, "performer": ""})
    assert response.status_code == 422
    assert "Choose who performs the therapy." in field_error(
        response.get_data(as_text=True), "performer"
    )
    assert step(physician, base, "modality", {**MODALITY, "performer": "pt"})
    assert stored(app, base).document["modality"]["performer"] == "pt"


def test_wizard_fl_pip_error_shows_beside_the_performer(
    physician: Physician,
) -> None:
    base = physician.new_draft()
    assert step(physician, base, "patient", AUTO).status_code == 302
    response = step(physician, base, "modality", MODALITY)
    assert response.status_code == 422
    assert "never from a licensed massage therapist" in field_error(
        response.get_data(as_text=True), "performer"
    )
    pt = step(physician, base, "modality", {**MODALITY, "performer": "pt"})
    assert pt.status_code == 302


def test_wizard_goal_rows_show_errors_beside_the_row(physician: Physician) -> None:
    base = physician.new_draft()
    data = {**SESSION, "goals-1-baseline": "", "goals-2-function": "Sitting"}
    response = step(physician, base, "session", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    row = re.search(r'id="goals-1-baseline".*?</td>', html, re.S)
    assert row and "Enter the baseline: where it is now" in row.group(0)
    field = re.search(r'<input[^>]*id="goals-1-baseline"[^>]*>', html)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert 'aria-describedby="goals-1-baseline-error"' in field.group(0)
    third = re.search(r'id="goals-2-baseline".*?</tr>', html, re.S)
    assert third and "Enter the target" in third.group(0)
    # What was typed stays in its row.
    assert 'value="Sitting"' in html and 'value="Cervical rotation"' in html


def test_wizard_session_needs_one_measurable_goal(physician: Physician) -> None:
    base = physician.new_draft()
    data = {k: v for k, v in SESSION.items() if not k.startswith("goals-")}
    response = step(physician, base, "session", data)
    assert response.status_code == 422
    assert any(
        "at least one measurable goal" in e
        for e in field_errors(response.get_data(as_text=True))
    )


def test_wizard_session_asks_the_minutes_of_each_code_when_both_are_ordered(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    both = {
        "cpt": ["97140", "97124"],
        "techniques": ["myofascial release", "effleurage"],
        "pressure": "light",
        "performer": "lmt",
    }
    step(physician, base, "modality", {**both, "nav": "save"})
    html = physician.client.get(f"{base}/session").get_data(as_text=True)
    assert 'name="minutes_97140"' in html and 'name="minutes_97124"' in html
    assert "chapter 5, section 20.2" in html
    response = step(physician, base, "session", {**SESSION, "minutes_97140": "33"})
    assert response.status_code == 422
    assert "Enter the minutes of CPT 97124." in field_errors(
        response.get_data(as_text=True)
    )
    data = {**SESSION, "minutes_97140": "33", "minutes_97124": "7", "nav": "save"}
    step(physician, base, "session", data)
    assert stored(app, base).document["session"] == {
        "minutes_by_cpt": {"97140": "33", "97124": "7"}
    }
    html = physician.client.get(f"{base}/session").get_data(as_text=True)
    assert (
        "40 minutes (3 units): CPT 97140 33 minutes (2 units), "
        "CPT 97124 7 minutes (1 unit)"
    ) in html


def test_wizard_session_reevaluates_at_the_payers_cadence(
    physician: Physician,
) -> None:
    base = physician.new_draft()
    wa = {**PATIENT, "jurisdiction_state": "WA"}
    step(physician, base, "patient", {**wa, "nav": "save"})
    step(physician, base, "session", {**SESSION, "nav": "save"})
    html = physician.client.get(f"{base}/session").get_data(as_text=True)
    start = date.fromisoformat(TOMORROW)
    # Washington L&I: the 6th visit (week 3, day 1), then 30 days after it.
    sixth = start + timedelta(days=14)
    expected = f"re-evaluate by {sixth:%m/%d/%Y}, {sixth + timedelta(days=30):%m/%d/%Y}"
    assert expected in html


def test_wizard_session_says_1_visit(physician: Physician) -> None:
    base = physician.new_draft()
    one = {**SESSION, "plan_mode": "visits", "visits": "1", "weeks": "1"}
    step(physician, base, "session", {**one, "nav": "save"})
    html = physician.client.get(f"{base}/session").get_data(as_text=True)
    assert "<strong>1 visit</strong> (1 visit over 1 week)" in html
    assert "1 visits" not in html


@pytest.mark.parametrize("nav", ["next", "save"])
def test_wizard_saves_no_field_over_its_limit_and_keeps_the_rest(
    app: Flask, physician: Physician, nav: str
) -> None:
    base = physician.new_draft()
    assert step(physician, base, "patient", PATIENT).status_code == 302
    huge = {**PATIENT, "name": "J" * 900_000, "payer_name": "Gulf Mutual", "nav": nav}
    response = step(physician, base, "patient", huge)
    assert response.status_code == 422
    assert "Use at most 100 characters (this has 900000)." in field_errors(
        response.get_data(as_text=True)
    )
    saved = stored(app, base).document
    assert saved["patient"]["name"] == "Jane Doe"  # what was saved before
    assert saved["coverage"]["payer_name"] == "Gulf Mutual"  # what fits is kept


def test_wizard_refuses_an_oversized_choice_too(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    response = step(physician, base, "patient", {**PATIENT, "payer_type": "x" * 5000})
    assert response.status_code == 422
    assert len(str(stored(app, base).document)) < 5000

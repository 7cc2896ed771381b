"""Order presets, "same as last time", one empty draft, times in the practice's zone."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

import models
from extensions import db
from rxassist.lifecycle import Status
from tests import factories
from tests.helpers import (
    PATIENT,
    SESSION,
    Physician,
    field_errors,
    order,
    pdf_text,
    step,
    walk_to_review,
)

OTHER = "omar@example.org"
STRANGER = "sam@example.org"


def _rows(app: Flask, model: Any, *where: Any) -> list[Any]:
    with app.app_context():
        rows = db.session.scalars(select(model).where(*where)).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def _preset(app: Flask, name: str) -> models.Preset:
    [row] = _rows(app, models.Preset, models.Preset.name == name)
    return row


def _save_from_review(doctor: Physician, name: str, shared: bool = False) -> str:
    base = walk_to_review(doctor)
    review = doctor.client.get(f"{base}/review").get_data(as_text=True)
    assert f'action="{base}/save-preset"' in review
    data = {"preset_name": name, **({"shared": "y"} if shared else {})}
    response = doctor.post(f"{base}/save-preset", data, page=f"{base}/review")
    assert response.status_code == 302, response.get_data(as_text=True)[:600]
    return base


def _flashes(page: str) -> list[str]:
    return [
        html.unescape(m) for m in re.findall(r'class="flash[^"]*"[^>]*>([^<]*)<', page)
    ]


@pytest.fixture
def colleagues(app: Flask, client: Any) -> dict[str, Physician]:
    """Maria and Omar of one practice, Sam of another, each signed in on a client."""
    factories.physician(app, practice="Lakeside")
    factories.physician(app, OTHER, practice="Lakeside", name="Omar Reyes")
    factories.physician(app, STRANGER, practice="Elsewhere", name="Sam Lee")
    return {
        "maria": factories.signed_in(client),
        "omar": factories.signed_in(app.test_client(), OTHER),
        "sam": factories.signed_in(app.test_client(), STRANGER),
    }


def test_preset_saved_from_review_keeps_the_order_not_the_patient(
    app: Flask, physician: Physician, icd: Any
) -> None:
    _save_from_review(physician, "Whiplash, WC")
    preset = _preset(app, "Whiplash, WC")
    content = preset.content
    assert set(content) == {
        "coverage",
        "modality",
        "body_areas",
        "diagnoses",
        "session",
        "plan",
        "precautions",
        "goals",
    }
    assert content["coverage"] == {"payer_type": "workers_comp"}
    assert content["diagnoses"] == ["S13.4XXA", "M54.2", "M62.838"]
    assert "start" not in content["plan"] and len(content["plan"]["phases"]) == 3
    assert content["modality"]["techniques"] == [
        "myofascial release",
        "neuromuscular therapy",
    ]
    assert "Jane Doe" not in str(content) and "WC-2026-0042" not in str(content)
    assert preset.code_set == icd.label and not preset.shared
    [event] = _rows(app, models.AuditEvent, models.AuditEvent.action == "preset saved")
    assert preset.id in event.detail and event.prescription_id is None


def test_preset_saved_from_a_prescription_page(
    app: Flask, physician: Physician
) -> None:
    url = factories.prescription_url(app)
    assert "Save this order as a preset" in physician.client.get(url).get_data(
        as_text=True
    )
    response = physician.post(f"{url}/save-preset", {"preset_name": "Neck, WC"})
    assert response.status_code == 302 and response.location.endswith(url)
    assert _preset(app, "Neck, WC").content["body_areas"][0] == {"area": "cervical"}


def test_preset_without_a_name_says_so_beside_the_field(
    app: Flask, physician: Physician
) -> None:
    url = factories.prescription_url(app)
    response = physician.post(f"{url}/save-preset", {"preset_name": "  "})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True)) == [
        "Name the preset, such as “Whiplash, WC”."
    ]
    assert _rows(app, models.Preset) == []


def test_preset_of_an_incomplete_order_is_refused_by_the_rules(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    step(physician, base, "patient", PATIENT)
    response = physician.post(
        f"{base}/save-preset", {"preset_name": "Nothing"}, page=f"{base}/patient"
    )
    assert response.status_code == 422
    assert "modality.cpt: Choose CPT" in html.unescape(response.get_data(as_text=True))
    assert _rows(app, models.Preset) == []


def test_shared_preset_is_offered_to_the_practice_and_no_one_else(
    app: Flask, colleagues: dict[str, Physician]
) -> None:
    maria, omar, sam = colleagues["maria"], colleagues["omar"], colleagues["sam"]
    _save_from_review(maria, "Whiplash, WC", shared=True)
    url = factories.prescription_url(app)
    maria.post(f"{url}/save-preset", {"preset_name": "Maria only"})
    shared, personal = _preset(app, "Whiplash, WC"), _preset(app, "Maria only")
    assert shared.shared and not personal.shared

    page = omar.client.get("/presets").get_data(as_text=True)
    assert "Whiplash, WC" in page and "Maria only" not in page
    assert "shared by Maria Lopez" in page
    patient_step = omar.client.get(omar.new_draft() + "/patient").get_data(True)
    assert "Whiplash, WC" in patient_step and "Maria only" not in patient_step
    assert "Whiplash, WC" not in sam.client.get("/presets").get_data(as_text=True)

    # Someone else's personal preset, or another practice's: not found.
    assert omar.post(f"/presets/{personal.id}/apply", {}, "/presets").status_code == 404
    assert sam.post(f"/presets/{shared.id}/apply", {}, "/presets").status_code == 404
    # Only its owner renames or deletes a shared preset.
    for verb in ("rename", "delete"):
        answer = omar.post(
            f"/presets/{shared.id}/{verb}", {"preset_name": "x"}, "/presets"
        )
        assert answer.status_code == 404
    assert _preset(app, "Whiplash, WC").id == shared.id


def test_applying_a_preset_fills_all_but_the_patient_and_next_goes_to_review(
    app: Flask, physician: Physician
) -> None:
    _save_from_review(physician, "Whiplash, WC")
    preset = _preset(app, "Whiplash, WC")
    response = physician.post(f"/presets/{preset.id}/apply", {}, page="/presets")
    assert response.status_code == 302 and response.location.endswith("/patient")
    draft = factories.draft(app, response.location.rsplit("/", 1)[0])
    assert "patient" not in draft.document
    assert draft.document["coverage"] == {"payer_type": "workers_comp"}
    for section in ("modality", "body_areas", "diagnoses", "session", "goals"):
        assert draft.document[section] == preset.content[section]
    assert draft.document["plan"]["phases"] == preset.content["plan"]["phases"]
    assert draft.document["plan"]["start"]
    # A goal's baseline is one patient's: the preset keeps the function and target.
    assert [set(goal) for goal in preset.content["goals"]] == [
        {"function", "target"}
    ] * len(preset.content["goals"])

    base = response.location.rsplit("/", 1)[0]
    answer = step(physician, base, "patient", PATIENT)
    assert answer.status_code == 302 and answer.location.endswith("/session")
    page = physician.client.get(f"{base}/session").get_data(as_text=True)
    assert 'value="Cervical rotation"' in page  # the goal, its baseline to type
    answer = step(physician, base, "session", SESSION)  # today's baselines typed
    assert answer.status_code == 302 and answer.location.endswith("/review")
    review = physician.client.get(f"{base}/review").get_data(as_text=True)
    assert 'value="finalize"' in review


def test_preset_applied_from_the_patient_step_keeps_what_was_typed(
    app: Flask, physician: Physician
) -> None:
    _save_from_review(physician, "Whiplash, WC")
    preset = _preset(app, "Whiplash, WC")
    base = physician.new_draft()
    page = physician.client.get(f"{base}/patient").get_data(as_text=True)
    assert f'data-preset="{preset.id}"' in page
    draft_id = base.rsplit("/", 1)[1]
    response = physician.post(
        f"/presets/{preset.id}/apply?draft={draft_id}", PATIENT, page=f"{base}/patient"
    )
    assert response.location.endswith(f"{base}/review")
    draft = factories.draft(app, base)
    assert draft.document["patient"]["name"] == "Jane Doe"
    assert draft.document["modality"] == preset.content["modality"]


def test_preset_rename_and_delete_by_its_owner_are_audited(
    app: Flask, physician: Physician
) -> None:
    url = factories.prescription_url(app)
    physician.post(f"{url}/save-preset", {"preset_name": "Neck"})
    preset = _preset(app, "Neck")
    answer = physician.post(
        f"/presets/{preset.id}/rename", {"preset_name": ""}, "/presets"
    )
    assert answer.status_code == 422 and _preset(app, "Neck")
    answer = physician.post(
        f"/presets/{preset.id}/rename", {"preset_name": "Neck, WC"}, "/presets"
    )
    assert answer.status_code == 302 and _preset(app, "Neck, WC").id == preset.id
    assert (
        physician.post(f"/presets/{preset.id}/delete", {}, "/presets").status_code
        == 302
    )
    assert _rows(app, models.Preset) == []
    actions = [e.action for e in _rows(app, models.AuditEvent)]
    assert {"preset saved", "preset renamed", "preset deleted"} <= set(actions)


def test_preset_with_a_code_no_longer_billable_keeps_the_rest_and_says_so(
    app: Flask, physician: Physician, icd: Any
) -> None:
    url = factories.prescription_url(app)
    physician.post(f"{url}/save-preset", {"preset_name": "Old"})
    with app.app_context():
        preset = db.session.scalars(select(models.Preset)).one()
        # Saved under an older code set whose S13.4 was billable, say.
        preset.content = dict(preset.content, diagnoses=["S13.4", "M54.2"])
        preset.code_set = "ICD-10-CM FY2025"
        db.session.commit()
        preset_id = preset.id
    response = physician.post(f"/presets/{preset_id}/apply", {}, "/presets")
    page = physician.client.get(response.location).get_data(as_text=True)
    assert (
        f"S13.4 is no longer billable in code set {icd.label} (the preset was made "
        "with ICD-10-CM FY2025): choose a replacement."
    ) in _flashes(page)
    draft = factories.draft(app, response.location.rsplit("/", 1)[0])
    assert draft.document["diagnoses"] == ["M54.2"]
    assert draft.document["modality"]["cpt"] == ["97140"]


def test_same_as_last_time_offers_the_last_order_with_a_subsequent_encounter(
    app: Flask, physician: Physician
) -> None:
    earlier = factories.record(app, factories.prescription_url(app))
    base = physician.new_draft()
    answer = step(physician, base, "patient", {**PATIENT, "name": "  jane  DOE "})
    assert answer.location.endswith("/modality")
    page = physician.client.get(f"{base}/modality").get_data(as_text=True)
    assert f"Same as last time: Jane Doe had {earlier.number}" in page
    response = physician.post(f"{base}/same-as-last", {}, page=f"{base}/modality")
    assert response.location.endswith(f"{base}/review")
    draft = factories.draft(app, base)
    assert draft.document["diagnoses"] == ["S13.4XXD", "M54.2", "M62.838"]
    assert draft.document["body_areas"] == earlier.document["body_areas"]
    notes = _flashes(physician.client.get(f"{base}/review").get_data(as_text=True))
    assert (
        "S13.4XXA (initial encounter) is now S13.4XXD (subsequent encounter): "
        "ICD-10-CM Official Guidelines I.C.19.a."
    ) in notes


def test_same_as_last_time_is_not_offered_for_a_new_patient(
    app: Flask, physician: Physician
) -> None:
    factories.prescription(app)
    base = physician.new_draft()
    step(physician, base, "patient", {**PATIENT, "dob": "1981-04-12"})
    page = physician.client.get(f"{base}/modality").get_data(as_text=True)
    assert "Same as last time" not in page


def test_same_as_last_time_never_reaches_a_colleagues_patient_by_mrn(
    app: Flask, client: Any
) -> None:
    # Review finding: an MRN alone offered (and copied) a colleague's patient.
    for email in ("me@x.org", "colleague@x.org"):
        factories.physician(app, email=email, practice="Lakeside")
    with_mrn = {"patient": {**order()["patient"], "mrn": "MRN-1"}}
    url = factories.prescription_url(app, "colleague@x.org", **with_mrn)
    theirs = factories.record(app, url)
    me = factories.signed_in(client, "me@x.org")
    base = me.new_draft()
    step(me, base, "patient", {**PATIENT, "name": "Somebody Else", "mrn": "MRN-1"})
    page = me.client.get(f"{base}/modality").get_data(as_text=True)
    assert "Same as last time" not in page and theirs.patient_name not in page
    step(me, base, "patient", PATIENT)  # the colleague's patient, by name and DOB
    page = me.client.get(f"{base}/modality").get_data(as_text=True)
    assert "Same as last time" not in page


def test_same_as_last_time_skips_a_void_order_and_a_different_mrn(
    app: Flask, physician: Physician
) -> None:
    url = factories.prescription_url(
        app, patient={**order()["patient"], "mrn": "MRN-1"}
    )
    base = physician.new_draft()
    step(physician, base, "patient", {**PATIENT, "mrn": "OTHER-77"})
    page = physician.client.get(f"{base}/modality").get_data(as_text=True)
    assert "Same as last time" not in page  # same name and DOB, another MRN
    step(physician, base, "patient", {**PATIENT, "mrn": "MRN-1"})
    page = physician.client.get(f"{base}/modality").get_data(as_text=True)
    assert "Same as last time: Jane Doe" in page
    with app.app_context():
        record = db.session.get(models.Prescription, url.rsplit("/", 1)[-1])
        record.status = Status.VOID
        db.session.commit()
    step(physician, base, "patient", {**PATIENT, "mrn": "MRN-1"})
    page = physician.client.get(f"{base}/modality").get_data(as_text=True)
    assert "Same as last time" not in page


def test_new_prescription_three_times_lists_no_empty_draft_and_shares_none(
    app: Flask, physician: Physician
) -> None:
    # Two tabs must never share one draft (a review found two patients merged).
    urls = [physician.new_draft() for _ in range(3)]
    assert len(set(urls)) == 3
    page = physician.client.get("/drafts").get_data(as_text=True)
    assert not any(url in page for url in urls)  # nothing left behind to see
    step(physician, urls[0], "patient", PATIENT)
    step(physician, urls[1], "patient", {**PATIENT, "name": "Bob Roe"})
    assert factories.draft(app, urls[0]).document["patient"]["name"] == "Jane Doe"
    page = physician.client.get("/drafts").get_data(as_text=True)
    assert urls[0] in page and urls[1] in page and urls[2] not in page


def test_blank_drafts_past_the_idle_timeout_are_removed(
    app: Flask, physician: Physician
) -> None:
    old, typed = physician.new_draft(), physician.new_draft()
    step(physician, typed, "patient", PATIENT)
    with app.app_context():
        idle = timedelta(minutes=app.config["RX_SESSION_IDLE_MINUTES"] + 1)
        for url in (old, typed):
            row = db.session.get(models.Draft, url.rsplit("/", 1)[-1])
            row.updated_at = models.utcnow() - idle
        db.session.commit()
    fresh = physician.new_draft()
    ids = {row.id for row in _rows(app, models.Draft)}
    assert ids == {typed.rsplit("/", 1)[-1], fresh.rsplit("/", 1)[-1]}


def test_times_show_in_the_practice_time_zone(
    app: Flask, client: Any, monkeypatch: Any
) -> None:
    factories.physician(app, practice="Lakeside")
    factories.signed_in(client)
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["admin", "set-time-zone", "Lakeside", "America/Denver"]
    )
    assert result.exit_code == 0, result.output
    signed = datetime(2026, 7, 1, 18, 5)  # UTC, as stored
    monkeypatch.setattr(models, "utcnow", lambda: signed)
    url = factories.prescription_url(app)
    with app.app_context():
        db.session.execute(
            models.Prescription.__table__.update().values(created_at=signed)
        )
        db.session.commit()
    stored = factories.record(app, url)
    assert "on 07/01/2026 at 12:05 PM MDT" in pdf_text(stored.pdf)
    assert "Finalized 07/01/2026 12:05 PM MDT" in client.get(url).get_data(True)
    assert "07/01/2026 12:05 PM MDT" in client.get("/drafts").get_data(True)
    verify = client.get(f"/v/{stored.verify_token}").get_data(as_text=True)
    assert "07/01/2026 12:05 PM MDT" in verify
    audit = client.get(f"{url}/audit").get_data(as_text=True)
    assert "UTC" not in audit


def test_time_zone_refused_when_not_a_zone(app: Flask) -> None:
    factories.practice(app, "Lakeside")
    result = app.test_cli_runner().invoke(
        args=["admin", "set-time-zone", "Lakeside", "Mars/Olympus"]
    )
    assert result.exit_code != 0 and "IANA time zone" in result.output
    with app.app_context():
        zone = db.session.scalar(select(func.max(models.Practice.time_zone)))
    assert zone == ""


def test_preset_of_a_physician_without_a_practice_is_never_shared(
    app: Flask, physician: Physician
) -> None:
    url = factories.prescription_url(app)
    physician.post(f"{url}/save-preset", {"preset_name": "Solo", "shared": "y"})
    assert not _preset(app, "Solo").shared
    assert "Solo" in physician.client.get("/presets").get_data(as_text=True)

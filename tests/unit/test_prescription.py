"""The one validation of a prescription document, bad input by bad input."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rxassist.icd import IcdIndex
from rxassist.prescription import from_record, validate, validate_sections
from tests.helpers import document


def errors_of(icd: IcdIndex, **overrides: Any) -> dict[str, str]:
    rx, errors = validate(document(**overrides), icd=icd)
    assert (rx is None) == bool(errors)
    return errors


def test_validate_accepts_the_issue_example(icd: IcdIndex) -> None:
    rx, errors = validate(document(), icd=icd)
    assert errors == {}
    assert rx is not None
    assert rx.session.units == 4
    assert rx.plan.total_visits == 11
    assert rx.plan.end == date(2027, 1, 18)
    assert [d.code for d in rx.diagnoses] == ["S13.4XXA", "M54.2", "M62.838"]
    assert rx.diagnoses[1].title == "Cervicalgia"
    assert [a.label for a in rx.body_areas] == [
        "Cervical spine (neck)",
        "Shoulder, left",
    ]
    assert rx.coverage.payer_label == "Workers' Compensation"
    assert rx.warnings == ()


def test_validate_round_trips_through_to_document(icd: IcdIndex) -> None:
    rx, _ = validate(document(), icd=icd)
    assert rx is not None
    again, errors = validate(rx.to_document(), icd=icd)
    assert errors == {}
    assert again == rx


def test_validate_normalizes_codes_typed_any_way(icd: IcdIndex) -> None:
    rx, errors = validate(document(diagnoses=["s134xxa", "m542"]), icd=icd)
    assert errors == {}
    assert rx is not None
    assert [d.code for d in rx.diagnoses] == ["S13.4XXA", "M54.2"]


def test_validate_warns_that_97124_is_often_not_covered(icd: IcdIndex) -> None:
    rx, errors = validate(
        document(
            modality={
                "cpt": ["97124"],
                "techniques": ["effleurage", "petrissage"],
                "pressure": "moderate",
                "performer": "lmt",
            }
        ),
        icd=icd,
    )
    assert errors == {}
    assert rx is not None
    assert any("Many carriers do not cover CPT 97124" in w for w in rx.warnings)


def _patient(**fields: str) -> dict[str, str]:
    return {"name": "Jane Doe", "dob": "1980-04-12", **fields}


def _coverage(**fields: str) -> dict[str, str]:
    base = {
        "payer_type": "workers_comp",
        "payer_name": "Acme Mutual",
        "member_id": "XJ-5521",
        "claim_number": "WC-2026-0042",
        "date_of_injury": "2026-10-03",
        "employer": "Gulf Coast Builders",
        "jurisdiction_state": "FL",
    }
    return {**base, **fields}


def _health_plan(**fields: str) -> dict[str, str]:
    base = {
        "payer_type": "commercial",
        "payer_name": "Aetna",
        "member_id": "W123",
        "onset_date": "2026-10-03",
        "related_to": "none",
    }
    return {**base, **fields}


def _auto(**fields: str) -> dict[str, str]:
    return _coverage(payer_type="auto_pip", accident_state="FL", **fields)


def _modality(**fields: str) -> dict[str, Any]:
    return {**document()["modality"], **fields}


def _dx(count: int) -> list[str]:
    codes = [
        "M54.2", "M62.838", "M79.10", "M54.50", "M54.6", "M25.511",
        "M25.512", "G44.209", "M62.830", "M79.7", "M54.12", "R52", "M99.01",
    ]  # fmt: skip
    return codes[:count]


BAD_INPUT = [
    # (overrides, field, words in the message)
    ({"patient": _patient(dob="2026-12-01")}, "patient.dob", "future"),
    ({"patient": _patient(dob="1906-11-22")}, "patient.dob", "120 years"),
    ({"patient": _patient(dob="12/31/19")}, "patient.dob", "YYYY-MM-DD"),
    ({"patient": _patient(dob="")}, "patient.dob", "date of birth"),
    ({"patient": _patient(name="")}, "patient.name", "patient's name"),
    ({"patient": _patient(name="x" * 101)}, "patient.name", "at most 100"),
    ({"patient": _patient(name="Jane\x00Doe")}, "patient.name", "control characters"),
    ({"prescriber": {**document()["prescriber"], "npi": "1234567890"}}, "prescriber.npi", "check digit"),
    ({"prescriber": {**document()["prescriber"], "license": ""}}, "prescriber.license", "license"),
    ({"coverage": _coverage(date_of_injury="2026-11-24")}, "coverage.date_of_injury", "after the date written"),
    ({"coverage": _coverage(claim_number="")}, "coverage.claim_number", "claim number"),
    ({"coverage": _coverage(date_of_injury="")}, "coverage.date_of_injury", "date of injury"),
    ({"coverage": _coverage(payer_type="auto_pip")}, "coverage.accident_state", "state"),
    ({"coverage": _coverage(payer_type="auto_pip", accident_state="XX")}, "coverage.accident_state", "US state"),
    ({"coverage": _coverage(payer_type="martian")}, "coverage.payer_type", "Choose one of"),
    ({"coverage": {"payer_type": "commercial", "payer_name": "Aetna"}}, "coverage.member_id", "member ID"),
    ({"coverage": _coverage(member_id="9" * 41)}, "coverage.member_id", "at most 40"),
    ({"coverage": _coverage(employer="")}, "coverage.employer", "Enter the employer."),
    ({"coverage": _coverage(employer="e" * 101)}, "coverage.employer", "at most 100"),
    ({"coverage": _coverage(jurisdiction_state="")}, "coverage.jurisdiction_state", "Choose the state of jurisdiction of the claim."),
    ({"coverage": _coverage(jurisdiction_state="ZZ")}, "coverage.jurisdiction_state", "US state"),
    ({"coverage": _coverage(policy_number="p" * 41)}, "coverage.policy_number", "at most 40"),
    ({"coverage": _auto(emergency_medical_condition="maybe")}, "coverage.emergency_medical_condition", "Choose one of: Yes, No, Not determined."),
    ({"coverage": _health_plan(onset_date="")}, "coverage.onset_date", "Enter the onset date."),
    ({"coverage": _health_plan(onset_date="2026-11-24")}, "coverage.onset_date", "The onset date cannot be after the date written."),
    ({"coverage": _health_plan(payer_type="medicare", related_to="")}, "coverage.related_to", "Choose whether the condition is related to employment or an accident."),
    ({"coverage": _health_plan(payer_type="medicaid", related_to="work")}, "coverage.related_to", "Choose one of: Employment"),
    ({"modality": _modality(performer="")}, "modality.performer", "Choose who performs the therapy."),
    ({"modality": _modality(performer="masseur")}, "modality.performer", "Choose one of: Licensed massage therapist (LMT), Physical therapist (PT)"),
    ({"prescriber": {**document()["prescriber"], "license_state": ""}}, "prescriber.license_state", "Choose the state that issued the license."),
    ({"prescriber": {**document()["prescriber"], "license_state": "F"}}, "prescriber.license_state", "US state"),
    ({"diagnoses": []}, "diagnoses", "at least one"),
    ({"diagnoses": _dx(13)}, "diagnoses", "at most 12"),
    ({"diagnoses": ["M54.2", "m54.2"]}, "diagnoses.1", "twice"),
    ({"diagnoses": ["Z99.999"]}, "diagnoses.0", "not an ICD-10-CM code"),
    ({"diagnoses": ["M54.5"]}, "diagnoses.0", "M54.50"),
    ({"diagnoses": ["S13.4"]}, "diagnoses.0", "S13.4XXA"),
    ({"session": {"minutes": 7}}, "session.minutes", "at least 8"),
    ({"session": {"minutes": 121}}, "session.minutes", "at most 120"),
    ({"session": {"minutes": "sixty"}}, "session.minutes", "whole number"),
    ({"session": {"units": 9}}, "session.units", "from 1 to 8"),
    ({"plan": {"start": "2026-11-24", "phases": [{"per_week": 0, "weeks": 2}]}}, "plan.phases.0.per_week", "from 1 to 7"),
    ({"plan": {"start": "2026-11-24", "phases": [{"per_week": 8, "weeks": 2}]}}, "plan.phases.0.per_week", "from 1 to 7"),
    ({"plan": {"start": "2026-11-24", "phases": [{"per_week": 2, "weeks": 0}]}}, "plan.phases.0.weeks", "from 1 to 52"),
    ({"plan": {"start": "2026-11-24", "phases": [{"per_week": 2, "weeks": 53}]}}, "plan.phases.0.weeks", "from 1 to 52"),
    ({"plan": {"start": "2026-11-24", "phases": [{"per_week": 2, "weeks": 30}, {"per_week": 1, "weeks": 30}]}}, "plan.phases", "at most 52"),
    ({"plan": {"start": "2026-11-24"}}, "plan.phases", "frequency"),
    ({"plan": {"start": "2026-11-20", "visits": 12, "weeks": 4}}, "plan.start", "before the date written"),
    ({"plan": {"start": "2026-11-24", "visits": 30, "weeks": 4}}, "plan.visits", "from 1 to 28"),
    ({"body_areas": []}, "body_areas", "at least one body area"),
    ({"body_areas": [{"area": "shoulder"}]}, "body_areas.0", "left, right or bilateral"),
    ({"body_areas": [{"area": "elbow"}]}, "body_areas.0", "from the list"),
    ({"modality": _modality(cpt=[], techniques=[])}, "modality.cpt", "97140"),
    ({"modality": _modality(techniques=["effleurage"])}, "modality.techniques", "97124"),
    ({"modality": _modality(techniques=[])}, "modality.techniques", "at least one technique"),
    ({"modality": _modality(pressure="crushing")}, "modality.pressure", "light, moderate or deep"),
    ({"goals": []}, "goals", "at least one measurable goal"),
    ({"goals": "Reduce neck pain"}, "goals", "its own row"),
    ({"goals": [{"function": "Neck pain", "baseline": "7/10"}]}, "goals.0.target", "Enter the target"),
    ({"goals": [{"function": "Neck pain", "target": "3/10"}]}, "goals.0.baseline", "Enter the baseline"),
    ({"goals": [{"function": "", "baseline": "7/10", "target": "3/10"}]}, "goals.0.function", "Enter the function"),
    ({"goals": [{"function": "f" * 81, "baseline": "7/10", "target": "3/10"}]}, "goals.0.function", "at most 80"),
    ({"goals": [{"function": "Pain", "baseline": "b" * 31, "target": "3/10"}]}, "goals.0.baseline", "at most 30"),
    ({"goals": [{"function": "Pain", "baseline": "7/10", "target": "3/10"}] * 7}, "goals", "at most 6"),
    ({"goals": ["Neck pain 7/10 to 3/10"]}, "goals.0", "a function, a baseline and a target"),
    ({"modality": _modality(cpt=["97140", "97124"], techniques=["myofascial release", "effleurage"])}, "session.minutes_by_cpt", "chapter 5, section 20.2"),
    ({"modality": _modality(cpt=["97140", "97124"], techniques=["myofascial release", "effleurage"]), "session": {"minutes_by_cpt": {"97140": 40}}}, "session.minutes_by_cpt.97124", "minutes of CPT 97124"),
    ({"modality": _modality(cpt=["97140", "97124"], techniques=["myofascial release", "effleurage"]), "session": {"minutes_by_cpt": {"97140": 40, "97124": 20}, "minutes": 50}}, "session.minutes", "add up to 60"),
    ({"modality": _modality(cpt=["97140", "97124"], techniques=["myofascial release", "effleurage"]), "session": {"minutes_by_cpt": {"97140": 100, "97124": 30}}}, "session.minutes_by_cpt", "add up to 130"),
    ({"modality": _modality(cpt=["97140", "97124"], techniques=["myofascial release", "effleurage"]), "session": {"units": 4}}, "session.units", "minutes of each code"),
    ({"session": {"minutes_by_cpt": {"97140": 40, "97124": 20}}}, "session.minutes_by_cpt", "97124 is not ordered"),
    ({"precautions": ["p" * 201]}, "precautions.0", "at most 200"),
    ({"written_on": "yesterday"}, "written_on", "YYYY-MM-DD"),
]  # fmt: skip


@pytest.mark.parametrize(("overrides", "field", "words"), BAD_INPUT)
def test_validate_names_each_bad_field_with_a_clear_message(
    icd: IcdIndex, overrides: dict[str, Any], field: str, words: str
) -> None:
    errors = errors_of(icd, **overrides)
    assert field in errors, errors
    assert words in errors[field]


def test_validate_reports_every_bad_field_at_once(icd: IcdIndex) -> None:
    errors = errors_of(
        icd,
        patient=_patient(dob="2030-01-01"),
        diagnoses=[],
        session={"minutes": 5},
        body_areas=[],
    )
    assert {"patient.dob", "diagnoses", "session.minutes", "body_areas"} <= set(errors)


def test_validate_keeps_html_as_plain_text(icd: IcdIndex) -> None:
    name = '<script>alert(1)</script><img src="file:///etc/passwd">'
    rx, errors = validate(document(patient=_patient(name=name)), icd=icd)
    assert errors == {}
    assert rx is not None
    assert rx.patient.name == name


def test_validate_refuses_what_is_not_a_document(icd: IcdIndex) -> None:
    assert validate([1, 2], icd=icd) == (
        None,
        {"document": "A prescription must be a JSON object."},
    )


@pytest.mark.parametrize(
    "coverage",
    [
        _coverage(policy_number="WCP-1"),
        _auto(policy_number="PIP-7", emergency_medical_condition="not_determined"),
        _auto(),
        _health_plan(related_to="employment"),
        {"payer_type": "self_pay"},
    ],
)
def test_validate_keeps_each_payers_fields_through_to_document(
    icd: IcdIndex, coverage: dict[str, str]
) -> None:
    rx, errors = validate(document(coverage=coverage), icd=icd)
    assert errors == {}
    assert rx is not None
    assert rx.to_document()["coverage"] == coverage


@pytest.mark.parametrize(
    ("coverage", "needed"),
    [
        (_coverage(), {"employer", "jurisdiction_state"}),
        (_health_plan(), {"onset_date", "related_to"}),
    ],
)
def test_validate_asks_each_payer_type_for_its_own_fields(
    icd: IcdIndex, coverage: dict[str, str], needed: set[str]
) -> None:
    others = (_coverage(), _health_plan(), _auto(), {"payer_type": "self_pay"})
    asked = {
        path.split(".")[1]
        for other in others
        for path in errors_of(
            icd, coverage={k: v for k, v in other.items() if k not in needed}
        )
    }
    errors = errors_of(
        icd, coverage={k: v for k, v in coverage.items() if k not in needed}
    )
    assert {path.split(".")[1] for path in errors} == needed
    assert asked >= needed


def test_validate_the_example_carries_who_performs_it(icd: IcdIndex) -> None:
    rx, _ = validate(document(), icd=icd)
    assert rx is not None
    assert rx.modality.performer_label == "Licensed massage therapist (LMT)"
    assert rx.prescriber.license_state == "FL"
    assert (rx.coverage.employer, rx.coverage.jurisdiction_state) == (
        "Gulf Coast Builders",
        "FL",
    )


def _signed_before_the_new_fields() -> dict[str, Any]:
    doc = document()
    doc["prescriber"] = {
        k: v for k, v in doc["prescriber"].items() if k != "license_state"
    }
    doc["modality"] = {k: v for k, v in doc["modality"].items() if k != "performer"}
    doc["coverage"] = {
        k: v
        for k, v in doc["coverage"].items()
        if k not in ("employer", "jurisdiction_state")
    }
    return doc


def test_validate_asks_a_new_document_for_every_added_field(icd: IcdIndex) -> None:
    assert set(errors_of(icd, **_signed_before_the_new_fields())) == {
        "prescriber.license_state",
        "modality.performer",
        "coverage.employer",
        "coverage.jurisdiction_state",
    }


def test_from_record_rebuilds_a_record_signed_before_the_added_fields(
    icd: IcdIndex,
) -> None:
    old = _signed_before_the_new_fields()
    rx, _ = validate(document(), icd=icd)
    assert rx is not None
    old["diagnosis_titles"] = {d.code: d.title for d in rx.diagnoses}
    stored = from_record(old)
    assert (stored.modality.performer, stored.prescriber.license_state) == ("", "")
    assert stored.coverage.employer == ""
    assert "performer" not in stored.to_document()["modality"]


def test_from_record_still_refuses_a_bad_value_of_an_added_field(
    icd: IcdIndex,
) -> None:
    old = _signed_before_the_new_fields()
    old["modality"] = dict(old["modality"], performer="masseur")
    old["diagnosis_titles"] = {"S13.4XXA": "x", "M54.2": "y", "M62.838": "z"}
    with pytest.raises(ValueError, match="modality.performer"):
        from_record(old)


def test_validate_sections_checks_only_the_named_sections(icd: IcdIndex) -> None:
    draft = {"patient": _patient(), "coverage": _coverage(), "written_on": "2026-11-23"}
    assert validate_sections(draft, ["patient", "coverage"], icd=icd) == {}
    assert "diagnoses" in validate_sections(draft, ["diagnoses"], icd=icd)


@pytest.mark.parametrize(
    "overrides",
    [
        {
            "modality": {
                "cpt": ["97140"],
                "techniques": ["myofascial release"],
                "pressure": ["light"],
            }
        },
        {"coverage": {"payer_type": {"a": 1}}},
        {"body_areas": [{"area": ["cervical"], "side": {"x": 1}}]},
        {"body_areas": [{"area": "shoulder", "side": ["left"]}]},
        {"diagnoses": [1, 2]},
        {"session": {"minutes": [60]}},
        {
            "plan": {
                "start": ["2026-11-24"],
                "phases": [{"per_week": "3", "weeks": None}],
            }
        },
        {"patient": "Jane"},
        {"precautions": [{"x": 1}]},
    ],
)
def test_validate_answers_wrong_json_types_with_messages(
    icd: IcdIndex, overrides: dict[str, Any]
) -> None:
    rx, errors = validate(document(**overrides), icd=icd)
    assert rx is None
    assert errors


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"patient": _patient(name="Jane \u202eeoD")}, "patient.name", "U+202E"),
        ({"patient": _patient(name="Jane\u200bDoe")}, "patient.name", "U+200B"),
        ({"patient": _patient(name="Jane \u2067Doe\u2069")}, "patient.name", "U+2067"),
        ({"patient": _patient(name="\ufeffJane Doe")}, "patient.name", "U+FEFF"),
        (
            {"prescriber": {**document()["prescriber"], "practice": "A\u200eB"}},
            "prescriber.practice",
            "U+200E",
        ),
    ],
)
def test_validate_refuses_invisible_and_direction_characters(
    icd: IcdIndex, overrides: dict[str, Any], field: str, code: str
) -> None:
    errors = errors_of(icd, **overrides)
    assert code in errors[field] and "invisible" in errors[field]


def test_validate_keeps_the_joiners_names_need(icd: IcdIndex) -> None:
    assert errors_of(icd, patient=_patient(name="Mehdi Ra\u200cfiei")) == {}

"""The document schema declared once: limits, OpenAPI, cross-field rules, precautions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from rxassist.coverage import EMERGENCY_MEDICAL_CONDITION, RELATED_TO, US_STATES
from rxassist.icd import IcdIndex
from rxassist.modalities import PERFORMERS, PRECAUTION_KINDS, Precaution
from rxassist.plan import Phase, Plan
from rxassist.prescription import LIMITS, from_record, validate
from rxassist.schema import (
    ADDED_FIELDS,
    CROSS_FIELD_RULES,
    DOCUMENT,
    MAX_DIAGNOSES,
    PRESCRIBER,
    example_document,
    json_schema,
)
from tests.helpers import EXAMPLE, document

TODAY = date(2026, 11, 23)
START = "2026-11-24"


def _plan(start: str = START) -> dict[str, Any]:
    return {"start": start, "phases": [{"per_week": 2, "weeks": 2}]}


def test_schema_patient_name_length_is_the_validators(icd: IcdIndex) -> None:
    spec = json_schema(TODAY)
    name = spec["properties"]["patient"]["properties"]["name"]
    assert (
        name["maxLength"] == LIMITS["name"] == DOCUMENT.field("patient.name").max_length
    )
    _, errors = validate(
        document(patient={"name": "x" * (LIMITS["name"] + 1), "dob": "1980-04-12"}),
        icd=icd,
    )
    assert errors == {
        "patient.name": f"Use at most {LIMITS['name']} characters "
        f"(this has {LIMITS['name'] + 1})."
    }


def test_schema_declares_mrn_diagnosis_count_and_optional_written_on() -> None:
    spec = json_schema(TODAY)
    assert (
        spec["properties"]["patient"]["properties"]["mrn"]["maxLength"]
        == (LIMITS["mrn"])
    )
    assert spec["properties"]["diagnoses"]["maxItems"] == MAX_DIAGNOSES
    assert "written_on" not in spec["required"]
    assert "today" in spec["properties"]["written_on"]["description"]
    assert spec["properties"]["coverage"]["properties"]["payer_type"]["enum"][0] == (
        "commercial"
    )


def test_schema_descriptions_carry_every_cross_field_rule() -> None:
    spec = json_schema(TODAY)
    for paths, rule in CROSS_FIELD_RULES:
        assert rule in spec["description"]
        for path in paths:
            node = spec
            for part in path.split("."):
                node = node["properties"][part]
            assert rule in node["description"], path


def test_schema_example_validates_on_its_day(icd: IcdIndex) -> None:
    example = example_document(TODAY)
    rx, errors = validate(
        {
            **example,
            "written_on": TODAY.isoformat(),
            "prescriber": EXAMPLE["prescriber"],
        },
        icd=icd,
    )
    assert errors == {}
    assert rx is not None
    assert rx.patient.mrn == "MRN-20931"
    assert json_schema(TODAY)["example"]["plan"] == example["plan"]


def test_precautions_round_trip_as_structured_data(icd: IcdIndex) -> None:
    rx, errors = validate(
        document(
            plan=_plan(),
            precautions=[
                {"kind": "anticoagulant"},
                {"kind": "postop", "cleared_on": "2026-11-20"},
                {"kind": "other", "text": "No heat packs"},
                "Avoid the left calf",
            ],
        ),
        icd=icd,
    )
    assert errors == {}
    assert rx is not None
    assert [p.label for p in rx.precautions] == [
        PRECAUTION_KINDS["anticoagulant"],
        "Post-operative: cleared for massage from 11/20/2026",
        "No heat packs",
        "Avoid the left calf",
    ]
    written = rx.to_document()
    assert written["precautions"][1] == {"kind": "postop", "cleared_on": "2026-11-20"}
    assert written["precautions"][3] == {"kind": "other", "text": "Avoid the left calf"}
    again, errors = validate(written, icd=icd)
    assert errors == {}
    assert again == rx


def test_legacy_string_precautions_rebuild_and_print_as_before(icd: IcdIndex) -> None:
    signed, _ = validate(document(number="RX-20261123-OLD001"), icd=icd)
    assert signed is not None
    stored = signed.to_document()
    legacy = [
        "anticoagulant therapy: light pressure only",
        "Post-operative: cleared for massage from 11/01/2026",
    ]
    rebuilt = from_record({**stored, "precautions": legacy})
    assert [p.label for p in rebuilt.precautions] == legacy
    assert rebuilt.precautions[0] == Precaution("other", text=legacy[0])


@pytest.mark.parametrize(
    ("precaution", "message"),
    [
        ({"kind": "postop"}, "Enter the date of surgical clearance."),
        (
            {"kind": "postop", "cleared_on": "soon"},
            "Enter the date of surgical clearance.",
        ),
        ({"kind": "surgery"}, "an object whose kind is one of"),
        ({"kind": "other", "text": "p" * 201}, "at most 200"),
    ],
)
def test_precaution_details_are_checked_by_the_validator(
    icd: IcdIndex, precaution: dict[str, Any], message: str
) -> None:
    _, errors = validate(document(plan=_plan(), precautions=[precaution]), icd=icd)
    assert len(errors) == 1
    ((path, text),) = errors.items()
    assert path.startswith("precautions.0")
    assert message in text


def test_postop_cleared_on_the_start_day_is_accepted(icd: IcdIndex) -> None:
    rx, errors = validate(
        document(plan=_plan(), precautions=[{"kind": "postop", "cleared_on": START}]),
        icd=icd,
    )
    assert errors == {}
    assert rx is not None and rx.precautions[0].cleared_on == date(2026, 11, 24)


@pytest.mark.parametrize(
    ("section", "value", "path"),
    [
        ("session", {"minutes": 60, "units": 4}, "session.units"),
        ("plan", {**_plan(), "visits": 4, "weeks": 2}, "plan.phases"),
        ("modality", {**EXAMPLE["modality"], "cpt": ["97140", ""]}, "modality.cpt"),
        (
            "coverage",
            {**EXAMPLE["coverage"], "accident_state": {}},
            "coverage.accident_state",
        ),
    ],
)
def test_validate_refuses_what_the_schema_refuses(
    icd: IcdIndex, section: str, value: Any, path: str
) -> None:
    _, errors = validate(document(**{section: value}), icd=icd)
    assert path in errors


def test_plan_stretches_give_each_phase_its_dates_and_visits() -> None:
    start = date(2026, 11, 24)
    plan = Plan(start=start, phases=(Phase(3, 1), Phase(1, 2)))
    first, second = plan.stretches()
    assert (first.start, first.end, first.visits) == (start, date(2026, 11, 30), 3)
    assert (second.start, second.end, second.visits) == (
        date(2026, 12, 1),
        date(2026, 12, 14),
        2,
    )
    assert second.end == plan.end
    (whole,) = Plan(start=start, visits=10, weeks=4).stretches()
    assert (whole.frequency, whole.period, whole.end) == (
        10,
        4,
        start + timedelta(days=27),
    )


def test_schema_declares_the_fields_claims_reviewers_look_for() -> None:
    spec = json_schema(TODAY)
    coverage = spec["properties"]["coverage"]["properties"]
    modality = spec["properties"]["modality"]
    assert modality["properties"]["performer"]["enum"] == list(PERFORMERS)
    assert "performer" in modality["required"]
    assert coverage["emergency_medical_condition"]["enum"] == [
        "", *EMERGENCY_MEDICAL_CONDITION, None,
    ]  # fmt: skip
    assert coverage["related_to"]["enum"] == ["", *RELATED_TO, None]
    assert coverage["jurisdiction_state"]["enum"][1:-1] == list(US_STATES)
    assert coverage["employer"]["maxLength"] == LIMITS["employer"]
    assert coverage["policy_number"]["maxLength"] == LIMITS["policy_number"]
    assert "CMS-1500 item 14" in coverage["onset_date"]["description"]
    prescriber = dict(PRESCRIBER.properties)
    assert prescriber["license_state"].required
    assert {path.split(".")[0] for path in ADDED_FIELDS} <= {
        "prescriber", "coverage", "modality",
    }  # fmt: skip
    for path in ADDED_FIELDS - {"prescriber.license_state"}:
        assert DOCUMENT.field(path), path


def test_over_limits_names_each_field_over_its_declared_limit() -> None:
    from rxassist.schema import over_limits

    doc = document()
    doc["patient"] = {**doc["patient"], "name": "x" * 101}
    doc["diagnoses"] = ["M54.2"] * 13
    doc["extra"] = {"note": "y" * 5000}
    assert set(over_limits(doc)) == {"patient.name", "diagnoses", "extra.note"}
    assert over_limits(document()) == {}


def test_within_limits_keeps_what_fits_and_what_was_saved() -> None:
    from rxassist.schema import within_limits

    before = document()
    typed = document()
    typed["patient"] = {**typed["patient"], "name": "x" * 101, "phone": "941-555-0199"}
    kept, refused = within_limits(typed, before)
    assert list(refused) == ["patient.name"]
    assert kept["patient"]["name"] == before["patient"]["name"]
    assert kept["patient"]["phone"] == "941-555-0199"
    assert within_limits(document(), {}) == (document(), {})

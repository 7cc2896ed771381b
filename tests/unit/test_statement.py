"""What a prescription says it orders: title, goals and the necessity statement."""

from __future__ import annotations

from typing import Any

import pytest

from rxassist import statement
from rxassist.icd import IcdIndex
from rxassist.prescription import from_record, validate
from rxassist.statement import Goal
from tests.helpers import document

BOTH = {
    "modality": {
        "cpt": ["97124", "97140"],
        "techniques": ["myofascial release", "effleurage"],
        "pressure": "light",
        "performer": "lmt",
    },
    "session": {"minutes_by_cpt": {"97140": 40, "97124": 20}},
}
GOALS = [
    Goal("Cervical rotation", "45°", "70°"),
    Goal("Neck pain", "7/10", "3/10"),
    Goal("Sitting tolerance", "20 minutes", "60 minutes"),
]


@pytest.mark.parametrize(
    ("cpt", "expected"),
    [
        (["97140"], "Prescription for manual therapy"),
        (["97124"], "Prescription for massage therapy"),
        (["97140", "97124"], "Prescription for manual therapy and massage therapy"),
    ],
)
def test_title_names_what_is_ordered(cpt: list[str], expected: str) -> None:
    assert statement.title(cpt) == expected


def test_necessity_names_services_diagnoses_deficits_and_targets() -> None:
    text = statement.necessity(
        ["97140"],
        [("S13.4XXA", "Sprain of ligaments of cervical spine"), ("M62.838", "Other muscle spasm")],
        GOALS,
    )  # fmt: skip
    assert text == (
        "Manual therapy (CPT 97140) is medically necessary to treat S13.4XXA (sprain "
        "of ligaments of cervical spine) and M62.838 (other muscle spasm), which "
        "limit cervical rotation (45°), neck pain (7/10) and sitting tolerance "
        "(20 minutes); the goals are 70°, 3/10 and 60 minutes."
    )


def test_necessity_agrees_in_number_with_one_of_each() -> None:
    text = statement.necessity(
        ["97140", "97124"], [("M54.2", "Cervicalgia")], GOALS[1:2]
    )
    assert text == (
        "Manual therapy (CPT 97140) and massage therapy (CPT 97124) are medically "
        "necessary to treat M54.2 (cervicalgia), which limits neck pain (7/10); "
        "the goal is 3/10."
    )


def test_necessity_keeps_acronyms_in_capitals() -> None:
    text = statement.necessity(["97140"], [("X", "ACL tear")], [Goal("ADL", "a", "b")])
    assert "X (ACL tear), which limits ADL (a)" in text


def test_attestation_names_what_is_attested() -> None:
    assert statement.attestation("Manual therapy (CPT 97140) is needed.") == (
        "I attest that manual therapy (CPT 97140) is needed."
    )


def _rx(icd: IcdIndex, **overrides: Any) -> Any:
    rx, errors = validate(document(**overrides), icd=icd)
    assert errors == {}
    return rx


def test_prescription_title_goals_and_necessity_come_from_the_order(
    icd: IcdIndex,
) -> None:
    rx = _rx(icd, **BOTH)
    assert rx.title == "Prescription for manual therapy and massage therapy"
    assert rx.goals_line == (
        "Cervical rotation 45° → 70°; Neck pain 7/10 → 3/10; "
        "Sitting tolerance 20 minutes → 60 minutes"
    )
    assert rx.necessity.startswith(
        "Manual therapy (CPT 97140) and massage therapy (CPT 97124) are medically "
        "necessary to treat S13.4XXA (sprain of ligaments of cervical spine, initial "
        "encounter), M54.2 (cervicalgia) and M62.838 (other muscle spasm), which "
        "limit cervical rotation (45°)"
    )


def test_new_documents_need_measurable_goals_but_records_keep_their_text(
    icd: IcdIndex,
) -> None:
    legacy = {"goals": "Reduce neck pain; restore cervical rotation."}
    _, errors = validate(document(**legacy), icd=icd)
    assert "its own row" in errors["goals"]
    _, errors = validate(document(goals=""), icd=icd)
    assert "at least one measurable goal" in errors["goals"]
    signed, _ = validate(document(**legacy), icd=icd, recorded=True)
    assert signed is not None
    rx = from_record(signed.to_document())
    assert rx.goals == () and rx.goals_text == legacy["goals"]
    assert rx.to_document()["goals"] == legacy["goals"]
    assert rx.title == statement.LEGACY_TITLE
    assert rx.necessity == statement.LEGACY_NECESSITY
    assert from_record(dict(signed.to_document(), goals="")).goals_line == ""


def test_structured_goals_and_split_session_round_trip(icd: IcdIndex) -> None:
    rx = _rx(icd, **BOTH)
    written = rx.to_document()
    assert written["goals"][0] == {
        "function": "Cervical rotation",
        "baseline": "45°",
        "target": "70°",
    }
    assert written["session"] == {
        "minutes": 60,
        "minutes_by_cpt": {"97140": 40, "97124": 20},
    }
    again, errors = validate(written, icd=icd)
    assert errors == {}
    assert again == rx


def test_split_session_states_each_codes_minutes_and_units(icd: IcdIndex) -> None:
    rx = _rx(icd, **BOTH)
    assert rx.session.minutes == 60 and rx.session.units == 4
    assert rx.session.describe() == (
        "60 minutes (4 units): CPT 97140 40 minutes (3 units), "
        "CPT 97124 20 minutes (1 unit)"
    )
    small = dict(BOTH, session={"minutes_by_cpt": {"97140": 33, "97124": 7}})
    assert _rx(icd, **small).session.describe() == (
        "40 minutes (3 units): CPT 97140 33 minutes (2 units), "
        "CPT 97124 7 minutes (1 unit)"
    )
    given = dict(
        BOTH, session={"minutes": 60, "minutes_by_cpt": {"97140": 40, "97124": 20}}
    )
    assert _rx(icd, **given).session.minutes == 60

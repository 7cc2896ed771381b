"""Presets in the domain: what they keep, their checks, applying one, A to D codes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from rxassist import localtime, presets
from rxassist.icd import IcdIndex
from rxassist.rules import subsequent_encounter
from tests.helpers import order

TODAY = date(2026, 11, 30)


def test_presets_order_of_keeps_no_patient_data() -> None:
    document = order(
        precautions=[{"kind": "postop", "cleared_on": "2026-11-01"}, "No heat"]
    )
    content = presets.order_of(document)
    assert "patient" not in content
    assert content["coverage"] == {"payer_type": "workers_comp"}
    assert "start" not in content["plan"]
    assert content["precautions"] == [{"kind": "postop"}, "No heat"]


def test_presets_validate_with_the_prescription_rules(icd: IcdIndex) -> None:
    content = presets.order_of(order())
    assert presets.validate(content, icd, TODAY) == {}
    bad = dict(content, session={"minutes": 500}, diagnoses=["ZZZ"])
    errors = presets.validate(bad, icd, TODAY)
    assert errors["session.minutes"] == "Prescribe at most 120 minutes a session."
    assert "diagnoses.0" in errors
    assert "patient" in presets.validate(dict(content, patient={}), icd, TODAY)


def test_presets_check_name() -> None:
    assert presets.check_name("  Whiplash,   WC ") == ("Whiplash, WC", None)
    assert presets.check_name("")[1]
    assert presets.check_name("x" * (presets.MAX_NAME + 1))[1]
    assert presets.check_name("a\u202eb")[1]


def test_presets_apply_drops_a_code_no_longer_billable(icd: IcdIndex) -> None:
    content = dict(presets.order_of(order()), diagnoses=["S13.4XXA", "S13.4"])
    draft: dict[str, Any] = {
        "patient": {"name": "Ann"},
        "plan": {"start": "2026-12-01"},
    }
    applied = presets.apply(draft, content, icd)
    assert applied.document["diagnoses"] == ["S13.4XXA"]
    assert applied.document["patient"] == {"name": "Ann"}
    assert applied.document["plan"]["start"] == "2026-12-01"
    assert applied.notes == (
        f"S13.4 is no longer billable in code set {icd.label}: choose a replacement.",
        presets.BASELINE_NOTE,
    )


def test_presets_keep_a_goal_without_this_patients_baseline(icd: IcdIndex) -> None:
    content = presets.order_of(order())
    assert content["goals"][0] == {"function": "Cervical rotation", "target": "70°"}
    assert presets.validate(content, icd, TODAY) == {}


def test_presets_subsequent_codes_turn_initial_injury_codes_to_d(
    icd: IcdIndex,
) -> None:
    codes, changed = presets.subsequent_codes(["S13.4XXA", "M54.2"], icd)
    assert codes == ["S13.4XXD", "M54.2"]
    assert changed == (("S13.4XXA", "S13.4XXD"),)
    entry = icd.get("S13.4XXD")
    assert entry is not None and subsequent_encounter(entry, icd) is None


def test_localtime_shows_a_stored_utc_moment_in_the_zone() -> None:
    stored = datetime(2026, 1, 15, 3, 30)  # naive UTC, as the database keeps it
    assert localtime.shown(stored, "America/New_York") == "01/14/2026 10:30 PM EST"
    assert localtime.shown_date(stored, "America/New_York") == "01/14/2026"
    aware = stored.replace(tzinfo=UTC)
    assert localtime.shown(aware, "UTC", seconds=True) == "01/15/2026 3:30:00 AM UTC"
    assert localtime.is_zone("Europe/Paris") and not localtime.is_zone("Mars/Base")

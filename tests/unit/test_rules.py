"""The rule catalogue: each rule fires on its case, stays quiet on the near case."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rxassist import rules
from rxassist.icd import IcdIndex
from rxassist.payers import PayerProfiles
from rxassist.prescription import validate
from rxassist.rules import Order, Severity

EXAMPLE = json.loads(
    (Path(__file__).parent.parent / "data" / "example.json").read_text()
)
# Inside the loaded FY2026 release, so the code-set rule stays out of the way.
IN_WINDOW = "2026-09-01"


def _order(icd: IcdIndex, **overrides: Any) -> Order:
    doc = copy.deepcopy(EXAMPLE)
    doc.update(written_on=IN_WINDOW, number="RX-20260901-TEST01")
    doc["plan"] = dict(doc["plan"], start=IN_WINDOW)
    doc["coverage"] = dict(doc["coverage"], date_of_injury="2026-08-20")
    for key, value in overrides.items():
        if "." in key:
            section, name = key.split(".")
            doc[section] = dict(doc[section], **{name: value})
        else:
            doc[key] = value
    rx, errors = validate(doc, icd=icd)
    assert errors == {}
    return Order.of(rx)


def _found(icd: IcdIndex, order: Order) -> list[rules.Finding]:
    return rules.check(order, rules.Context(icd, PayerProfiles.load()))


def _ids(icd: IcdIndex, **overrides: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in _found(icd, _order(icd, **overrides)):
        out.setdefault(finding.rule, []).append(finding.message)
    return out


FL_PIP = {
    "payer_type": "auto_pip", "payer_name": "Geico", "claim_number": "PIP-1",
    "date_of_injury": "2026-08-25", "accident_state": "FL",
}  # fmt: skip
HEALTH = {"onset_date": "2026-08-20", "related_to": "none"}
MEDICARE = {
    "payer_type": "medicare", "payer_name": "Medicare", "member_id": "1EG4", **HEALTH,
}  # fmt: skip
WA_LI = {
    "payer_type": "workers_comp", "payer_name": "L&I", "claim_number": "WC-9",
    "date_of_injury": "2026-08-20", "employer": "Acme", "jurisdiction_state": "WA",
}  # fmt: skip
COMMERCIAL = dict(MEDICARE, payer_type="commercial", payer_name="Aetna")
PT = {"cpt": ["97140"], "techniques": ["myofascial release"], "pressure": "light",
      "performer": "pt"}  # fmt: skip
SHOULDER_AND_NECK = [{"area": "cervical"}, {"area": "shoulder", "side": "left"}]


def test_rules_the_example_raises_what_a_coder_would(icd: IcdIndex) -> None:
    found = _found(icd, _order(icd))
    assert {f.rule for f in found if f.severity is Severity.ERROR} == set()
    assert {f.rule for f in found} == {
        "icd.injury-initial-encounter",
        "icd.symptom-with-definitive",
        "area.without-diagnosis",
    }


CASES = [
    # (rule, overrides that trigger it, overrides of the near case, words of message)
    ("icd.external-cause-first",
     {"diagnoses": ["V43.52XA", "S13.4XXD"]},
     {"diagnoses": ["S13.4XXD", "V43.52XA"]}, "may never be listed first"),
    ("icd.excludes1",
     {"diagnoses": ["M54.50", "S39.012D"], "body_areas": [{"area": "lumbar"}]},
     {"diagnoses": ["M54.6", "S39.012D"], "body_areas": [{"area": "lumbar"}]},
     'Excludes1 note "low back strain (S39.012)"'),
    ("icd.symptom-with-definitive",
     {"diagnoses": ["S13.4XXD", "M54.2"]},
     {"diagnoses": ["S13.4XXD", "M54.6"], "body_areas": [{"area": "cervical"},
                                                      {"area": "thoracic"}]},
     "M54.2 (Cervicalgia) is a symptom that S13.4XXD"),
    ("icd.injury-initial-encounter",
     {"diagnoses": ["S13.4XXA"]}, {"diagnoses": ["S13.4XXD"]}, "use S13.4XXD"),
    ("icd.laterality-mismatch",
     {"diagnoses": ["S13.4XXD", "M25.511"]},
     {"diagnoses": ["S13.4XXD", "M25.512"]}, "on the right side"),
    ("icd.region-without-area",
     {"diagnoses": ["S13.4XXD", "M25.562"]},
     {"diagnoses": ["S13.4XXD", "M25.512"]}, "names a region the order does not"),
    ("area.without-diagnosis",
     {"diagnoses": ["S13.4XXD"]},
     {"diagnoses": ["S13.4XXD", "M25.512"]}, "No diagnosis supports treating Shoulder"),
    ("plan.anticoagulant-pressure",
     {"modality.pressure": "moderate"}, {"modality.pressure": "light"},
     "light pressure only"),
    ("plan.lymphedema-technique",
     {"precautions": ["Lymphedema risk: manual lymphatic drainage by a certified "
                      "therapist only"]},
     {"precautions": ["Lymphedema risk: manual lymphatic drainage by a certified "
                      "therapist only"],
      "modality.techniques": ["manual lymphatic drainage"]},
     "order manual lymphatic drainage"),
    ("payer.fl-pip-massage",
     {"coverage": FL_PIP, "modality": {"cpt": ["97124"], "techniques": ["effleurage"],
                                       "pressure": "light", "performer": "pt"}},
     {"coverage": dict(FL_PIP, accident_state="GA")},
     "Florida PIP excludes massage (CPT 97124)"),
    ("payer.fl-pip-massage",
     {"coverage": FL_PIP}, {"coverage": FL_PIP, "modality": PT},
     "never from a licensed massage therapist"),
    ("payer.medicare-massage",
     {"coverage": MEDICARE}, {"coverage": COMMERCIAL},
     "Medicare does not recognise massage therapists"),
    ("payer.medicare-massage",
     {"coverage": MEDICARE}, {"coverage": MEDICARE, "modality": PT},
     "order the therapy from a physical or occupational therapist"),
    ("payer.medicare-referrer",
     {"coverage": MEDICARE, "prescriber.credentials": "DC"},
     {"coverage": MEDICARE, "prescriber.credentials": "MD"},
     "does not accept therapy ordered by a DC"),
    ("payer.certification-period",
     {"coverage": MEDICARE, "plan": {"start": IN_WINDOW,
                                     "phases": [{"per_week": 2, "weeks": 14}]}},
     {"coverage": MEDICARE, "plan": {"start": IN_WINDOW,
                                     "phases": [{"per_week": 2, "weeks": 12}]}},
     "at most 90 days; this one runs 98"),
    ("payer.minutes-cap",
     {"coverage": dict(COMMERCIAL, payer_name="Aetna (eviCore)"),
      "session": {"minutes": 75}},
     {"coverage": dict(COMMERCIAL, payer_name="Aetna (eviCore)"),
      "session": {"minutes": 60}}, "at most 60 minutes a visit"),
    ("payer.wa-li-progress",
     {"coverage": WA_LI}, {"coverage": dict(WA_LI, jurisdiction_state="OR")},
     "progress report after 6 visits or 1 month"),
    ("payer.initial-care",
     {"coverage": dict(FL_PIP, date_of_injury="2026-08-10")},
     {"coverage": dict(FL_PIP, date_of_injury="2026-08-20")}, "within 14 days"),
    ("payer.required-field",
     {"coverage": FL_PIP}, {"coverage": dict(FL_PIP, accident_state="NY")},
     "needs emergency medical condition"),
    ("payer.required-field",
     {"coverage": FL_PIP},
     {"coverage": dict(FL_PIP, emergency_medical_condition="yes")},
     "needs emergency medical condition"),
    ("payer.fl-pip-emc",
     {"coverage": dict(FL_PIP, emergency_medical_condition="no")},
     {"coverage": dict(FL_PIP, emergency_medical_condition="yes")},
     "Florida PIP limits medical benefits to $2,500"),
    ("payer.fl-pip-emc",
     {"coverage": dict(FL_PIP, emergency_medical_condition="not_determined")},
     {"coverage": dict(FL_PIP, emergency_medical_condition="no",
                       accident_state="GA")},
     "(instead of $10,000)"),
    ("coverage.related-to-injury-payer",
     {"coverage": dict(COMMERCIAL, related_to="employment")},
     {"coverage": dict(COMMERCIAL, related_to="other_accident")},
     "related to employment: Workers' Compensation usually pays first"),
    ("coverage.related-to-injury-payer",
     {"coverage": dict(MEDICARE, related_to="auto_accident")},
     {"coverage": dict(FL_PIP, related_to="auto_accident")},
     "related to an auto accident: auto PIP/no-fault usually pays first"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "trigger", "near", "words"), CASES)
def test_rules_fire_on_their_case_and_not_on_the_near_case(
    icd: IcdIndex, rule: str, trigger: dict[str, Any], near: dict[str, Any], words: str
) -> None:
    fired = _ids(icd, **trigger)
    assert rule in fired, fired
    assert any(words in message for message in fired[rule]), fired[rule]
    assert rule not in _ids(icd, **near)


def test_rules_every_catalogued_rule_has_a_case_or_a_test() -> None:
    tested = {case[0] for case in CASES} | {
        "codeset.outside-window", "plan.postop-clearance", "area.side-conflict",
    }  # fmt: skip
    assert set(rules.CATALOGUE) == tested


def test_rules_every_rule_names_its_source() -> None:
    for rule in rules.CATALOGUE.values():
        assert str(rule.source), rule.id
        assert rule.id.split(".")[0] in {
            "icd", "area", "plan", "payer", "codeset", "coverage",
        }  # fmt: skip


def test_rules_codeset_window_follows_the_date_written(icd: IcdIndex) -> None:
    inside = _order(icd)
    outside = Order.of(dict(inside.__dict__, written_on=date(2026, 11, 23)))
    assert "codeset.outside-window" not in {f.rule for f in _found(icd, inside)}
    late = [f for f in _found(icd, outside) if f.rule == "codeset.outside-window"]
    assert late and "not in effect on 11/23/2026" in late[0].message


def test_rules_injury_fix_offers_the_subsequent_encounter(icd: IcdIndex) -> None:
    found = [f for f in _found(icd, _order(icd)) if f.fix is not None]
    assert [(f.fix.replace, f.fix.by) for f in found if f.fix] == [
        ("S13.4XXA", "S13.4XXD")
    ]
    assert found[0].to_json()["fix"] == {"replace": "S13.4XXA", "by": "S13.4XXD"}


def _pip_findings(icd: IcdIndex, order: Order) -> list[tuple[Severity, str]]:
    found = _found(icd, order)
    return [(f.severity, f.field) for f in found if f.rule == "payer.fl-pip-massage"]


def test_rules_fl_pip_manual_therapy_by_a_massage_therapist_is_an_error(
    icd: IcdIndex,
) -> None:
    order = _order(icd, coverage=FL_PIP)
    assert _pip_findings(icd, order) == [(Severity.ERROR, "modality.performer")]
    assert _pip_findings(icd, _order(icd, coverage=FL_PIP, modality=PT)) == []


def test_rules_fl_pip_manual_therapy_of_an_older_record_is_a_warning(
    icd: IcdIndex,
) -> None:
    order = _order(icd, coverage=FL_PIP)
    unknown = replace(order, modality=replace(order.modality, performer=""))
    assert _pip_findings(icd, unknown) == [(Severity.WARNING, "modality.cpt")]


def test_rules_findings_print_as_one_line_and_as_json(icd: IcdIndex) -> None:
    finding = next(
        f for f in _found(icd, _order(icd)) if f.rule == "icd.injury-initial-encounter"
    )
    assert finding.line().startswith(
        "WARNING icd.injury-initial-encounter diagnoses.0: S13.4XXA is for"
    )
    body = finding.to_json()
    assert set(body) == {"rule", "severity", "field", "message", "source", "fix"}
    assert "Section I.C.19.a" in body["source"]


def test_rules_skip_what_needs_a_missing_section(icd: IcdIndex) -> None:
    order = Order.of(dict(_order(icd).__dict__, body_areas=None))
    found = {f.rule for f in _found(icd, order)}
    assert "area.without-diagnosis" not in found
    assert "icd.injury-initial-encounter" in found


def test_rules_excludes1_notes_match_codes_and_ranges() -> None:
    assert rules.note_refers_to("low back strain (S39.012)", "S39.012D")
    assert rules.note_refers_to("cervicalgia due to disc disorder (M50.-)", "M50.10")
    assert rules.note_refers_to("injuries (S00-T88)", "S13.4XXA")
    assert not rules.note_refers_to("low back strain (S39.012)", "S39.011A")
    assert not rules.note_refers_to("myositis (M60.-)", "M62.838")


@pytest.mark.parametrize(
    ("areas", "field", "words"),
    [
        ([{"area": "cervical", "side": "left"}], "body_areas.0",
         "Cervical spine (neck), left has no side"),
        ([{"area": "shoulder", "side": "left"}, {"area": "shoulder", "side": "left"}],
         "body_areas.1", "is listed twice"),
        ([{"area": "shoulder", "side": "bilateral"},
          {"area": "shoulder", "side": "left"}], "body_areas.1",
         "both bilateral and on one side"),
        ([{"area": "cervical"}, {"area": "cervical"}], "body_areas.1",
         "is listed twice"),
    ],
)  # fmt: skip
def test_rules_side_conflicts_are_errors(
    icd: IcdIndex, areas: list[dict[str, str]], field: str, words: str
) -> None:
    found = [
        f for f in _found(icd, _order(icd, body_areas=areas))
        if f.rule == "area.side-conflict"
    ]  # fmt: skip
    assert [(f.severity, f.field) for f in found] == [(Severity.ERROR, field)]
    assert words in found[0].message


def test_rules_left_and_right_of_one_area_are_no_conflict(icd: IcdIndex) -> None:
    areas = [
        {"area": "shoulder", "side": "left"},
        {"area": "shoulder", "side": "right"},
    ]
    assert "area.side-conflict" not in _ids(icd, body_areas=areas)


def test_rules_postop_clearance_after_the_start_is_an_error(icd: IcdIndex) -> None:
    late = {"kind": "postop", "cleared_on": "2026-09-03"}
    found = [
        f for f in _found(icd, _order(icd, precautions=[late]))
        if f.rule == "plan.postop-clearance"
    ]  # fmt: skip
    assert [(f.severity, f.field) for f in found] == [
        (Severity.ERROR, "precautions.0.cleared_on")
    ]
    assert found[0].message == (
        "The surgeon's clearance (09/03/2026) is after the plan starts (09/01/2026): "
        "start the plan on or after the clearance date."
    )
    on_time = {"kind": "postop", "cleared_on": IN_WINDOW}
    assert "plan.postop-clearance" not in _ids(icd, precautions=[on_time])

"""Order presets: which parts of a prescription a preset carries, and their checks.

A preset is an order without its patient: what is ordered (modality, areas,
diagnoses, session, plan, precautions, goals) and the payer type it is written for.
Nothing that belongs to one patient (name, date of birth, claim or member numbers,
dates of injury, onset or surgical clearance, the plan's start) is ever kept in one.
The same list serves "same as last time", which starts from a patient's last order.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from rxassist.coverage import PAYER_TYPES
from rxassist.icd import IcdCode
from rxassist.prescription import (
    ORDER_SECTIONS,
    CodeSet,
    Errors,
    invisible_character,
    parse_sections,
)
from rxassist.rules import Codes, subsequent_encounter

MAX_NAME = 80  # a preset's name: "Whiplash, WC" and its kind
MAX_PRESETS = 200  # per physician: a list anyone can still read

# A preset carries the document's order sections whole (ORDER_SECTIONS, defined with
# the document in rxassist.prescription); coverage only by its payer type.
COVERAGE_FIELDS = ("payer_type",)
# Inside those sections, the values that are one patient's: never kept.
PATIENT_PLAN_FIELDS = ("start", "reevaluations")
PATIENT_PRECAUTION_FIELDS = ("cleared_on",)
# A goal's baseline is where this patient is now (pain 7/10): measured at each visit.
PATIENT_GOAL_FIELDS = ("baseline",)
BASELINE_NOTE = "Enter each goal's baseline for this patient (where they are today)."


def order_of(document: Mapping[str, Any]) -> dict[str, Any]:
    """The preset content of a document (a draft or a record): its order alone."""
    content: dict[str, Any] = {
        name: copy.deepcopy(document[name])
        for name in ORDER_SECTIONS
        if document.get(name) not in (None, "", [], {})
    }
    if isinstance(content.get("plan"), Mapping):
        content["plan"] = {
            k: v for k, v in content["plan"].items() if k not in PATIENT_PLAN_FIELDS
        }
    if isinstance(content.get("precautions"), list):
        content["precautions"] = [
            _without(item, PATIENT_PRECAUTION_FIELDS) for item in content["precautions"]
        ]
    if isinstance(content.get("goals"), list):
        content["goals"] = [
            _without(item, PATIENT_GOAL_FIELDS) for item in content["goals"]
        ]
    coverage = document.get("coverage")
    if isinstance(coverage, Mapping):
        kept = {k: coverage[k] for k in COVERAGE_FIELDS if coverage.get(k)}
        if kept:
            content["coverage"] = kept
    return content


def _without(item: Any, keys: tuple[str, ...]) -> Any:
    if isinstance(item, Mapping):
        return {k: v for k, v in item.items() if k not in keys}
    return item


def check_name(raw: str) -> tuple[str, str | None]:
    """A preset's name, tidied, and what is wrong with it (None when nothing)."""
    name = " ".join(unicodedata.normalize("NFC", raw or "").split())
    if not name:
        return name, "Name the preset, such as “Whiplash, WC”."
    if len(name) > MAX_NAME:
        return name, f"Use at most {MAX_NAME} characters (this has {len(name)})."
    if invisible_character(name) or any(unicodedata.category(c) == "Cc" for c in name):
        return name, "Remove the invisible or control characters from the name."
    return name, None


def validate(content: Mapping[str, Any], icd: CodeSet, today: date) -> Errors:
    """Every problem of a preset's order, by field, as the prescription's rules say.

    The order is read as if written ``today`` and started the same day, with each
    postop precaution cleared today and each goal's baseline measured: those belong
    to the patient.
    """
    errors = parse_sections(_probe(content, today), ORDER_SECTIONS, icd=icd)[1]
    payer_type = (content.get("coverage") or {}).get("payer_type", "")
    if payer_type and payer_type not in PAYER_TYPES:
        errors["coverage.payer_type"] = (
            "Choose one of: " + ", ".join(PAYER_TYPES.values()) + "."
        )
    unknown = set(content) - {*ORDER_SECTIONS, "coverage"}
    for name in sorted(unknown):
        errors[name] = "A preset keeps the order only, not this."
    return errors


def _probe(content: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The preset as a document dated ``today``, for the prescription's validator."""
    probe: dict[str, Any] = copy.deepcopy(dict(content))
    probe["written_on"] = today.isoformat()
    plan = probe.get("plan")
    probe["plan"] = dict(plan if isinstance(plan, Mapping) else {})
    probe["plan"]["start"] = today.isoformat()
    precautions = probe.get("precautions")
    if isinstance(precautions, list):
        probe["precautions"] = [
            dict(item, cleared_on=today.isoformat())
            if isinstance(item, Mapping) and item.get("kind") == "postop"
            else item
            for item in precautions
        ]
    goals = probe.get("goals")
    if isinstance(goals, list):
        probe["goals"] = [
            {"baseline": "measured", **item} if isinstance(item, Mapping) else item
            for item in goals
        ]
    return probe


@dataclass(frozen=True)
class Applied:
    """A draft document with an order put in, and what the physician must know."""

    document: dict[str, Any]
    notes: tuple[str, ...]


def apply(
    document: Mapping[str, Any],
    content: Mapping[str, Any],
    icd: CodeSet,
    *,
    made_with: str = "",
) -> Applied:
    """``document`` with the preset's order in place of its own; its patient stays.

    A code that is no longer billable in the loaded code set is dropped and named:
    the rest of the order is kept.
    """
    updated = {k: copy.deepcopy(v) for k, v in document.items()}
    for name in ORDER_SECTIONS:
        if name in content:
            updated[name] = copy.deepcopy(content[name])
        else:
            updated.pop(name, None)
    plan = document.get("plan")
    start = plan.get("start") if isinstance(plan, Mapping) else None
    updated["plan"] = dict(updated.get("plan") or {}, start=start or "")
    coverage = dict(updated.get("coverage") or {})
    for key in COVERAGE_FIELDS:
        if not coverage.get(key) and (content.get("coverage") or {}).get(key):
            coverage[key] = content["coverage"][key]
    if coverage:
        updated["coverage"] = coverage
    codes, notes = billable_codes(content.get("diagnoses") or [], icd, made_with)
    updated["diagnoses"] = codes
    goals = updated.get("goals") or []
    if any(isinstance(g, Mapping) and not g.get("baseline") for g in goals):
        notes = (*notes, BASELINE_NOTE)
    return Applied(updated, notes)


def billable_codes(
    codes: list[Any], icd: CodeSet, made_with: str = ""
) -> tuple[list[str], tuple[str, ...]]:
    """The codes still billable in ``icd``, and a sentence for each one dropped."""
    kept: list[str] = []
    notes: list[str] = []
    for code in codes:
        check = icd.check(str(code))
        if check.ok:
            kept.append(check.code)
            continue
        since = f" (the preset was made with {made_with})" if made_with else ""
        notes.append(
            f"{str(code)[:20]} is no longer billable in code set {icd.label}"
            f"{since}: choose a replacement."
        )
    return kept, tuple(notes)


def subsequent_codes(
    codes: list[str], index: Codes
) -> tuple[list[str], tuple[tuple[str, str], ...]]:
    """An earlier order's codes for a later visit: each injury's A code as its D code.

    ICD-10-CM Official Guidelines I.C.19.a: after active treatment, care during
    healing and recovery is a subsequent encounter (7th character D). Returns the
    codes and each (old, new) pair changed.
    """
    out: list[str] = []
    changed: list[tuple[str, str]] = []
    for code in codes:
        entry: IcdCode | None = index.get(code)
        later = subsequent_encounter(entry, index) if entry is not None else None
        if later is not None and later not in out and later not in codes:
            out.append(later)
            changed.append((code, later))
        else:
            out.append(code)
    return out, tuple(changed)

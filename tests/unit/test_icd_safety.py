"""The ICD-10-CM search's safety rules, each over many queries, and their checker."""

from __future__ import annotations

import itertools
import re

import pytest

from rxassist.icd import IcdIndex, SearchResult
from rxassist.icd_safety import violations

SIDE_CONDITIONS = [
    "knee pain",
    "shoulder pain",
    "hip pain",
    "elbow pain",
    "ankle sprain",
    "wrist sprain initial",
    "carpal tunnel",
    "frozen shoulder",
    "oa knee",
    "oa hand",
    "sciatica",
    "lateral epicondylitis",
    "hamstring strain",
    "trigger finger",
    "rotator cuff tear",
    "calf strain",
    "distal radius fracture subsequent routine healing",
]
SIDES = {
    "right": ("r", "R", "rt", "right"),
    "left": ("l", "L", "lt", "left"),
}
ENCOUNTERS = {
    "A": ("initial", "init"),
    "D": (
        "subsequent",
        "sub",
        "subsequent visit",
        "follow up",
        "follow-up",
        "f/u",
        "fu",
    ),
    "S": ("sequela", "sequelae", "late effect"),
}
INJURIES = [
    "neck sprain",
    "ankle sprain",
    "hamstring strain",
    "lower back strain",
    "whiplash",
    "shoulder sprain",
    "knee contusion",
    "thoracic sprain",
    "concussion",
]
CONDITIONS_WITH_CAUSES = [
    f"{condition} {cause}"
    for condition, cause in itertools.product(
        ["neck pain", "cervical sprain", "low back strain", "whiplash", "knee pain"],
        [
            "car accident",
            "motor vehicle accident",
            "mva",
            "fell from ladder",
            "fall at work",
            "bicycle accident",
        ],
    )
]
NO_INJURY_WORD = [
    "sciatica right leg",
    "sciatica left leg",
    "herniated disc L4-L5",
    "disc herniation C5-C6",
    "herniated disc L5-S1",
    "low back pain",
    "neck pain",
    "knee pain L",
    "shoulder pain r",
    "tmj pain",
    "temporomandibular joint pain",
    "fibromyalgia",
    "cervical radiculopathy",
    "plantar fasciitis",
    "tension headache",
    "muscle spasm back",
    "lumbar spondylosis",
    "frozen shoulder",
    "sciatic nerve pain",
    "hip bursitis",
    "thoracic outlet syndrome",
    "back pain in pregnancy",
    "post op scar",
    "CRPS left leg",
    "oa hand r",
    "lymphedema arm",
]
_SIDE = re.compile(r"\b(right|left)\b")


def _side(result: SearchResult) -> str | None:
    found = set(_SIDE.findall(result.description.lower()))
    return found.pop() if len(found) == 1 else None


def _seventh(result: SearchResult) -> str | None:
    flat = result.code.replace(".", "")
    if len(flat) != 7 or result.code[0] not in "ST":
        return None
    text = result.description.rsplit(", ", 1)[-1]
    return next(
        (char for char, word in (("A", "initial"), ("D", "subsequent"), ("S", "sequela"))
         if text.startswith(word)),
        "?",
    )  # fmt: skip


def _above(results: list[SearchResult], bad, good) -> list[tuple[str, str]]:  # noqa: ANN001
    """Pairs (a, b): a, for which ``bad`` holds, ranks above b, for which ``good``."""
    return [
        (a.code, b.code)
        for i, a in enumerate(results)
        for b in results[i + 1 :]
        if bad(a) and good(b)
    ]


@pytest.mark.parametrize(
    ("condition", "stated"), list(itertools.product(SIDE_CONDITIONS, SIDES))
)
def test_search_a_stated_side_comes_first_and_never_below_the_opposite(
    icd: IcdIndex, condition: str, stated: str
) -> None:
    opposite = "left" if stated == "right" else "right"
    for word in SIDES[stated]:
        for query in (f"{condition} {word}", f"{word} {condition}"):
            results = icd.search(query, limit=10)
            assert results, query
            assert not _above(
                results, lambda r: _side(r) == opposite, lambda r: _side(r) != opposite
            ), query
            if any(_side(r) == stated for r in results):
                assert _side(results[0]) == stated, (query, results[0].code)
            assert violations(icd.parse(query), results) == [], query


@pytest.mark.parametrize(
    ("injury", "char"), list(itertools.product(INJURIES, ENCOUNTERS))
)
def test_search_a_stated_encounter_is_never_below_another(
    icd: IcdIndex, injury: str, char: str
) -> None:
    for word in ENCOUNTERS[char]:
        query = f"{injury} {word}"
        results = icd.search(query, limit=10)
        sevenths = [_seventh(r) for r in results]
        assert sevenths[0] == char, (query, results[0].code)
        assert not _above(
            results,
            lambda r: _seventh(r) not in (None, char),
            lambda r: _seventh(r) == char,
        ), query
        assert violations(icd.parse(query), results) == [], query


@pytest.mark.parametrize("query", CONDITIONS_WITH_CAUSES)
def test_search_external_causes_never_rank_above_a_diagnosis(
    icd: IcdIndex, query: str
) -> None:
    results = icd.search(query, limit=10)
    assert results and results[0].code[0] not in "VWXY", query
    assert not _above(
        results, lambda r: r.code[0] in "VWXY", lambda r: r.code[0] not in "VWXY"
    ), query
    assert violations(icd.parse(query), results) == []


@pytest.mark.parametrize(
    "query", ["fall from ladder", "fell off bicycle", "mva", "fell at home"]
)
def test_search_a_query_about_an_external_cause_only_finds_it(
    icd: IcdIndex, query: str
) -> None:
    results = icd.search(query, limit=10)
    assert results and results[0].code[0] in "VWXY"
    assert not _above(
        results, lambda r: r.code[0] not in "VWXY", lambda r: r.code[0] in "VWXY"
    ), query
    assert violations(icd.parse(query), results) == []


@pytest.mark.parametrize("query", NO_INJURY_WORD)
def test_search_injuries_never_outrank_other_codes_without_an_injury_word(
    icd: IcdIndex, query: str
) -> None:
    results = icd.search(query, limit=10)
    assert results, query
    assert not _above(
        results, lambda r: r.code[0] in "ST", lambda r: r.code[0] not in "ST"
    ), [r.code for r in results]
    assert violations(icd.parse(query), results) == []


def _result(code: str, description: str) -> SearchResult:
    return SearchResult(code=code, description=description, billable=True)


LEFT_KNEE = _result("M25.562", "Pain in left knee")
RIGHT_KNEE = _result("M25.561", "Pain in right knee")
ANY_KNEE = _result("M25.569", "Pain in unspecified knee")
SPRAIN_A = _result(
    "S13.4XXA", "Sprain of ligaments of cervical spine, initial encounter"
)
SPRAIN_D = _result(
    "S13.4XXD", "Sprain of ligaments of cervical spine, subsequent encounter"
)
CAR = _result(
    "V89.2XXA",
    "Person injured in unspecified motor-vehicle accident, traffic, initial encounter",
)
SCIATICA = _result("M54.30", "Sciatica, unspecified side")
NERVE = _result(
    "S74.00XA", "Injury of sciatic nerve at hip and thigh level, unspecified leg, "
    "initial encounter"
)  # fmt: skip


@pytest.mark.parametrize(
    ("query", "results", "broken"),
    [
        ("knee pain L", [RIGHT_KNEE, LEFT_KNEE], "opposite side above"),
        ("knee pain L", [ANY_KNEE, LEFT_KNEE], "stated side not first"),
        ("neck sprain f/u", [SPRAIN_A, SPRAIN_D], "another encounter above"),
        ("cervical sprain mva", [CAR, SPRAIN_A], "external cause and diagnosis"),
        ("car accident", [SPRAIN_A, CAR], "external cause and diagnosis"),
        ("sciatica", [NERVE, SCIATICA], "injury above a non-injury code"),
    ],
)
def test_violations_names_each_broken_rule(
    query: str, results: list[SearchResult], broken: str
) -> None:
    found = violations(query, results)
    assert len(found) == 1 and found[0].startswith(broken)
    assert violations(query, results[::-1]) == []

"""Diagnoses suggested for the body areas chosen: the practice's history, then common."""

from __future__ import annotations

import pytest

from rxassist.icd import IcdIndex, default_index
from rxassist.modalities import BODY_AREAS
from rxassist.suggest import COMMON_CODES, for_areas


@pytest.fixture(scope="module")
def icd() -> IcdIndex:
    return default_index()


def test_common_codes_cover_every_area_with_billable_codes(icd: IcdIndex) -> None:
    assert set(COMMON_CODES) == set(BODY_AREAS)
    for area, codes in COMMON_CODES.items():
        for code in codes:
            entry = icd.get(code)
            assert entry is not None and entry.billable, (area, code)


def test_suggestions_for_cervical_and_left_shoulder_without_history(
    icd: IcdIndex,
) -> None:
    codes = for_areas([("cervical", None), ("shoulder", "left")], [], icd)
    assert codes[:4] == ["M54.2", "S13.4XXA", "M62.838", "M47.812"]
    # The left side only: no right-shoulder code.
    assert "M25.512" in codes and "S43.402A" in codes
    assert "M25.511" not in codes and "S43.401A" not in codes


def test_bilateral_suggests_both_sides_and_exclude_drops_chosen(icd: IcdIndex) -> None:
    codes = for_areas([("knee", "bilateral")], [], icd, exclude=["M25.561"])
    assert codes == ["M25.562", "M17.11", "M17.12"]


def test_practice_history_ranks_first_for_the_same_areas(icd: IcdIndex) -> None:
    history = [
        ([("lumbar", None)], ["M54.59", "M79.18"]),
        ([("lumbar", None), ("cervical", None)], ["M54.59", "M54.2"]),
        # Another area: its codes are not suggested for a lumbar order.
        ([("knee", "left")], ["M25.562"]),
        # A code whose site the chosen areas do not cover is left out.
        ([("lumbar", None)], ["M25.511"]),
    ]
    codes = for_areas([("lumbar", None)], history, icd, limit=5)
    assert codes[:2] == ["M54.59", "M79.18"]
    assert "M54.2" not in codes and "M25.562" not in codes and "M25.511" not in codes
    assert codes[2:] == ["M54.50", "M62.830", "S33.5XXA"]


def test_no_area_no_suggestion(icd: IcdIndex) -> None:
    assert for_areas([], [([("lumbar", None)], ["M54.50"])], icd) == []

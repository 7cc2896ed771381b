"""Short codes for the patient handout: alphabet, grouping, normalization."""

from __future__ import annotations

import pytest

from rxassist import short_code


def test_short_code_alphabet_has_no_look_alikes() -> None:
    assert not set("01OILU") & set(short_code.ALPHABET)
    assert len(set(short_code.ALPHABET)) == len(short_code.ALPHABET) == 30


def test_short_code_is_random_from_the_alphabet_and_grouped_for_reading() -> None:
    codes = {short_code.new_code() for _ in range(50)}
    assert len(codes) == 50
    for raw in codes:
        assert len(raw) == short_code.LENGTH
        assert set(raw) <= set(short_code.ALPHABET)
        shown = short_code.display(raw)
        assert shown == f"{raw[:4]}-{raw[4:]}"
        assert short_code.normalize(shown) == raw


@pytest.mark.parametrize(
    "typed", ["K7QM-4XPD", "k7qm4xpd", " k7qm 4xpd ", "K7-QM-4X-PD", "k7qm.4xpd"]
)
def test_short_code_normalize_ignores_case_dashes_and_spaces(typed: str) -> None:
    assert short_code.normalize(typed) == "K7QM4XPD"


@pytest.mark.parametrize(
    "typed",
    ["", "K7QM-4XP", "K7QM-4XPDA", "K7QM-4XP0", "K7QM-4XPO", "K7QM-4XPI", "é" * 8],
)
def test_short_code_normalize_refuses_what_cannot_be_a_code(typed: str) -> None:
    assert short_code.normalize(typed) is None


def test_short_code_hash_hides_the_code_and_is_stable() -> None:
    digest = short_code.code_hash("K7QM4XPD")
    assert digest == short_code.code_hash("K7QM4XPD") and len(digest) == 64
    assert "K7QM4XPD" not in digest

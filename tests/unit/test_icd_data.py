"""Curated ICD-10-CM data: synonyms and the search evaluation set name real codes."""

from __future__ import annotations

import json
from pathlib import Path

from rxassist.icd import IcdIndex, normalize_code
from rxassist.icd_synonyms import SYNONYMS

QUERIES = Path(__file__).resolve().parents[2] / "bench" / "icd_queries.json"


def test_every_synonym_names_an_existing_code(icd: IcdIndex) -> None:
    missing = [
        code
        for codes, _ in SYNONYMS
        for code in codes
        if (entry := icd.get(code)) is None or entry.code != normalize_code(code)
    ]
    assert missing == []


def test_no_synonym_phrase_is_listed_twice() -> None:
    phrases = [p.lower() for _, group in SYNONYMS for p in group]
    assert len(phrases) == len(set(phrases))


def test_evaluation_set_is_large_and_varied() -> None:
    queries = json.loads(QUERIES.read_text())["queries"]
    kinds = {q["kind"] for q in queries}
    assert len(queries) >= 120
    assert {"title", "synonym", "code", "misspelling", "injury"} <= kinds


def test_every_expected_code_exists_and_is_billable(icd: IcdIndex) -> None:
    bad = []
    for q in json.loads(QUERIES.read_text())["queries"]:
        for code in q["codes"]:
            entry = icd.get(code)
            if entry is None or not entry.billable or entry.code != code:
                bad.append((q["query"], code))
    assert bad == []

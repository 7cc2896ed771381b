"""Curated ICD-10-CM data: synonyms and the search evaluation set name real codes."""

from __future__ import annotations

import json
from pathlib import Path

from rxassist.icd import IcdIndex, normalize_code
from rxassist.icd_query import words
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


def test_no_synonym_phrase_is_listed_twice_even_after_folding() -> None:
    phrases = [" ".join(words(p)) for _, group in SYNONYMS for p in group]
    twice = {p for p in phrases if phrases.count(p) > 1}
    assert twice == set()


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


def test_evaluation_finds_every_sealed_set_and_counts_violations(
    icd: IcdIndex, tmp_path: Path
) -> None:
    from bench import icd_eval

    sealed = {
        "about": "a made-up set for this test",
        "sealed": True,
        "queries": [{"kind": "title", "query": "knee pain L", "codes": ["M25.562"]}],
    }
    for name in ("icd_heldout_a.json", "icd_heldout_b.json", "other.json"):
        (tmp_path / name).write_text(json.dumps(sealed))
    found = icd_eval.sealed_sets(tmp_path)
    assert [p.name for p in found] == ["icd_heldout_a.json", "icd_heldout_b.json"]
    figures, broken = icd_eval.report(
        icd, "test", icd_eval.load_queries(found[0]), False
    )
    assert figures["all"]["r@1"] == 1.0 and broken == 0
    assert icd_eval.sealed_targets(figures, broken)

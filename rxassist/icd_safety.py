"""The ICD-10-CM search's safety rules: a final re-ranking and a check of any results.

1. A stated side: no opposite-side code ranks above a stated- or unspecified-side
   one, and the stated side comes first where it exists.
2. A stated encounter: no code with another 7th character ranks above it.
3. External causes (V00-Y99) never rank above a diagnosis unless the query is about
   an external cause and names no condition; then they come first.
4. Injuries (chapter 19, S and T codes) never rank above other codes unless the query
   has an injury word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol, TypeVar

from rxassist.icd_query import (
    BILATERAL,
    ENCOUNTER_WORDS,
    TITLE_SIDES,
    Query,
    parse,
    words,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules need to know of a code."""

    side: int = 0
    encounter: str | None = None  # "initial", "subsequent", "sequela" or None
    external: bool = False
    traumatic: bool = False


class Result(Protocol):
    """A search result as the rules read it (``SearchResult`` is one)."""

    @property
    def code(self) -> str: ...

    @property
    def description(self) -> str: ...


def code_facts(code: str, side: int, seventh_text: str | None) -> Facts:
    """Facts of a code from its side bits and its 7th character's text, if any."""
    encounter = None
    if seventh_text:
        encounter = ENCOUNTER_WORDS.get(seventh_text.split(maxsplit=1)[0].lower())
    return Facts(side, encounter, code[:1] in "VWXY", code[:1] in "ST")


def facts_of(code: str, description: str) -> Facts:
    """Facts of a code from its text ("Pain in right knee")."""
    side = 0
    for word in words(description):
        side |= TITLE_SIDES.get(word, 0)
    seventh = description.rsplit(", ", 1)[-1] if len(code.replace(".", "")) == 7 else ""
    return code_facts(code, side, seventh or None)


_CLEAR = (False, False, False, False)


def _tier(query: Query, facts: Facts) -> tuple[bool, bool, bool, bool]:
    """Sort key: False first; each rule that demotes a code sets its flag."""
    return (
        facts.external != query.external_only,
        facts.traumatic and not query.injury,
        bool(
            query.encounter and facts.encounter and facts.encounter != query.encounter
        ),
        _opposite(query.side, facts.side),
    )


def _opposite(asked: int, named: int) -> bool:
    return bool(asked and asked != BILATERAL and named and not named & asked)


def _stated(asked: int, named: int) -> bool:
    return bool(asked and named & asked)


def rerank(
    query: Query, ranked: Sequence[T], facts: Callable[[T], Facts], limit: int
) -> list[T]:
    """The best ``limit`` of ``ranked`` (best first), reordered so every rule holds."""
    tiers: dict[tuple[bool, ...], list[T]] = {}
    for item in ranked:
        tier = _tier(query, facts(item))
        tiers.setdefault(tier, []).append(item)
        if tier == _CLEAR and len(tiers[tier]) >= limit:
            break  # nothing further down can enter the first ``limit``
    ordered = [item for tier in sorted(tiers) for item in tiers[tier]]
    if query.side and ordered:
        stated = (
            n
            for n, item in enumerate(tiers[min(tiers)])
            if _stated(query.side, facts(item).side)
        )
        ordered.insert(0, ordered.pop(next(stated, 0)))
    return ordered[:limit]


def violations(query: Query | str, results: Sequence[Result]) -> list[str]:
    """Each rule the ``results`` (best first) break for ``query``, as a sentence."""
    if isinstance(query, str):
        query = parse(query)
    found: list[str] = []
    facts = [facts_of(r.code, r.description) for r in results]
    tiers = [_tier(query, f) for f in facts]
    names = (
        "external cause and diagnosis out of order",
        "injury above a non-injury code",
        "another encounter above the stated one",
        "opposite side above",
    )
    for rule, name in enumerate(names):
        found.extend(
            f"{name}: {results[a].code} before {results[b].code}"
            for a, b in combinations(range(len(tiers)), 2)
            if tiers[a][rule]
            and not tiers[b][rule]
            and tiers[a][:rule] == tiers[b][:rule]
        )
    stated = [n for n, f in enumerate(facts) if _stated(query.side, f.side)]
    if stated and results and not _stated(query.side, facts[0].side):
        if any(tiers[n] == tiers[0] for n in stated):
            found.append(f"stated side not first: {results[0].code}")
    return found

"""Diagnoses to suggest for the body areas already chosen.

First the codes the practice used most on past orders that treated those areas, then a
short list of common codes per area. The list is a judgement call, not a rule: the
codes physicians ordering medical massage most often write for each area (pain,
sprain and spasm codes), chosen by hand and checked billable against the code set by
tests/unit/test_suggest.py. It only ranks suggestions; nothing is validated against it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

from rxassist.regions import covers, site_of

# Body area (rxassist.modalities.BODY_AREAS key) -> common codes, most common first.
# Sided codes are listed for both sides; the chosen side filters them.
COMMON_CODES: dict[str, tuple[str, ...]] = {
    "head_face": ("G44.209", "R51.9", "M26.621", "M26.622", "M26.629"),
    "cervical": ("M54.2", "S13.4XXA", "M62.838", "M47.812"),
    "thoracic": ("M54.6", "M62.830", "S23.3XXA"),
    "lumbar": ("M54.50", "M54.59", "M62.830", "S33.5XXA", "M54.16"),
    "sacral_pelvis": ("M53.3", "S33.6XXA", "M54.18"),
    "shoulder": ("M25.511", "M25.512", "S43.401A", "S43.402A", "M75.51", "M75.52"),
    "upper_arm": ("M79.621", "M79.622"),
    "elbow_forearm": ("M77.11", "M77.12", "M25.521", "M25.522"),
    "wrist_hand": ("G56.01", "G56.02", "M25.531", "M25.532"),
    "hip_gluteal": ("M25.551", "M25.552", "M70.61", "M70.62"),
    "thigh": ("M79.651", "M79.652"),
    "knee": ("M25.561", "M25.562", "M17.11", "M17.12"),
    "leg_calf": ("M79.661", "M79.662", "M62.831"),
    "ankle_foot": ("M25.571", "M25.572", "S93.401A", "S93.402A", "M72.2"),
    "chest": ("R07.89", "S29.011A"),
    "abdomen": ("S39.011A", "R10.9"),
}
SUGGESTIONS = 8

Area = tuple[str, str | None]


class _Entry(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def parent(self) -> str | None: ...

    @property
    def billable(self) -> bool: ...


class _Codes(Protocol):
    def get(self, code: str) -> _Entry | None: ...


def fits(code: str, areas: Sequence[Area], codes: _Codes) -> bool:
    """True when ``code`` is billable and names no site or side the areas leave out."""
    entry = codes.get(code)
    if entry is None or not entry.billable:
        return False
    site = site_of(code, codes)
    return not site.known or covers(areas, site)


def for_areas(
    areas: Sequence[Area],
    history: Iterable[tuple[Sequence[Area], Sequence[str]]],
    codes: _Codes,
    exclude: Iterable[str] = (),
    limit: int = SUGGESTIONS,
) -> list[str]:
    """Codes to suggest for ``areas``: the practice's most used, then the common ones.

    ``history`` holds past orders as (their areas, their codes), newest first.
    """
    wanted = {key for key, _ in areas}
    used: Counter[str] = Counter()
    for past_areas, past_codes in history:
        if wanted & {key for key, _ in past_areas}:
            used.update(dict.fromkeys(past_codes, 1))
    # Counter.most_common keeps first-seen order among equals: newest orders first.
    ranked = [code for code, _ in used.most_common()]
    ranked += [code for key, _ in areas for code in COMMON_CODES.get(key, ())]
    skip = set(exclude)
    chosen: list[str] = []
    for code in dict.fromkeys(ranked):
        if code not in skip and fits(code, areas, codes):
            chosen.append(code)
            if len(chosen) == limit:
                break
    return chosen

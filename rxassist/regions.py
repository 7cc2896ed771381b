"""Where a diagnosis is: its body regions and side, read from the code set's titles.

No list of codes: a code's title (and its parents' titles, from the code set) names
its site in anatomical words, which map onto the areas a prescription can order.
A judgement call: a title without a site word ("Myalgia", "Other muscle spasm") has
no region, and the region rules leave it alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

# Anatomical words of ICD-10-CM titles and the body area (rxassist.modalities
# BODY_AREAS key) each one names. Checked as whole words or word stems, longest first.
SITE_WORDS: dict[str, tuple[str, ...]] = {
    "temporomandibular": ("head_face",),
    "head": ("head_face",),
    "face": ("head_face",),
    "facial": ("head_face",),
    "jaw": ("head_face",),
    "scalp": ("head_face",),
    "cervical": ("cervical",),
    "cervicalgia": ("cervical",),
    "cervicothoracic": ("cervical",),
    "cervicocranial": ("cervical",),
    "neck": ("cervical",),
    "occipito-atlanto-axial": ("cervical",),
    "thoracic": ("thoracic",),
    "thoracolumbar": ("thoracic",),
    "upper back": ("thoracic",),
    "lumbar": ("lumbar",),
    "lumbosacral": ("lumbar",),
    "low back": ("lumbar",),
    "lower back": ("lumbar",),
    "lumbago": ("lumbar",),
    "sacral": ("sacral_pelvis",),
    "sacrococcygeal": ("sacral_pelvis",),
    "sacroiliac": ("sacral_pelvis",),
    "sacrum": ("sacral_pelvis",),
    "coccyx": ("sacral_pelvis",),
    "pelvis": ("sacral_pelvis",),
    "pelvic": ("sacral_pelvis",),
    "shoulder": ("shoulder",),
    "rotator cuff": ("shoulder",),
    "scapular": ("shoulder",),
    "upper arm": ("upper_arm",),
    "humerus": ("upper_arm",),
    "elbow": ("elbow_forearm",),
    "forearm": ("elbow_forearm",),
    "epicondylitis": ("elbow_forearm",),
    "wrist": ("wrist_hand",),
    "hand": ("wrist_hand",),
    "finger": ("wrist_hand",),
    "fingers": ("wrist_hand",),
    "thumb": ("wrist_hand",),
    "carpal": ("wrist_hand",),
    "hip": ("hip_gluteal",),
    "buttock": ("hip_gluteal",),
    "gluteal": ("hip_gluteal",),
    "thigh": ("thigh",),
    "femur": ("thigh",),
    "knee": ("knee",),
    "lower leg": ("leg_calf",),
    "calf": ("leg_calf",),
    "ankle": ("ankle_foot",),
    "foot": ("ankle_foot",),
    "toe": ("ankle_foot",),
    "toes": ("ankle_foot",),
    "heel": ("ankle_foot",),
    "plantar": ("ankle_foot",),
    "chest": ("chest",),
    "chest wall": ("chest",),
    "rib": ("chest",),
    "ribs": ("chest",),
    "abdominal wall": ("abdomen",),
    "abdomen": ("abdomen",),
    "back": ("thoracic", "lumbar"),
    "arm": ("upper_arm", "elbow_forearm"),
    "upper limb": ("shoulder", "upper_arm", "elbow_forearm", "wrist_hand"),
    "leg": ("thigh", "leg_calf"),
    "lower limb": ("hip_gluteal", "thigh", "knee", "leg_calf", "ankle_foot"),
    "achilles": ("leg_calf", "ankle_foot"),
    "cervicobrachial": ("cervical", "shoulder"),
    "trapezius": ("cervical", "shoulder"),
}
# Longest first: "upper arm" is not "arm", "low back" is not "back".
_PATTERN = re.compile(
    r"\b("
    + "|".join(re.escape(w) for w in sorted(SITE_WORDS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_SIDE = re.compile(r"\b(right|left|bilateral)\b", re.IGNORECASE)
# Titles that name several sites at once say so; they are not one region.
_MULTIPLE = re.compile(r"\bmultiple sites\b|\bsite unspecified\b", re.IGNORECASE)
# "Enthesopathies, lower limb, excluding foot": what follows names no site of the code.
_EXCLUDING = re.compile(r"\b(excluding|except)\b.*$", re.IGNORECASE)


class _Titled(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def parent(self) -> str | None: ...


class _Lookup(Protocol):
    def get(self, code: str) -> _Titled | None: ...


@dataclass(frozen=True)
class Site:
    """The body areas a diagnosis names, and its side where it names one."""

    areas: frozenset[str]
    side: str | None = None

    @property
    def known(self) -> bool:
        """True when the title names at least one area."""
        return bool(self.areas)


def site_of_title(title: str) -> Site:
    """The areas and side one title names."""
    if _MULTIPLE.search(title):
        return Site(frozenset())
    title = _EXCLUDING.sub("", title)
    areas = frozenset(
        area for m in _PATTERN.findall(title) for area in SITE_WORDS[m.lower()]
    )
    return Site(areas, side_of_title(title))


def side_of_title(title: str) -> str | None:
    """The one side a title names ("right", "left", "bilateral"), else None."""
    sides = {m.lower() for m in _SIDE.findall(title)}
    return sides.pop() if len(sides) == 1 else None


def site_of(code: str, codes: _Lookup) -> Site:
    """The site of ``code``: its own title's, else its nearest parent's that names one.

    A side is read from the code's own title (a parent has none of its own).
    """
    entry = codes.get(code)
    if entry is None:
        return Site(frozenset())
    own = site_of_title(entry.title)
    if own.known or _MULTIPLE.search(entry.title):
        return own
    parent = entry.parent
    while parent:
        above = codes.get(parent)
        if above is None:
            break
        found = site_of_title(above.title)
        if found.known or _MULTIPLE.search(above.title):
            return Site(found.areas, own.side)
        parent = above.parent
    return own


def covers(areas: Iterable[tuple[str, str | None]], site: Site) -> bool:
    """True when an ordered (area, side) treats the diagnosis's site and side."""
    for area, side in areas:
        if area not in site.areas:
            continue
        if site.side is None or side in (None, "bilateral", site.side):
            return True
    return False

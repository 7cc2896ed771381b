"""Payer and jurisdiction profiles, kept as data (rxassist/data/payers.toml).

A profile says what one payer (in one state, or by name) covers, caps and asks for,
each value with its source. ``profiles_for`` picks the profiles that apply to a
coverage, the general first and the most specific last, so later values win.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "payers.toml"
ANY_PAYER = "*"
SETTINGS = (
    "excluded_cpt",
    "excluded_performers",
    "excluded_referrers",
    "minutes_cap",
    "progress_visits",
    "progress_days",
    "certification_days",
    "initial_care_days",
    "required",
)
_LISTS = frozenset(
    {"excluded_cpt", "excluded_performers", "excluded_referrers", "required"}
)


class ProfileError(ValueError):
    """A payer profile file that cannot be used, and why."""


@dataclass(frozen=True)
class Profile:
    """One payer's (or jurisdiction's) rules, with the source of each value."""

    id: str
    name: str
    payer_type: str
    state: str = ""
    name_contains: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)

    def applies(self, payer_type: str, state: str, payer_name: str) -> bool:
        """True when a coverage of this type, state and name falls under it."""
        if self.payer_type not in (ANY_PAYER, payer_type):
            return False
        if self.state and self.state != state:
            return False
        return not self.name_contains or self.name_contains in payer_name.lower()

    @property
    def specificity(self) -> int:
        """How narrowly it applies: any payer < a payer type < a state or a name."""
        return (
            (self.payer_type != ANY_PAYER) + bool(self.state) + bool(self.name_contains)
        )


@dataclass(frozen=True)
class Terms:
    """What the applicable profiles say together: each value and its source."""

    profiles: tuple[Profile, ...]

    def get(self, name: str) -> Any:
        """The most specific profile's value of a setting (None when none sets it)."""
        for profile in reversed(self.profiles):
            if name in profile.values:
                return profile.values[name]
        return None

    def source(self, name: str) -> str:
        """Where the value of ``name`` comes from."""
        for profile in reversed(self.profiles):
            if name in profile.values:
                return profile.sources.get(name, profile.name)
        return ""

    def listed(self, name: str) -> tuple[tuple[str, str], ...]:
        """Every (item, source) of a list setting across the profiles."""
        return tuple(
            (item, profile.sources.get(name, profile.name))
            for profile in self.profiles
            for item in profile.values.get(name, ())
        )

    def has(self, profile_id: str) -> bool:
        """True when the profile with this id applies."""
        return any(p.id == profile_id for p in self.profiles)


class PayerProfiles:
    """The loaded profiles: the shipped file, then an administrator's."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        by_id: dict[str, Profile] = {}
        for profile in profiles:
            by_id[profile.id] = profile  # a later file replaces a shipped profile
        self.profiles = tuple(by_id.values())

    @classmethod
    def load(cls, *paths: Path | str | None) -> PayerProfiles:
        """The shipped profiles and those of each extra file, in order."""
        found: list[Profile] = []
        for path in (DEFAULT_PATH, *paths):
            if path:
                found.extend(read(Path(path)))
        return cls(found)

    def terms(self, payer_type: str, state: str = "", payer_name: str = "") -> Terms:
        """The profiles that apply to a coverage, the most general first."""
        matching = [
            p for p in self.profiles if p.applies(payer_type, state, payer_name)
        ]
        return Terms(tuple(sorted(matching, key=lambda p: p.specificity)))

    def for_coverage(self, coverage: Any) -> Terms:
        """The terms for a prescription's coverage (None: those of any payer).

        The state is that of jurisdiction (Workers' Comp) when given, else that of
        the accident (auto PIP).
        """
        if coverage is None:
            return self.terms("")
        state = getattr(coverage, "jurisdiction_state", "") or coverage.accident_state
        return self.terms(coverage.payer_type, state, coverage.payer_name)


def read(path: Path) -> list[Profile]:
    """The profiles of one TOML file; ProfileError says what is wrong with it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    items = data.get("profile", [])
    if not isinstance(items, list):
        raise ProfileError(f"{path}: [[profile]] tables expected")
    return [_profile(path, i, item) for i, item in enumerate(items)]


def _profile(path: Path, i: int, item: Mapping[str, Any]) -> Profile:
    where = f"{path}: profile {i + 1}"
    for key in ("id", "name", "payer_type"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise ProfileError(f"{where}: {key} is required")
    unknown = set(item) - {
        "id", "name", "payer_type", "state", "name_contains",
        *SETTINGS, *(f"source_{s}" for s in SETTINGS),
    }  # fmt: skip
    if unknown:
        raise ProfileError(f"{where}: unknown fields {sorted(unknown)}")
    values: dict[str, Any] = {}
    for name in SETTINGS:
        if name not in item:
            continue
        value = item[name]
        if name in _LISTS:
            if not _strings(value):
                raise ProfileError(f"{where}: {name} must be a list of text")
            value = tuple(value)
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ProfileError(f"{where}: {name} must be a whole number above 0")
        values[name] = value
    return Profile(
        id=item["id"],
        name=item["name"],
        payer_type=item["payer_type"],
        state=str(item.get("state", "")).upper(),
        name_contains=str(item.get("name_contains", "")).lower(),
        values=values,
        sources={
            name: str(item[f"source_{name}"])
            for name in SETTINGS
            if f"source_{name}" in item
        },
    )


def _strings(value: Any) -> bool:
    return isinstance(value, Sequence) and all(isinstance(v, str) for v in value)

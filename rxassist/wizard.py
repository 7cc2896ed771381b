"""The wizard's steps, their order, and which document sections each one fills."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from rxassist.modalities import DEFAULT_PERFORMER


@dataclass(frozen=True)
class Step:
    """One page of the wizard."""

    name: str
    title: str
    sections: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step("patient", "Patient and coverage", ("patient", "coverage")),
    Step("modality", "Modality", ("modality",)),
    Step("body_areas", "Body areas", ("body_areas",)),
    Step("diagnoses", "Diagnoses", ("diagnoses",)),
    Step("session", "Session and plan", ("session", "plan", "precautions", "goals")),
    Step("review", "Review and finalize", ()),
)
BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}
FIRST = STEPS[0].name


def index(name: str) -> int:
    """Position of a step, from 0."""
    return [s.name for s in STEPS].index(name)


def next_step(name: str) -> str:
    """The step after ``name`` (review stays on review)."""
    return STEPS[min(index(name) + 1, len(STEPS) - 1)].name


def previous_step(name: str) -> str:
    """The step before ``name`` (the first stays first)."""
    return STEPS[max(index(name) - 1, 0)].name


def step_of_field(path: str) -> str:
    """The step where a field with this dotted path is entered."""
    section = path.split(".", 1)[0]
    for step in STEPS:
        if section in step.sections:
            return step.name
    return "review"


def new_document(today: date) -> dict[str, Any]:
    """A new draft prefilled with the common order: 60 minutes by an LMT, from today."""
    return {
        "modality": {"performer": DEFAULT_PERFORMER},
        "session": {"minutes": "60"},
        "plan": {"start": today.isoformat(), "phases": []},
    }


def is_untouched(document: Mapping[str, Any]) -> bool:
    """True for a new draft's document as ``new_document`` made it, whatever its day."""
    plan = document.get("plan")
    if not isinstance(plan, Mapping) or not isinstance(plan.get("start"), str):
        return False
    blank = new_document(date.today())
    blank["plan"] = dict(blank["plan"], start=plan["start"])
    return dict(document) == blank

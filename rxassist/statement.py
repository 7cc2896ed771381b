"""What a prescription says it orders: its title, its goals and its medical necessity.

Each is composed from the order itself, so the PDF, the review page, the attestation
and FHIR say the same words, and a reviewer reads what is ordered and why, not a
fixed sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rxassist.modalities import CPT_CODES

# What records signed before the statement was composed printed (goals were free
# text then): they keep these words, as signed.
LEGACY_TITLE = "Prescription: Medical Massage Therapy"
LEGACY_NECESSITY = "Massage therapy is medically necessary for the diagnoses above."


@dataclass(frozen=True)
class Goal:
    """A measurable functional goal: the function, where it is now and the target."""

    function: str
    baseline: str
    target: str

    def describe(self) -> str:
        """ "Cervical rotation 45° → 70°"."""
        return f"{self.function} {self.baseline} → {self.target}"

    def to_document(self) -> dict[str, str]:
        """The goal as it appears in a prescription document."""
        return {
            "function": self.function,
            "baseline": self.baseline,
            "target": self.target,
        }


def title(cpt: Sequence[str]) -> str:
    """ "Prescription for manual therapy and massage therapy": what is ordered."""
    return "Prescription for " + _series([CPT_CODES[code].therapy for code in cpt])


def goals_line(goals: Sequence[Goal]) -> str:
    """ "Cervical rotation 45° → 70°; Pain 7/10 → 3/10"."""
    return "; ".join(goal.describe() for goal in goals)


def necessity(
    cpt: Sequence[str],
    diagnoses: Sequence[tuple[str, str]],
    goals: Sequence[Goal],
) -> str:
    """The medical-necessity statement: what is ordered, for what, toward what.

    From the CPT codes, the diagnoses as (code, title), the deficits (the goals'
    baselines) and the goals' targets. Titles sit in parentheses because a title
    may hold a comma ("…, initial encounter").
    """
    services = [f"{CPT_CODES[code].therapy} (CPT {code})" for code in cpt]
    treated = [f"{code} ({_lower(name)})" for code, name in diagnoses]
    deficits = [f"{_lower(goal.function)} ({goal.baseline})" for goal in goals]
    targets = [goal.target for goal in goals]
    verb = "is" if len(services) == 1 else "are"
    limit = "limits" if len(treated) == 1 else "limit"
    goal_words = "the goal is" if len(targets) == 1 else "the goals are"
    return (
        f"{_upper(_series(services))} {verb} medically necessary to treat "
        f"{_series(treated)}, which {limit} {_series(deficits)}; "
        f"{goal_words} {_series(targets)}."
    )


def attestation(statement: str) -> str:
    """The physician's attestation of a necessity statement, in the first person."""
    return f"I attest that {_lower(statement)}"


def _series(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _lower(text: str) -> str:
    """The first letter in lower case, unless the word is an acronym ("ACL")."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]

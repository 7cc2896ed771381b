"""Frequency plans: phases or "N visits over W weeks" turned into visits and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_PER_WEEK = 7
MAX_WEEKS = 52
MAX_PHASES = 6
# Payers commonly ask for a progress re-evaluation every 30 days of care.
REEVALUATION_DAYS = 30


@dataclass(frozen=True)
class Phase:
    """A stretch of the plan at a steady weekly frequency."""

    per_week: int
    weeks: int

    @property
    def visits(self) -> int:
        """Visits in this phase."""
        return self.per_week * self.weeks

    def describe(self) -> str:
        """Return "3x/week for 1 week"."""
        return f"{self.per_week}x/week for {_weeks(self.weeks)}"


@dataclass(frozen=True)
class Plan:
    """A frequency plan starting on ``start``: either phases or visits over weeks."""

    start: date
    phases: tuple[Phase, ...] = ()
    visits: int | None = None
    weeks: int | None = None

    @property
    def total_visits(self) -> int:
        """All visits the plan orders."""
        if self.phases:
            return sum(phase.visits for phase in self.phases)
        return self.visits or 0

    @property
    def total_weeks(self) -> int:
        """The plan's length in weeks."""
        if self.phases:
            return sum(phase.weeks for phase in self.phases)
        return self.weeks or 0

    @property
    def end(self) -> date:
        """The last day of the plan's last week."""
        return self.start + timedelta(days=7 * self.total_weeks - 1)

    @property
    def reevaluation(self) -> date:
        """Re-evaluate after 30 days of care, or at the end of a shorter plan."""
        return min(self.end, self.start + timedelta(days=REEVALUATION_DAYS))

    def describe(self) -> str:
        """Return the plan in words, as printed on the prescription."""
        if self.phases:
            return ", then ".join(phase.describe() for phase in self.phases)
        return f"{self.total_visits} visits over {_weeks(self.total_weeks)}"

    def to_document(self) -> dict[str, object]:
        """Return the plan as it appears in a prescription document."""
        doc: dict[str, object] = {"start": self.start.isoformat()}
        if self.phases:
            doc["phases"] = [
                {"per_week": p.per_week, "weeks": p.weeks} for p in self.phases
            ]
        else:
            doc["visits"] = self.visits
            doc["weeks"] = self.weeks
        return doc


def _weeks(weeks: int) -> str:
    return f"{weeks} week{'s' if weeks != 1 else ''}"

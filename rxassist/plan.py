"""Frequency plans: phases or "N visits over W weeks" turned into visits and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

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
class Stretch:
    """A consecutive part of the plan: its dates, visits and rhythm.

    The rhythm is ``frequency`` visits every ``period`` weeks: "10 visits over 4
    weeks" has no whole weekly frequency, so it is 10 per 4 weeks.
    """

    start: date
    end: date
    visits: int
    frequency: int
    period: int
    text: str


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
        return _last_day(self.start, self.total_weeks)

    def stretches(self) -> tuple[Stretch, ...]:
        """The plan in consecutive stretches: one per phase, or the whole plan."""
        if not self.phases:
            visits, weeks = self.total_visits, self.total_weeks
            frequency, period = (
                (visits // weeks, 1) if visits % weeks == 0 else (visits, weeks)
            )
            whole = Stretch(
                self.start, self.end, visits, frequency, period, self.describe()
            )
            return (whole,)
        stretches: list[Stretch] = []
        start = self.start
        for phase in self.phases:
            end = _last_day(start, phase.weeks)
            stretches.append(
                Stretch(start, end, phase.visits, phase.per_week, 1, phase.describe())
            )
            start = end + timedelta(days=1)
        return tuple(stretches)

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


def _last_day(start: date, weeks: int) -> date:
    """The last day of ``weeks`` whole weeks from ``start``."""
    return start + timedelta(weeks=weeks, days=-1)


def _weeks(weeks: int) -> str:
    return f"{weeks} week{'s' if weeks != 1 else ''}"

"""Frequency plans: phases or "N visits over W weeks" turned into visits and dates."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from rxassist.units import counted

# What records signed before re-evaluations followed the payer's cadence printed:
# one re-evaluation 30 days into care. New plans take the cadence as numbers.
LEGACY_REEVALUATION_DAYS = 30
DAYS_A_WEEK = 7


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
        return f"{self.per_week}x/week for {counted(self.weeks, 'week')}"


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
    # The re-evaluation dates computed when the prescription was issued, as signed.
    reevaluations: tuple[date, ...] = ()

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

    def visit_dates(self) -> tuple[date, ...]:
        """The date of every visit, in order.

        A judgement call, since a plan orders visits per week, not days: a phase of
        n visits a week spreads each week's visits evenly over that week from its
        first day (3x/week: days 1, 3 and 5); "V visits over W weeks" spreads the
        visits evenly over all W weeks from the first day.
        """
        if not self.phases:
            span = self.total_weeks * DAYS_A_WEEK
            visits = self.total_visits
            return tuple(
                self.start + timedelta(days=i * span // visits) for i in range(visits)
            )
        dates: list[date] = []
        week = self.start
        for phase in self.phases:
            for _ in range(phase.weeks):
                dates.extend(
                    week + timedelta(days=i * DAYS_A_WEEK // phase.per_week)
                    for i in range(phase.per_week)
                )
                week += timedelta(weeks=1)
        return tuple(dates)

    def due_reevaluations(
        self, every_visits: int | None, every_days: int | None
    ) -> tuple[date, ...]:
        """Every re-evaluation the plan needs under a payer's cadence, in order.

        A re-evaluation (progress report) is due at the ``every_visits``-th visit
        since the last one or ``every_days`` days after it, whichever comes first;
        the count starts again from each re-evaluation. A plan shorter than the
        cadence is re-evaluated at its end.
        """
        visits = self.visit_dates()
        due: list[date] = []
        last = self.start
        while True:
            candidates = []
            if every_days:
                candidates.append(last + timedelta(days=every_days))
            later = [d for d in visits if d > last or (not due and d == last)]
            if every_visits and len(later) >= every_visits:
                candidates.append(later[every_visits - 1])
            if not candidates or min(candidates) > self.end:
                break
            last = min(candidates)
            due.append(last)
        return tuple(due) or (self.end,)

    def scheduled(self, every_visits: int | None, every_days: int | None) -> Plan:
        """This plan with its re-evaluation dates under a payer's cadence."""
        return replace(
            self, reevaluations=self.due_reevaluations(every_visits, every_days)
        )

    @property
    def reevaluation_dates(self) -> tuple[date, ...]:
        """The re-evaluation dates as scheduled (a legacy record: 30 days in)."""
        if self.reevaluations:
            return self.reevaluations
        return (min(self.end, self.start + timedelta(days=LEGACY_REEVALUATION_DAYS)),)

    @property
    def reevaluation(self) -> date:
        """The first re-evaluation date."""
        return self.reevaluation_dates[0]

    def describe(self) -> str:
        """Return the plan in words, as printed on the prescription."""
        if self.phases:
            return describe_phases(self.phases)
        return (
            f"{counted(self.total_visits, 'visit')} over "
            f"{counted(self.total_weeks, 'week')}"
        )

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
        if self.reevaluations:
            doc["reevaluations"] = [day.isoformat() for day in self.reevaluations]
        return doc


def _last_day(start: date, weeks: int) -> date:
    """The last day of ``weeks`` whole weeks from ``start``."""
    return start + timedelta(weeks=weeks, days=-1)


# Frequency plans physicians write most often for medical massage, offered as one-click
# choices on the session step (any plan can still be typed). A judgement call from
# common practice, not a payer rule: payers limit visits (rxassist/payers.py).
COMMON_PLANS: tuple[tuple[Phase, ...], ...] = (
    (Phase(3, 1), Phase(2, 1), Phase(1, 6)),
    (Phase(2, 4),),
    (Phase(2, 6),),
    (Phase(3, 4),),
    (Phase(3, 2), Phase(2, 4)),
    (Phase(1, 6),),
)


def describe_phases(phases: tuple[Phase, ...]) -> str:
    """Return "3x/week for 1 week, then 1x/week for 6 weeks"."""
    return ", then ".join(phase.describe() for phase in phases)

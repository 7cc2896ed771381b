"""Frequency plans: visits, end dates, re-evaluation and their words."""

from datetime import date, timedelta
from itertools import pairwise

from rxassist.plan import Phase, Plan

EXAMPLE = Plan(
    start=date(2026, 11, 24),
    phases=(Phase(3, 1), Phase(2, 1), Phase(1, 6)),
)


def test_plan_example_has_11_visits_over_8_weeks() -> None:
    assert EXAMPLE.total_visits == 11
    assert EXAMPLE.total_weeks == 8


def test_plan_ends_on_the_last_day_of_its_last_week() -> None:
    assert EXAMPLE.end == date(2027, 1, 18)


def test_plan_without_stored_dates_reevaluates_as_legacy_records_printed() -> None:
    assert EXAMPLE.reevaluation == date(2026, 12, 24)
    short = Plan(start=date(2026, 11, 24), phases=(Phase(2, 2),))
    assert short.reevaluation == short.end == date(2026, 12, 7)


def test_plan_spreads_each_weeks_visits_over_that_week() -> None:
    assert EXAMPLE.visit_dates() == (
        # 3x/week: days 1, 3 and 5 of the week; 2x/week: days 1 and 4
        date(2026, 11, 24), date(2026, 11, 26), date(2026, 11, 28),
        date(2026, 12, 1), date(2026, 12, 4),
        date(2026, 12, 8), date(2026, 12, 15), date(2026, 12, 22),
        date(2026, 12, 29), date(2027, 1, 5), date(2027, 1, 12),
    )  # fmt: skip
    spread = Plan(start=date(2026, 12, 1), visits=3, weeks=2).visit_dates()
    assert spread == (date(2026, 12, 1), date(2026, 12, 5), date(2026, 12, 10))


def test_plan_reevaluates_every_30_days_by_default() -> None:
    assert EXAMPLE.due_reevaluations(None, 30) == (date(2026, 12, 24),)
    long = Plan(start=date(2026, 11, 24), phases=(Phase(2, 16),))
    assert long.end == date(2027, 3, 15)
    assert long.due_reevaluations(None, 30) == (
        date(2026, 12, 24), date(2027, 1, 23), date(2027, 2, 22),
    )  # fmt: skip
    short = Plan(start=date(2026, 11, 24), phases=(Phase(2, 2),))
    assert short.due_reevaluations(None, 30) == (short.end,)


def test_plan_reevaluates_after_6_visits_or_30_days_whichever_first() -> None:
    # Washington L&I: the 6th visit (12/08) comes before 30 days (12/24); then the
    # count restarts: 6 more weekly visits would be 01/12, but 30 days is 01/07.
    assert EXAMPLE.due_reevaluations(6, 30) == (date(2026, 12, 8), date(2027, 1, 7))


def test_plan_reevaluates_medicare_every_10_visits_within_90_days() -> None:
    plan = Plan(start=date(2026, 11, 24), phases=(Phase(3, 4), Phase(2, 8)))
    dates = plan.due_reevaluations(10, 90)
    visits = plan.visit_dates()
    assert len(visits) == plan.total_visits == 28
    assert dates == (visits[9], visits[19])
    weekly = Plan(start=date(2026, 11, 24), phases=(Phase(1, 20),))
    # 1x/week: each 10th visit comes before 90 days have passed
    assert weekly.due_reevaluations(10, 90) == (date(2027, 1, 26), date(2027, 4, 6))
    assert all(b - a <= timedelta(days=90) for a, b in pairwise(dates))
    assert plan.due_reevaluations(10, 90)[-1] <= plan.end


def test_plan_scheduled_stores_its_dates_for_the_document() -> None:
    plan = EXAMPLE.scheduled(6, 30)
    assert plan.reevaluation_dates == (date(2026, 12, 8), date(2027, 1, 7))
    assert plan.reevaluation == date(2026, 12, 8)
    assert plan.to_document()["reevaluations"] == ["2026-12-08", "2027-01-07"]


def test_plan_describes_phases_in_words() -> None:
    assert EXAMPLE.describe() == (
        "3x/week for 1 week, then 2x/week for 1 week, then 1x/week for 6 weeks"
    )


def test_plan_of_visits_over_weeks() -> None:
    plan = Plan(start=date(2026, 12, 1), visits=12, weeks=4)
    assert plan.total_visits == 12
    assert plan.end == date(2026, 12, 28)
    assert plan.describe() == "12 visits over 4 weeks"
    assert (
        Plan(date(2026, 12, 1), visits=1, weeks=1).describe() == "1 visit over 1 week"
    )
    assert plan.to_document() == {"start": "2026-12-01", "visits": 12, "weeks": 4}

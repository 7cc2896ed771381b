"""Frequency plans: visits, end dates, re-evaluation and their words."""

from datetime import date

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


def test_plan_reevaluates_after_30_days_or_at_the_end() -> None:
    assert EXAMPLE.reevaluation == date(2026, 12, 24)
    short = Plan(start=date(2026, 11, 24), phases=(Phase(2, 2),))
    assert short.reevaluation == short.end == date(2026, 12, 7)


def test_plan_describes_phases_in_words() -> None:
    assert EXAMPLE.describe() == (
        "3x/week for 1 week, then 2x/week for 1 week, then 1x/week for 6 weeks"
    )


def test_plan_of_visits_over_weeks() -> None:
    plan = Plan(start=date(2026, 12, 1), visits=12, weeks=4)
    assert plan.total_visits == 12
    assert plan.end == date(2026, 12, 28)
    assert plan.describe() == "12 visits over 4 weeks"
    assert plan.to_document() == {"start": "2026-12-01", "visits": 12, "weeks": 4}

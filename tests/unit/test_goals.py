"""Goal ideas by body area and the one-click plans: data the session step offers."""

from __future__ import annotations

from rxassist.goals import GOAL_IDEAS, MAX_IDEAS, goal_ideas
from rxassist.modalities import BODY_AREAS
from rxassist.plan import COMMON_PLANS, Phase, describe_phases
from rxassist.schema import MAX_LENGTH, MAX_PER_WEEK, MAX_PHASES, MAX_WEEKS


def test_goal_ideas_follow_the_areas_in_order_then_the_general_ones() -> None:
    ideas = goal_ideas(["cervical", "shoulder"])
    assert ideas[0] == "Cervical rotation (degrees)"
    assert ideas.index("Neck pain (0-10)") < ideas.index("Shoulder flexion (degrees)")
    assert len(ideas) == MAX_IDEAS
    assert goal_ideas(["lumbar"])[-1] == "Sleep without waking from pain (hours)"


def test_goal_ideas_repeat_nothing_and_ignore_unknown_areas() -> None:
    ideas = goal_ideas(["lumbar", "sacral_pelvis", "no-such-area"])
    assert ideas.count("Sitting tolerance (minutes)") == 1
    assert goal_ideas([]) == ["Sleep without waking from pain (hours)"]


def test_every_area_has_ideas_that_fit_the_goal_field() -> None:
    assert set(GOAL_IDEAS) == set(BODY_AREAS)
    for ideas in GOAL_IDEAS.values():
        assert all(len(idea) <= MAX_LENGTH["goal_function"] for idea in ideas)


def test_the_common_plans_start_with_the_phased_plan_most_written() -> None:
    assert describe_phases(COMMON_PLANS[0]) == (
        "3x/week for 1 week, then 2x/week for 1 week, then 1x/week for 6 weeks"
    )
    assert describe_phases((Phase(2, 4),)) == "2x/week for 4 weeks"
    assert len(set(COMMON_PLANS)) == len(COMMON_PLANS)


def test_every_common_plan_is_within_the_schema_limits() -> None:
    for plan in COMMON_PLANS:
        assert 1 <= len(plan) <= MAX_PHASES
        assert all(1 <= p.per_week <= MAX_PER_WEEK for p in plan)
        assert sum(p.weeks for p in plan) <= MAX_WEEKS

"""The CMS 8-minute rule at every boundary."""

import pytest

from rxassist import units


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, 0), (7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3),
        (52, 3), (53, 4), (60, 4), (67, 4), (68, 5), (82, 5), (83, 6), (120, 8),
    ],
)  # fmt: skip
def test_units_for_minutes_follows_the_8_minute_rule(
    minutes: int, expected: int
) -> None:
    assert units.units_for_minutes(minutes) == expected


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [(1, 8, 22), (2, 23, 37), (3, 38, 52), (4, 53, 67), (5, 68, 82)],
)
def test_minute_range_is_what_bills_exactly_that_many_units(
    count: int, low: int, high: int
) -> None:
    assert units.minute_range(count) == (low, high)
    assert units.units_for_minutes(low) == count
    assert units.units_for_minutes(high) == count
    assert units.units_for_minutes(low - 1) == count - 1


def test_minutes_for_units_is_fifteen_a_unit() -> None:
    assert units.minutes_for_units(4) == 60
    assert units.units_for_minutes(units.minutes_for_units(4)) == 4


def test_describe_prints_minutes_and_units() -> None:
    assert units.describe(60) == "60 minutes (4 units)"
    assert units.describe(15) == "15 minutes (1 unit)"

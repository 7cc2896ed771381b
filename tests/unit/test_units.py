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


def _split(*minutes: tuple[str, int]) -> list[tuple[str, int, int]]:
    return [(c.code, c.minutes, c.units) for c in units.allocate(minutes)]


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        # CMS's own example: 33 + 7 = 40 minutes = 3 units, and the 7 minutes bill one
        ((("97140", 33), ("97124", 7)), [("97140", 33, 2), ("97124", 7, 1)]),
        # 8 + 8 = 16 minutes = 1 unit: to the first on a tie
        ((("97140", 8), ("97124", 8)), [("97140", 8, 1), ("97124", 8, 0)]),
        # 7 + 7 = 14 minutes = 1 unit, though neither reaches 8 alone
        ((("97140", 7), ("97124", 7)), [("97140", 7, 1), ("97124", 7, 0)]),
        # a tie goes to the first only when minutes tie too: 5 + 9 = 14 → the 9
        ((("97140", 5), ("97124", 9)), [("97140", 5, 0), ("97124", 9, 1)]),
        # 24 + 23 = 47 minutes = 3 units: 2 to the larger remainder's code
        ((("97140", 24), ("97124", 23)), [("97140", 24, 2), ("97124", 23, 1)]),
        ((("97140", 40), ("97124", 20)), [("97140", 40, 3), ("97124", 20, 1)]),
        ((("97140", 30), ("97124", 30)), [("97140", 30, 2), ("97124", 30, 2)]),
        # 3 + 3 = 6 minutes bill nothing
        ((("97140", 3), ("97124", 3)), [("97140", 3, 0), ("97124", 3, 0)]),
        ((("97140", 60),), [("97140", 60, 4)]),
    ],
)
def test_allocate_bills_the_total_minutes_units_across_the_codes(
    minutes: tuple[tuple[str, int], ...], expected: list[tuple[str, int, int]]
) -> None:
    assert _split(*minutes) == expected
    total = sum(m for _, m in minutes)
    assert sum(u for _, _, u in expected) == units.units_for_minutes(total)


def test_allocate_never_bills_more_than_the_total_allows() -> None:
    for a in range(1, 61):
        for b in range(1, 61):
            split = units.allocate((("97140", a), ("97124", b)))
            assert sum(c.units for c in split) == units.units_for_minutes(a + b)


def test_code_units_describe_says_one_unit_in_the_singular() -> None:
    first, second = units.allocate((("97140", 40), ("97124", 20)))
    assert first.describe() == "CPT 97140 40 minutes (3 units)"
    assert second.describe() == "CPT 97124 20 minutes (1 unit)"
    assert "20.2" in units.CMS_SOURCE


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 visits"), (1, "1 visit"), (2, "2 visits")]
)
def test_counted_is_singular_for_one(count: int, expected: str) -> None:
    assert units.counted(count, "visit") == expected

"""The one place that knows the CMS 8-minute rule for timed 15-minute CPT units."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

UNIT_MINUTES = 15
MIN_BILLABLE_MINUTES = 8


def units_for_minutes(minutes: int) -> int:
    """Return the billable units for a session length; 0 below 8 minutes.

    8-22 min = 1 unit, 23-37 = 2, 38-52 = 3, 53-67 = 4, then one more every 15 minutes.
    """
    if minutes < MIN_BILLABLE_MINUTES:
        return 0
    return (minutes + UNIT_MINUTES - MIN_BILLABLE_MINUTES) // UNIT_MINUTES


def minutes_for_units(units: int) -> int:
    """Return the nominal session length that a number of units prescribes."""
    return units * UNIT_MINUTES


def minute_range(units: int) -> tuple[int, int]:
    """Return the inclusive range of minutes that bills exactly ``units`` units."""
    if units < 1:
        return (0, MIN_BILLABLE_MINUTES - 1)
    low = units * UNIT_MINUTES - (UNIT_MINUTES - MIN_BILLABLE_MINUTES)
    return (low, low + UNIT_MINUTES - 1)


def describe(minutes: int) -> str:
    """Return the session as printed on the prescription: "60 minutes (4 units)"."""
    return f"{minutes} minutes ({counted(units_for_minutes(minutes), 'unit')})"


# Where the allocation below comes from, cited in code and in messages.
CMS_SOURCE = (
    "CMS Medicare Claims Processing Manual (Pub. 100-04), chapter 5, section 20.2: "
    "total units from the total timed minutes"
)


@dataclass(frozen=True)
class CodeUnits:
    """One timed code of a session: its minutes and the units it bills."""

    code: str
    minutes: int
    units: int

    def describe(self) -> str:
        """ "CPT 97140 40 minutes (3 units)"."""
        return f"CPT {self.code} {self.minutes} minutes ({counted(self.units, 'unit')})"


def allocate(minutes_by_code: Sequence[tuple[str, int]]) -> tuple[CodeUnits, ...]:
    """Bill the units of the total timed minutes across the codes (CMS method).

    The total units come from the total minutes (``units_for_minutes``); each code
    first gets a unit for each full 15 minutes of its own, and every unit left goes to
    the code with the most minutes left over (on a tie, the one with more minutes,
    then the one listed first). So a code under 8 minutes may still bill a unit
    (33 + 7 minutes = 3 units: 2 + 1), and 7 + 7 minutes bill 1 unit, to the first.
    """
    total = units_for_minutes(sum(minutes for _, minutes in minutes_by_code))
    full = [minutes // UNIT_MINUTES for _, minutes in minutes_by_code]
    left = total - sum(full)
    order = sorted(
        range(len(minutes_by_code)),
        key=lambda i: (
            -(minutes_by_code[i][1] % UNIT_MINUTES),
            -minutes_by_code[i][1],
            i,
        ),
    )
    extra = set(order[: max(left, 0)])
    return tuple(
        CodeUnits(code, minutes, full[i] + (i in extra))
        for i, (code, minutes) in enumerate(minutes_by_code)
    )


def counted(count: int, word: str) -> str:
    """ "1 visit", "2 visits": a count with its noun, singular for one."""
    return f"{count} {word}{'' if count == 1 else 's'}"

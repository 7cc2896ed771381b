"""The one place that knows the CMS 8-minute rule for timed 15-minute CPT units."""

from __future__ import annotations

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
    units = units_for_minutes(minutes)
    return f"{minutes} minutes ({units} unit{'s' if units != 1 else ''})"

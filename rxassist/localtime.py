"""Times as a person reads them: stored in UTC, shown in the practice's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The installation's zone when a practice names none (a setting: RX_TIMEZONE).
DEFAULT_ZONE = "America/New_York"
DATE = "%m/%d/%Y"


def today(zone: str) -> date:
    """The date it is now in ``zone``: a prescription is dated where it is written."""
    return datetime.now(ZoneInfo(zone)).date()


def is_zone(name: str) -> bool:
    """True for an IANA time zone name this machine knows ("America/Chicago")."""
    if not name or name != name.strip() or len(name) > 64:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local(moment: datetime, zone: str) -> datetime:
    """A stored moment in ``zone``: a naive value is read as UTC, as it is stored."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone))


def shown(moment: datetime | date | None, zone: str, *, seconds: bool = False) -> str:
    """ "11/30/2026 1:20 PM EST": a stored moment as a person in ``zone`` reads it.

    A date alone (no time of day) is shown as it is: it has no zone.
    """
    if not isinstance(moment, datetime):
        return shown_date(moment, zone)
    at = local(moment, zone)
    hour = at.strftime("%I:%M:%S %p" if seconds else "%I:%M %p").lstrip("0")
    return f"{at:{DATE}} {hour} {at.tzname()}"


def shown_date(moment: datetime | date | None, zone: str) -> str:
    """ "11/30/2026": the day a stored moment falls on in ``zone``."""
    if moment is None:
        return ""
    if not isinstance(moment, datetime):
        return moment.strftime(DATE)
    return local(moment, zone).strftime(DATE)

"""Which time zone a page or PDF shows times in: the practice's, else RX_TIMEZONE."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, g, has_request_context
from flask_login import current_user

from rxassist import localtime
from rxassist.localtime import is_zone


def zone_of(user: Any) -> str:
    """The time zone of ``user``'s practice, or the installation's."""
    practice = getattr(user, "practice_ref", None)
    zone = getattr(practice, "time_zone", "") or ""
    return zone if is_zone(zone) else str(current_app.config["RX_TIMEZONE"])


def today(user: Any = None) -> date:
    """Today in ``user``'s practice zone (the signed-in physician's by default)."""
    return localtime.today(zone_of(user) if user is not None else current_zone())


def current_zone() -> str:
    """The signed-in physician's zone (once a request), or the installation's."""
    if "time_zone" not in g:
        signed_in = has_request_context() and current_user.is_authenticated
        g.time_zone = zone_of(current_user if signed_in else None)
    return str(g.time_zone)

"""Signed launch URLs: an intranet prefills the wizard, signing with a shared secret.

The signature is HMAC-SHA256 over the query parameters (all but ``sig``), sorted by
name and URL-encoded, with ``ts`` the Unix time of signing. It is valid for minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from urllib.parse import urlencode

from rxassist.schema import DOCUMENT

# What a launch may prefill: patient and coverage fields of the document.
PATIENT_FIELDS = ("name", "dob", "mrn", "phone", "address")
COVERAGE_FIELDS = tuple(name for name, _ in DOCUMENT.field("coverage").properties)
MAX_VALUE = 300


class LaunchError(ValueError):
    """The launch is unsigned, forged, stale or malformed."""


def canonical(params: Mapping[str, str]) -> str:
    """The signed string: every parameter but sig, sorted, URL-encoded."""
    return urlencode(sorted((k, v) for k, v in params.items() if k != "sig"))


def sign(
    params: Mapping[str, str], secret: str, now: float | None = None
) -> dict[str, str]:
    """Add ts (if missing) and sig to launch parameters."""
    signed = dict(params)
    signed.setdefault("ts", str(int(now if now is not None else time.time())))
    signed["sig"] = hmac.new(
        secret.encode(), canonical(signed).encode(), hashlib.sha256
    ).hexdigest()
    return signed


def verify(
    params: Mapping[str, str], secret: str, max_age: int, now: float | None = None
) -> dict[str, dict[str, str]]:
    """Check a launch; return the patient and coverage sections it prefills."""
    if not secret:
        raise LaunchError("Launching from an intranet is not configured.")
    given = params.get("sig", "")
    expected = hmac.new(
        secret.encode(), canonical(params).encode(), hashlib.sha256
    ).hexdigest()
    if not given or not hmac.compare_digest(given.lower(), expected):
        raise LaunchError("The launch link's signature is not valid.")
    ts = params.get("ts", "")
    moment = now if now is not None else time.time()
    if not ts.isdigit() or abs(moment - int(ts)) > max_age:
        raise LaunchError("The launch link has expired.")
    if any(len(v) > MAX_VALUE for v in params.values()):
        raise LaunchError("The launch link carries a value that is too long.")
    return {
        "patient": {f: params[f] for f in PATIENT_FIELDS if f in params},
        "coverage": {f: params[f] for f in COVERAGE_FIELDS if f in params},
    }

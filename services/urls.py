"""Absolute links (API, patient links, FHIR, the QR code): never from a forged Host."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def absolute(endpoint: str, **values: Any) -> str:
    """The absolute address of ``endpoint``: on RX_PUBLIC_URL when it is set.

    Unset, it is on the request's host, which Flask has already checked against
    TRUSTED_HOSTS (config.py defaults it to this machine's own names).
    """
    base = current_app.config["RX_PUBLIC_URL"]
    if base:
        return str(base).rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, **values, _external=True)

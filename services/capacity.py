"""How much of one host a kind of work may hold at once: slots per app and process.

Rate limits (counted in the shared store) say how often a caller may act; slots say
how many requests of one kind this process works on together, so a burst of one kind
(PDF renders, API writes) queues instead of taking every core from the pages.
"""

from __future__ import annotations

import threading

from flask import current_app

_LOCK = threading.Lock()


def slots(kind: str, size: int) -> threading.BoundedSemaphore:
    """This app's ``size`` slots for ``kind`` of work, made on first use."""
    key = f"rx_slots_{kind}"
    found = current_app.extensions.get(key)
    if found is None:
        with _LOCK:
            found = current_app.extensions.setdefault(
                key, threading.BoundedSemaphore(size)
            )
    return found  # type: ignore[no-any-return]

"""The ICD-10-CM index in use: loaded once, reloaded when a new release is imported."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from rxassist.icd import DEFAULT_PATH, IcdIndex

# Where `flask icd10 import` keeps the release it installed (under RX_ICD_IMPORT_DIR).
IMPORTED_INDEX = "icd10cm-index.json.gz"
# A running server notices an imported release within this many seconds.
RECHECK_SECONDS = 5.0


@dataclass
class _Loaded:
    index: IcdIndex
    path: Path
    stamp: int | None
    checked: float


class CodeSet:
    """Flask extension holding each app's loaded index (``codeset.index()``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def init_app(self, app: Flask) -> None:
        """Register on ``app``; the index loads at first use (or now, to preload)."""
        app.extensions["rx_codeset"] = _State()

    def pin(self, app: Flask, index: IcdIndex) -> None:
        """Use ``index`` in ``app`` and never look for another (tests, benchmarks)."""
        app.extensions["rx_codeset"].pinned = index

    def expire(self, app: Flask) -> None:
        """Look for a newly imported release at the next use, not within seconds."""
        state: _State = app.extensions["rx_codeset"]
        if state.loaded is not None:
            state.loaded.checked = float("-inf")

    def imported_path(self) -> Path:
        """Where ``flask icd10 import`` installs a release for this installation."""
        folder = current_app.config["RX_ICD_IMPORT_DIR"] or current_app.instance_path
        return Path(folder) / IMPORTED_INDEX

    def path(self) -> Path:
        """The index in use: RX_ICD_INDEX, else the imported release, else the built."""
        configured = current_app.config["RX_ICD_INDEX"]
        if configured:
            return Path(configured)
        imported = self.imported_path()
        return imported if imported.exists() else DEFAULT_PATH

    def index(self) -> IcdIndex:
        """The loaded index; reloaded when ``flask icd10 import`` replaces it."""
        state: _State = current_app.extensions["rx_codeset"]
        if state.pinned is not None:
            return state.pinned
        loaded = state.loaded
        now = time.monotonic()
        if loaded is None or now - loaded.checked > RECHECK_SECONDS:
            with self._lock:  # one thread loads a new release; the others wait for it
                loaded = self._reload(state, loaded, now)
        return loaded.index

    def _reload(self, state: _State, seen: _Loaded | None, now: float) -> _Loaded:
        if state.loaded is not seen and state.loaded is not None:
            return state.loaded  # another thread reloaded while this one waited
        path = self.path()
        stamp = path.stat().st_mtime_ns if path.exists() else None
        if seen is None or (path, stamp) != (seen.path, seen.stamp):
            state.loaded = _Loaded(IcdIndex.load(path), path, stamp, now)
        else:
            seen.checked = now
        assert state.loaded is not None  # noqa: S101 - set on every path above
        return state.loaded


class _State:
    """What one app has loaded."""

    def __init__(self) -> None:
        self.pinned: IcdIndex | None = None
        self.loaded: _Loaded | None = None

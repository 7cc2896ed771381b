"""Browser fixtures: the app on a live server, and headless Debian Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from werkzeug.serving import make_server

from app import create_app
from extensions import db
from rxassist.icd import default_index

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """The app on an empty SQLite file, served over HTTP; yields its base URL."""
    app = create_app(
        {
            "SECRET_KEY": "e2e-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
            "RATELIMIT_ENABLED": False,
        }
    )
    app.extensions["rx_icd"] = default_index()
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _chromium() -> str:
    """Debian's chromium; a missing browser fails the run unless RX_SKIP_BROWSER=1."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if path:
        return path
    if os.environ.get("RX_SKIP_BROWSER") == "1":
        pytest.skip("RX_SKIP_BROWSER=1: browser tests skipped")
    pytest.fail(
        "chromium is not installed, so the browser test cannot run. Install it with "
        "`make browser` (apt-get install chromium), point CHROMIUM at a Chromium "
        "binary, or set RX_SKIP_BROWSER=1 to skip the browser tests.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, launched once (Playwright cannot download its own here)."""
    executable = _chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, timeout=20_000
        )
        yield chromium
        chromium.close()


class ConsoleLog(list[str]):
    """Console errors and uncaught exceptions a page reported."""


@pytest.fixture
def console() -> ConsoleLog:
    """Where the page fixture records what the browser console complained about."""
    return ConsoleLog()


@pytest.fixture
def page(browser: Browser, console: ConsoleLog) -> Iterator[Page]:
    """A fresh desktop-sized page in its own context (own cookies)."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(5_000)
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning") and _is_problem(message.text):
            console.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: console.append(f"{page.url}: {error}"))
    yield page
    context.close()


def _is_problem(text: str) -> bool:
    # A 422 re-render of an invalid step is logged as a failed load; that is the design.
    return not text.startswith(
        "Failed to load resource: the server responded with a status of 422"
    )

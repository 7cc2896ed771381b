"""Browser fixtures: the app on a live server, and headless Debian Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from app import create_app
from extensions import codeset, db
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


@dataclass
class LiveServer:
    """An app served over HTTP in a thread: its base URL and the Flask app."""

    url: str
    app: Flask


@pytest.fixture
def serve_app(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start the app on an empty SQLite file with config overrides; stopped after."""
    running: list[tuple[BaseWSGIServer, threading.Thread, Flask]] = []

    def start(**overrides: Any) -> LiveServer:
        app = create_app(
            {
                "SECRET_KEY": "e2e-secret",
                "RX_TIMEZONE": "UTC",  # as tests.helpers.today() reads the date
                "RX_INSTANCE_PATH": str(tmp_path / "instance"),
                "SQLALCHEMY_DATABASE_URI": (
                    f"sqlite:///{tmp_path / f'e2e-{len(running)}.sqlite3'}"
                ),
                "RATELIMIT_ENABLED": False,
                # Most browser tests start by registering through the page.
                "RX_SELF_REGISTRATION": True,
                **overrides,
            }
        )
        codeset.pin(app, default_index())
        with app.app_context():
            db.create_all()
        server, thread = serve_in_thread(app)
        running.append((server, thread, app))
        return LiveServer(f"http://127.0.0.1:{server.server_port}", app)

    yield start
    for server, thread, app in running:
        stop(server, thread)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def live_server(serve_app: Callable[..., LiveServer]) -> str:
    """The app with the default configuration, served over HTTP; its base URL."""
    return serve_app().url


def buffered(wsgi_app: Any) -> Any:
    """The app with each response read whole, and its iterator closed, before sending.

    Werkzeug's development server closes a response's iterator only after draining
    the request socket; when the browser has already dropped the connection (it often
    abandons a favicon or a stylesheet on navigation), that drain raises first and a
    static file is left open, which the suite's warnings-as-errors then reports in
    whatever test runs next. A test server needs no streaming, so nothing is held
    open while the socket is written.
    """

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        iterable = wsgi_app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()

    return app


def serve_in_thread(wsgi_app: Any) -> tuple[BaseWSGIServer, threading.Thread]:
    """Serve a WSGI app on a free local port from a daemon thread."""
    server = make_server("127.0.0.1", 0, buffered(wsgi_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def stop(server: BaseWSGIServer, thread: threading.Thread) -> None:
    """Shut down a server started by serve_in_thread."""
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


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

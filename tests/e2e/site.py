"""One app for a browser test module: a physician, a blank and a filled draft, a record.

Made once per module (a module-scoped fixture) so a module of many page checks pays for
one server and one signed-in physician.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import select

import models
from app import create_app
from extensions import codeset, db
from rxassist.icd import default_index
from tests import factories
from tests.e2e.conftest import serve_in_thread, stop
from tests.helpers import EMAIL, PASSWORD, Physician, app_config, walk_to_review

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
STEPS = ("patient", "modality", "body_areas", "diagnoses", "session", "review")


@dataclass
class Site:
    """The served app and what the module made in it once."""

    url: str
    app: Flask
    empty: str = ""  # /rx/<id> of a blank draft
    filled: str = ""  # /rx/<id> of a draft filled to the review
    record: str = ""  # /prescriptions/<id>
    verify: str = ""  # /v/<token>


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """The app on a live server with a physician, two drafts and a prescription."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(app_config(Path(folder), TESTING=False))
        codeset.pin(app, default_index())
        with app.app_context():
            db.create_all()
        factories.physician(app)
        doctor = Physician(app.test_client())
        doctor.login()
        record = factories.prescription_url(app)
        with app.app_context():
            token = db.session.scalar(select(models.Prescription.verify_token))
        # Filled first: "New prescription" reopens a blank draft rather than add one.
        filled = walk_to_review(doctor)
        server, thread = serve_in_thread(app)
        yield Site(
            url=f"http://127.0.0.1:{server.server_port}",
            app=app,
            empty=doctor.new_draft(),
            filled=filled,
            record=record,
            verify=f"/v/{token}",
        )
        stop(server, thread)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two computed CSS colours (rgb() or rgba())."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(css: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    match = re.search(r"rgba?\((\d+), (\d+), (\d+)", css)
    assert match, css
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (int(v) / 255 for v in match.groups())
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def log_in(page: Page, base: str, email: str = EMAIL) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/drafts|/$|/prescriptions"))


def signed_in_page(browser: Browser, site: Site, viewport: dict[str, int]) -> Page:
    """A page of a new context of this size, signed in as the module's physician."""
    context: BrowserContext = browser.new_context(viewport=viewport)
    context.set_default_timeout(5_000)
    page = context.new_page()
    log_in(page, site.url)
    return page

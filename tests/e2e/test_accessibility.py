"""axe-core over every page and state, at desktop and phone widths: 0 critical/serious.

One browser, one context per width, one signed-in physician and one prescription made
once for the module; each page is checked by axe-core (axe-playwright-python ships
axe.min.js, so nothing is fetched).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, Page
from sqlalchemy import select

import models
from app import create_app
from extensions import codeset, db
from rxassist.icd import default_index
from tests import factories
from tests.e2e.conftest import serve_in_thread, stop
from tests.helpers import EMAIL, PASSWORD, Physician, app_config, walk_to_review

pytestmark = pytest.mark.browser

WIDTHS = {
    "desktop": {"width": 1366, "height": 768},
    "phone": {"width": 390, "height": 844},
}
BLOCKING = ("critical", "serious")
STEPS = ("patient", "modality", "body_areas", "diagnoses", "session", "review")
DOB = "1980-04-12"


@dataclass
class Site:
    """The served app and what the module made in it once."""

    url: str
    app: Flask
    empty: str = ""  # /rx/<id> of a blank draft
    filled: str = ""  # /rx/<id> of a draft filled to the review
    record: str = ""  # /prescriptions/<id>
    verify: str = ""  # /v/<token>
    seen: dict[str, list[str]] = field(default_factory=dict)


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
        server, thread = serve_in_thread(app)
        yield Site(
            url=f"http://127.0.0.1:{server.server_port}",
            app=app,
            empty=doctor.new_draft(),
            filled=walk_to_review(doctor),
            record=record,
            verify=f"/v/{token}",
        )
        stop(server, thread)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


class Checker:
    """Runs axe on the page as it stands and keeps the blocking violations."""

    def __init__(self, page: Page, width: str) -> None:
        self.page = page
        self.width = width
        self.axe = Axe()
        self.found: list[str] = []
        self.states = 0

    def check(self, state: str) -> None:
        self.states += 1
        results = self.axe.run(self.page)
        for violation in results.response["violations"]:
            if violation["impact"] not in BLOCKING:
                continue
            for node in violation["nodes"]:
                self.found.append(
                    f"[{self.width}] {state}: {violation['id']} ({violation['impact']})"
                    f" {' '.join(map(str, node['target']))}: "
                    f"{node.get('failureSummary', '').splitlines()[-1].strip()}"
                )

    def visit(self, url: str, state: str) -> None:
        self.page.goto(url)
        self.check(state)


def _log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/drafts|/$|/prescriptions"))


def _public_pages(check: Checker, base: str) -> None:
    for path, state in (
        ("/login", "login"),
        ("/register", "register"),
        ("/p/code", "patient code"),
    ):
        check.visit(base + path, state)
    check.page.get_by_role("button", name="Next").click()
    check.check("patient code, with errors")


def _wizard(check: Checker, site: Site) -> None:
    page = check.page
    for name in STEPS:
        check.visit(f"{site.url}{site.filled}/{name}", f"{name}, filled")
    for name in STEPS:
        check.visit(f"{site.url}{site.empty}/{name}", f"{name}, empty")
        if name != "review":
            page.get_by_role("button", name=re.compile(r"^Next")).click()
            check.check(f"{name}, with errors")
    # Finalize without the attestation and password: the review's own errors.
    page.goto(f"{site.url}{site.filled}/review")
    page.get_by_role("button", name=re.compile("Finalize")).click()
    check.check("review, with errors")
    page.goto(f"{site.url}{site.filled}/diagnoses")
    page.locator("#q").press_sequentially("neck pain", delay=20)
    page.locator("[role=listbox] [role=option]").first.wait_for()
    check.check("diagnoses, typeahead open")


def _records(check: Checker, site: Site) -> None:
    page = check.page
    for path, state in (
        ("/drafts", "drafts"),
        ("/prescriptions/", "records"),
        ("/profile", "profile"),
        (site.record, "prescription"),
        (f"{site.record}/audit", "audit"),
        (site.verify, "verification"),
    ):
        check.visit(site.url + path, state)
    page.goto(site.url + site.record)
    page.get_by_role("button", name=re.compile("patient link", re.I)).first.click()
    check.check("handout")
    address = page.locator(".link-url code").inner_text()
    code = page.locator("#short-code").inner_text()
    check.visit(address, "patient link, date of birth")
    page.fill("#dob", DOB)
    page.get_by_role("button", name="Open my prescription").click()
    check.check("patient summary")
    page.goto(f"{site.url}/p/code")
    page.fill("#code", code)
    page.get_by_role("button", name="Next").click()
    check.check("patient code, date of birth")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_has_no_critical_or_serious_axe_violation(
    browser: Browser, site: Site, width: str
) -> None:
    context = browser.new_context(viewport=WIDTHS[width])
    context.set_default_timeout(5_000)
    page = context.new_page()
    check = Checker(page, width)
    try:
        _public_pages(check, site.url)
        _log_in(page, site.url)
        _wizard(check, site)
        _records(check, site)
    finally:
        context.close()
    print(f"\naxe [{width}]: {check.states} states, {len(check.found)} blocking")
    print("\n".join(check.found))
    assert check.states >= 30
    assert not check.found, f"{len(check.found)} critical/serious axe violations"

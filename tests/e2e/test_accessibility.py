"""axe-core over every page and state, at desktop and phone widths: 0 critical/serious.

One browser, one context per width, one signed-in physician and one prescription made
once for the module; each page is checked by axe-core (axe-playwright-python ships
axe.min.js, so nothing is fetched).
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.e2e.site import STEPS, WIDTHS, Site, log_in, site

pytestmark = pytest.mark.browser
__all__ = ["site"]  # the module's app, a fixture

BLOCKING = ("critical", "serious")
# WCAG 2.0/2.1 A and AA and axe's best practices: every rule but the experimental ones.
OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}
DOB = "1980-04-12"


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
        self.page.wait_for_load_state("load")  # the page as its scripts leave it
        results = self.axe.run(self.page, options=OPTIONS)
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
        ("/presets", "presets"),
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
        log_in(page, site.url)
        _wizard(check, site)
        _records(check, site)
    finally:
        context.close()
    print(f"\naxe [{width}]: {check.states} states, {len(check.found)} blocking")
    print("\n".join(check.found))
    assert check.states >= 30
    assert not check.found, f"{len(check.found)} critical/serious axe violations"

"""The ICD-10-CM typeahead on the diagnoses step: an ARIA 1.2 combobox, and without JS."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, expect

import models
from extensions import db
from tests.e2e.conftest import DESKTOP, ConsoleLog, LiveServer

pytestmark = pytest.mark.browser

MOBILE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery"
# Holds each typeahead request back 300 ms, counting those asked and answered.
SLOW_FETCH = """() => {
  const fetch = window.fetch;
  const searches = (window.searches = { asked: 0, answered: 0 });
  window.fetch = (...args) => {
    searches.asked++;
    return new Promise((resolve) => setTimeout(resolve, 300))
      .then(() => fetch(...args))
      .then((response) => { searches.answered++; return response; });
  };
}"""


def _start_draft(page: Page, url: str) -> str:
    """Register, complete the profile, start a prescription; its id."""
    page.goto(f"{url}/register")
    page.fill("#email", "typeahead@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # Registering answers alike for a new and a taken email: then one logs in.
    expect(page).to_have_url(re.compile(r"/login"))
    page.fill("#email", "typeahead@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/profile$"))
    page.fill("#name", "Ana Typeahead")
    page.select_option("#credentials", "MD")
    page.fill("#npi", "1234567893")
    page.fill("#license", "ME123456")
    page.select_option("#license_state", "FL")
    page.fill("#practice", "Lakeside Spine & Rehabilitation")
    page.fill("#address", "12 Main St, Sarasota, FL 34236")
    page.fill("#phone", "941-555-0100")
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(re.compile(r"/drafts$"))
    page.get_by_role("button", name="New prescription").click()
    expect(page).to_have_url(re.compile(r"/rx/[\w-]+/patient$"))
    return page.url.rsplit("/", 2)[1]


def _stored_codes(server: LiveServer, draft_id: str) -> list[str]:
    with server.app.app_context():
        draft = db.session.get(models.Draft, draft_id)
        assert draft is not None
        codes = list(draft.document.get("diagnoses", []))
        db.session.remove()
        return codes


def _option(listbox: Locator, code: str) -> Locator:
    return listbox.get_by_role("option").filter(
        has=listbox.page.locator(".code", has_text=re.compile(f"^{re.escape(code)}$"))
    )


def _shoot(page: Page, folder: Path, name: str) -> None:
    """The open listbox at 1280 and 390 px (resizing blurs nothing: it stays open)."""
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}-1280.png", full_page=True)
    page.set_viewport_size(MOBILE)
    page.screenshot(path=folder / f"{name}-390.png", full_page=True)
    # On a phone the list stays inside the viewport: no sideways scrolling.
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " document.getElementById('dx-typeahead').getBoundingClientRect().right]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[1], widths
    page.set_viewport_size(DESKTOP)


def test_icd10_typeahead_is_a_combobox_and_search_works_without_javascript(
    serve_app: Callable[..., LiveServer],
    page: Page,
    browser: Browser,
    console: ConsoleLog,
    tmp_path: Path,
) -> None:
    server = serve_app()
    draft_id = _start_draft(page, server.url)
    diagnoses_url = f"{server.url}/rx/{draft_id}/diagnoses"
    shots = Path(os.environ.get("RX_SCREENSHOTS") or tmp_path / "shots")
    page.goto(diagnoses_url)

    # The search box is an ARIA 1.2 combobox controlling a (still closed) listbox.
    box = page.locator("#q")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(box).to_have_attribute("aria-expanded", "false")
    listbox_id = box.get_attribute("aria-controls")
    assert listbox_id
    listbox = page.locator(f"#{listbox_id}")
    expect(listbox).to_have_attribute("role", "listbox")
    expect(listbox).to_be_hidden()
    expect(page.get_by_role("combobox", name=re.compile("search", re.I))).to_have_id(
        "q"
    )

    # Typing like a person opens the list; a live region says how many codes match.
    box.press_sequentially("cervicalg", delay=40)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox).to_be_visible()
    cervicalgia = _option(listbox, "M54.2")
    expect(cervicalgia).to_contain_text("Cervicalgia")
    options = listbox.get_by_role("option")
    count = options.count()
    assert count >= 1
    status = page.get_by_role("status")
    expect(status).to_have_text(re.compile(rf"^{count} codes? for cervicalg\b"))
    _shoot(page, shots, "typeahead-cervicalg")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-expanded", "true")

    # The first option is highlighted at once (APG: automatic selection), and
    # aria-activedescendant points at it; the arrow keys move the highlight.
    first = options.first
    expect(first).to_have_attribute("aria-selected", "true")
    first_id = first.get_attribute("id")
    assert first_id
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(listbox.locator("[aria-selected=true]")).to_have_count(1)
    first_code = first.locator(".code").inner_text()
    assert first_code == "M54.2", f"first option is {first_code}, not M54.2"
    if count > 1:
        box.press("ArrowDown")
        expect(options.nth(1)).to_have_attribute("aria-selected", "true")
        expect(first).to_have_attribute("aria-selected", "false")
        box.press("ArrowUp")
        expect(box).to_have_attribute("aria-activedescendant", first_id)

    # Enter adds it in place (the list is re-rendered by the server), and the draft
    # stores it; the box is emptied for the next code.
    box.press("Enter")
    chosen = page.locator("#chosen-codes li .code")
    expect(chosen).to_have_text(["M54.2"])
    expect(box).to_have_value("")
    assert _stored_codes(server, draft_id) == ["M54.2"]

    # A synonym match says why it matched; Escape closes and keeps the typed text.
    box = page.locator("#q")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("whiplash", delay=40)
    whiplash = _option(listbox, "S13.4XXA")
    expect(whiplash).to_be_visible()
    expect(whiplash.locator(".matched")).to_contain_text(
        re.compile("matched .*whiplash", re.I)
    )
    expect(box).to_have_attribute("aria-expanded", "true")
    _shoot(page, shots, "typeahead-whiplash")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("whiplash")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    assert _stored_codes(server, draft_id) == ["M54.2"]

    # One match is "1 code"; an answer arriving late (slow network) does not reopen
    # the list after Escape, nor once focus has left the box.
    box.fill("M54.2")
    expect(status).to_have_text(re.compile(r"^1 code for M54\.2\. "))
    box.press("Escape")
    page.evaluate(SLOW_FETCH)
    box.fill("")
    box.press_sequentially("neck pain", delay=20)
    page.wait_for_function("() => window.searches.asked === 1")
    box.press("Escape")
    expect(box).to_have_value("neck pain")
    page.wait_for_function("() => window.searches.answered === 1")
    page.wait_for_timeout(100)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    box.press_sequentially(" left", delay=20)
    page.wait_for_function("() => window.searches.asked === 2")
    box.press("Tab")
    page.wait_for_function("() => window.searches.answered === 2")
    page.wait_for_timeout(100)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()

    # Without JavaScript (same session): the Search button lists results, Add works.
    context = browser.new_context(
        viewport=DESKTOP,
        java_script_enabled=False,
        storage_state=page.context.storage_state(),
    )
    context.set_default_timeout(5_000)
    plain = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            console.append(f"(no JS) {plain.url}: {message.text}")

    plain.on("console", on_console)
    try:
        plain.goto(diagnoses_url)
        search = plain.locator("#q")
        expect(search).not_to_have_attribute("role", "combobox")
        expect(plain.locator("[role=listbox]")).to_have_count(0)
        search.fill("whiplash")
        plain.get_by_role("button", name="Search", exact=True).click()
        results = plain.locator("#results")
        expect(results).to_contain_text("S13.4XXA")
        expect(results).to_contain_text(re.compile("matched .*whiplash", re.I))
        results.get_by_role("button", name=re.compile(r"^Add S13\.4XXA ")).click()
        expect(plain.locator("#chosen-codes li .code")).to_have_text(
            ["M54.2", "S13.4XXA"]
        )
    finally:
        context.close()
    assert _stored_codes(server, draft_id) == ["M54.2", "S13.4XXA"]
    assert list(console) == [], "browser console errors:\n" + "\n".join(console)

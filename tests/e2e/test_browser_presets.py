"""A physician starts from a preset in Chromium: enter the patient, land on review."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

import models
from extensions import codeset, db
from rxassist import presets
from tests import factories
from tests.e2e.conftest import ConsoleLog, LiveServer
from tests.e2e.site import log_in
from tests.helpers import order

pytestmark = pytest.mark.browser


def test_preset_fills_the_order_and_next_goes_to_review(
    serve_app: Callable[..., LiveServer], page: Page, console: ConsoleLog
) -> None:
    server = serve_app()
    user_id = factories.physician(server.app)
    with server.app.app_context():
        db.session.add(
            models.Preset(
                user_id=user_id,
                name="Whiplash, WC",
                content=presets.order_of(order()),
                code_set=codeset.index().label,
            )
        )
        db.session.commit()
    log_in(page, server.url)
    page.goto(f"{server.url}/drafts")
    page.get_by_role("button", name="New prescription").click()
    page.get_by_role("button", name="Whiplash, WC").click()
    expect(page.locator(".flash-success")).to_contain_text("Whiplash, WC")
    expect(page.locator("#payer_type")).to_have_value("workers_comp")
    page.fill("#name", "Jane Doe")
    page.fill("#dob", "1980-04-12")
    page.fill("#payer_name", "Acme Mutual")
    page.fill("#claim_number", "WC-2026-0042")
    page.fill("#date_of_injury", "2026-10-03")
    page.fill("#employer", "Gulf Coast Builders")
    page.select_option("#jurisdiction_state", "FL")
    page.get_by_role("button", name="Next →").click()
    # A preset keeps each goal but not its baseline: this patient's is typed.
    expect(page).to_have_url(re.compile(r"/rx/[0-9a-f]{32}/session$"))
    expect(page.locator("#goals-0-baseline")).to_have_value("")
    expect(page.locator("#goals-0-baseline")).to_be_focused()
    for row in range(3):  # the preset's three goals
        expect(page.locator(f"#goals-{row}-function")).not_to_have_value("")
        page.fill(f"#goals-{row}-baseline", "40")
    page.get_by_role("button", name="Next →").click()
    expect(page).to_have_url(re.compile(r"/rx/[0-9a-f]{32}/review$"))
    expect(page.get_by_role("button", name="Finalize and create PDF")).to_be_visible()
    assert list(console) == [], "browser console errors:\n" + "\n".join(console)

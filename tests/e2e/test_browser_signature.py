"""The signature pad on the profile page: drawn with a mouse and with touch, saved."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

import models
from extensions import db
from tests.e2e.conftest import ConsoleLog, LiveServer

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def _stroke(page: Page, points: list[tuple[int, int]]) -> None:
    canvas = page.locator("#signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
    page.mouse.up()


def test_signature_is_drawn_on_the_profile_and_saved_re_encoded(
    serve_app: Callable[..., LiveServer], page: Page, console: ConsoleLog
) -> None:
    server = serve_app()
    page.goto(f"{server.url}/register")
    page.fill("#email", "signer@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # Registering answers alike for a new and a taken email: then one logs in.
    expect(page).to_have_url(re.compile(r"/login"))
    page.fill("#email", "signer@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/profile$"))
    pad = page.locator("[data-signature-pad]")
    expect(pad).to_be_visible()  # shown only when the script runs
    _stroke(page, [(40, 120), (120, 60), (200, 140), (280, 70), (360, 130)])
    _stroke(page, [(60, 160), (380, 150)])
    page.get_by_role("button", name="Save signature image").click()
    expect(page.locator(".signature-preview svg")).to_be_visible()
    with server.app.app_context():
        user = db.session.scalars(select(models.User)).one()
        assert user.signature_png is not None
        assert user.signature_png.startswith(b"\x89PNG")
    assert list(console) == [], "browser console errors:\n" + "\n".join(console)

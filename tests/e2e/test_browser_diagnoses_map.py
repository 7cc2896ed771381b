"""Diagnoses changed in place, and the body map by keyboard and by pointer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

import models
from extensions import db
from tests.e2e.conftest import ConsoleLog, LiveServer
from tests.e2e.site import contrast
from tests.e2e.test_browser_typeahead import _start_draft, _stored_codes

pytestmark = pytest.mark.browser

PAGE_LOADS = "() => performance.getEntriesByType('navigation').length"
# The highlighted option, the option after it, and the highlight's left bar.
# A transparent background shows its nearest painted ancestor's.
HIGHLIGHT_COLOURS = """() => {
  const on = document.querySelector('#dx-typeahead [aria-selected=true]');
  const painted = (el) => {
    for (; el; el = el.parentElement) {
      const colour = getComputedStyle(el).backgroundColor;
      if (!colour.endsWith(', 0)') && colour !== 'transparent') return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  return [painted(on), painted(on.nextElementSibling),
          getComputedStyle(on).boxShadow, getComputedStyle(on).color];
}"""


def _add_by_words(page: Page, words: str) -> str:
    """Type into the one box and press Enter; the code that was highlighted."""
    box = page.locator("#q")
    box.press_sequentially(words, delay=20)
    highlighted = page.locator("#dx-typeahead [aria-selected=true] .code")
    expect(highlighted).to_be_visible()
    code = highlighted.inner_text()
    box.press("Enter")
    expect(page.locator("#chosen-codes")).to_contain_text(code)
    return code


def test_diagnoses_are_added_moved_and_removed_in_place(
    serve_app: Callable[..., LiveServer], page: Page, console: ConsoleLog
) -> None:
    server = serve_app()
    draft_id = _start_draft(page, server.url)
    page.goto(f"{server.url}/rx/{draft_id}/body_areas")
    page.locator("#area_cervical").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.goto(f"{server.url}/rx/{draft_id}/diagnoses")
    page.evaluate("window.stillHere = true")
    box = page.locator("#q")

    # The empty box, focused, suggests the codes common for the areas chosen.
    box.focus()
    picks = page.get_by_role("group", name="For the areas chosen")
    expect(picks.get_by_role("option").first).to_contain_text("M54.2")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(picks.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page.locator("#chosen-codes .code")).to_have_text(["M54.2"])
    first = "M54.2"
    # Closed after adding; ArrowDown reopens the suggestions, without the one added.
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("ArrowDown")
    highlighted = picks.locator("[aria-selected=true]")
    expect(highlighted).to_have_count(1)
    expect(picks).not_to_contain_text("M54.2")
    box.press("Escape")

    # Words: the first code is highlighted at once, plainly (at least 3:1).
    box.press_sequentially("neck pain", delay=20)
    expect(page.locator("#dx-typeahead [aria-selected=true]")).to_have_count(1)
    on, neighbour, bar, text = page.evaluate(HIGHLIGHT_COLOURS)
    assert contrast(on, neighbour) >= 3, (on, neighbour)
    assert contrast(bar, neighbour) >= 3, (bar, neighbour)
    assert contrast(text, on) >= 4.5, (text, on)
    box.fill("")

    expect(box).to_be_focused()
    expect(box).to_have_value("")
    second = _add_by_words(page, "whiplash")
    third = _add_by_words(page, "M62.838")
    assert third == "M62.838"
    expect(page.locator("#chosen-codes .code")).to_have_text([first, second, third])
    expect(page.get_by_role("status").first).to_contain_text("3 of 12")

    # The server's refusal shows beside the box, is announced, and keeps the text.
    box.press_sequentially(first, delay=20)
    expect(page.locator("#dx-typeahead [aria-selected=true]")).to_have_count(1)
    box.press("Enter")
    message = page.locator("#dx-message")
    expect(message).to_contain_text("twice")
    expect(message).to_have_attribute("aria-live", "assertive")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_value(first)
    expect(box).to_be_focused()
    box.fill("")

    # Reorder and remove in place; focus follows the moved row.
    page.get_by_role("button", name=f"Move {third} up").click()
    expect(page.locator("#chosen-codes .code")).to_have_text([first, third, second])
    expect(page.get_by_role("button", name=f"Move {third} up")).to_be_focused()
    page.get_by_role("button", name=f"Move {third} up").press("Enter")
    expect(page.locator("#chosen-codes .code")).to_have_text([third, first, second])
    expect(page.locator("#chosen-codes li").first).to_contain_text("Primary")
    page.get_by_role("button", name=f"Remove {second}").click()
    expect(page.locator("#chosen-codes .code")).to_have_text([third, first])

    assert _stored_codes(server, draft_id) == [third, first]
    assert page.evaluate(PAGE_LOADS) == 1
    assert page.evaluate("window.stillHere") is True
    assert list(console) == [], "browser console errors:\n" + "\n".join(console)


def _stored_areas(server: LiveServer, draft_id: str) -> list[dict[str, str]]:
    with server.app.app_context():
        draft = db.session.get(models.Draft, draft_id)
        assert draft is not None
        areas = list(draft.document.get("body_areas", []))
        db.session.remove()
        return areas


def test_body_map_by_keyboard_and_pointer_stays_in_step_with_the_list(
    serve_app: Callable[..., LiveServer], page: Page, console: ConsoleLog
) -> None:
    server = serve_app()
    draft_id = _start_draft(page, server.url)
    page.goto(f"{server.url}/rx/{draft_id}/body_areas")
    front = page.locator("[data-view=front]")
    expect(front.get_by_text("Front — patient's left is on your right")).to_be_visible()

    # Keyboard: Tab reaches the front figure (one stop), arrows move, Space toggles.
    page.locator("#body-map-hint").click()
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("aria-label", "Head/face and TMJ")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(focused).to_have_attribute("aria-label", "Left shoulder")
    page.keyboard.press("Space")
    expect(focused).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#area_shoulder")).to_be_checked()
    expect(page.locator("input[name=side_shoulder][value=left]")).to_be_checked()
    # The other side as well: bilateral.
    page.keyboard.press("ArrowLeft")
    expect(focused).to_have_attribute("aria-label", "Right shoulder")
    page.keyboard.press("Enter")
    expect(page.locator("input[name=side_shoulder][value=bilateral]")).to_be_checked()

    # Pointer: the front figure's left arm is on the viewer's right.
    arm = front.locator('[aria-label="Left upper arm"]')
    figure = front.locator("svg").bounding_box()
    region = arm.bounding_box()
    assert figure and region
    assert region["x"] > figure["x"] + figure["width"] / 2
    page.mouse.click(
        region["x"] + region["width"] / 2, region["y"] + region["height"] / 2
    )
    expect(page.locator("#area_upper_arm")).to_be_checked()
    expect(page.locator("input[name=side_upper_arm][value=left]")).to_be_checked()
    expect(arm).to_have_attribute("aria-pressed", "true")

    # The list: choosing a side ticks its area, and the map follows.
    page.locator("input[name=side_knee][value=right]").check()
    expect(page.locator("#area_knee")).to_be_checked()
    expect(page.locator('[aria-label="Right knee"][aria-pressed=true]')).to_have_count(
        2
    )
    expect(page.locator('[aria-label="Left knee"][aria-pressed=true]')).to_have_count(0)
    page.locator("#area_upper_arm").uncheck()
    expect(arm).to_have_attribute("aria-pressed", "false")

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert _stored_areas(server, draft_id) == [
        {"area": "shoulder", "side": "bilateral"},
        {"area": "knee", "side": "right"},
    ]
    assert list(console) == [], "browser console errors:\n" + "\n".join(console)

"""The wizard by keyboard: Tab stops per step, the sticky action bar, the error summary."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.site import (
    DESKTOP,
    STEPS,
    WIDTHS,
    Site,
    contrast,
    log_in,
    signed_in_page,
    site,
)

pytestmark = pytest.mark.browser
__all__ = ["site"]  # the module's app, a fixture

# Marks the step's first and last field (visible, tabbable, before the action bar) and
# its Next (or Finalize) button (a radio group is one stop), so each Tab press can say which one it reached.
MARK_TARGETS = """() => {
  const next = document.querySelector(".wizard-nav .primary");
  const fields = [...document.querySelectorAll(
    "main input:not([type=hidden]), main select, main textarea")].filter(el =>
    el.tabIndex >= 0 && el.offsetParent !== null && !el.closest(".wizard-nav") &&
    (next.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING)).filter(el => {
      if (el.type !== "radio") return true;  // a radio group is one stop: its choice
      const group = [...el.form.querySelectorAll(`input[name="${el.name}"]`)];
      return el.checked || (!group.some(r => r.checked) && group[0] === el);
    });
  fields[0].dataset.target = "first";
  const last = fields[fields.length - 1];  // a step of one field: "first last"
  last.dataset.target = ((last.dataset.target || "") + " last").trim();
  next.dataset.target = "next";
}"""
FOCUSED = (
    "() => document.activeElement.dataset.target || document.activeElement.className"
)
MAX_STOPS = 150


def tab_counts(page: Page, skip: bool) -> dict[str, int]:
    """Tab presses from the top of the page to its first field, last field and Next.

    With ``skip``, the first Tab reaches the skip link and Enter follows it; the count
    is of the Tab presses (Enter adds one key press).
    """
    page.evaluate(MARK_TARGETS)
    counts: dict[str, int] = {}
    presses = 0
    if skip:
        page.keyboard.press("Tab")
        presses = 1
        assert "skip" in page.evaluate(FOCUSED)
        page.keyboard.press("Enter")
    while "next" not in counts and presses < MAX_STOPS:
        page.keyboard.press("Tab")
        presses += 1
        for reached in str(page.evaluate(FOCUSED)).split():
            if reached in ("first", "last", "next"):
                counts.setdefault(reached, presses)
    assert set(counts) == {"first", "last", "next"}, counts
    return counts


def test_tab_stops_from_the_top_of_each_step_to_its_fields_and_next(
    browser: Browser, site: Site
) -> None:
    page = signed_in_page(browser, site, DESKTOP)
    rows = []
    for draft, base in (("filled", site.filled), ("blank", site.empty)):
        for name in STEPS[:-1] if draft == "blank" else STEPS:
            found: dict[bool, dict[str, int]] = {}
            for skip in (False, True):
                page.goto(f"{site.url}{base}/{name}")
                found[skip] = tab_counts(page, skip)
            rows.append((f"{name} ({draft})", found[False], found[True]))
    page.context.close()
    print("\nTab presses from the top (plain | after the skip link: 1 Tab + Enter + n)")
    for name, plain, skip in rows:
        print(
            f"  {name:<22} first field {plain['first']:>3} | {skip['first']:>3}"
            f"   last field {plain['last']:>3} | {skip['last']:>3}"
            f"   Next {plain['next']:>3} | {skip['next']:>3}"
        )
    for name, plain, skip in rows:
        # The skip link passes the header (5 stops) and the steps reached; between the
        # last field and Next: a field's own button (Add code), Back and Save draft.
        assert plain["first"] - skip["first"] >= 5, (name, plain, skip)
        assert plain["next"] - plain["last"] <= 4, (name, plain)


@pytest.mark.parametrize("width", WIDTHS)
def test_next_and_finalize_stay_in_view_without_scrolling(
    browser: Browser, site: Site, width: str
) -> None:
    page = signed_in_page(browser, site, WIDTHS[width])
    for name in STEPS:
        page.goto(f"{site.url}{site.filled}/{name}")
        button = page.locator(".wizard-nav .primary")
        box = button.bounding_box()
        assert box is not None
        height = page.evaluate("window.innerHeight")
        long_page = page.evaluate("document.body.scrollHeight") > height
        assert page.evaluate("window.scrollY") == 0
        assert 0 <= box["y"] and box["y"] + box["height"] <= height, (name, box)
        if name == "session":
            assert long_page  # the step is taller than the window: the bar is sticky
    page.context.close()


def test_error_summary_takes_focus_and_its_links_focus_their_inputs(
    browser: Browser, site: Site
) -> None:
    page = signed_in_page(browser, site, DESKTOP)
    page.goto(f"{site.url}{site.empty}/modality")
    page.get_by_role("button", name=re.compile(r"^Next")).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.get_by_role("link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"#cpt-97140", "#pressure-0"} <= set(hrefs)
    for href in hrefs:
        page.goto(f"{site.url}{site.empty}/modality")
        page.get_by_role("button", name=re.compile(r"^Next")).click()
        # By keyboard: from the focused summary, Tab to the link, Enter follows it.
        page.keyboard.press("Tab")
        while page.evaluate("document.activeElement.getAttribute('href')") != href:
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        target = page.locator(str(href))
        expect(target).to_be_focused()
        expect(target).to_be_in_viewport()
    page.context.close()


def test_handout_print_and_copy_work_from_the_keyboard(
    browser: Browser, site: Site
) -> None:
    page = signed_in_page(browser, site, DESKTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site.url + site.record)
    page.get_by_role("button", name=re.compile("patient link", re.I)).first.click()
    address = page.locator(".link-url code").inner_text()
    expect(page.locator("#short-code")).to_have_text(re.compile(r"^\w{4}-\w{4}$"))
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print the handout").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.printed") is True
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Copy the patient link")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == address
    page.context.close()


RING = """el => { const s = getComputedStyle(el);
  return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor,
          getComputedStyle(document.body).backgroundColor]; }"""


def test_focus_ring_is_3px_and_3_to_1_against_the_page(
    browser: Browser, site: Site
) -> None:
    page = signed_in_page(browser, site, DESKTOP)
    page.goto(f"{site.url}{site.filled}/patient")
    for selector in ("#name", "#payer_type", ".wizard-nav .primary"):
        page.locator(selector).focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focused by keyboard: :focus-visible applies
        style, width, ring, background = page.locator(selector).evaluate(RING)
        assert style == "solid" and width >= 3, (selector, style, width)
        assert contrast(ring, background) >= 3, (selector, ring, background)
    page.context.close()


def test_details_hide_until_they_apply_and_all_show_without_javascript(
    browser: Browser, site: Site
) -> None:
    page = signed_in_page(browser, site, DESKTOP)
    page.goto(f"{site.url}{site.empty}/session")
    expect(page.locator("#postop_date")).to_be_hidden()
    expect(page.locator("#phases-1-per_week")).to_be_hidden()
    page.check("#postop")
    expect(page.locator("#postop_date")).to_be_visible()
    page.fill("#phases-0-per_week", "3")  # typing in the last row shows the next
    expect(page.locator("#phases-1-per_week")).to_be_visible()
    expect(page.locator("#phases-2-per_week")).to_be_hidden()
    page.goto(f"{site.url}{site.empty}/modality")
    expect(page.locator("#warn-97124")).to_be_hidden()
    page.check("#cpt-97124")
    expect(page.locator("#warn-97124")).to_be_visible()
    page.context.close()

    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    log_in(page, site.url)
    page.goto(f"{site.url}{site.empty}/session")
    for selector in ("#postop_date", "#phases-3-per_week", "#goals-2-target"):
        expect(page.locator(selector)).to_be_visible()
    page.goto(f"{site.url}{site.empty}/modality")
    for selector in ("#warn-97124",):
        expect(page.locator(selector)).to_be_visible()
    page.goto(f"{site.url}{site.empty}/patient")
    for selector in ("#member_id", "#claim_number", "#employer", "#accident_state"):
        expect(page.locator(selector)).to_be_visible()
    context.close()


def test_quick_picks_are_one_tab_stop_moved_through_by_arrows(
    browser: Browser, site: Site
) -> None:
    page = signed_in_page(browser, site, DESKTOP)
    page.goto(f"{site.url}{site.empty}/session")
    group = page.locator("#plan-picks")
    expect(group).to_be_visible()
    expect(group).to_have_attribute("role", "toolbar")
    chips = group.get_by_role("button")
    assert chips.count() >= 2
    chips.first.focus()
    page.keyboard.press("Tab")
    expect(chips.nth(1)).not_to_be_focused()  # Tab leaves the group
    chips.first.focus()
    page.keyboard.press("ArrowRight")
    expect(chips.nth(1)).to_be_focused()
    expect(chips.nth(1)).to_have_attribute("tabindex", "0")
    expect(chips.first).to_have_attribute("tabindex", "-1")
    page.context.close()

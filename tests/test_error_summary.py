"""The error summary: each link lands on an input of the page; rows are named."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.helpers import MODALITY, SESSION, Physician, step


class Page(HTMLParser):
    """The ids on a page and the links of its error summary."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: dict[str, str] = {}
        self.links: list[str] = []
        self.summary: dict[str, str | None] | None = None
        self._in_summary = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids[str(found["id"])] = tag
        if "error-summary" in (found.get("class") or "").split():
            self.summary = found
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self.links.append(str(found.get("href")))

    def handle_endtag(self, tag: str) -> None:
        if self._in_summary and tag == "div":
            self._in_summary -= 1


FOCUSABLE = ("input", "select", "textarea", "button")
BAD_STEPS = {
    "patient": {"payer_type": "workers_comp"},
    "modality": {},
    "body_areas": {"area_knee": "y"},
    "session": {
        **SESSION,
        "minutes": "7",
        "phases-1-per_week": "9",
        "goals-1-baseline": "",
        "postop": "y",
    },
}


@pytest.mark.parametrize("name", BAD_STEPS)
def test_error_summary_links_land_on_inputs_of_the_page(
    physician: Physician, name: str
) -> None:
    base = physician.new_draft()
    response = step(physician, base, name, BAD_STEPS[name])
    assert response.status_code == 422
    page = Page(response.get_data(as_text=True))
    assert page.summary is not None
    assert page.summary.get("tabindex") == "-1" and "autofocus" in page.summary
    assert page.summary.get("aria-labelledby") in page.ids
    assert page.links
    for href in page.links:
        assert href.startswith("#"), href
        assert page.ids.get(href[1:]) in FOCUSABLE, (href, name)


def test_error_summary_links_reach_cpt_techniques_pressure_and_areas(
    physician: Physician,
) -> None:
    base = physician.new_draft()
    modality = Page(step(physician, base, "modality", {}).get_data(as_text=True))
    assert {"#cpt-97140", "#pressure-0", "#performer-0"} <= set(modality.links)
    wrong = {**MODALITY, "techniques": ["no such technique"]}
    techniques = Page(step(physician, base, "modality", wrong).get_data(as_text=True))
    assert "#technique-97140-1" in techniques.links
    areas = Page(step(physician, base, "body_areas", {}).get_data(as_text=True))
    assert areas.links == ["#area_head_face"]  # the first area of the list
    side = Page(
        step(physician, base, "body_areas", {"area_knee": "y"}).get_data(as_text=True)
    )
    assert side.links == ["#side_knee-0"]


def test_error_summary_names_the_phase_and_goal_rows(physician: Physician) -> None:
    base = physician.new_draft()
    data = {
        **SESSION,
        "phases-1-per_week": "",
        "phases-1-weeks": "",
        "phases-2-per_week": "9",
        "goals-1-baseline": "",
    }
    html = step(physician, base, "session", data).get_data(as_text=True)
    summary = html[html.index('class="error-summary"') : html.index("</ul>")]
    # The blank second row is skipped: the bad row is the third one on the page.
    assert re.search(
        r'href="#phases-2-per_week">Phase 3: Enter visits per week from 1 to 7', summary
    )
    assert re.search(r'href="#goals-1-baseline">Goal 2: Enter the baseline', summary)
    cell = re.search(r'id="phases-2-per_week".*?</td>', html, re.S)
    assert cell and "Phase 3: Enter visits per week" in cell.group(0)


def test_error_summary_total_minutes_land_on_the_first_codes_minutes(
    physician: Physician,
) -> None:
    base = physician.new_draft()
    both = {
        **MODALITY,
        "cpt": ["97140", "97124"],
        "techniques": ["myofascial release", "effleurage"],
        "nav": "save",
    }
    assert step(physician, base, "modality", both).status_code == 302
    data = {**SESSION, "minutes_97140": "3", "minutes_97124": "2"}
    response = step(physician, base, "session", data)
    assert response.status_code == 422
    page = Page(response.get_data(as_text=True))
    assert "#minutes_97140" in page.links and "#minutes" not in page.links
    for href in page.links:
        assert page.ids.get(href[1:]) in FOCUSABLE, href


def test_phase_row_input_is_described_by_its_error(physician: Physician) -> None:
    base = physician.new_draft()
    html = step(
        physician, base, "session", {**SESSION, "phases-0-weeks": "99"}
    ).get_data(as_text=True)
    bad = re.search(r'<input[^>]*id="phases-0-weeks"[^>]*>', html)
    good = re.search(r'<input[^>]*id="phases-0-per_week"[^>]*>', html)
    assert bad and 'aria-describedby="phases-0-weeks-error"' in bad.group(0)
    assert 'aria-invalid="true"' in bad.group(0)
    assert good and "aria-describedby" not in good.group(0)
    assert re.search(r'id="phases-0-weeks-error">\s*<li>Phase 1: ', html)

"""The body map of the body areas step: its regions are the catalogue's areas."""

from __future__ import annotations

import re

from rxassist.modalities import BODY_AREAS, SIDE_OPTIONAL
from tests.helpers import Physician

REGION = re.compile(r"<(rect|ellipse) role=\"button\"([^>]*)>")


def _views(html: str) -> dict[str, list[dict[str, str]]]:
    """Each figure's regions as their attributes."""
    views = {}
    for view, svg in re.findall(
        r'data-view="(\w+)">(.*?)</figure>', html, flags=re.DOTALL
    ):
        views[view] = [
            dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
            for _, attrs in REGION.findall(svg)
        ]
    return views


def test_body_map_regions_are_the_catalogue_areas_with_sides(
    physician: Physician,
) -> None:
    base = physician.new_draft()
    html = physician.client.get(f"{base}/body_areas").get_data(as_text=True)
    # Inert without JavaScript: hidden until static/js/bodymap.js shows it.
    assert re.search(r'<div class="body-map" data-body-map hidden>', html)
    assert "/static/js/bodymap.js" in html
    views = _views(html)
    assert set(views) == {"front", "back"}
    drawn = {(r["data-area"], r.get("data-side")) for v in views.values() for r in v}
    expected = {
        (key, side)
        for key, area in BODY_AREAS.items()
        for side in (
            ("left", "right") if area.sided and key not in SIDE_OPTIONAL else (None,)
        )
    }
    assert drawn == expected
    for regions in views.values():
        for region in regions:
            assert region["aria-pressed"] == "false"
            label = BODY_AREAS[region["data-area"]].label
            side = region.get("data-side")
            want = (
                f"{side.capitalize()} {label[0].lower()}{label[1:]}" if side else label
            )
            assert region["aria-label"] == want
    assert "<strong>Front</strong> — patient&#39;s left is on your right" in html


def test_body_map_front_shows_the_patients_left_on_the_viewers_right(
    physician: Physician,
) -> None:
    base = physician.new_draft()
    views = _views(physician.client.get(f"{base}/body_areas").get_data(as_text=True))

    def centre_x(view: str, name: str) -> float:
        region = next(r for r in views[view] if r["aria-label"] == name)
        if "cx" in region:
            return float(region["cx"])
        return float(region["x"]) + float(region["width"]) / 2

    middle = 100.0  # the figures' viewBox is 200 wide
    assert (
        centre_x("front", "Left upper arm")
        > middle
        > centre_x("front", "Right upper arm")
    )
    assert (
        centre_x("back", "Left upper arm")
        < middle
        < centre_x("back", "Right upper arm")
    )

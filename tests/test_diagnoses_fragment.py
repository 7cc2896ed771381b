"""The diagnoses step in place: a fragment POST answers the re-rendered parts."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from rxassist.schema import MAX_DIAGNOSES
from tests.factories import draft as stored
from tests.helpers import AREAS, Physician, csrf_token, step, walk_to_review

FRAGMENT = {"X-Rx-Fragment": "diagnoses"}
TWELVE = [
    "M54.2",
    "M62.838",
    "S13.4XXA",
    "M54.6",
    "M54.50",
    "M62.830",
    "M25.511",
    "M25.512",
    "M79.621",
    "M79.622",
    "M25.521",
    "M25.522",
]


def _fragment(doctor: Physician, base: str, data: dict[str, Any]) -> Any:
    """POST a diagnoses action as typeahead.js does: the page's token, the header."""
    url = f"{base}/diagnoses"
    token = csrf_token(doctor.client, url)
    return doctor.client.post(url, data={**data, "csrf_token": token}, headers=FRAGMENT)


def _listed(html: str) -> list[str]:
    chosen = html.split('id="chosen-codes"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<span class="code">([^<]+)</span>', chosen)


def _message(html: str) -> str:
    body = html.split('id="dx-message-body"', 1)[1]
    return " ".join(re.findall(r"<li>([^<]*)</li>", body.split("</div>", 1)[0]))


def test_fragment_add_answers_the_list_and_stores_the_code(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    response = _fragment(physician, base, {"action": "add:M54.2"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and 'id="dx-chosen"' in html
    assert _listed(html) == ["M54.2"]
    assert f"1 of {MAX_DIAGNOSES}" in html
    assert stored(app, base).document["diagnoses"] == ["M54.2"]
    # A typed code (the one box's Enter with no suggestion) is normalised and added.
    html = _fragment(physician, base, {"action": "add", "code": "m62838"}).get_data(
        as_text=True
    )
    assert _listed(html) == ["M54.2", "M62.838"]
    assert stored(app, base).document["diagnoses"] == ["M54.2", "M62.838"]


def test_fragment_reorder_and_remove_change_the_stored_rows(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    for code in ("M54.2", "M62.838", "S13.4XXA"):
        assert _fragment(physician, base, {"action": f"add:{code}"}).status_code == 200
    html = _fragment(physician, base, {"action": "up:2"}).get_data(as_text=True)
    assert _listed(html) == ["M54.2", "S13.4XXA", "M62.838"]
    html = _fragment(physician, base, {"action": "up:1"}).get_data(as_text=True)
    assert _listed(html) == ["S13.4XXA", "M54.2", "M62.838"]
    assert re.search(
        r'S13\.4XXA</span>\s*<span class="title">[^<]*</span>\s*'
        r'<span class="badge">Primary',
        html,
    )
    html = _fragment(physician, base, {"action": "down:0"}).get_data(as_text=True)
    assert _listed(html) == ["M54.2", "S13.4XXA", "M62.838"]
    response = _fragment(physician, base, {"action": "remove:1"})
    assert response.status_code == 200
    assert _listed(response.get_data(as_text=True)) == ["M54.2", "M62.838"]
    assert stored(app, base).document["diagnoses"] == ["M54.2", "M62.838"]


def test_fragment_errors_are_422_with_the_message_and_nothing_stored(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    category = _fragment(physician, base, {"action": "add", "code": "M54.5"})
    html = category.get_data(as_text=True)
    assert category.status_code == 422
    assert "M54.5 is a category" in _message(html)
    assert re.findall(r'value="add:(M54\.5\d)"', html) == ["M54.50", "M54.51", "M54.59"]
    _fragment(physician, base, {"action": "add:M54.2"})
    duplicate = _fragment(physician, base, {"action": "add:M54.2"})
    assert duplicate.status_code == 422
    assert "twice" in _message(duplicate.get_data(as_text=True))
    assert stored(app, base).document["diagnoses"] == ["M54.2"]


def test_fragment_refuses_a_thirteenth_code(app: Flask, physician: Physician) -> None:
    base = physician.new_draft()
    for code in TWELVE:
        assert _fragment(physician, base, {"action": f"add:{code}"}).status_code == 200
    over = _fragment(physician, base, {"action": "add:M25.531"})
    html = over.get_data(as_text=True)
    assert over.status_code == 422
    assert f"at most {MAX_DIAGNOSES}" in _message(html)
    assert _listed(html) == TWELVE
    assert stored(app, base).document["diagnoses"] == TWELVE


def test_fragment_post_without_csrf_token_is_refused(
    app: Flask, physician: Physician
) -> None:
    base = physician.new_draft()
    response = physician.client.post(
        f"{base}/diagnoses", data={"action": "add:M54.2"}, headers=FRAGMENT
    )
    assert response.status_code == 400
    assert stored(app, base).document.get("diagnoses", []) == []


def test_picks_for_the_areas_chosen_lead_and_leave_out_chosen_codes(
    physician: Physician,
) -> None:
    base = physician.new_draft()
    step(physician, base, "body_areas", {**AREAS, "nav": "save"})
    html = _fragment(physician, base, {"action": "add:M54.2"}).get_data(as_text=True)
    picks = html.split("For the areas chosen", 1)[1].split("</ul>", 1)[0]
    codes = re.findall(r'value="add:([^"]+)"', picks)
    assert codes[:3] == ["S13.4XXA", "M62.838", "M47.812"]
    assert "M54.2" not in codes
    # The left shoulder was chosen: left-shoulder codes only.
    assert "M25.512" in codes and "M25.511" not in codes


def test_fragment_replace_puts_the_subsequent_encounter_in_place(
    app: Flask, physician: Physician
) -> None:
    base = walk_to_review(physician)
    response = _fragment(physician, base, {"action": "replace:0:S13.4XXD"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _listed(html)[0] == "S13.4XXD"
    assert 'value="replace:0:S13.4XXD"' not in html
    assert stored(app, base).document["diagnoses"][0] == "S13.4XXD"
    # Shown in place: no leftover message on the next page.
    page = physician.client.get(f"{base}/session").get_data(as_text=True)
    assert "replaced by" not in page

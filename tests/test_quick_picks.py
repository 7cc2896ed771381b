"""What the wizard offers to save typing: common plans, goal ideas, payers, the state."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.helpers import PATIENT, Physician, order, step, walk_to_review


def _page(physician: Physician, url: str) -> str:
    response = physician.client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_session_step_offers_common_plans_and_goal_ideas_for_the_areas(
    physician: Physician,
) -> None:
    base = walk_to_review(physician)  # cervical spine and the left shoulder
    page = _page(physician, f"{base}/session")
    plans = re.findall(r"data-phases='([^']+)'>([^<]+)</button>", page)
    assert plans[0] == (
        "[[3, 1], [2, 1], [1, 6]]",
        "3x/week for 1 week, then 2x/week for 1 week, then 1x/week for 6 weeks",
    )
    assert all(json.loads(data) for data, _ in plans)
    ideas = [html.unescape(i) for i in re.findall(r'data-goal="([^"]+)"', page)]
    assert ideas[0] == "Cervical rotation (degrees)"
    assert "Shoulder flexion (degrees)" in ideas
    assert "Knee flexion (degrees)" not in ideas


def test_patient_step_offers_the_practice_carriers_and_its_state(
    app: Flask, physician: Physician
) -> None:
    issued = factories.prescription(app)  # a signed prescription naming its carrier
    carrier = factories.record(app, issued).document["coverage"]["payer_name"]
    page = _page(physician, f"{physician.new_draft()}/patient")
    offered = page.split('<datalist id="payer-names">')[1].split("</datalist>")[0]
    assert re.findall(r'<option value="([^"]+)">', offered) == [html.escape(carrier)]
    assert 'data-default="FL"' in page  # the physician's license state


def test_a_colleague_carriers_are_offered_and_another_practice_not(
    app: Flask, client: FlaskClient
) -> None:
    def carrier(name: str) -> dict[str, Any]:
        return {"coverage": {**order()["coverage"], "payer_name": name}}

    for email, practice in (("me@x.org", "Lakeside"), ("colleague@x.org", "Lakeside"),
                            ("stranger@x.org", "Elsewhere")):  # fmt: skip
        factories.physician(app, email=email, practice=practice)
    factories.prescription(app, "colleague@x.org", **carrier("Colleague Mutual"))
    factories.prescription(app, "stranger@x.org", **carrier("Stranger Mutual"))
    me = factories.signed_in(client, "me@x.org")
    page = _page(me, f"{me.new_draft()}/patient")
    offered = page.split('<datalist id="payer-names">')[1].split("</datalist>")[0]
    assert re.findall(r'<option value="([^"]+)">', offered) == ["Colleague Mutual"]


def test_a_typed_carrier_is_kept_as_typed(physician: Physician) -> None:
    base = physician.new_draft()
    response = step(physician, base, "patient", {**PATIENT, "payer_name": "Zeta <b>"})
    assert response.status_code == 302
    page = _page(physician, f"{base}/patient")
    assert 'value="Zeta &lt;b&gt;"' in page

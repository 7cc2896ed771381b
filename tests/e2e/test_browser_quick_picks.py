"""One click instead of typing on the session step: a common plan, a goal idea."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

import models
from extensions import db
from tests import factories
from tests.e2e.conftest import ConsoleLog, LiveServer
from tests.e2e.site import log_in
from tests.helpers import document, today

pytestmark = pytest.mark.browser


def _draft_at_session(server: LiveServer) -> str:
    """A draft whose first four steps are filled (cervical, left shoulder); its id."""
    factories.physician(server.app)
    with server.app.app_context():
        user = db.session.scalars(db.select(models.User)).one()
        filled = {k: v for k, v in document().items() if k not in ("plan", "goals")}
        draft = models.Draft(user_id=user.id, document=filled, step="session")
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
        db.session.remove()
    return draft_id


def test_a_common_plan_and_a_goal_idea_fill_the_rows(
    serve_app: Callable[..., LiveServer], page: Page, console: ConsoleLog
) -> None:
    server = serve_app()
    draft_id = _draft_at_session(server)
    log_in(page, server.url)
    page.goto(f"{server.url}/rx/{draft_id}/session")
    page.fill("#start", today().isoformat())

    page.get_by_role("button", name="3x/week for 1 week, then 2x/week").click()
    rows = [(f"#phases-{r}-per_week", f"#phases-{r}-weeks") for r in range(3)]
    for (per_week, weeks), want in zip(
        rows, [("3", "1"), ("2", "1"), ("1", "6")], strict=True
    ):
        expect(page.locator(per_week)).to_have_value(want[0])
        expect(page.locator(weeks)).to_have_value(want[1])
    expect(page.locator("#plan-summary")).to_contain_text("11 visits")

    page.get_by_role("button", name="2x/week for 4 weeks", exact=True).click()
    expect(page.locator("#phases-0-per_week")).to_have_value("2")
    expect(page.locator("#phases-1-per_week")).to_have_value("")

    page.get_by_role("button", name="Cervical rotation (degrees)").click()
    expect(page.locator("#goals-0-function")).to_have_value(
        "Cervical rotation (degrees)"
    )
    expect(page.locator("#goals-0-baseline")).to_be_focused()
    page.keyboard.type("45")
    page.get_by_role("button", name="Neck pain (0-10)").click()
    expect(page.locator("#goals-1-function")).to_have_value("Neck pain (0-10)")
    assert console == []

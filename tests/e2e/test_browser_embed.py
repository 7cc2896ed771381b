"""An intranet page on another origin frames Rx Assist and hears of the finalized Rx."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Frame, Page, expect
from werkzeug.wrappers import Request, Response

import models
from extensions import db
from rxassist.launch import sign
from tests.e2e.conftest import ConsoleLog, LiveServer, serve_in_thread, stop
from tests.helpers import today

pytestmark = pytest.mark.browser

SECRET = "intranet-shared-secret"
PASSWORD = "correct horse battery"
LAUNCH = {
    "name": "Jordan A. Whitfield",
    "dob": "1979-04-12",
    "mrn": "MRN-778120",
    "payer_type": "workers_comp",
    "payer_name": "Sunshine State Mutual",
    "claim_number": "WC-2026-004417",
    "date_of_injury": "2026-10-02",
    "employer": "Gulf Coast Builders",
    "jurisdiction_state": "FL",
}
# What the physician would enter on steps 2 to 5, saved straight into the draft.
REST_OF_DRAFT = {
    "modality": {
        "cpt": ["97140"],
        "techniques": ["myofascial release", "trigger point therapy"],
        "pressure": "moderate",
        "performer": "lmt",
    },
    "body_areas": [{"area": "cervical"}, {"area": "shoulder", "side": "left"}],
    "diagnoses": ["S13.4XXA", "M54.2"],
    "session": {"minutes": "60"},
    "plan": {
        "start": (today() + timedelta(days=1)).isoformat(),
        "phases": [{"per_week": "2", "weeks": "4"}],
    },
    "precautions": [],
    "goals": [{"function": "Cervical rotation", "baseline": "45°", "target": "70°"}],
}
# The intranet's own marker, posted from the frame after embed.js has run.
SENTINEL = "test:end-of-messages"


class Intranet:
    """A clinic intranet on its own origin, serving the pages a test puts in it."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.origin = ""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = Request(environ).path
        found = path in self.pages
        response = Response(
            self.pages.get(path, "not here"),
            status=200 if found else 404,
            mimetype="text/html" if found else "text/plain",
        )
        return response(environ, start_response)

    def chart(self, path: str, frame_src: str) -> str:
        """Put a chart page framing ``frame_src`` at ``path``; return its URL."""
        # The page records every message it is sent, with the sender's origin.
        self.pages[path] = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Patient chart</title>
<link rel="icon" href="data:,">
<script>
window.received = [];
window.addEventListener("message", function (event) {{
  window.received.push({{origin: event.origin, data: event.data}});
}});
</script></head>
<body><h1>Patient chart</h1>
<iframe id="rx" title="Rx Assist" width="1200" height="820"
        src="{html.escape(frame_src)}"></iframe>
</body></html>"""
        return self.origin + path


def _intranet() -> Iterator[Intranet]:
    site = Intranet()
    server, thread = serve_in_thread(site)
    site.origin = f"http://127.0.0.1:{server.server_port}"
    yield site
    stop(server, thread)


@pytest.fixture
def intranet() -> Iterator[Intranet]:
    """The clinic intranet allowed to frame the app (same site, another origin)."""
    yield from _intranet()


@pytest.fixture
def stranger() -> Iterator[Intranet]:
    """A third origin that RX_FRAME_ANCESTORS does not list."""
    yield from _intranet()


def _launch_url(app_url: str, **tampered: str) -> str:
    signed = sign(LAUNCH, SECRET)
    return f"{app_url}/embed/launch?" + urlencode({**signed, **tampered})


def _sign_in(page: Page, app_url: str) -> None:
    """Register and complete the prescriber profile, top-level on the app's origin."""
    page.goto(f"{app_url}/register")
    page.fill("#email", "maria.nunez@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # Registering answers alike for a new and a taken email: then one logs in.
    expect(page).to_have_url(re.compile(r"/login"))
    page.fill("#email", "maria.nunez@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/profile$"))
    for field, value in {
        "#name": "María José Núñez",
        "#npi": "1234567893",
        "#license": "ME123456",
        "#practice": "Lakeside Spine & Rehabilitation",
        "#address": "12 Main St, Sarasota, FL 34236",
        "#phone": "941-555-0100",
    }.items():
        page.fill(field, value)
    page.select_option("#credentials", "MD")
    page.select_option("#license_state", "FL")
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(re.compile(r"/drafts$"))


def _frame(page: Page) -> Frame:
    """The chart page's Rx Assist frame (to navigate it and run scripts in it)."""
    frame = page.locator("#rx").element_handle().content_frame()
    assert frame is not None
    return frame


def _messages(page: Page, frame: Frame) -> list[dict[str, Any]]:
    """Every message the chart page received from the frame, in order."""
    # Messages from one window arrive in order: all of embed.js's precede the sentinel.
    frame.evaluate(f"window.parent.postMessage({SENTINEL!r}, '*')")
    page.wait_for_function(
        f"window.received.some(function (m) {{ return m.data === {SENTINEL!r}; }})"
    )
    received: list[dict[str, Any]] = page.evaluate("window.received")
    return [m for m in received if m["data"] != SENTINEL]


def test_intranet_frames_a_signed_launch_and_hears_of_the_finalized_prescription(
    serve_app: Callable[..., LiveServer],
    intranet: Intranet,
    stranger: Intranet,
    page: Page,
    console: ConsoleLog,
) -> None:
    rx = serve_app(RX_FRAME_ANCESTORS=intranet.origin, RX_LAUNCH_SECRET=SECRET)
    _sign_in(page, rx.url)

    # The chart frames a signed launch: a new draft, prefilled, in the embed layout.
    page.goto(intranet.chart("/chart", _launch_url(rx.url)))
    wizard = page.frame_locator("#rx")
    expect(wizard.locator("#wizard-form")).to_have_attribute("data-step", "patient")
    expect(wizard.locator("body")).to_have_class("embed")
    expect(wizard.locator("header.site")).to_have_count(0)
    expect(wizard.locator("#name")).to_have_value(LAUNCH["name"])
    expect(wizard.locator("#mrn")).to_have_value(LAUNCH["mrn"])
    expect(wizard.locator("#claim_number")).to_have_value(LAUNCH["claim_number"])
    frame = _frame(page)
    draft_id = re.fullmatch(rf"{re.escape(rx.url)}/rx/([\w-]+)/patient", frame.url)
    assert draft_id, frame.url
    with rx.app.app_context():
        draft = db.session.get(models.Draft, draft_id.group(1))
        assert draft is not None and draft.embedded
        assert draft.document["patient"]["mrn"] == LAUNCH["mrn"]

    # Next on the prefilled step (a POST from the frame), then steps 2-5 in the database.
    wizard.get_by_role("button", name="Next →").click()
    expect(wizard.locator("#wizard-form")).to_have_attribute("data-step", "modality")
    with rx.app.app_context():
        draft = db.session.get(models.Draft, draft_id.group(1))
        assert draft is not None
        draft.document = {**draft.document, **REST_OF_DRAFT}
        draft.step = "review"
        db.session.commit()
    frame.goto(f"{rx.url}/rx/{draft_id.group(1)}/review")
    expect(wizard.locator(".paper")).to_contain_text(LAUNCH["name"])
    expect(wizard.locator(".paper")).to_contain_text(LAUNCH["mrn"])
    wizard.locator("#accept_warnings").check()
    wizard.locator("#attest").check()
    wizard.get_by_role("button", name="Finalize and create PDF").click()
    # Finalizing renders the PDF, which takes a few seconds.
    finalized = wizard.get_by_role("heading", name=re.compile(r" is finalized$"))
    expect(finalized).to_be_visible(timeout=20_000)

    with rx.app.app_context():
        draft = db.session.get(models.Draft, draft_id.group(1))
        assert draft is not None and draft.prescription_id
        record = db.session.get(models.Prescription, draft.prescription_id)
        assert record is not None
        rx_id, number = record.id, record.number
    assert _messages(page, frame) == [
        {
            "origin": rx.url,
            "data": {
                "type": "rx.finalized",
                "id": rx_id,
                "number": number,
                "pdf_url": f"{rx.url}/prescriptions/{rx_id}.pdf",
                "fhir_url": f"{rx.url}/api/v1/prescriptions/{rx_id}/fhir",
            },
        }
    ]

    # A launch whose parameters were changed after signing is refused in the frame.
    tampered = intranet.chart("/tampered", _launch_url(rx.url, name="Someone Else"))
    page.goto(tampered)
    refused = page.frame_locator("#rx")
    expect(refused.locator("h1")).to_have_text("This launch could not be verified")
    expect(refused.locator("[role=alert]")).to_contain_text("signature is not valid")
    assert _messages(page, _frame(page)) == []

    # An origin RX_FRAME_ANCESTORS does not list gets nothing drawn, signed in or not.
    other = page.context.new_page()
    with other.expect_console_message(lambda m: "frame-ancestors" in m.text) as info:
        other.goto(stranger.chart("/chart", _launch_url(rx.url)))
    assert rx.url in info.value.text, info.value.text
    blocked = _frame(other)
    blocked.wait_for_load_state()
    assert blocked.url in ("about:blank", "chrome-error://chromewebdata/"), blocked.url
    expect(other.frame_locator("#rx").locator("#main")).to_have_count(0)
    other.close()

    # The refused launch answers 403 by design; anything else is a problem.
    refused_403 = f"{tampered}: Failed to load resource: the server responded with a "
    problems = [m for m in console if not m.startswith(refused_403 + "status of 403")]
    assert problems == [], "browser console errors:\n" + "\n".join(problems)

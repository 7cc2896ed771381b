"""A physician writes a Workers' Comp prescription in Chromium, start to PDF."""

from __future__ import annotations

import io
import os
import re
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from services import members
from tests.e2e.conftest import DESKTOP, ConsoleLog, LiveServer
from tests.helpers import today

pytestmark = pytest.mark.browser

MOBILE = {"width": 390, "height": 844}
PRESCRIBER = "María José Núñez"
PATIENT = "Jordan A. Whitfield"
PASSWORD = "correct horse battery"
# The plan may not start before the date written (today when finalized).
START = max(date(2026, 11, 24), today()).isoformat()


class Camera:
    """Full-page screenshots of each step at desktop and mobile widths."""

    def __init__(self, page: Page, folder: Path) -> None:
        self.page = page
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def shoot(self, name: str) -> None:
        self.count += 1
        stem = f"{self.count:02d}-{name}"
        self.page.screenshot(path=self.folder / f"{stem}-1280.png", full_page=True)
        self.page.set_viewport_size(MOBILE)
        self.page.screenshot(path=self.folder / f"{stem}-390.png", full_page=True)
        self.page.set_viewport_size(DESKTOP)


GOALS = [("Cervical rotation", "45°", "70°"), ("Neck pain", "7/10", "3/10")]


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def _expect_step(page: Page, draft_url: str, step: str) -> None:
    """The browser shows ``step`` of the draft (a search query may follow)."""
    expect(page).to_have_url(re.compile(re.escape(f"{draft_url}/{step}") + r"(\?.*)?$"))


def _next(page: Page) -> None:
    page.get_by_role("button", name="Next →").click()


def test_physician_writes_workers_comp_prescription_and_downloads_pdf(
    serve_app: Callable[..., LiveServer],
    page: Page,
    console: ConsoleLog,
    tmp_path: Path,
) -> None:
    camera = Camera(page, Path(os.environ.get("RX_SCREENSHOTS") or tmp_path / "shots"))
    server = serve_app()
    live_server = server.url
    with server.app.app_context():
        token = members.new_setup_link()  # what `make run` prints on a fresh install

    # First-run setup: the practice, and its administrator who also prescribes.
    page.goto(f"{live_server}/setup/{token}")
    camera.shoot("setup")
    page.fill("#practice_name", "Lakeside Spine & Rehabilitation")
    page.fill("#email", "maria.nunez@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.check("#physician")
    page.fill("#name", PRESCRIBER)
    page.select_option("#credentials", "MD")
    page.fill("#npi", "1234567893")
    page.fill("#license", "ME123456")
    page.select_option("#license_state", "FL")
    page.get_by_role("button", name="Create the practice").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.fill("#email", "maria.nunez@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.goto(f"{live_server}/profile")
    page.fill("#specialty", "Physical Medicine and Rehabilitation")
    page.fill("#practice", "Lakeside Spine & Rehabilitation")
    page.fill("#address", "12 Main St, Sarasota, FL 34236")
    page.fill("#phone", "941-555-0100")
    page.fill("#fax", "941-555-0101")
    camera.shoot("profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(re.compile(r"/drafts$"))
    camera.shoot("drafts")

    page.get_by_role("button", name="New prescription").click()
    expect(page).to_have_url(re.compile(r"/rx/[\w-]+/patient$"))
    draft_url = page.url.rsplit("/", 1)[0]

    # Step 1: an invalid POST keeps what was typed and shows the error by its field.
    page.fill("#name", PATIENT)
    page.fill("#dob", "1979-04-12")
    page.fill("#phone", "941-555-0142")
    page.select_option("#payer_type", "workers_comp")
    expect(page.locator("#claim_number")).to_be_visible()
    # The coverage blocks follow the payer type: WC's employer, no member ID.
    expect(page.locator("#employer")).to_be_visible()
    expect(page.locator("#member_id")).to_be_hidden()
    expect(page.locator("#emergency_medical_condition")).to_be_hidden()
    page.fill("#employer", "Gulf Coast Builders")
    page.select_option("#jurisdiction_state", "FL")
    page.fill("#payer_name", "Sunshine State Mutual")
    page.fill("#date_of_injury", "2026-10-02")
    _next(page)
    _expect_step(page, draft_url, "patient")
    expect(page.locator("#claim_number-error")).to_have_text("Enter the claim number.")
    expect(page.locator("#claim_number")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#name")).to_have_value(PATIENT)
    expect(page.locator("#date_of_injury")).to_have_value("2026-10-02")
    camera.shoot("patient-error")
    page.fill("#claim_number", "WC-2026-004417")
    _next(page)

    # Step 2: manual therapy with two techniques.
    _expect_step(page, draft_url, "modality")
    # The coverage warning of 97124 shows (and is announced) only while it is ticked.
    expect(page.locator("#warn-97124")).to_be_hidden()
    page.check("#cpt-97124")
    expect(page.locator("#warn-97124")).to_have_attribute("role", "alert")
    expect(page.locator("#warn-97124")).to_be_visible()
    page.uncheck("#cpt-97124")
    expect(page.locator("#warn-97124")).to_be_hidden()
    page.get_by_label("Myofascial release").check()  # ticks its code with it
    expect(page.locator("#cpt-97140")).to_be_checked()
    expect(page.locator("#cpt-97124")).not_to_be_checked()
    page.get_by_label("Trigger point therapy").check()
    page.get_by_label("Moderate").check()
    expect(page.get_by_label("Licensed massage therapist (LMT)")).to_be_checked()
    camera.shoot("modality")
    _next(page)

    # Step 3: neck, and the left shoulder.
    _expect_step(page, draft_url, "body_areas")
    page.check("#area_cervical")
    page.check("#area_shoulder")
    page.check("#side_shoulder-0")
    camera.shoot("body-areas")
    _next(page)

    # Step 4: search, a refused category, a typed code moved up to primary.
    _expect_step(page, draft_url, "diagnoses")
    page.fill("#q", "cervicalgia")
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("#results")
    expect(results).to_contain_text("M54.2")
    results.get_by_role("button", name=re.compile(r"^Add M54\.2 ")).click()
    chosen = page.locator("#chosen-codes li .code")
    expect(chosen).to_have_text(["M54.2"])

    # The one box: a category lists its billable codes; a refusal shows beside it.
    box = page.locator("#q")
    box.fill("M54.5")
    listbox = page.get_by_role("listbox")
    for code in ("M54.50", "M54.51", "M54.59"):
        expect(listbox).to_contain_text(code)
    box.press("Escape")
    box.fill("M54.2")
    expect(listbox.get_by_role("option").first).to_have_attribute(
        "aria-selected", "true"
    )
    box.press("Enter")
    expect(page.locator("#dx-message")).to_contain_text("twice")
    expect(chosen).to_have_text(["M54.2"])
    camera.shoot("diagnoses-refused")

    box.fill("S13.4XXA")
    expect(listbox.get_by_role("option").first).to_contain_text("S13.4XXA")
    box.press("Enter")  # adds the code in place; it must not follow a step link
    expect(chosen).to_have_text(["M54.2", "S13.4XXA"])
    expect(page.locator("#dx-message")).to_be_empty()
    page.get_by_role("button", name="Move S13.4XXA up").click()
    expect(chosen).to_have_text(["S13.4XXA", "M54.2"])
    expect(page.locator("#chosen-codes li").first.locator(".badge")).to_have_text(
        "Primary"
    )
    # A rule's warning beside the code it concerns, with its source on request.
    initial = page.locator("#chosen-codes li").first.locator(
        '[data-rule="icd.injury-initial-encounter"]'
    )
    expect(initial).to_contain_text("use S13.4XXD")
    initial.get_by_text("Why").click()
    expect(initial.locator(".source")).to_contain_text("Section I.C.19.a")
    camera.shoot("diagnoses")
    _next(page)

    # Step 5: 60 minutes, 3x1 + 2x1 + 1x6 weeks; a reload shows the saved draft.
    _expect_step(page, draft_url, "session")
    expect(page.locator("#minutes")).to_have_value("60")
    for row, (per_week, weeks) in enumerate([("3", "1"), ("2", "1"), ("1", "6")]):
        page.fill(f"#phases-{row}-per_week", per_week)
        page.fill(f"#phases-{row}-weeks", weeks)
    page.fill("#start", START)
    for row, goal in enumerate(GOALS):
        for key, value in zip(("function", "baseline", "target"), goal, strict=True):
            page.fill(f"#goals-{row}-{key}", value)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".flash")).to_have_text("Draft saved.")
    page.reload()
    expect(page.locator("#minutes")).to_have_value("60")
    expect(page.locator("#phases-2-per_week")).to_have_value("1")
    expect(page.locator("#phases-2-weeks")).to_have_value("6")
    expect(page.locator("#start")).to_have_value(START)
    expect(page.locator("#goals-1-target")).to_have_value("3/10")
    expect(page.locator("#plan-summary")).to_contain_text("11 visits")
    camera.shoot("session")
    page.press("#start", "Enter")  # Enter means Next, not the first step link

    # Step 6: review as printed, attest, finalize.
    _expect_step(page, draft_url, "review")
    necessity = page.locator(".paper").get_by_text(
        "Manual therapy (CPT 97140) is medically necessary to treat S13.4XXA"
    )
    expect(necessity).to_be_visible()
    expect(page.locator("label[for=attest]")).to_contain_text(
        "I attest that manual therapy (CPT 97140) is medically necessary"
    )
    # Every finding again on the review page; the warnings must be accepted.
    findings = page.locator(".review-findings")
    expect(
        findings.locator('[data-rule="icd.symptom-with-definitive"]')
    ).to_contain_text("M54.2 (Cervicalgia) is a symptom that S13.4XXA")
    camera.shoot("review")
    page.check("#attest")
    page.get_by_role("button", name="Finalize and create PDF").click()
    expect(page.locator("#accept-error")).to_contain_text("tick that you accept them")
    page.check("#accept_warnings")
    page.check("#attest")
    page.get_by_role("button", name="Finalize and create PDF").click()
    expect(page).to_have_url(re.compile(r"/prescriptions/[\w-]+$"))
    record_url = page.url
    camera.shoot("finalized")
    page.goto(f"{live_server}/drafts")
    camera.shoot("prescriptions")
    page.go_back()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    pages, text = _pdf_text(Path(download.path()).read_bytes())

    assert pages == 1
    for expected in (
        PATIENT,
        "97140",
        "M54.2",
        "S13.4XXA",
        "60 minutes (4 units)",
        "Prescription for manual therapy",
        "Cervical rotation 45° → 70°; Neck pain 7/10 → 3/10",
        "which limit cervical rotation (45°) and neck pain (7/10); the goals are 70° "
        "and 3/10.",
        PRESCRIBER,
        "WC-2026-004417",
        "License FL ME123456",
        "To be performed by: Licensed massage therapist (LMT)",
        "Employer Gulf Coast Builders",
    ):
        assert expected in text, f"{expected!r} missing from the PDF text: {text}"
    assert re.search(r"Total visits:? 11\b", text), text
    assert text.index("S13.4XXA") < text.index("M54.2"), "S13.4XXA is not primary"
    _check_signed_and_verifiable(
        page, Path(download.path()), text, record_url, tmp_path
    )
    assert list(console) == [], "browser console errors:\n" + "\n".join(console)


def _check_signed_and_verifiable(
    page: Page, pdf: Path, text: str, record_url: str, folder: Path
) -> None:
    """The PDF is signed, and its QR code leads to a page that follows its status."""
    assert re.search(
        r"Electronically signed by .+ NPI 1234567893, .*on \d\d/\d\d/\d{4} at", text
    ), text
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(folder / "qr")],
        check=True,
    )
    url = subprocess.run(
        ["zbarimg", "-q", "--raw", str(folder / "qr.png")],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    page.goto(url)
    expect(page.locator(".verify-status")).to_contain_text("Current.")
    page.set_input_files("#pdf", str(pdf))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#check-identical")).to_contain_text("byte for byte")
    expect(page.locator("#check-signature")).to_contain_text(
        "Its digital signature is valid"
    )
    page.goto(record_url)
    page.get_by_role("link", name="Void…").click()
    page.fill("#reason", "Written for the wrong patient.")
    page.get_by_role("button", name="Void this prescription").click()
    page.goto(url)
    expect(page.locator(".verify-status")).to_contain_text("Voided on")

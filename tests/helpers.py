"""What tests share: example documents, form data, settings, and a physician's browser.

Nothing here imports the application, so the unit tests can use it too; the database
factories that do are in tests/factories.py.
"""

from __future__ import annotations

import copy
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypdf import PdfReader

from rxassist.coverage import npi_is_valid

if TYPE_CHECKING:
    from flask.testing import FlaskClient

EXAMPLE = json.loads((Path(__file__).parent / "data" / "example.json").read_text())
EMAIL = "maria@example.org"
PASSWORD = "correct horse battery"
PROFILE = {
    "name": "Maria Lopez",
    "credentials": "MD",
    "specialty": "Family Medicine",
    "npi": "1234567893",
    "license": "ME123456",
    "license_state": "FL",
    "practice": "Lakeside Family Medicine",
    "address": "12 Main St, Sarasota, FL 34236",
    "phone": "941-555-0100",
    "fax": "941-555-0101",
}


def today() -> date:
    """The date a test app dates prescriptions on (its zone is UTC: ``app_config``)."""
    return datetime.now(UTC).date()


TOMORROW = (today() + timedelta(days=1)).isoformat()


def valid_npi(serial: int) -> str:
    """A valid NPI (Luhn check digit) of its own for each ``serial``: 1999xxxxxC."""
    stem = f"1999{serial:05d}"
    return next(stem + d for d in "0123456789" if npi_is_valid(stem + d))


def app_config(folder: Path, **overrides: Any) -> dict[str, Any]:
    """Settings of a test app whose database and instance folder live in ``folder``."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'test.sqlite3'}",
        "RX_INSTANCE_PATH": str(folder / "instance"),
        "RATELIMIT_ENABLED": False,
        # Prescriptions are dated in the practice's zone: UTC, as ``today()`` reads it.
        "RX_TIMEZONE": "UTC",
        **overrides,
    }


def document(**overrides: Any) -> dict[str, Any]:
    """The issue's example document with sections replaced by ``overrides``."""
    doc = copy.deepcopy(EXAMPLE)
    doc.update(copy.deepcopy(overrides))
    return doc


def order(start: str | None = None, **overrides: Any) -> dict[str, Any]:
    """The example as issued: no prescriber, number or date; the plan starts ``start``."""
    doc = document(**overrides)
    for key in ("written_on", "prescriber", "number"):
        doc.pop(key, None)
    if "plan" not in overrides:
        doc["plan"] = dict(doc["plan"], start=start or today().isoformat())
    return doc


def payload(**overrides: Any) -> dict[str, Any]:
    """The example document as an EHR sends it: written today, starting tomorrow."""
    return {"npi": PROFILE["npi"], **order(TOMORROW, **overrides)}


def pdf_pages(data: bytes) -> list[str]:
    """Text of each page, with runs of white space folded to one space."""
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def pdf_text(data: bytes) -> str:
    """All text of a PDF, white space folded."""
    return " ".join(pdf_pages(data))


# The wizard's forms, filled in as the example document says.
PATIENT = {
    "name": "Jane Doe",
    "dob": "1980-04-12",
    "phone": "",
    "address": "",
    "payer_type": "workers_comp",
    "payer_name": "Acme Mutual",
    "member_id": "XJ-5521",
    "claim_number": "WC-2026-0042",
    "date_of_injury": "2026-10-03",
    "accident_state": "",
    "policy_number": "",
    "employer": "Gulf Coast Builders",
    "jurisdiction_state": "FL",
    "emergency_medical_condition": "",
    "onset_date": "",
    "related_to": "",
}
MODALITY = {
    "cpt": ["97140"],
    "techniques": ["myofascial release", "neuromuscular therapy"],
    "pressure": "light",
    "performer": "lmt",
}
AREAS = {"area_cervical": "y", "area_shoulder": "y", "side_shoulder": "left"}
SESSION = {
    "session_mode": "minutes",
    "minutes": "60",
    "plan_mode": "phases",
    "phases-0-per_week": "3",
    "phases-0-weeks": "1",
    "phases-1-per_week": "2",
    "phases-1-weeks": "1",
    "phases-2-per_week": "1",
    "phases-2-weeks": "6",
    "start": TOMORROW,
    "goals-0-function": "Cervical rotation",
    "goals-0-baseline": "45°",
    "goals-0-target": "70°",
    "goals-1-function": "Neck pain",
    "goals-1-baseline": "7/10",
    "goals-1-target": "3/10",
    "anticoagulant": "y",
}
FINALIZE = {"nav": "finalize", "attest": "y"}


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token a page's form carries, as a browser would send it back."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    if match is None:
        match = re.search(
            r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html
        )
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def field_errors(html: str) -> list[str]:
    """The messages shown beside fields."""
    return re.findall(r'<ul class="errors"[^>]*>\s*<li>([^<]*)</li>', html)


def field_error(html: str, field: str) -> str:
    """The messages shown beside one field."""
    return html.split(f'id="{field}-error"', 1)[1].split("</ul>", 1)[0]


class Physician:
    """Drives the app as a physician would, sending CSRF tokens like a browser."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def post(self, url: str, data: dict[str, Any], page: str | None = None) -> Any:
        """POST a form with the CSRF token of the page it sits on."""
        token = csrf_token(self.client, page or url)
        return self.client.post(url, data={**data, "csrf_token": token})

    def register(self, email: str = EMAIL) -> Any:
        """Create an account through the register form, then log in as it sends you.

        Returns the login's answer (a redirect to the profile).
        """
        response = self.post(
            "/register", {"email": email, "password": PASSWORD, "confirm": PASSWORD}
        )
        if response.status_code != 302:
            return response
        return self.post(
            response.location, {"email": email, "password": PASSWORD}, page="/login"
        )

    def login(self, email: str = EMAIL, password: str = PASSWORD) -> Any:
        """Sign in through the login form."""
        return self.post("/login", {"email": email, "password": password})

    def logout(self) -> Any:
        """Sign out as the menu's button does."""
        return self.post("/logout", {}, page="/login")

    def complete_profile(self, **overrides: str) -> Any:
        """Fill the prescriber profile form."""
        return self.post("/profile", {**PROFILE, **overrides})

    def new_draft(self) -> str:
        """Start a draft; return its base URL /rx/<id>."""
        response = self.post("/rx/new", {}, page="/drafts")
        assert response.status_code == 302
        return response.location.rsplit("/", 1)[0]


def step(doctor: Physician, base: str, name: str, data: dict[str, Any]) -> Any:
    """POST one wizard step of the draft at ``base``.

    An attested Finalize also accepts the warnings the review page shows, as the
    physician does by ticking the box (``accept_warnings=""`` leaves it unticked).
    """
    if name == "review" and data.get("nav") == "finalize" and data.get("attest"):
        if "accept_warnings" not in data:
            data = {**data, **shown_warnings(doctor, base)}
    return doctor.post(f"{base}/{name}", data)


def shown_warnings(doctor: Physician, base: str) -> dict[str, Any]:
    """The review page's warnings, accepted: the form fields a browser would send."""
    html = doctor.client.get(f"{base}/review").get_data(as_text=True)
    keys = re.findall(r'<input type="hidden" name="accept" value="([^"]+)">', html)
    return {"accept_warnings": "y", "accept": keys} if keys else {}


def walk_to_review(doctor: Physician) -> str:
    """Fill every step of a new draft with the example; return its base URL."""
    base = doctor.new_draft()
    for name, data in (
        ("patient", PATIENT),
        ("modality", MODALITY),
        ("body_areas", AREAS),
    ):
        response = step(doctor, base, name, data)
        assert response.status_code == 302, field_errors(
            response.get_data(as_text=True)
        )
    for code in ("S13.4XXA", "M54.2", "M62.838"):
        assert (
            step(doctor, base, "diagnoses", {"action": f"add:{code}"}).status_code
            == 302
        )
    assert step(doctor, base, "diagnoses", {"nav": "next"}).location.endswith(
        "/session"
    )
    response = step(doctor, base, "session", SESSION)
    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    assert response.location.endswith("/review")
    return base


def finalize_draft(doctor: Physician, base: str) -> str:
    """Finalize the draft at ``base`` from its review page; return the record's URL."""
    doctor.client.get(f"{base}/review")
    response = step(doctor, base, "review", FINALIZE)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return str(response.location)

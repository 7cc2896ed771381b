"""The patient's link: date of birth first, then the prescription summary and PDF."""

from __future__ import annotations

import hmac
import time
from typing import Any

from flask import Blueprint, abort, render_template, request, session
from flask.typing import ResponseReturnValue

import models
from extensions import db, limiter
from forms.records import PatientCheckForm
from rxassist.prescription import parse_date
from services import audit, clock
from services.issuing import stored_prescription
from services.links import active_link, token_hash
from views.actors import anonymous
from views.documents import pdf_response

bp = Blueprint("patient", __name__, url_prefix="/p")

# After a right answer the patient may download for this long without asking again.
ACCESS_SECONDS = 30 * 60
FAILED = (
    "We could not open a prescription with this link and date of birth. Check the "
    "date, or ask your physician's office for a new link."
)


def _token_key() -> str:
    """Rate-limit key per link, so guesses from many addresses add up."""
    token = (request.view_args or {}).get("token", "")
    return "patient-token:" + token_hash(str(token))[:32]


def _granted(link: models.PatientLink) -> bool:
    grants = session.get("patient_access") or {}
    return float(grants.get(link.id, 0)) > time.time()


@bp.after_request
def _private(response: Any) -> Any:
    """Patient pages leak nothing through referrers or caches."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store, max-age=0"
    response.headers["Pragma"] = "no-cache"
    return response


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
@limiter.limit("20 per day", methods=["POST"], key_func=_token_key)
def open_link(token: str) -> ResponseReturnValue:
    """Ask for the date of birth; show the summary once it matches."""
    link = active_link(token)
    form = PatientCheckForm()
    if link is not None and _granted(link):
        return _summary(link, token)
    if request.method == "POST" and form.validate_on_submit():
        given = parse_date(form.dob.data or "")
        expected = str(link.prescription.document["patient"]["dob"]) if link else ""
        if (
            given is not None
            and link is not None
            and hmac.compare_digest(given.isoformat(), expected)
        ):
            grants = dict(session.get("patient_access") or {})
            grants = {k: v for k, v in grants.items() if float(v) > time.time()}
            grants[link.id] = time.time() + ACCESS_SECONDS
            session["patient_access"] = grants
            audit.record("patient opened", link.prescription, anonymous())
            db.session.commit()
            return _summary(link, token)
        form.dob.errors = [FAILED]
        return render_template("patient/check.html", form=form), 200
    return render_template("patient/check.html", form=form)


def _summary(link: models.PatientLink, token: str) -> ResponseReturnValue:
    record = link.prescription
    return render_template(
        "patient/summary.html",
        record=record,
        rx=stored_prescription(record),
        token=token,
        link=link,
        zone=clock.zone_of(record.user),
    )


@bp.get("/<token>/prescription.pdf")
def download(token: str) -> ResponseReturnValue:
    """The stored PDF, for a patient who answered their date of birth."""
    link = active_link(token)
    if link is None or not _granted(link):
        abort(404)
    audit.record("patient downloaded", link.prescription, anonymous())
    db.session.commit()
    return pdf_response(link.prescription)

"""The patient's link: date of birth first, then the prescription summary and PDF."""

from __future__ import annotations

import hmac
import time
from typing import Any

from flask import Blueprint, abort, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

import models
from extensions import db, limiter
from forms.records import PatientCheckForm, PatientCodeForm
from rxassist.prescription import parse_date
from services import audit, clock
from services.issuing import stored_prescription
from services.links import active_link, link_by_code, link_by_id, token_hash
from views.actors import anonymous
from views.documents import pdf_response

bp = Blueprint("patient", __name__, url_prefix="/p")

# After a right answer the patient may download for this long without asking again.
ACCESS_SECONDS = 30 * 60
FAILED = (
    "We could not open a prescription with this link and date of birth. Check the "
    "date, or ask your physician's office for a new link."
)
UNKNOWN_CODE = (
    "We do not know this code. Check it against your handout, or ask your "
    "physician's office for a new one."
)


def _link_key() -> str:
    """Rate-limit key per link, reached by token or short code, so guesses from many
    addresses and through both doors add up."""
    token = (request.view_args or {}).get("token")
    link = active_link(str(token)) if token else link_by_code(_typed_code())
    if link is not None:
        return "patient-link:" + link.id
    return "patient-guess:" + token_hash(str(token or _typed_code()))[:32]


def _typed_code() -> str:
    return str(request.form.get("code", ""))


# One counter per address and one per link, shared by the token and the code pages.
PER_ADDRESS = limiter.shared_limit(
    "10 per 15 minutes", scope="patient-address", methods=["POST"]
)
PER_LINK = limiter.shared_limit(
    "20 per day", scope="patient-link", methods=["POST"], key_func=_link_key
)


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
@PER_ADDRESS
@PER_LINK
def open_link(token: str) -> ResponseReturnValue:
    """Ask for the date of birth; show the summary once it matches."""
    link = active_link(token)
    form = PatientCheckForm()
    pdf_url = url_for("patient.download", token=token)
    if link is not None and _granted(link):
        return _summary(link, pdf_url)
    if request.method == "POST" and form.validate_on_submit():
        if link is not None and _answered(link, form):
            return _summary(link, pdf_url)
        form.dob.errors = [FAILED]
    return render_template("patient/check.html", form=form)


@bp.route("/code", methods=["GET", "POST"])
@PER_ADDRESS
@PER_LINK
def open_code() -> ResponseReturnValue:
    """The short code from the handout, then the date of birth as for a link."""
    code_form = PatientCodeForm()
    if request.method == "GET" or not code_form.validate_on_submit():
        return render_template("patient/code.html", form=code_form)
    # Known or not, the code takes the same path: one hash, one lookup.
    link = link_by_code(code_form.code.data or "")
    if link is None:
        code_form.code.errors = [UNKNOWN_CODE]
        return render_template("patient/code.html", form=code_form), 404
    form = PatientCheckForm()
    pdf_url = url_for("patient.download_by_code", link_id=link.id)
    if "dob" in request.form and form.validate_on_submit():
        if _answered(link, form):
            return _summary(link, pdf_url)
        form.dob.errors = [FAILED]
    return render_template("patient/check.html", form=form, code=code_form.code.data)


def _answered(link: models.PatientLink, form: PatientCheckForm) -> bool:
    """True, and access granted for a while, when the date of birth matches."""
    given = parse_date(form.dob.data or "")
    expected = str(link.prescription.document["patient"]["dob"])
    if given is None or not hmac.compare_digest(given.isoformat(), expected):
        return False
    grants = dict(session.get("patient_access") or {})
    grants = {k: v for k, v in grants.items() if float(v) > time.time()}
    grants[link.id] = time.time() + ACCESS_SECONDS
    session["patient_access"] = grants
    audit.record("patient opened", link.prescription, anonymous())
    db.session.commit()
    return True


def _summary(link: models.PatientLink, pdf_url: str) -> ResponseReturnValue:
    record = link.prescription
    return render_template(
        "patient/summary.html",
        record=record,
        rx=stored_prescription(record),
        pdf_url=pdf_url,
        link=link,
        zone=clock.zone_of(record.user),
    )


@bp.get("/<token>/prescription.pdf")
def download(token: str) -> ResponseReturnValue:
    """The stored PDF, for a patient who answered their date of birth."""
    return _download(active_link(token))


@bp.get("/code/<link_id>/prescription.pdf")
def download_by_code(link_id: str) -> ResponseReturnValue:
    """The stored PDF for a patient who came by short code (the grant is the key)."""
    return _download(link_by_id(link_id))


def _download(link: models.PatientLink | None) -> ResponseReturnValue:
    if link is None or not _granted(link):
        abort(404)
    audit.record("patient downloaded", link.prescription, anonymous())
    db.session.commit()
    return pdf_response(link.prescription)

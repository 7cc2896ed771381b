"""The prescription wizard: one page per step, a draft saved after every step."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from limits import parse as parse_limit
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

import models
from extensions import codeset, db, limiter
from forms.wizard import STEP_FORMS, DiagnosesForm, ReviewForm, SessionForm, StepForm
from rxassist import accounts, suggest, units, wizard
from rxassist.coverage import FIELDS_FOR, PAYER_TYPES
from rxassist.goals import goal_ideas
from rxassist.icd import IcdIndex
from rxassist.modalities import BODY_AREAS, CPT_CODES, TECHNIQUE_CPT
from rxassist.plan import COMMON_PLANS, describe_phases
from rxassist.prescription import (
    MAX_SESSION_MINUTES,
    parse_sections,
    parse_whole_number,
    validate_sections,
)
from rxassist.review import DOCUMENT_RULE, field_findings
from rxassist.rules import Finding, Severity
from rxassist.schema import MAX_DIAGNOSES, RECORD_LIMITS, within_limits
from services import checks, clock, issuing, presets
from services.issuing import Outcome
from views.actors import actor
from views.auth import may_sign

bp = Blueprint("wizard", __name__)

SEARCH_LIMIT = 15


@bp.before_request
@login_required
def _require_login() -> None:
    """Every wizard page needs a signed-in physician."""


def _draft(draft_id: str) -> models.Draft:
    """The current physician's draft, or 404 for anything else."""
    draft = db.session.get(models.Draft, draft_id) if len(draft_id) <= 32 else None
    if draft is None or draft.user_id != current_user.id:
        abort(404)
    g.embed = draft.embedded
    return draft


def _open_drafts(user_id: int) -> Any:
    return select(models.Draft).where(
        models.Draft.user_id == user_id, models.Draft.prescription_id.is_(None)
    )


@bp.app_context_processor
def _to_sign_count() -> dict[str, Any]:
    """How many API requests await the signed-in physician's signature (the nav)."""
    if not current_user or not current_user.is_authenticated or g.get("embed"):
        return {"to_sign_count": 0}
    waiting = _open_drafts(current_user.id).where(
        models.Draft.requested_by_key.is_not(None)
    )
    try:
        count = db.session.scalar(select(func.count()).select_from(waiting.subquery()))
    except SQLAlchemyError:
        # The nav must never break the page, least of all an error page.
        db.session.rollback()
        count = 0
    return {"to_sign_count": count or 0}


@bp.get("/drafts")
def drafts() -> Any:
    """Requests to sign, open drafts to resume and recent prescriptions."""
    open_drafts = db.session.scalars(
        _open_drafts(current_user.id).order_by(models.Draft.updated_at.desc())
    ).all()
    # Requested through the API: the physician signs them, oldest first.
    to_sign = sorted(
        (d for d in open_drafts if d.requested_by_key), key=lambda d: d.created_at
    )
    recent = db.session.scalars(
        select(models.Prescription)
        .where(models.Prescription.user_id == current_user.id)
        .order_by(models.Prescription.created_at.desc())
        .limit(20)
    ).all()
    return render_template(
        "wizard/drafts.html",
        to_sign=to_sign,
        # A blank draft nobody typed into is no draft to resume (presets.new_draft).
        drafts=[
            d for d in open_drafts if not (d.requested_by_key or presets.untouched(d))
        ],
        prescriptions=recent,
        steps=wizard,
        unconfirmed="" if current_user.npi_confirmed else accounts.NOT_CONFIRMED,
    )


@bp.post("/rx/new")
def new() -> Any:
    """Start a new blank draft at the first step (presets.new_draft)."""
    draft = presets.new_draft(current_user)
    return redirect(url_for("wizard.step", draft_id=draft.id, name=wizard.FIRST))


@bp.post("/rx/<draft_id>/delete")
def delete(draft_id: str) -> Any:
    """Discard a draft that was never finalized."""
    draft = _draft(draft_id)
    if draft.prescription_id:
        abort(404)
    db.session.delete(draft)
    db.session.commit()
    flash("Draft deleted.", "info")
    return redirect(url_for("wizard.drafts"))


@bp.route("/rx/<draft_id>/<name>", methods=["GET", "POST"])
def step(draft_id: str, name: str) -> Any:
    """Show a step (GET) or save it and move on (POST)."""
    if name not in wizard.BY_NAME:
        abort(404)
    draft = _draft(draft_id)
    if draft.prescription_id:
        target = "embed.done" if draft.embedded else "documents.show"
        return redirect(url_for(target, rx_id=draft.prescription_id))
    if name == "review":
        return _review(draft)
    form = STEP_FORMS[name]()
    icd = codeset.index()
    if request.method == "GET":
        form.load(draft.document)
        form.show(_step_findings(draft.document, form), errors=False)
        return _render(draft, name, form, icd)

    form.validate()  # binds and cleans the typed values; CSRF is checked app-wide
    if isinstance(form, DiagnosesForm):
        form.load(draft.document)
        if (response := _diagnoses_action(draft, form, icd)) is not None:
            return response
    document = form.dump(draft.document)
    if refused := _save(draft, document, name):
        # What fits is saved; each field over its limit says so beside it.
        for path, message in refused.items():
            form.attach_error(path, message)
        return _render(draft, name, form, icd, status=422)
    nav = request.form.get("nav", "next")
    if nav == "back":
        return _go(draft, wizard.previous_step(name))
    if nav.startswith("goto:") and nav[5:] in wizard.BY_NAME:
        return _go(draft, nav[5:])
    if nav == "save":
        flash("Draft saved.", "success")
        return _go(draft, name)
    if form.show(_step_findings(document, form)):
        return _go(draft, _next(draft, name, icd))
    return _render(draft, name, form, icd, status=422)


def _next(draft: models.Draft, name: str, icd: IcdIndex) -> str:
    """The step after ``name``; from the patient of a filled order (a preset, a last
    order), the review, or the first later step that still needs something."""
    if name != wizard.FIRST or draft.step != wizard.STEPS[-1].name:
        return wizard.next_step(name)
    dated = issuing.draft_document(draft.document, current_user)
    for later in wizard.STEPS[1:-1]:
        if validate_sections(dated, later.sections, icd=icd):
            return later.name
    return wizard.STEPS[-1].name


def _step_findings(document: dict[str, Any], form: StepForm) -> list[Finding]:
    """What the rules say of a step's sections, the draft read as written today."""
    dated = issuing.draft_document(document, current_user)
    return checks.review_step(dated, form.sections)


def _save(draft: models.Draft, document: dict[str, Any], name: str) -> dict[str, str]:
    """Save the step's document within the fields' limits; the fields refused."""
    document, refused = within_limits(document, draft.document)
    draft.document = document
    if wizard.index(name) >= wizard.index(draft.step):
        draft.step = name
    db.session.commit()
    return refused


def _go(draft: models.Draft, name: str) -> Any:
    if wizard.index(name) > wizard.index(draft.step):
        draft.step = name
        db.session.commit()
    return redirect(url_for("wizard.step", draft_id=draft.id, name=name))


def _render(
    draft: models.Draft, name: str, form: StepForm, icd: IcdIndex, status: int = 200
) -> Any:
    context: dict[str, Any] = {}
    if isinstance(form, DiagnosesForm):
        query = request.args.get("q", "").strip()[: RECORD_LIMITS["search_query"]]
        form.q.data = form.q.data or query
        context["query"] = form.q.data
        context["results"] = (
            icd.search(form.q.data, limit=SEARCH_LIMIT) if form.q.data else []
        )
        context.update(_diagnoses_context(draft, form, icd))
    if name == "diagnoses":
        context["code_set"] = f"{icd.label} ({icd.release})"
    if name == "patient":
        context["payer_groups"] = _payer_groups()
        context["payer_names"] = _recent_payer_names()
        # Most claims are in the practice's own state: offered, not imposed (JS).
        context["home_state"] = current_user.license_state or ""
    if name in ("patient", "modality"):
        context.update(_starts(draft, offer_presets=name == "patient"))
    if name == "body_areas":
        context["body_areas"] = BODY_AREAS
    if name == "modality":
        context["cpt_codes"] = CPT_CODES
        context["technique_cpt"] = TECHNIQUE_CPT
    if isinstance(form, SessionForm):
        context.update(_session_picks(draft.document))
        context["summary"] = _plan_summary(form.dump(draft.document), icd)
        context["split_codes"] = split = form.split_codes(draft.document)
        if split:  # the total's messages land on the first code's minutes
            form.anchors["minutes"] = f"minutes_{split[0]}"
        context["rule"] = {
            "cms_source": units.CMS_SOURCE,
            "unit_minutes": units.UNIT_MINUTES,
            "min_minutes": units.MIN_BILLABLE_MINUTES,
            "max_minutes": MAX_SESSION_MINUTES,
            "ranges": [units.minute_range(count) for count in range(1, 5)],
        }
    return (
        render_template(
            f"wizard/{name}.html",
            form=form,
            draft=draft,
            step=wizard.BY_NAME[name],
            steps=wizard.STEPS,
            reached=wizard.index(draft.step),
            **context,
        ),
        status,
    )


def _session_picks(document: dict[str, Any]) -> dict[str, Any]:
    """One-click plans and goal ideas for the areas chosen (typing stays possible)."""
    areas = [area for area, _ in _areas_of(document)]
    return {
        "common_plans": [
            (describe_phases(phases), [[p.per_week, p.weeks] for p in phases])
            for phases in COMMON_PLANS
        ],
        "goal_ideas": goal_ideas(areas),
    }


def _starts(draft: models.Draft, *, offer_presets: bool) -> dict[str, Any]:
    """What a draft with no order yet may start from: presets, the last order."""
    document = draft.document
    if (document.get("modality") or {}).get("cpt") or document.get("diagnoses"):
        return {}
    patient = document.get("patient") or {}
    last = presets.last_prescription(current_user, patient) if patient else None
    offered = presets.offered(current_user) if offer_presets else []
    return {"start_presets": offered, "last_order": last}


def _payer_groups() -> dict[str, dict[str, str]]:
    """Each group of coverage fields: the payer types it is for, as data and words."""
    return {
        name: {
            "show_for": " ".join(sorted(payers)),
            "title": " / ".join(v for k, v in PAYER_TYPES.items() if k in payers),
        }
        for name, payers in FIELDS_FOR.items()
    }


RECENT_CODES = 8
HISTORY_ORDERS = 200  # past orders of the practice read to rank suggestions
FRAGMENT_HEADER = "X-Rx-Fragment"  # sent by typeahead.js: answer the parts, not a page


def _diagnoses_context(
    draft: models.Draft, form: DiagnosesForm, icd: IcdIndex
) -> dict[str, Any]:
    """The chosen codes and the quick picks of the diagnoses step."""
    chosen = set(form.codes)
    areas = _areas_of(draft.document)
    for_areas = suggest.for_areas(areas, _practice_history(), icd, exclude=chosen)
    recent = [
        e.code for e in _recent_codes(icd, exclude=chosen) if e.code not in for_areas
    ]
    groups = [("For the areas chosen", for_areas), ("Recently used by you", recent)]
    return {
        "chosen": [(code, icd.get(code)) for code in form.codes],
        "max_diagnoses": MAX_DIAGNOSES,
        "picks": [
            {"label": label, "entries": [_pick(code, icd) for code in codes]}
            for label, codes in groups
        ],
    }


def _pick(code: str, icd: IcdIndex) -> dict[str, str]:
    entry = icd.get(code)
    return {"code": code, "title": entry.title if entry else ""}


def _areas_of(document: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The (area, side) pairs a document orders, skipping malformed items."""
    items = document.get("body_areas") or []
    return [
        (item["area"], item.get("side") or None)
        for item in items
        if isinstance(item, dict) and isinstance(item.get("area"), str)
    ]


def _practice_documents() -> list[dict[str, Any]]:
    """The practice's latest prescription documents (the physician's own when they
    have no practice), most recent first."""
    if current_user.practice_id is None:
        whose = models.Prescription.user_id == current_user.id
    else:
        colleagues = select(models.User.id).where(
            models.User.practice_id == current_user.practice_id
        )
        whose = models.Prescription.user_id.in_(colleagues)
    return list(
        db.session.scalars(
            select(models.Prescription.document)
            .where(whose)
            .order_by(models.Prescription.created_at.desc())
            .limit(HISTORY_ORDERS)
        )
    )


def _practice_history() -> list[tuple[list[tuple[str, str | None]], list[str]]]:
    """(areas, codes) of the practice's latest orders, or the physician's own."""
    return [
        (_areas_of(d), [c for c in d.get("diagnoses") or [] if isinstance(c, str)])
        for d in _practice_documents()
    ]


RECENT_PAYERS = 20


def _recent_payer_names() -> list[str]:
    """Carriers named on the practice's latest orders, most recent first: offered
    as the payer name."""
    names: list[str] = []
    for document in _practice_documents():
        name = ((document.get("coverage") or {}).get("payer_name") or "").strip()
        if name and name not in names:
            names.append(name)
        if len(names) == RECENT_PAYERS:
            break
    return names


def _recent_codes(icd: IcdIndex, exclude: set[str]) -> list[Any]:
    """Codes of this physician's latest prescriptions, most recent first."""
    documents = db.session.scalars(
        select(models.Prescription.document)
        .where(models.Prescription.user_id == current_user.id)
        .order_by(models.Prescription.created_at.desc())
        .limit(30)
    )
    seen: list[Any] = []
    for document in documents:
        for code in document.get("diagnoses", []):
            entry = icd.get(code)
            if entry and entry.billable and code not in exclude and entry not in seen:
                seen.append(entry)
            if len(seen) == RECENT_CODES:
                return seen
    return seen


def _plan_summary(document: dict[str, Any], icd: IcdIndex) -> dict[str, Any] | None:
    """Units, visits and dates of the session step, when its values are valid."""
    values, errors = _read_plan(document, icd)
    return None if errors else values


def _read_plan(
    document: dict[str, Any], icd: IcdIndex
) -> tuple[dict[str, Any], dict[str, str]]:
    dated = dict(document, written_on=clock.today().isoformat())
    values, errors = parse_sections(dated, ("session", "plan"), icd=icd)
    if not errors and (values["session"] is None or values["plan"] is None):
        errors = {"plan": "Enter the session and the plan."}
    if not errors:
        # Re-evaluations follow the payer's cadence, as far as coverage says it yet.
        coverage = parse_sections(dated, ("coverage",), icd=icd)[0]["coverage"]
        values["plan"] = checks.scheduled_plan(values["plan"], coverage)
    return values, errors


@bp.post("/rx/<draft_id>/session/summary")
def session_summary(draft_id: str) -> Any:
    """The session step's summary for what is typed now (nothing is saved)."""
    draft = _draft(draft_id)
    form = STEP_FORMS["session"]()
    form.validate()
    values, errors = _read_plan(form.dump(draft.document), codeset.index())
    return render_template(
        "wizard/_plan_summary.html",
        summary=None if errors else values,
        summary_errors=list(dict.fromkeys(errors.values()))[:2],
    )


def _diagnoses_action(draft: models.Draft, form: DiagnosesForm, icd: IcdIndex) -> Any:
    """Add, remove or move a code; answer None when the POST is a plain Next/Back."""
    action = request.form.get("action", "")
    codes = list(form.codes)
    query = request.form.get("q", "").strip()[: RECORD_LIMITS["search_query"]]
    if action == "search":
        _save(draft, form.dump(draft.document), "diagnoses")
        return redirect(
            url_for("wizard.step", draft_id=draft.id, name="diagnoses", q=query)
            + "#results"
        )
    if action.startswith("add"):
        if not _add_code(form, action, draft, icd):
            return _diagnoses_answer(draft, form, icd, status=422)
    elif action.startswith("replace:"):
        position, _, code = action.removeprefix("replace:").partition(":")
        i = parse_whole_number(position, max_digits=2)
        if i is not None and 0 <= i < len(codes):
            # In place, the list itself shows the change: no message for the next page.
            _replace_code(draft, f"{codes[i]}>{code}", tell=not _fragment_wanted())
            form.codes = list(draft.document.get("diagnoses") or [])
    elif action.startswith(("remove:", "up:", "down:")):
        form.codes = _moved(codes, action)
    else:
        return None
    refused = _save(draft, form.dump(draft.document), "diagnoses")
    if _fragment_wanted():
        for path, message in refused.items():
            form.attach_error(path, message)
        return _diagnoses_answer(draft, form, icd, status=422 if refused else 200)
    return redirect(
        url_for("wizard.step", draft_id=draft.id, name="diagnoses", q=query or None)
    )


def _add_code(
    form: DiagnosesForm, action: str, draft: models.Draft, icd: IcdIndex
) -> bool:
    """Add the code the action names (or the one typed); False with the error shown."""
    raw = action[4:] if action.startswith("add:") else (form.code.data or "")
    check = icd.check(raw)
    if not check.ok:
        form.attach_error("diagnoses", check.message or "Not a billable code.")
        form.suggestions = check.suggestions
        return False
    codes = list(form.codes)
    candidate = form.dump(draft.document)
    candidate["diagnoses"] = [*codes, check.code]
    errors = validate_sections(candidate, ["diagnoses"], icd=icd)
    problem = errors.get("diagnoses") or errors.get(f"diagnoses.{len(codes)}")
    if problem:
        form.attach_error("diagnoses", problem)
        return False
    form.codes = candidate["diagnoses"]
    return True


def _moved(codes: list[str], action: str) -> list[str]:
    """The codes after "remove:i", "up:i" or "down:i"; unchanged for a bad position."""
    verb, _, position = action.partition(":")
    i = parse_whole_number(position, max_digits=2)
    i = -1 if i is None else i
    if 0 <= i < len(codes):
        if verb == "remove":
            codes.pop(i)
        elif verb == "up" and i > 0:
            codes[i - 1], codes[i] = codes[i], codes[i - 1]
        elif verb == "down" and i < len(codes) - 1:
            codes[i + 1], codes[i] = codes[i], codes[i + 1]
    return codes


def _fragment_wanted() -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "diagnoses"


def _diagnoses_answer(
    draft: models.Draft, form: DiagnosesForm, icd: IcdIndex, status: int
) -> Any:
    """The step after a change: its changing parts for typeahead.js, or the page."""
    if not _fragment_wanted():
        return _render(draft, "diagnoses", form, icd, status=status)
    form.show(_step_findings(form.dump(draft.document), form), errors=False)
    html = render_template(
        "wizard/_diagnoses_fragment.html",
        form=form,
        **_diagnoses_context(draft, form, icd),
    )
    return html, status, {"Vary": FRAGMENT_HEADER, "Cache-Control": "no-store"}


def _review(draft: models.Draft) -> Any:
    """Show the prescription as it will print, with every finding; finalize it."""
    form = ReviewForm()
    checked = checks.review(issuing.draft_document(draft.document, current_user))
    if checked.rx is not None:
        form.attesting(checked.rx.necessity)
    findings, accept_error = list(checked.findings), ""
    if request.method == "POST":
        nav = request.form.get("nav", "finalize")
        if nav != "finalize":
            return _review_nav(draft, nav)
        answer = _sign(draft, form, checked)
        if not isinstance(answer, tuple):
            return answer
        findings, accept_error = answer[0] or findings, answer[1]
    return _render_review(draft, form, checked, findings, accept_error)


def _review_nav(draft: models.Draft, nav: str) -> Any:
    """Back, a step, a one-click fix or Save draft: anything but signing."""
    if nav == "back":
        return _go(draft, wizard.previous_step("review"))
    if nav.startswith("goto:") and nav[5:] in wizard.BY_NAME:
        return _go(draft, nav[5:])
    if nav.startswith("replace:"):
        _replace_code(draft, nav.removeprefix("replace:"))
        return _go(draft, "review")
    flash("Draft saved.", "success")
    return _go(draft, "review")


def _sign(
    draft: models.Draft, form: ReviewForm, checked: Any
) -> Any | tuple[list[Finding], str]:
    """Finalize (sign) the draft: the redirect, or what to show beside the form."""
    if not current_user.npi_confirmed:
        return [], ""  # the review page says why (issuing refuses it too)
    refused = may_sign(form.password.data or "") if form.validate() else None
    if refused:
        form.password.errors = [refused]
        return [], ""
    if not (form.validate_on_submit() and checked.ok) or current_user.profile_missing:
        return [], ""
    accepted = request.form.getlist("accept") if form.accept_warnings.data else []
    if not _may_finalize_now():
        abort(429)
    issued = issuing.finalize(draft, current_user, actor(), accepted)
    if issued.record is not None:
        flash("Prescription finalized.", "success")
        target = "embed.done" if draft.embedded else "documents.show"
        return redirect(url_for(target, rx_id=issued.record.id))
    if issued.outcome is Outcome.WARNINGS_NOT_ACCEPTED:
        return list(issued.findings), ACCEPT_WARNINGS
    if issued.errors and not issued.findings:
        return list(field_findings(issued.errors)), ""
    return list(issued.findings), ""


def _may_finalize_now() -> bool:
    """Whether the physician may finalize now (RX_FINALIZE_LIMIT a minute).

    Counted in the limiter's storage, shared with every other limit.
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    allowed = parse_limit(current_app.config["RX_FINALIZE_LIMIT"])
    return bool(limiter.limiter.hit(allowed, "finalize", str(current_user.id)))


def _render_review(
    draft: models.Draft,
    form: ReviewForm,
    checked: Any,
    findings: list[Finding],
    accept_error: str,
) -> Any:
    """The review page: the preview, what blocks finalizing, the warnings to accept."""
    errors = [f for f in findings if f.severity is Severity.ERROR]
    return (
        render_template(
            "wizard/review.html",
            form=form,
            draft=draft,
            step=wizard.BY_NAME["review"],
            steps=wizard.STEPS,
            reached=wizard.index(draft.step),
            rx=checked.rx if not errors else None,
            fixes=[
                (f, wizard.step_of_field(f.field))
                for f in errors
                if not f.field.startswith("prescriber.") or f.rule != DOCUMENT_RULE
            ],
            notes=[
                (f, wizard.step_of_field(f.field), issuing.warning_key(f))
                for f in findings
                if f.severity is not Severity.ERROR
            ],
            accept_error=accept_error,
            must_accept=any(f.severity is Severity.WARNING for f in findings),
            sign_window=current_app.config["RX_SIGN_WINDOW_SECONDS"],
            missing=current_user.profile_missing,
            unconfirmed="" if current_user.npi_confirmed else accounts.NOT_CONFIRMED,
        ),
        200 if request.method == "GET" else 422,
    )


ACCEPT_WARNINGS = (
    "Read the warnings above and tick that you accept them, or correct the order."
)


def _replace_code(draft: models.Draft, change: str, tell: bool = True) -> None:
    """The one-click fix of a finding: put one billable code in another's place."""
    old, _, new = change.partition(">")
    check = codeset.index().check(new)
    codes = list(draft.document.get("diagnoses") or [])
    if check.ok and old in codes and check.code not in codes:
        codes[codes.index(old)] = check.code
        draft.document = dict(draft.document, diagnoses=codes)
        db.session.commit()
        if tell:
            flash(f"{old} replaced by {check.code}.", "success")

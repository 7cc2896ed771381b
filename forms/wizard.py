"""One form per wizard step; the rules they show come from rxassist.prescription."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, DateInput, ListWidget

from forms.base import STATE_CHOICES, StepForm, choices, pick
from rxassist.coverage import (
    EMC_LABEL,
    EMERGENCY_MEDICAL_CONDITION,
    PAYER_TYPES,
    RELATED_TO,
)
from rxassist.modalities import (
    BODY_AREAS,
    CPT_CODES,
    PERFORMERS,
    PRECAUTION_KINDS,
    PRESSURES,
    SIDES,
    TECHNIQUE_CPT,
)
from rxassist.prescription import LIMITS
from rxassist.rules import Finding
from rxassist.schema import MAX_CODE_LENGTH, MAX_GOALS, RECORD_LIMITS
from rxassist.statement import attestation
from rxassist.wizard import BY_NAME

SIDE_CHOICES = choices((side, side.capitalize()) for side in SIDES)
PHASE_ROWS = 4
GOAL_ROWS = 3  # rows shown; one more appears below the last filled, up to MAX_GOALS
GOAL_PARTS = ("function", "baseline", "target")


def _limit(name: str, **extra: Any) -> dict[str, Any]:
    return {"maxlength": LIMITS[name], **extra}


def _get(document: Mapping[str, Any], *path: str) -> Any:
    value: Any = document
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _str(value: Any) -> str:
    return "" if value is None else str(value)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; the domain decides which values are valid."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PatientForm(StepForm):
    """Step 1: the patient and who pays."""

    sections = BY_NAME["patient"].sections
    error_fields = {
        "patient.name": "name",
        "patient.dob": "dob",
        "patient.phone": "phone",
        "patient.address": "address",
        "patient.mrn": "mrn",
        "coverage.payer_type": "payer_type",
        "coverage.payer_name": "payer_name",
        "coverage.member_id": "member_id",
        "coverage.claim_number": "claim_number",
        "coverage.date_of_injury": "date_of_injury",
        "coverage.accident_state": "accident_state",
        "coverage.policy_number": "policy_number",
        "coverage.employer": "employer",
        "coverage.jurisdiction_state": "jurisdiction_state",
        "coverage.emergency_medical_condition": "emergency_medical_condition",
        "coverage.onset_date": "onset_date",
        "coverage.related_to": "related_to",
    }

    name = StringField("Patient name", render_kw=_limit("name", autocomplete="off"))
    dob = StringField("Date of birth", widget=DateInput())
    phone = StringField("Phone (optional)", render_kw=_limit("phone", type="tel"))
    address = StringField("Address (optional)", render_kw=_limit("address"))
    mrn = StringField("Medical record number (optional)", render_kw=_limit("mrn"))
    payer_type = SelectField(
        "Payer type", choices=pick(PAYER_TYPES.items()), validate_choice=False
    )
    payer_name = StringField("Payer or carrier name", render_kw=_limit("payer_name"))
    member_id = StringField("Member ID", render_kw=_limit("member_id"))
    claim_number = StringField("Claim number", render_kw=_limit("claim_number"))
    date_of_injury = StringField("Date of injury", widget=DateInput())
    accident_state = SelectField(
        "Accident state", choices=STATE_CHOICES, validate_choice=False
    )
    policy_number = StringField("Policy number", render_kw=_limit("policy_number"))
    employer = StringField("Employer", render_kw=_limit("employer"))
    jurisdiction_state = SelectField(
        "State of jurisdiction", choices=STATE_CHOICES, validate_choice=False
    )
    emergency_medical_condition = SelectField(
        EMC_LABEL,
        choices=pick(EMERGENCY_MEDICAL_CONDITION.items()),
        validate_choice=False,
    )
    onset_date = StringField(
        "Date of onset of the current illness or injury", widget=DateInput()
    )
    related_to = SelectField(
        "Is the condition related to",
        choices=pick(RELATED_TO.items()),
        validate_choice=False,
    )

    def load(self, document: Mapping[str, Any]) -> None:
        for path, name in self.error_fields.items():
            self[name].data = _str(_get(document, *path.split(".")))

    def dump(self, document: Mapping[str, Any]) -> dict[str, Any]:
        updated = dict(document)
        updated["patient"] = {
            key: self[key].data or ""
            for key in ("name", "dob", "phone", "address", "mrn")
        }
        updated["coverage"] = {
            path.split(".")[1]: self[name].data or ""
            for path, name in self.error_fields.items()
            if path.startswith("coverage.")
        }
        return updated


class ModalityForm(StepForm):
    """Step 2: CPT codes, techniques and pressure."""

    sections = BY_NAME["modality"].sections
    error_fields = {
        "modality.cpt": "cpt",
        "modality.techniques": "techniques",
        "modality.pressure": "pressure",
        "modality.performer": "performer",
    }
    # The checkboxes are drawn by hand (wizard/modality.html): the first of each group.
    ANCHORS = {
        "cpt": f"cpt-{next(iter(CPT_CODES))}",
        "techniques": f"technique-{next(iter(CPT_CODES))}-1",
    }

    cpt = MultiCheckboxField(
        "CPT code",
        choices=choices((c.code, f"CPT {c.code} {c.name}") for c in CPT_CODES.values()),
        validate_choice=False,
    )
    techniques = MultiCheckboxField(
        "Techniques",
        choices=choices((t, t.capitalize()) for t in TECHNIQUE_CPT),
        validate_choice=False,
    )
    pressure = RadioField(
        "Pressure", choices=choices(PRESSURES.items()), validate_choice=False
    )
    performer = RadioField(
        "To be performed by",
        choices=choices(PERFORMERS.items()),
        validate_choice=False,
    )

    def load(self, document: Mapping[str, Any]) -> None:
        self.cpt.data = list(_get(document, "modality", "cpt") or [])
        self.techniques.data = list(_get(document, "modality", "techniques") or [])
        self.pressure.data = _get(document, "modality", "pressure") or None
        self.performer.data = _get(document, "modality", "performer") or None

    def dump(self, document: Mapping[str, Any]) -> dict[str, Any]:
        return dict(
            document,
            modality={
                "cpt": list(self.cpt.data or []),
                "techniques": list(self.techniques.data or []),
                "pressure": self.pressure.data or "",
                "performer": self.performer.data or "",
            },
        )


class BodyAreasForm(StepForm):
    """Step 3: the areas to treat, each with its side where it has one."""

    sections = BY_NAME["body_areas"].sections
    error_fields = {"body_areas": "areas_error"}
    # "Choose at least one area" lands on the first area's box.
    ANCHORS = {"areas_error": f"area_{next(iter(BODY_AREAS))}"}

    def load(self, document: Mapping[str, Any]) -> None:
        for item in _get(document, "body_areas") or []:
            key = item.get("area") if isinstance(item, Mapping) else None
            if key in BODY_AREAS:
                self[f"area_{key}"].data = True
                if f"side_{key}" in self:
                    self[f"side_{key}"].data = item.get("side") or None

    def checked(self) -> list[str]:
        """Keys of the areas ticked, in the catalogue's order."""
        return [key for key in BODY_AREAS if self[f"area_{key}"].data]

    def dump(self, document: Mapping[str, Any]) -> dict[str, Any]:
        areas = []
        for key in self.checked():
            item = {"area": key}
            if f"side_{key}" in self and self[f"side_{key}"].data:
                item["side"] = self[f"side_{key}"].data
            areas.append(item)
        return dict(document, body_areas=areas)

    def field_for(self, path: str) -> str | None:
        parts = path.split(".")
        if len(parts) >= 2 and parts[1].isdigit():
            checked = self.checked()
            index = int(parts[1])
            if index < len(checked):
                key = checked[index]
                return f"side_{key}" if f"side_{key}" in self else f"area_{key}"
        return super().field_for(path)


for _key, _area in BODY_AREAS.items():
    setattr(BodyAreasForm, f"area_{_key}", BooleanField(_area.label))
    if _area.sided:
        setattr(
            BodyAreasForm,
            f"side_{_key}",
            RadioField(
                f"{_area.label} side", choices=SIDE_CHOICES, validate_choice=False
            ),
        )
BodyAreasForm.areas_error = StringField("Body areas")  # type: ignore[attr-defined]


class DiagnosesForm(StepForm):
    """Step 4: search the code set and keep an ordered list of up to 12 codes."""

    sections = BY_NAME["diagnoses"].sections
    error_fields = {"diagnoses": "code"}

    q = StringField(
        "Search ICD-10-CM", render_kw={"maxlength": RECORD_LIMITS["search_query"]}
    )
    code = StringField("Add a code", render_kw={"maxlength": MAX_CODE_LENGTH})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes: list[str] = []
        self.code_errors: dict[int, str] = {}
        self.code_warnings: dict[int, list[Finding]] = {}
        self.suggestions: tuple[Any, ...] = ()

    def load(self, document: Mapping[str, Any]) -> None:
        self.codes = [
            c for c in _get(document, "diagnoses") or [] if isinstance(c, str)
        ]

    def dump(self, document: Mapping[str, Any]) -> dict[str, Any]:
        return dict(document, diagnoses=list(self.codes))

    def attach_error(self, path: str, message: str) -> None:
        parts = path.split(".")
        if len(parts) == 2 and parts[1].isdigit():
            self.code_errors[int(parts[1])] = message
        else:
            super().attach_error(path, message)

    def attach_warning(self, finding: Finding) -> None:
        parts = finding.field.split(".")
        if len(parts) == 2 and parts[1].isdigit():
            self.code_warnings.setdefault(int(parts[1]), []).append(finding)
        else:
            self.form_warnings.append(finding)  # about the list: shown above it


# How a message names the row of a list it is about: "Phase 2: …", "Goal 1: …".
ROW_NAMES = {"phases": "Phase", "goals": "Goal"}


class PhaseForm(Form):
    """One phase row: times per week for a number of weeks."""

    per_week = StringField("Times per week", render_kw={"inputmode": "numeric"})
    weeks = StringField("Weeks", render_kw={"inputmode": "numeric"})


class GoalForm(Form):
    """One goal row: the function, where it is now and the target."""

    function = StringField("Function", render_kw=_limit("goal_function"))
    baseline = StringField("Baseline", render_kw=_limit("goal_value"))
    target = StringField("Target", render_kw=_limit("goal_value"))

    def filled(self) -> bool:
        """True when anything was typed in the row."""
        return any((self[key].data or "").strip() for key in GOAL_PARTS)


class SessionForm(StepForm):
    """Step 5: session length, frequency plan, goals and precautions."""

    sections = BY_NAME["session"].sections
    error_fields = {
        "session.minutes": "minutes",
        "session.units": "units",
        "plan.start": "start",
        "plan.phases": "phases",
        "plan.visits": "visits",
        "plan.weeks": "weeks",
        "precautions": "other_precautions",
        "goals": "goals",
        **{f"session.minutes_by_cpt.{code}": f"minutes_{code}" for code in CPT_CODES},
        "session.minutes_by_cpt": "minutes",
    }

    session_mode = RadioField(
        "Session length in",
        choices=choices([("minutes", "Minutes"), ("units", "Units")]),
        default="minutes",
        validate_choice=False,
    )
    minutes = StringField("Minutes per session", render_kw={"inputmode": "numeric"})
    # With both codes ordered: the minutes of each (their total is the session).
    minutes_97140 = StringField(
        "Minutes of CPT 97140 (manual therapy)", render_kw={"inputmode": "numeric"}
    )
    minutes_97124 = StringField(
        "Minutes of CPT 97124 (massage)", render_kw={"inputmode": "numeric"}
    )
    units = StringField("Units per session", render_kw={"inputmode": "numeric"})
    plan_mode = RadioField(
        "Frequency",
        choices=choices(
            [("phases", "Phases (times per week)"), ("visits", "Visits over weeks")]
        ),
        default="phases",
        validate_choice=False,
    )
    phases = FieldList(FormField(PhaseForm), min_entries=PHASE_ROWS)
    visits = StringField("Visits", render_kw={"inputmode": "numeric"})
    weeks = StringField("Over weeks", render_kw={"inputmode": "numeric"})
    start = StringField("Start date", widget=DateInput())
    goals = FieldList(FormField(GoalForm), min_entries=GOAL_ROWS)
    anticoagulant = BooleanField(PRECAUTION_KINDS["anticoagulant"])
    postop = BooleanField("Post-operative: cleared for massage from")
    postop_date = StringField("Cleared from", widget=DateInput())
    lymphedema = BooleanField(PRECAUTION_KINDS["lymphedema"])
    other_precautions = StringField(
        "Other precautions", render_kw={"maxlength": LIMITS["precaution"]}
    )

    def load(self, document: Mapping[str, Any]) -> None:
        state = _get(document, "wizard", "session") or {}
        session = _get(document, "session") or {}
        plan = _get(document, "plan") or {}
        self.session_mode.data = state.get("session_mode") or (
            "units" if session.get("units") not in (None, "") else "minutes"
        )
        self.minutes.data = _str(session.get("minutes"))
        self.units.data = _str(session.get("units"))
        by_cpt = session.get("minutes_by_cpt")
        for code in CPT_CODES:
            self[f"minutes_{code}"].data = _str(
                by_cpt.get(code) if isinstance(by_cpt, Mapping) else None
            )
        self.plan_mode.data = state.get("plan_mode") or (
            "visits" if plan.get("visits") not in (None, "") else "phases"
        )
        rows = list(plan.get("phases") or [])
        while len(self.phases.entries) < len(rows):
            self.phases.append_entry()
        for entry, row in zip(self.phases.entries, rows, strict=False):
            entry.per_week.data = _str(row.get("per_week"))
            entry.weeks.data = _str(row.get("weeks"))
        self.visits.data = _str(plan.get("visits"))
        self.weeks.data = _str(plan.get("weeks"))
        self.start.data = _str(plan.get("start"))
        self.load_goals(_get(document, "goals"))
        self.load_precautions(_get(document, "precautions") or [])

    def load_goals(self, items: Any) -> None:
        """A row per goal and one empty row more; old free text fills a function."""
        if isinstance(items, str):
            items = [{"function": items}] if items.strip() else []
        rows = [item for item in items or [] if isinstance(item, Mapping)]
        while len(self.goals.entries) < min(len(rows) + 1, MAX_GOALS):
            self.goals.append_entry()
        for entry, row in zip(self.goals.entries, rows, strict=False):
            for key in GOAL_PARTS:
                entry[key].data = _str(row.get(key))

    def split_codes(self, document: Mapping[str, Any]) -> list[str]:
        """The CPT codes the draft orders when there are several, else none."""
        ordered = _get(document, "modality", "cpt") or []
        codes = [code for code in CPT_CODES if code in ordered]
        return codes if len(codes) > 1 else []

    def phase_rows(self) -> list[Any]:
        """The phase rows typed in, in order: the document's phases."""
        return [
            e
            for e in self.phases.entries
            if (e.per_week.data or "").strip() or (e.weeks.data or "").strip()
        ]

    def goal_rows(self) -> list[Any]:
        """The rows typed in, in order: the document's goals."""
        return [entry for entry in self.goals.entries if entry.filled()]

    def load_precautions(self, items: Any) -> None:
        """Tick a box per precaution kind; other precautions share one text field."""
        items = [items] if isinstance(items, str | Mapping) else list(items)
        other = []
        for item in items:
            if isinstance(item, str):
                item = {"kind": "other", "text": item}
            kind = item.get("kind") if isinstance(item, Mapping) else None
            if kind == "other":
                other.append(_str(item.get("text")))
            elif kind in ("anticoagulant", "lymphedema", "postop"):
                self[kind].data = True
            if kind == "postop":
                self.postop_date.data = _str(item.get("cleared_on"))
        self.other_precautions.data = "; ".join(t for t in other if t.strip())

    def dump(self, document: Mapping[str, Any]) -> dict[str, Any]:
        by_units = self.session_mode.data == "units"
        session: dict[str, Any] = (
            {"units": self.units.data or ""}
            if by_units
            else {"minutes": self.minutes.data or ""}
        )
        if codes := self.split_codes(document):
            # Both codes: the minutes of each, and the total is their sum.
            session = {
                "minutes_by_cpt": {
                    code: self[f"minutes_{code}"].data or "" for code in codes
                }
            }
        plan: dict[str, Any] = {"start": self.start.data or ""}
        if self.plan_mode.data == "visits":
            plan.update(visits=self.visits.data or "", weeks=self.weeks.data or "")
        else:
            plan["phases"] = [
                {"per_week": e.per_week.data or "", "weeks": e.weeks.data or ""}
                for e in self.phase_rows()
            ]
        precautions: list[dict[str, str]] = []
        if self.anticoagulant.data:
            precautions.append({"kind": "anticoagulant"})
        if self.postop.data:
            precautions.append(
                {"kind": "postop", "cleared_on": self.postop_date.data or ""}
            )
        if self.lymphedema.data:
            precautions.append({"kind": "lymphedema"})
        if (self.other_precautions.data or "").strip():
            precautions.append(
                {"kind": "other", "text": self.other_precautions.data or ""}
            )
        wizard = dict(_get(document, "wizard") or {})
        wizard["session"] = {
            "session_mode": self.session_mode.data,
            "plan_mode": self.plan_mode.data,
        }
        return dict(
            document,
            session=session,
            plan=plan,
            precautions=precautions,
            goals=[
                {key: (entry[key].data or "").strip() for key in GOAL_PARTS}
                for entry in self.goal_rows()
            ],
            wizard=wizard,
        )

    def attach_error(self, path: str, message: str) -> None:
        """A phase's or goal's message shows beside its row, naming the row."""
        parts = path.split(".")
        if parts[0] == "plan" and len(parts) > 2 and parts[1] == "phases":
            parts = parts[1:]
        if parts[0] in ROW_NAMES and len(parts) > 1 and parts[1].isdigit():
            rows = self.phase_rows() if parts[0] == "phases" else self.goal_rows()
            index = int(parts[1])
            if index < len(rows):
                entry = rows[index]
                key = parts[2] if len(parts) > 2 and parts[2] in entry.form else ""
                field = entry[key] if key else next(iter(entry))
                row = self[parts[0]].entries.index(entry) + 1
                named = f"{ROW_NAMES[parts[0]]} {row}: {message}"
                field.errors = [*list(field.errors or []), named]
                return
        super().attach_error(path, message)

    def field_for(self, path: str) -> str | None:
        if path.endswith(".cleared_on"):
            return "postop_date"
        if path.startswith("precautions."):
            return "other_precautions"
        return super().field_for(path)


class ReviewForm(StepForm):
    """Step 6: the medical-necessity attestation, then Finalize."""

    attest = BooleanField(
        "I attest that the therapy ordered is medically necessary, as this "
        "prescription states.",
        validators=[
            DataRequired("Tick the medical-necessity attestation to finalize.")
        ],
    )

    password = PasswordField(
        "Your password, to sign",
        render_kw={"autocomplete": "current-password"},
    )
    accept_warnings = BooleanField(
        "I have read the warnings above and accept them for this prescription."
    )

    def load(self, document: Mapping[str, Any]) -> None:
        """The attestation is never stored: it is ticked at each finalize."""

    def attesting(self, necessity: str) -> None:
        """Name what is attested: the prescription's medical-necessity statement."""
        self.attest.label.text = attestation(necessity)

    def dump(self, document: Mapping[str, Any]) -> dict[str, Any]:
        return dict(document)


STEP_FORMS: dict[str, type[StepForm]] = {
    "patient": PatientForm,
    "modality": ModalityForm,
    "body_areas": BodyAreasForm,
    "diagnoses": DiagnosesForm,
    "session": SessionForm,
    "review": ReviewForm,
}

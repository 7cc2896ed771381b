"""The prescription document and its one validation, shared by the wizard, API and CLI.

A *document* is plain JSON-shaped data (what the CLI reads, the API receives and a
draft stores). ``validate`` turns it into a ``Prescription`` or into errors keyed by
dotted field paths ("patient.dob", "plan.phases.0.per_week"), one message per field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime
from typing import Any, Protocol

from rxassist import statement, units
from rxassist.coverage import (
    EMERGENCY_MEDICAL_CONDITION,
    FIELDS_FOR,
    HEALTH_PLANS,
    INJURY_PAYERS,
    NPI_INVALID,
    PAYER_TYPES,
    RELATED_TO,
    US_STATES,
    npi_is_valid,
)
from rxassist.icd import CodeCheck, IcdCode
from rxassist.modalities import (
    BODY_AREAS,
    CPT_CODES,
    PERFORMERS,
    PRECAUTION_KINDS,
    PRESSURES,
    SIDE_OPTIONAL,
    SIDES,
    TECHNIQUE_ALIASES,
    TECHNIQUE_CPT,
    Precaution,
    body_area_label,
)
from rxassist.plan import Phase, Plan
from rxassist.schema import (
    ADDED_FIELDS,
    MAX_AGE_YEARS,
    MAX_BODY_AREAS,
    MAX_DIAGNOSES,
    MAX_GOALS,
    MAX_LENGTH,
    MAX_PER_WEEK,
    MAX_PHASES,
    MAX_PRECAUTIONS,
    MAX_SESSION_MINUTES,
    MAX_WEEKS,
    MIN_PHONE_DIGITS,
)
from rxassist.statement import Goal
from rxassist.units import CodeUnits


class CodeSet(Protocol):
    """What validation needs of a code set: the loaded index, or a record's codes."""

    @property
    def label(self) -> str:
        """The code set's name, printed in the PDF footer."""

    def check(self, code: str) -> CodeCheck:
        """Whether a code is billable, and why not."""


Errors = dict[str, str]

# Length limits of every free-text field, in characters (see rxassist.schema).
LIMITS = MAX_LENGTH

# Who the prescription is for, and what is ordered (a preset carries the order alone).
PATIENT_SECTIONS = ("patient", "coverage")
ORDER_SECTIONS = (
    "modality",
    "body_areas",
    "diagnoses",
    "session",
    "plan",
    "precautions",
    "goals",
)
SECTIONS = ("written_on", "prescriber", *PATIENT_SECTIONS, *ORDER_SECTIONS)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Joiners that Persian and Indic names need to spell correctly; every other invisible
# format character (zero-width space, direction overrides and isolates, BOM) is refused.
_NEEDED_JOINERS = frozenset("\u200c\u200d")
_CPT_CHOICES = ", ".join(list(CPT_CODES)[:-1]) + " or " + list(CPT_CODES)[-1]
_PHONE = re.compile(r"^\+?[0-9 ().\-]{7,24}(\s*(x|ext\.?)\s*[0-9]{1,6})?$", re.I)


@dataclass(frozen=True)
class Prescriber:
    """Who orders: printed in the letterhead and under the signature line."""

    name: str
    credentials: str
    npi: str
    license: str
    license_state: str  # blank only on a record signed before it was asked for
    practice: str
    address: str
    phone: str
    fax: str = ""
    specialty: str = ""


PRESCRIBER_FIELDS = tuple(f.name for f in fields(Prescriber))
# What every prescription must print of its prescriber (fax, specialty may be blank).
REQUIRED_PRESCRIBER_FIELDS = tuple(
    f.name for f in fields(Prescriber) if f.default is MISSING
)


@dataclass(frozen=True)
class Patient:
    """Who the order is for."""

    name: str
    dob: date
    phone: str = ""
    address: str = ""
    mrn: str = ""


@dataclass(frozen=True)
class Coverage:
    """Who pays, and the injury claim for Workers' Comp and PIP."""

    payer_type: str
    payer_name: str = ""
    member_id: str = ""
    claim_number: str = ""
    policy_number: str = ""
    date_of_injury: date | None = None
    accident_state: str = ""
    employer: str = ""
    jurisdiction_state: str = ""
    emergency_medical_condition: str = ""
    onset_date: date | None = None
    related_to: str = ""

    @property
    def payer_label(self) -> str:
        """The payer type in words."""
        return PAYER_TYPES[self.payer_type]

    @property
    def is_injury_claim(self) -> bool:
        """True for Workers' Comp and auto PIP/no-fault."""
        return self.payer_type in INJURY_PAYERS

    def shows(self, group: str) -> bool:
        """True when a group of coverage fields (``FIELDS_FOR``) is for this payer."""
        return self.payer_type in FIELDS_FOR[group]

    @property
    def emergency_medical_condition_label(self) -> str:
        """The emergency-medical-condition answer in words, or ""."""
        return EMERGENCY_MEDICAL_CONDITION.get(self.emergency_medical_condition, "")

    @property
    def related_to_label(self) -> str:
        """What the condition is related to, in words, or ""."""
        return RELATED_TO.get(self.related_to, "")


@dataclass(frozen=True)
class Modality:
    """The CPT codes ordered, their techniques and the pressure."""

    cpt: tuple[str, ...]
    techniques: tuple[str, ...]
    pressure: str
    performer: str = ""  # blank only on a record signed before it was asked for

    def lines(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """Return (code, name, techniques) for each CPT code ordered."""
        return [
            (
                code,
                CPT_CODES[code].name,
                tuple(t for t in self.techniques if TECHNIQUE_CPT[t] == code),
            )
            for code in self.cpt
        ]

    @property
    def warnings(self) -> list[str]:
        """Coverage warnings for the codes ordered."""
        return [w for code in self.cpt if (w := CPT_CODES[code].warning)]

    @property
    def pressure_label(self) -> str:
        """The pressure in words."""
        return PRESSURES[self.pressure]

    @property
    def performer_label(self) -> str:
        """Who performs the therapy, in words, or ""."""
        return PERFORMERS.get(self.performer, "")


@dataclass(frozen=True)
class OrderedArea:
    """A body area to treat, with its side where it has one."""

    area: str
    side: str | None = None

    @property
    def label(self) -> str:
        """ "Shoulder, left"."""
        return body_area_label(self.area, self.side)


@dataclass(frozen=True)
class Diagnosis:
    """A billable ICD-10-CM code and its full title."""

    code: str
    title: str


@dataclass(frozen=True)
class Session:
    """Session length and the timed units it bills, with each code's share."""

    minutes: int
    # (CPT code, minutes) of each code when the order gives them (both codes).
    minutes_by_cpt: tuple[tuple[str, int], ...] = ()

    @property
    def units(self) -> int:
        """Units under the 8-minute rule, from the total timed minutes."""
        return units.units_for_minutes(self.minutes)

    def by_code(self) -> tuple[CodeUnits, ...]:
        """Each code's minutes and units (CMS: units from the total minutes)."""
        return units.allocate(self.minutes_by_cpt)

    def describe(self) -> str:
        """ "60 minutes (4 units): CPT 97140 40 minutes (3 units), CPT 97124 …"."""
        total = units.describe(self.minutes)
        if len(self.minutes_by_cpt) < 2:
            return total
        return f"{total}: " + ", ".join(c.describe() for c in self.by_code())


@dataclass(frozen=True)
class Prescription:
    """A complete, valid prescription for medical massage therapy."""

    written_on: date
    prescriber: Prescriber
    patient: Patient
    coverage: Coverage
    modality: Modality
    body_areas: tuple[OrderedArea, ...]
    diagnoses: tuple[Diagnosis, ...]
    session: Session
    plan: Plan
    precautions: tuple[Precaution, ...] = ()
    goals: tuple[Goal, ...] = ()
    # A record signed before goals were measurable keeps its free-text goals.
    goals_text: str = ""
    number: str = ""
    amends: str = ""
    code_set: str = ""
    warnings: tuple[str, ...] = field(default=())

    @property
    def is_legacy(self) -> bool:
        """Signed before goals were measurable: it prints the words of its day."""
        return not self.goals

    @property
    def title(self) -> str:
        """ "Prescription for manual therapy": what is ordered."""
        if self.is_legacy:
            return statement.LEGACY_TITLE
        return statement.title(self.modality.cpt)

    @property
    def necessity(self) -> str:
        """The medical-necessity statement, composed from the order."""
        if self.is_legacy:
            return statement.LEGACY_NECESSITY
        return statement.necessity(
            self.modality.cpt,
            [(d.code, d.title) for d in self.diagnoses],
            self.goals,
        )

    @property
    def goals_line(self) -> str:
        """The goals as printed: "Cervical rotation 45° → 70°; Pain 7/10 → 3/10"."""
        return statement.goals_line(self.goals) if self.goals else self.goals_text

    def to_document(self) -> dict[str, Any]:
        """Return the prescription as a JSON-shaped document that validates again."""
        coverage: dict[str, Any] = {}
        for item in fields(self.coverage):
            value = getattr(self.coverage, item.name)
            if value:
                coverage[item.name] = (
                    value.isoformat() if isinstance(value, date) else value
                )
        m = self.modality
        return {
            "written_on": self.written_on.isoformat(),
            "number": self.number,
            **({"amends": self.amends} if self.amends else {}),
            "prescriber": {k: getattr(self.prescriber, k) for k in PRESCRIBER_FIELDS},
            "patient": {
                "name": self.patient.name,
                "dob": self.patient.dob.isoformat(),
                "phone": self.patient.phone,
                "address": self.patient.address,
                **({"mrn": self.patient.mrn} if self.patient.mrn else {}),
            },
            "coverage": coverage,
            "modality": {
                "cpt": list(m.cpt),
                "techniques": list(m.techniques),
                "pressure": m.pressure,
                **({"performer": m.performer} if m.performer else {}),
            },
            "body_areas": [
                {"area": a.area, **({"side": a.side} if a.side else {})}
                for a in self.body_areas
            ],
            "diagnoses": [d.code for d in self.diagnoses],
            "session": {
                "minutes": self.session.minutes,
                **(
                    {"minutes_by_cpt": dict(self.session.minutes_by_cpt)}
                    if self.session.minutes_by_cpt
                    else {}
                ),
            },
            "plan": self.plan.to_document(),
            "precautions": [p.to_document() for p in self.precautions],
            "goals": [goal.to_document() for goal in self.goals] or self.goals_text,
            # As signed: a later code set must not change or refuse a stored record.
            "diagnosis_titles": {d.code: d.title for d in self.diagnoses},
            "code_set": self.code_set,
        }


def validate(
    document: Any, *, icd: CodeSet, recorded: bool = False
) -> tuple[Prescription | None, Errors]:
    """Validate a whole document: the prescription, or every bad field's message.

    A ``recorded`` document (a stored record, read as it was signed) may lack the
    fields added since it was signed (``schema.ADDED_FIELDS``) and keep the free-text
    goals, or none, of its day; every new document needs them all.
    """
    if not isinstance(document, Mapping):
        return None, {"document": "A prescription must be a JSON object."}
    reader = _Reader(document, icd, recorded=recorded)
    prescription = reader.prescription()
    if reader.errors:
        return None, reader.errors
    return prescription, {}


class RecordedCodes:
    """A signed prescription's diagnoses as it recorded them: no code-set lookup."""

    def __init__(self, titles: Mapping[str, str], label: str) -> None:
        self.titles = dict(titles)
        self.label = label

    def check(self, code: str) -> CodeCheck:
        """A recorded code is billable as recorded; anything else is unknown."""
        title = self.titles.get(code)
        if title is None:
            return CodeCheck(code, False, f"{code[:20]} is not on this prescription.")
        entry = IcdCode(code, title, True, code[:3], "")
        return CodeCheck(code, True, None, (), entry)


def from_record(document: Mapping[str, Any]) -> Prescription:
    """Rebuild a stored prescription exactly as it was signed."""
    codes = RecordedCodes(
        document.get("diagnosis_titles") or {}, str(document.get("code_set") or "")
    )
    rx, errors = validate(document, icd=codes, recorded=True)
    if rx is None:
        raise ValueError(f"stored prescription does not rebuild: {sorted(errors)}")
    return rx


def validate_sections(document: Any, names: Iterable[str], *, icd: CodeSet) -> Errors:
    """Validate only some sections of a (draft) document, for one wizard step."""
    return parse_sections(document, names, icd=icd)[1]


def parse_sections(
    document: Any, names: Iterable[str], *, icd: CodeSet
) -> tuple[dict[str, Any], Errors]:
    """Read some sections of a document: their values, and every bad field's message."""
    if not isinstance(document, Mapping):
        return {}, {"document": "A prescription must be a JSON object."}
    reader = _Reader(document, icd)
    values = {name: getattr(reader, name)() for name in names}
    return values, reader.errors


def invisible_character(text: str) -> str | None:
    """The first zero-width or direction-changing character of ``text``, if any."""
    for char in text:
        if unicodedata.category(char) == "Cf" and char not in _NEEDED_JOINERS:
            return char
    return None


def parse_whole_number(text: str, max_digits: int = 9) -> int | None:
    """Parse "12" as 12; None for signs, non-ASCII digits or absurdly long numbers."""
    text = text.strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def parse_date(value: Any) -> date | None:
    """Parse YYYY-MM-DD or MM/DD/YYYY; None when it is neither."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


class _Reader:
    """Reads one document section by section, collecting one message per field."""

    def __init__(
        self, document: Mapping[str, Any], icd: CodeSet, *, recorded: bool = False
    ) -> None:
        self.doc = document
        self.icd = icd
        self.recorded = recorded
        self.strict = not recorded
        self.errors: Errors = {}
        self.warnings: list[str] = []
        self.goals_text = ""

    def needs(self, path: str) -> bool:
        """False for a field added since a recorded document was signed."""
        return self.strict or path not in ADDED_FIELDS

    # -- primitives -------------------------------------------------------------
    def error(self, path: str, message: str) -> None:
        self.errors.setdefault(path, message)

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.doc.get(name)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.error(name, "Must be an object with named fields.")
            return {}
        return value

    def text(
        self,
        data: Mapping[str, Any],
        path: str,
        limit: str,
        *,
        label: str | None = None,
        multiline: bool = False,
    ) -> str:
        key = path.rsplit(".", 1)[-1]
        value = data.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.error(path, "Must be text.")
            return ""
        value = unicodedata.normalize("NFC", value).strip()
        if multiline:
            value = value.replace("\r\n", "\n")
        if (_CONTROL_MULTILINE if multiline else _CONTROL).search(value):
            self.error(path, "Remove the control characters from this field.")
            return ""
        if hidden := invisible_character(value):
            self.error(
                path,
                f"Remove the invisible character U+{ord(hidden):04X} "
                f"({unicodedata.name(hidden, 'format character').lower()}): "
                "it hides or reverses what the field shows.",
            )
            return ""
        if len(value) > LIMITS[limit]:
            self.error(
                path,
                f"Use at most {LIMITS[limit]} characters (this has {len(value)}).",
            )
        elif label and not value:
            self.error(path, f"Enter {label}.")
        return value

    def day(self, data: Mapping[str, Any], path: str, label: str) -> date | None:
        key = path.rsplit(".", 1)[-1]
        value = data.get(key)
        if value in (None, ""):
            self.error(path, f"Enter {label}.")
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.error(path, "Enter a real date as YYYY-MM-DD.")
        return parsed

    def integer(
        self,
        value: Any,
        path: str,
        label: str,
        low: int,
        high: int | None,
        unit: str = "",
    ) -> int | None:
        """A whole number from ``low`` to ``high`` (no upper bound when None)."""
        if value in (None, ""):
            self.error(path, f"Enter {label}.")
            return None
        if isinstance(value, bool):
            value = None
        elif isinstance(value, str):
            value = parse_whole_number(value)
        if not isinstance(value, int):
            self.error(path, f"Enter {label} as a whole number.")
            return None
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
            self.error(path, f"Enter {label} {bounds}{unit}.")
            return None
        return value

    def choice(
        self,
        data: Mapping[str, Any],
        path: str,
        vocabulary: Mapping[str, str],
        label: str | None,
    ) -> str:
        """One key of ``vocabulary``; ``label`` names it when it is required."""
        raw = data.get(path.rsplit(".", 1)[-1])
        value = raw.strip() if isinstance(raw, str) else ""
        if not isinstance(raw, str | None) or (value and value not in vocabulary):
            self.error(path, "Choose one of: " + ", ".join(vocabulary.values()) + ".")
            return ""
        if label and not value and self.needs(path):
            self.error(path, f"Choose {label}.")
        return value

    def state(self, data: Mapping[str, Any], path: str, label: str | None) -> str:
        """A US state's code; ``label`` names it when it is required."""
        raw = data.get(path.rsplit(".", 1)[-1])
        state = raw.strip().upper() if isinstance(raw, str) else ""
        if not isinstance(raw, str | None) or (state and state not in US_STATES):
            self.error(path, "Choose a US state, such as FL or NY.")
        elif label and not state and self.needs(path):
            self.error(path, f"Choose {label}.")
        return state

    def dated(
        self, data: Mapping[str, Any], path: str, label: str, *, required: bool
    ) -> date | None:
        """A date on or before the date written; left out unless ``required``."""
        if not (required and self.needs(path)) and _blank(
            data.get(path.rsplit(".", 1)[-1])
        ):
            return None
        day = self.day(data, path, label)
        written = self._written()
        if day and written and day > written:
            self.error(
                path, f"{label[0].upper()}{label[1:]} cannot be after the date written."
            )
        return day

    def phone(self, data: Mapping[str, Any], path: str, label: str | None) -> str:
        value = self.text(data, path, "phone", label=label)
        if value and path not in self.errors and not _PHONE.match(value):
            self.error(path, "Enter a phone number such as 941-555-0100.")
        elif value and sum(ch.isdigit() for ch in value) < MIN_PHONE_DIGITS:
            self.error(path, "Enter the full phone number with its area code.")
        return value

    # -- sections -----------------------------------------------------------------
    def written_on(self) -> date | None:
        return self.day(self.doc, "written_on", "the date written")

    def section_value(self, section: str, key: str) -> Any:
        """A value inside a section, for cross-field rules, without errors."""
        value = self.doc.get(section)
        return value.get(key) if isinstance(value, Mapping) else None

    def _written(self) -> date | None:
        """The date written, for cross-field rules, without re-reporting errors."""
        return parse_date(self.doc.get("written_on"))

    def prescriber(self) -> Prescriber:
        data = self.section("prescriber")
        p = "prescriber."
        npi = self.text(data, p + "npi", "npi", label="the prescriber's NPI")
        if npi and p + "npi" not in self.errors and not npi_is_valid(npi):
            self.error(p + "npi", NPI_INVALID)
        return Prescriber(
            name=self.text(data, p + "name", "name", label="the prescriber's name"),
            credentials=self.text(
                data, p + "credentials", "credentials", label="the credentials"
            ),
            specialty=self.text(data, p + "specialty", "specialty"),
            npi=npi,
            license=self.text(
                data, p + "license", "license", label="the state license number"
            ),
            license_state=self.state(
                data, p + "license_state", "the state that issued the license"
            ),
            practice=self.text(data, p + "practice", "practice", label="the practice"),
            address=self.text(
                data, p + "address", "address", label="the practice address"
            ),
            phone=self.phone(data, p + "phone", "the practice phone"),
            fax=self.phone(data, p + "fax", None),
        )

    def patient(self) -> Patient | None:
        data = self.section("patient")
        name = self.text(data, "patient.name", "name", label="the patient's name")
        dob = self.day(data, "patient.dob", "the date of birth")
        reference = self._written() or date.today()
        if dob is not None:
            if dob > reference:
                self.error("patient.dob", "The date of birth cannot be in the future.")
            elif dob < _years_before(reference, MAX_AGE_YEARS):
                self.error(
                    "patient.dob",
                    f"The date of birth is more than {MAX_AGE_YEARS} years ago.",
                )
        phone = self.phone(data, "patient.phone", None)
        address = self.text(data, "patient.address", "address")
        mrn = self.text(data, "patient.mrn", "mrn")
        if dob is None:
            return None
        return Patient(name=name, dob=dob, phone=phone, address=address, mrn=mrn)

    def coverage(self) -> Coverage | None:
        data = self.section("coverage")
        payer_type = _text_value(data.get("payer_type"))
        if payer_type not in PAYER_TYPES:
            self.error(
                "coverage.payer_type",
                "Choose the payer type."
                if not payer_type
                else "Choose one of: " + ", ".join(PAYER_TYPES.values()) + ".",
            )
            payer_type = ""
        insured = payer_type not in ("", "self_pay")
        injury = payer_type in INJURY_PAYERS
        health = payer_type in HEALTH_PLANS
        c = "coverage."
        payer_name = self.text(
            data,
            c + "payer_name",
            "payer_name",
            label="the payer or carrier name" if insured else None,
        )
        member_id = self.text(
            data,
            c + "member_id",
            "member_id",
            label="the member ID" if health else None,
        )
        claim_number = self.text(
            data,
            c + "claim_number",
            "claim_number",
            label="the claim number" if injury else None,
        )
        policy_number = self.text(data, c + "policy_number", "policy_number")
        doi = self.dated(
            data, c + "date_of_injury", "the date of injury", required=injury
        )
        accident_state = self.state(
            data,
            c + "accident_state",
            "the state of the accident" if payer_type == "auto_pip" else None,
        )
        details = self.claim_details(data, payer_type)
        if not payer_type:
            return None
        return Coverage(
            payer_type=payer_type,
            payer_name=payer_name,
            member_id=member_id,
            claim_number=claim_number,
            policy_number=policy_number,
            date_of_injury=doi,
            accident_state=accident_state,
            **details,
        )

    def claim_details(self, data: Mapping[str, Any], payer_type: str) -> dict[str, Any]:
        """What a reviewer of this payer type looks for, beyond who pays."""
        c = "coverage."
        comp = payer_type == "workers_comp"
        health = payer_type in HEALTH_PLANS
        return {
            "employer": self.text(
                data,
                c + "employer",
                "employer",
                label="the employer" if comp and self.needs(c + "employer") else None,
            ),
            "jurisdiction_state": self.state(
                data,
                c + "jurisdiction_state",
                "the state of jurisdiction of the claim" if comp else None,
            ),
            "emergency_medical_condition": self.choice(
                data,
                c + "emergency_medical_condition",
                EMERGENCY_MEDICAL_CONDITION,
                None,
            ),
            "onset_date": self.dated(
                data, c + "onset_date", "the onset date", required=health
            ),
            "related_to": self.choice(
                data,
                c + "related_to",
                RELATED_TO,
                "whether the condition is related to employment or an accident"
                if health
                else None,
            ),
        }

    def modality(self) -> Modality | None:
        data = self.section("modality")
        codes = _string_list(data.get("cpt"), keep_blank=True)
        if codes is None or not codes:
            self.error("modality.cpt", f"Choose CPT {_CPT_CHOICES} or both.")
            codes = []
        unknown = [c for c in codes if c not in CPT_CODES]
        if unknown:
            self.error(
                "modality.cpt",
                f"Unknown CPT code {unknown[0]}: choose {_CPT_CHOICES}.",
            )
        codes = [c for c in CPT_CODES if c in codes]
        techniques_in = _string_list(data.get("techniques"), keep_blank=True) or []
        techniques: list[str] = []
        for raw in techniques_in:
            name = raw.strip().lower()
            name = TECHNIQUE_ALIASES.get(name, name)
            if name not in TECHNIQUE_CPT:
                self.error("modality.techniques", f"Unknown technique: {raw[:60]}.")
            elif TECHNIQUE_CPT[name] not in codes and codes:
                self.error(
                    "modality.techniques",
                    f"{name.capitalize()} is billed as CPT {TECHNIQUE_CPT[name]}: "
                    "choose that code too or remove the technique.",
                )
            elif name not in techniques:
                techniques.append(name)
        for code in codes:
            if "modality.techniques" not in self.errors and not any(
                TECHNIQUE_CPT[t] == code for t in techniques
            ):
                self.error(
                    "modality.techniques",
                    f"Choose at least one technique for CPT {code}.",
                )
        pressure = _text_value(data.get("pressure"))
        if pressure not in PRESSURES:
            self.error("modality.pressure", "Choose light, moderate or deep pressure.")
        performer = self.choice(
            data, "modality.performer", PERFORMERS, "who performs the therapy"
        )
        for code in codes:
            if CPT_CODES[code].warning:
                self.warnings.append(CPT_CODES[code].warning or "")
        if not codes or pressure not in PRESSURES:
            return None
        # Techniques print in the catalogue's order, grouped by code.
        ordered = tuple(t for t in TECHNIQUE_CPT if t in techniques)
        return Modality(tuple(codes), ordered, pressure, performer)

    def body_areas(self) -> tuple[OrderedArea, ...]:
        items = self.doc.get("body_areas")
        if not isinstance(items, Sequence) or isinstance(items, str) or not items:
            self.error("body_areas", "Choose at least one body area to treat.")
            return ()
        if len(items) > MAX_BODY_AREAS:
            self.error("body_areas", f"Choose at most {MAX_BODY_AREAS} body areas.")
            return ()
        areas: list[OrderedArea] = []
        for i, item in enumerate(items):
            path = f"body_areas.{i}"
            if isinstance(item, str):
                item = {"area": item}
            if not isinstance(item, Mapping):
                self.error(path, "Each body area needs an area and, if sided, a side.")
                continue
            key = _text_value(item.get("area"))
            side = None if _blank(item.get("side")) else item.get("side")
            if key not in BODY_AREAS:
                self.error(path, "Choose a body area from the list.")
                continue
            label = BODY_AREAS[key].label
            if side is not None and (not isinstance(side, str) or side not in SIDES):
                self.error(path, f"{label}: choose left, right or bilateral.")
                continue
            if BODY_AREAS[key].sided and side is None and key not in SIDE_OPTIONAL:
                self.error(path, f"{label}: choose left, right or bilateral.")
                continue
            # A side on an area without one, or an area listed twice: the rule
            # area.side-conflict says so; nothing is dropped silently.
            areas.append(OrderedArea(key, side))
        return tuple(areas)

    def diagnoses(self) -> tuple[Diagnosis, ...]:
        codes = _string_list(self.doc.get("diagnoses"))
        if not codes:
            self.error("diagnoses", "Add at least one ICD-10-CM diagnosis code.")
            return ()
        if len(codes) > MAX_DIAGNOSES:
            self.error(
                "diagnoses",
                f"A claim holds at most {MAX_DIAGNOSES} diagnoses; "
                f"remove {len(codes) - MAX_DIAGNOSES}.",
            )
            return ()
        found: list[Diagnosis] = []
        for i, raw in enumerate(codes):
            check = self.icd.check(raw)
            if not check.ok or check.entry is None:
                self.error(
                    f"diagnoses.{i}",
                    check.message or f"{raw[:20]} is not a billable ICD-10-CM code.",
                )
                continue
            if any(d.code == check.entry.code for d in found):
                self.error(f"diagnoses.{i}", f"{check.entry.code} is listed twice.")
                continue
            found.append(Diagnosis(check.entry.code, check.entry.title))
        return tuple(found)

    def ordered_codes(self) -> list[str]:
        """The CPT codes the modality orders, for cross-field rules, without errors."""
        raw = _string_list(self.section_value("modality", "cpt")) or []
        return [code for code in CPT_CODES if code in raw]

    def session(self) -> Session | None:
        data = self.section("session")
        codes = self.ordered_codes()
        if len(codes) > 1 or not _blank(data.get("minutes_by_cpt")):
            return self.split_session(data, codes)
        high_units = units.units_for_minutes(MAX_SESSION_MINUTES)
        if not _blank(data.get("minutes")) and not _blank(data.get("units")):
            self.error("session.units", "Give the minutes or the units, not both.")
            return None
        if data.get("minutes") in (None, "") and data.get("units") not in (None, ""):
            count = self.integer(
                data.get("units"), "session.units", "the units", 1, high_units
            )
            return Session(units.minutes_for_units(count)) if count else None
        raw = data.get("minutes")
        minutes = self.integer(
            raw, "session.minutes", "the session length", 0, None, " minutes"
        )
        if minutes is None:
            return None
        if minutes < units.MIN_BILLABLE_MINUTES:
            self.error(
                "session.minutes",
                f"Under {units.MIN_BILLABLE_MINUTES} minutes bills no unit: "
                f"prescribe at least {units.MIN_BILLABLE_MINUTES} minutes.",
            )
            return None
        if minutes > MAX_SESSION_MINUTES:
            self.error(
                "session.minutes",
                f"Prescribe at most {MAX_SESSION_MINUTES} minutes a session.",
            )
            return None
        return Session(minutes)

    def split_session(
        self, data: Mapping[str, Any], codes: list[str]
    ) -> Session | None:
        """A session given as the minutes of each CPT code, billed from their total."""
        path = "session.minutes_by_cpt"
        named = " and ".join(f"CPT {code}" for code in codes) or "the CPT codes"
        raw = data.get("minutes_by_cpt")
        if not _blank(data.get("units")):
            self.error("session.units", f"With {named}, give the minutes of each code.")
            return None
        if _blank(raw) or not isinstance(raw, Mapping):
            self.error(
                path,
                f"You order {named}: give the minutes of each. Their units are "
                f"billed from the total minutes ({units.CMS_SOURCE}).",
            )
            return None
        if unknown := [key for key in raw if key not in codes]:
            self.error(path, f"CPT {str(unknown[0])[:10]} is not ordered: remove it.")
            return None
        split: list[tuple[str, int]] = []
        for code in codes:
            minutes = self.integer(
                raw.get(code),
                f"{path}.{code}",
                f"the minutes of CPT {code}",
                1,
                MAX_SESSION_MINUTES,
                " minutes",
            )
            if minutes is not None:
                split.append((code, minutes))
        if len(split) != len(codes):
            return None
        total = sum(minutes for _, minutes in split)
        if total < units.MIN_BILLABLE_MINUTES or total > MAX_SESSION_MINUTES:
            self.error(
                path,
                f"The codes add up to {total} minutes: prescribe from "
                f"{units.MIN_BILLABLE_MINUTES} to {MAX_SESSION_MINUTES} minutes a "
                "session.",
            )
            return None
        given = data.get("minutes")
        if not _blank(given) and self.integer(
            given, "session.minutes", "the session length", 0, None
        ) not in (None, total):
            self.error(
                "session.minutes",
                f"The minutes of each code add up to {total}: correct the total or "
                "leave it out.",
            )
            return None
        return Session(total, tuple(split))

    def reevaluations(self, data: Mapping[str, Any]) -> tuple[date, ...]:
        """The re-evaluation dates a record stored when it was issued."""
        raw = data.get("reevaluations")
        if _blank(raw):
            return ()
        items = _string_list(raw)
        dates = [parse_date(item) for item in items or ()]
        if items is None or None in dates:
            self.error("plan.reevaluations", "Re-evaluations are dates as YYYY-MM-DD.")
            return ()
        return tuple(d for d in dates if d is not None)

    def plan(self) -> Plan | None:
        data = self.section("plan")
        start = self.day(data, "plan.start", "the start date")
        written = self._written()
        if start and written and start < written:
            self.error("plan.start", "The plan cannot start before the date written.")
        phases_in = data.get("phases")
        if not _blank(phases_in) and (
            not isinstance(phases_in, Sequence) or isinstance(phases_in, str)
        ):
            self.error("plan.phases", "Phases must be a list.")
            return None
        if phases_in and not (_blank(data.get("visits")) and _blank(data.get("weeks"))):
            self.error("plan.phases", "Give phases or visits over weeks, not both.")
            return None
        if phases_in:
            if len(phases_in) > MAX_PHASES:
                self.error("plan.phases", f"Use at most {MAX_PHASES} phases.")
                return None
            phases: list[Phase] = []
            for i, item in enumerate(phases_in):
                if not isinstance(item, Mapping):
                    self.error(f"plan.phases.{i}", "Each phase needs visits and weeks.")
                    continue
                per_week = self.integer(
                    item.get("per_week"),
                    f"plan.phases.{i}.per_week",
                    "visits per week",
                    1,
                    MAX_PER_WEEK,
                )
                weeks = self.integer(
                    item.get("weeks"), f"plan.phases.{i}.weeks", "weeks", 1, MAX_WEEKS
                )
                if per_week and weeks:
                    phases.append(Phase(per_week, weeks))
            total_weeks = sum(p.weeks for p in phases)
            if total_weeks > MAX_WEEKS:
                self.error(
                    "plan.phases",
                    f"The phases add up to {total_weeks} weeks; "
                    f"a plan covers at most {MAX_WEEKS}.",
                )
            if start is None or len(phases) != len(phases_in):
                return None
            return Plan(
                start=start,
                phases=tuple(phases),
                reevaluations=self.reevaluations(data),
            )
        if data.get("visits") in (None, "") and data.get("weeks") in (None, ""):
            self.error(
                "plan.phases",
                "Enter the frequency: phases (times per week for weeks) "
                "or visits over weeks.",
            )
            return None
        weeks = self.integer(data.get("weeks"), "plan.weeks", "weeks", 1, MAX_WEEKS)
        visits = self.integer(
            data.get("visits"),
            "plan.visits",
            "the number of visits",
            1,
            MAX_PER_WEEK * (weeks or MAX_WEEKS),
        )
        if start is None or visits is None or weeks is None:
            return None
        return Plan(
            start=start,
            visits=visits,
            weeks=weeks,
            reevaluations=self.reevaluations(data),
        )

    def precautions(self) -> tuple[Precaution, ...]:
        items = self.doc.get("precautions")
        if items in (None, ""):
            return ()
        if isinstance(items, str | Mapping):
            items = [items]
        if not isinstance(items, Sequence):
            self.error("precautions", "Precautions must be a list.")
            return ()
        if len(items) > MAX_PRECAUTIONS:
            self.error("precautions", f"List at most {MAX_PRECAUTIONS} precautions.")
            return ()
        found: list[Precaution] = []
        for i, item in enumerate(items):
            precaution = self.precaution(item, f"precautions.{i}")
            if precaution is not None and precaution not in found:
                found.append(precaution)
        return tuple(found)

    def precaution(self, item: Any, path: str) -> Precaution | None:
        """One precaution: a kind and its details, or plain text (kind "other")."""
        if isinstance(item, str):  # a stored record's or an API client's text
            note = self.text({path.rsplit(".", 1)[-1]: item}, path, "precaution")
            return Precaution("other", text=note) if note else None
        kind = _text_value(item.get("kind")) if isinstance(item, Mapping) else ""
        if not isinstance(item, Mapping) or kind not in PRECAUTION_KINDS:
            self.error(
                path,
                "Each precaution is text, or an object whose kind is one of: "
                + ", ".join(PRECAUTION_KINDS)
                + ".",
            )
            return None
        note = self.text(item, f"{path}.text", "precaution")
        cleared = parse_date(item.get("cleared_on"))
        if kind == "other":
            return Precaution(kind, text=note) if note else None
        if kind != "postop" and (cleared or _blank(item.get("cleared_on"))):
            return Precaution(kind)
        if cleared is None:
            self.error(f"{path}.cleared_on", "Enter the date of surgical clearance.")
            return None
        # A clearance after the plan's start: rule plan.postop-clearance.
        return Precaution(kind, cleared_on=cleared)

    def goals(self) -> tuple[Goal, ...]:
        items = self.doc.get("goals")
        if self.recorded and (_blank(items) or isinstance(items, str)):
            self.goals_text = self.text(self.doc, "goals", "goals", multiline=True)
            return ()
        if _blank(items) or (isinstance(items, Sequence) and not items):
            self.error("goals", NO_GOALS)
            return ()
        if isinstance(items, str) or not isinstance(items, Sequence):
            self.error("goals", f"Give each goal as its own row. {NO_GOALS}")
            return ()
        if len(items) > MAX_GOALS:
            self.error("goals", f"State at most {MAX_GOALS} goals.")
            return ()
        found: list[Goal] = []
        for i, item in enumerate(items):
            goal = self.goal(item, f"goals.{i}")
            if goal is not None:
                found.append(goal)
        return tuple(found)

    def goal(self, item: Any, path: str) -> Goal | None:
        """One measurable goal: a function, its baseline and its target."""
        if not isinstance(item, Mapping):
            self.error(path, "Each goal needs a function, a baseline and a target.")
            return None
        values = [
            self.text(item, f"{path}.{key}", limit, label=label)
            for key, limit, label in _GOAL_PARTS
        ]
        if not all(values):
            return None
        return Goal(*values)

    def prescription(self) -> Prescription | None:
        values = {name: getattr(self, name)() for name in SECTIONS}
        if self.errors:
            return None
        return Prescription(
            number=self.text(self.doc, "number", "number"),
            amends=self.text(self.doc, "amends", "number"),
            code_set=self.icd.label,
            warnings=tuple(dict.fromkeys(self.warnings)),
            goals_text=self.goals_text,
            **values,
        )


NO_GOALS = (
    "State at least one measurable goal: the function, its baseline and its target "
    "(cervical rotation 45° → 70°)."
)
# The parts of a goal: (key, length limit, what to enter when it is missing).
_GOAL_PARTS = (
    ("function", "goal_function", "the function, such as cervical rotation"),
    ("baseline", "goal_value", "the baseline: where it is now, such as 45°"),
    ("target", "goal_value", "the target, such as 70°"),
)


def _blank(value: Any) -> bool:
    """True for a value left out: missing, null or empty text."""
    return value is None or value == ""


def _text_value(value: Any) -> str:
    """A choice as sent, or "" for anything that is not text (a list, a number)."""
    return value if isinstance(value, str) else ""


def _string_list(value: Any, *, keep_blank: bool = False) -> list[str] | None:
    """A list of text as sent; blank entries dropped unless ``keep_blank``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        return None
    return [v for v in value if keep_blank or v.strip()]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)

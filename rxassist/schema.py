"""The prescription document's fields and limits, declared once.

The validator (``rxassist.prescription``), the OpenAPI ``Document`` schema, the
wizard's ``maxlength``s and the database column lengths all read their numbers here;
rules that span fields, which JSON Schema cannot say, are one list of sentences.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from rxassist import units
from rxassist.coverage import (
    EMC_LABEL,
    EMERGENCY_MEDICAL_CONDITION,
    HEALTH_PLANS,
    INJURY_PAYERS,
    PAYER_TYPES,
    RELATED_TO,
    US_STATES,
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

MAX_DIAGNOSES = 12  # the CMS-1500 claim form holds 12 diagnosis pointers
MAX_SESSION_MINUTES = 120
MAX_AGE_YEARS = 120
MAX_PRECAUTIONS = 8
MAX_BODY_AREAS = 20
MAX_PER_WEEK = 7
MAX_WEEKS = 52
MAX_PHASES = 6
MAX_GOALS = 6  # measurable goals a plan states; each prints on the one page
MIN_PHONE_DIGITS = 10  # a US number with its area code
MAX_CODE_LENGTH = 12  # a typed ICD-10-CM code with its dot and a little slack

# Length limits of every free-text field, in characters.
MAX_LENGTH: dict[str, int] = {
    "name": 100,
    "credentials": 20,
    "specialty": 80,
    "npi": 10,
    "license": 40,
    "practice": 120,
    "address": 200,
    "phone": 30,
    "fax": 30,
    "payer_name": 100,
    "member_id": 40,
    "claim_number": 40,
    "policy_number": 40,
    "employer": 100,
    "mrn": 40,
    "precaution": 200,
    "goals": 1000,  # legacy free-text goals of records signed before goals had rows
    "goal_function": 80,
    "goal_value": 30,
    "number": 40,
}

# Limits of what the app keeps beside documents: records, keys, searches, the log.
RECORD_LIMITS: dict[str, int] = {
    "practice_name": 120,
    "void_reason": 500,
    "api_key_name": 80,
    "idempotency_key": 200,
    "search_query": 200,
    "audit_action": 80,
    "audit_detail": 200,
    "address_ip": 64,
    "attestation_version": 20,
    "verify_token": 43,
    "user_agent": 200,  # of a session, enough to tell browsers apart
    "time_zone": 64,  # an IANA zone name; the longest in use is 32
    "code_set": 80,  # a code set's label, "ICD-10-CM FY2026"
}
# The largest integer key a table holds (PostgreSQL's integer): a larger id in a URL
# names no row, and looking it up would overflow the database's integer.
MAX_ROW_ID = 2**31 - 1
MAX_JSON_DEPTH = 20  # a document nests 4 levels; an API body at most this many
MAX_LINK_DAYS = 365  # the longest a patient link may stay valid

MEMBER_ID_PAYERS = HEALTH_PLANS
STATE_LENGTH = max(len(key) for key in US_STATES)  # a license state's column

# Fields added after prescriptions were first signed: every new document needs them,
# but a stored record signed without them still rebuilds and prints as it was signed.
ADDED_FIELDS = frozenset(
    {
        "prescriber.license_state",
        "coverage.employer",
        "coverage.jurisdiction_state",
        "coverage.onset_date",
        "coverage.related_to",
        "modality.performer",
    }
)


def _payers(keys: frozenset[str]) -> str:
    return ", ".join(sorted(keys))


# Rules across fields that a JSON Schema cannot say: (fields they bind, the rule).
CROSS_FIELD_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("coverage.claim_number", "coverage.date_of_injury"),
        f"An injury payer ({_payers(INJURY_PAYERS)}) needs coverage.claim_number "
        "and coverage.date_of_injury.",
    ),
    (("coverage.accident_state",), "auto_pip needs coverage.accident_state."),
    (
        ("coverage.employer", "coverage.jurisdiction_state"),
        "workers_comp needs coverage.employer and coverage.jurisdiction_state.",
    ),
    (
        ("coverage.onset_date", "coverage.related_to"),
        f"{_payers(HEALTH_PLANS)} need coverage.onset_date (CMS-1500 item 14), on "
        "or before written_on, and coverage.related_to (CMS-1500 item 10).",
    ),
    (
        ("coverage.member_id",),
        f"{_payers(MEMBER_ID_PAYERS)} need coverage.member_id; every payer but "
        "self_pay needs coverage.payer_name.",
    ),
    (
        ("coverage.date_of_injury", "written_on", "plan.start"),
        "Dates run in order: coverage.date_of_injury <= written_on <= plan.start.",
    ),
    (
        ("modality.techniques",),
        "Each technique belongs to one CPT code, which must be chosen too, and each "
        "chosen CPT code needs at least one of its techniques.",
    ),
    (
        ("body_areas",),
        "A sided body area needs a side (head_face may go without); an area with "
        "its side is listed once.",
    ),
    (
        ("precautions",),
        "A postop precaution needs cleared_on, the date of surgical clearance, on or "
        "before plan.start.",
    ),
    (
        ("session", "plan"),
        "session gives minutes or units, not both; plan gives phases or visits "
        "with weeks, not both.",
    ),
    (
        ("session.minutes_by_cpt",),
        "With more than one CPT code, session.minutes_by_cpt gives the minutes of "
        "each ordered code (and no other); session.minutes, if given, is their sum. "
        f"Units: {units.CMS_SOURCE}.",
    ),
    (
        ("diagnoses",),
        "Each diagnosis is a billable ICD-10-CM code of the current code set, "
        "listed once.",
    ),
)


@dataclass(frozen=True)
class Field:
    """One field of the document: its JSON type, its limits and what it means.

    Its example is the matching value of ``example_document``, so examples too are
    written once and always validate together.
    """

    type: str
    description: str = ""
    required: bool = False
    max_length: int | None = None
    min_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    enum: tuple[str, ...] = ()
    format: str | None = None
    items: Field | None = None
    min_items: int | None = None
    max_items: int | None = None
    properties: tuple[tuple[str, Field], ...] = ()
    any_of: tuple[Field, ...] = ()

    def json(self, example: Any = None) -> dict[str, Any]:
        """This field as an OpenAPI 3.0 schema, with ``example`` if given.

        An optional property may be null: the validator reads null as left out.
        """
        out: dict[str, Any] = {} if self.any_of else {"type": self.type}
        if self.any_of:
            out["anyOf"] = [choice.json() for choice in self.any_of]
        for key, value in (
            ("description", self.description or None),
            ("format", self.format),
            ("maxLength", self.max_length),
            ("minLength", self.min_length),
            ("minimum", self.minimum),
            ("maximum", self.maximum),
            ("enum", list(self.enum) or None),
            ("minItems", self.min_items),
            ("maxItems", self.max_items),
        ):
            if value is not None:
                out[key] = value
        if self.items is not None:
            item = example[0] if isinstance(example, list) and example else None
            out["items"] = self.items.json(item)
        if self.properties:
            given = example if isinstance(example, Mapping) else {}
            out["properties"] = {
                name: _optional(field.json(given.get(name)), field.required)
                for name, field in self.properties
            }
            if required := [n for n, f in self.properties if f.required]:
                out["required"] = required
        if example is not None:
            out["example"] = example
        return out

    def field(self, path: str) -> Field:
        """The field at a dotted path below this one ("patient.name")."""
        node = self
        for part in path.split("."):
            if part.isdigit() and node.items is not None:
                node = node.items
            else:
                node = dict(node.properties)[part]
        return node


def _optional(schema: dict[str, Any], required: bool) -> dict[str, Any]:
    """An optional property may be null (OpenAPI 3.0: its enum must list null)."""
    if required:
        return schema
    enum = [*schema["enum"], None] if "enum" in schema else None
    return schema | {"nullable": True} | ({"enum": enum} if enum else {})


def text(limit: str, description: str, *, required: bool = False) -> Field:
    """A free-text field whose length limit is ``MAX_LENGTH[limit]``."""
    return Field(
        "string",
        description,
        required=required,
        max_length=MAX_LENGTH[limit],
        min_length=1 if required else None,
    )


def day(description: str, *, required: bool = False) -> Field:
    """A date as YYYY-MM-DD; an optional one may be "", read as left out."""
    if required:
        return Field("string", description, required=True, format="date")
    return Field(
        "string",
        description,
        any_of=(Field("string", format="date"), Field("string", max_length=0)),
    )


def whole(low: int, high: int, description: str, *, required: bool = False) -> Field:
    """A whole number from ``low`` to ``high``."""
    return Field("integer", description, required=required, minimum=low, maximum=high)


def choice(
    values: Mapping[str, Any], description: str, *, required: bool = False
) -> Field:
    """One key of a vocabulary; an optional choice may be "", read as left out."""
    keys = tuple(values) if required else ("", *values)
    return Field("string", description, required=required, enum=keys)


def group(description: str, *properties: tuple[str, Field], **kw: Any) -> Field:
    """An object with named fields."""
    return Field("object", description, properties=properties, **kw)


PRESCRIBER = group(
    "Who orders: the physician's profile, printed in the letterhead.",
    ("name", text("name", "Full name.", required=True)),
    ("credentials", text("credentials", "MD, DO, NP, …", required=True)),
    ("specialty", text("specialty", "Specialty (optional).")),
    ("npi", text("npi", "10-digit NPI with a valid check digit.", required=True)),
    ("license", text("license", "State license number.", required=True)),
    (
        "license_state",
        choice(US_STATES, "The state that issued the license.", required=True),
    ),
    ("practice", text("practice", "Practice name.", required=True)),
    ("address", text("address", "Practice address.", required=True)),
    ("phone", text("phone", "Practice phone with area code.", required=True)),
    ("fax", text("fax", "Practice fax (optional).")),
    required=True,
)

PRECAUTION = Field(
    "object",
    "A precaution: a plain string is read as kind other with that text.",
    any_of=(
        text("precaution", "An other precaution, as printed."),
        group(
            "A structured precaution.",
            ("kind", choice(PRECAUTION_KINDS, "What kind.", required=True)),
            ("cleared_on", day("postop: the date of surgical clearance.")),
            ("text", text("precaution", "other: the precaution, as printed.")),
        ),
    ),
)

GOAL = group(
    "A measurable functional goal: the function, its baseline and its target.",
    ("function", text("goal_function", "E.g. Cervical rotation.", required=True)),
    ("baseline", text("goal_value", "Where it is now, e.g. 45°.", required=True)),
    ("target", text("goal_value", "The goal, e.g. 70°.", required=True)),
)

_PHASE = group(
    "A stretch at a steady weekly frequency.",
    ("per_week", whole(1, MAX_PER_WEEK, "Visits per week.", required=True)),
    ("weeks", whole(1, MAX_WEEKS, "Weeks.", required=True)),
)

# What a client writes; the server adds the prescriber, number and code set.
DOCUMENT = group(
    "A prescription for medical massage therapy.",
    (
        "written_on",
        day("The date written: leave it out for today, the only date accepted."),
    ),
    (
        "patient",
        group(
            "Who the order is for.",
            ("name", text("name", "Full name.", required=True)),
            (
                "dob",
                day(f"Date of birth, within {MAX_AGE_YEARS} years.", required=True),
            ),
            ("phone", text("phone", "Phone with area code (optional).")),
            ("address", text("address", "Address (optional).")),
            ("mrn", text("mrn", "Medical record number (optional).")),
            required=True,
        ),
    ),
    (
        "coverage",
        group(
            "Who pays, and the injury claim for Workers' Comp and auto PIP.",
            ("payer_type", choice(PAYER_TYPES, "The payer type.", required=True)),
            ("payer_name", text("payer_name", "Payer or carrier name.")),
            ("member_id", text("member_id", "Member ID.")),
            ("claim_number", text("claim_number", "Injury claim number.")),
            (
                "policy_number",
                text("policy_number", "Policy number (Workers' Comp, auto PIP)."),
            ),
            ("date_of_injury", day("Date of injury.")),
            ("accident_state", choice(US_STATES, "State of the accident.")),
            ("employer", text("employer", "Workers' Comp: the employer.")),
            (
                "jurisdiction_state",
                choice(US_STATES, "Workers' Comp: the state of jurisdiction."),
            ),
            (
                "emergency_medical_condition",
                choice(
                    EMERGENCY_MEDICAL_CONDITION,
                    f"Auto PIP: {EMC_LABEL}; the Florida PIP profile needs it.",
                ),
            ),
            (
                "onset_date",
                day("Health plans: onset of the current illness or injury."),
            ),
            (
                "related_to",
                choice(
                    RELATED_TO,
                    "Health plans: the condition is related to employment or an "
                    "accident.",
                ),
            ),
            required=True,
        ),
    ),
    (
        "modality",
        group(
            "CPT codes, their techniques and the pressure.",
            (
                "cpt",
                Field(
                    "array",
                    "CPT codes ordered.",
                    required=True,
                    items=choice(CPT_CODES, "A CPT code.", required=True),
                    min_items=1,
                ),
            ),
            (
                "techniques",
                Field(
                    "array",
                    "Techniques, each billed under its CPT code.",
                    required=True,
                    items=choice(TECHNIQUE_CPT, "A technique.", required=True),
                    min_items=1,
                ),
            ),
            ("pressure", choice(PRESSURES, "Pressure.", required=True)),
            (
                "performer",
                choice(PERFORMERS, "Who performs the therapy.", required=True),
            ),
            required=True,
        ),
    ),
    (
        "body_areas",
        Field(
            "array",
            "Areas to treat.",
            required=True,
            items=group(
                "An area and its side.",
                ("area", choice(BODY_AREAS, "The area.", required=True)),
                ("side", choice(SIDES, "The side, for a sided area.")),
            ),
            min_items=1,
            max_items=MAX_BODY_AREAS,
        ),
    ),
    (
        "diagnoses",
        Field(
            "array",
            "ICD-10-CM codes, primary first.",
            required=True,
            items=Field("string", "An ICD-10-CM code.", max_length=MAX_CODE_LENGTH),
            min_items=1,
            max_items=MAX_DIAGNOSES,
        ),
    ),
    (
        "session",
        group(
            "Session length: minutes, or 15-minute units when minutes is left out.",
            (
                "minutes",
                whole(
                    units.MIN_BILLABLE_MINUTES,
                    MAX_SESSION_MINUTES,
                    "Minutes per session (8-minute rule).",
                ),
            ),
            (
                "units",
                whole(
                    1,
                    units.units_for_minutes(MAX_SESSION_MINUTES),
                    "Units per session.",
                ),
            ),
            (
                "minutes_by_cpt",
                Field(
                    "object",
                    "Minutes of each CPT code, when more than one is ordered: "
                    '{"97140": 40, "97124": 20}.',
                    properties=tuple(
                        (code, whole(1, MAX_SESSION_MINUTES, f"Minutes of CPT {code}."))
                        for code in CPT_CODES
                    ),
                ),
            ),
            required=True,
        ),
    ),
    (
        "plan",
        group(
            "Frequency: phases, or visits over weeks when phases is left out.",
            ("start", day("First day of the plan.", required=True)),
            (
                "phases",
                Field(
                    "array",
                    f"Phases in order; at most {MAX_WEEKS} weeks in all.",
                    items=_PHASE,
                    max_items=MAX_PHASES,
                ),
            ),
            ("visits", whole(1, MAX_PER_WEEK * MAX_WEEKS, "Visits in all.")),
            ("weeks", whole(1, MAX_WEEKS, "Over weeks.")),
            required=True,
        ),
    ),
    (
        "precautions",
        Field(
            "array",
            "Precautions: a list, or one precaution on its own.",
            any_of=(
                Field("array", items=PRECAUTION, max_items=MAX_PRECAUTIONS),
                PRECAUTION,
            ),
        ),
    ),
    (
        "goals",
        Field(
            "array",
            "Measurable functional goals, each with a baseline and a target.",
            required=True,
            items=GOAL,
            min_items=1,
            max_items=MAX_GOALS,
        ),
    ),
)


def example_document(today: date) -> dict[str, Any]:
    """A complete document that validates when written on ``today``."""
    return {
        "patient": {
            "name": "Jane Doe",
            "dob": "1980-04-12",
            "phone": "941-555-0188",
            "address": "4 Palm Ave, Sarasota, FL 34236",
            "mrn": "MRN-20931",
        },
        "coverage": {
            "payer_type": "workers_comp",
            "payer_name": "Acme Mutual",
            "member_id": "XJ-5521",
            "claim_number": "WC-2026-0042",
            "policy_number": "WCP-778812",
            "date_of_injury": (today - timedelta(days=30)).isoformat(),
            "employer": "Gulf Coast Builders",
            "jurisdiction_state": "FL",
        },
        "modality": {
            "cpt": ["97140"],
            "techniques": ["myofascial release", "neuromuscular therapy"],
            "pressure": "light",
            "performer": "lmt",
        },
        "body_areas": [{"area": "shoulder", "side": "left"}, {"area": "cervical"}],
        "diagnoses": ["M54.2", "M62.838"],
        "session": {"minutes": 60},
        "plan": {
            "start": (today + timedelta(days=1)).isoformat(),
            "phases": [{"per_week": 2, "weeks": 4}, {"per_week": 1, "weeks": 4}],
        },
        "precautions": [
            {"kind": "postop", "cleared_on": today.isoformat()},
            {"kind": "anticoagulant"},
            "No heat packs",
        ],
        "goals": [
            {"function": "Cervical rotation", "baseline": "45°", "target": "70°"},
            {"function": "Neck pain", "baseline": "7/10", "target": "3/10"},
        ],
    }


def rules_text() -> str:
    """The cross-field rules, one sentence a line."""
    return "\n".join(f"- {rule}" for _, rule in CROSS_FIELD_RULES)


def _with_rules(node: Field, path: str = "") -> Field:
    """``node`` with each field's cross-field rules added to its description."""
    rules = [rule for paths, rule in CROSS_FIELD_RULES if path in paths]
    description = " ".join([node.description, *rules]).strip()
    properties = tuple(
        (name, _with_rules(child, f"{path}.{name}".lstrip(".")))
        for name, child in node.properties
    )
    return replace(node, description=description, properties=properties)


def json_schema(today: date, *, npi_example: str = "1234567893") -> dict[str, Any]:
    """The document an API client sends, as an OpenAPI 3.0 schema with examples.

    The prescriber is named by ``npi``: a physician of the API key's practice.
    """
    npi = text("npi", "NPI of a physician of your practice.", required=True)
    api = replace(
        _with_rules(DOCUMENT),
        description=f"{DOCUMENT.description} Rules across fields:\n{rules_text()}",
        properties=(("npi", npi), *_with_rules(DOCUMENT).properties),
    )
    return api.json({"npi": npi_example, **example_document(today)})


def json_depth(value: Any) -> int:
    """How deeply a parsed JSON value nests objects and arrays (a scalar is 0)."""
    depth, level = 0, [value]
    while level:
        containers = [v for v in level if isinstance(v, dict | list)]
        if not containers:
            break
        depth += 1
        level = [
            item
            for v in containers
            for item in (v.values() if isinstance(v, dict) else v)
        ]
    return depth


# A draft is saved as typed, before it validates, but never beyond the fields' limits:
# a whole prescription at every limit is about 20 KB as JSON.
MAX_DRAFT_BYTES = 64 * 1024
# A string the schema gives no length (a choice, a date, a key it does not declare).
MAX_UNDECLARED_TEXT = max(MAX_LENGTH.values())


def over_limits(document: Mapping[str, Any]) -> dict[str, str]:
    """Each field of a draft over its declared length or count, with its message.

    Only limits: whether a value is valid is the validator's question, at review.
    """
    refused: dict[str, str] = {}
    _walk(document, DOCUMENT, "", refused)
    if not refused and len(_json(document)) > MAX_DRAFT_BYTES:
        refused["document"] = (
            f"This draft is over {MAX_DRAFT_BYTES // 1024} KB: shorten what you typed."
        )
    return refused


def _json(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, default=str).encode()


def _walk(value: Any, field: Field | None, path: str, refused: dict[str, str]) -> None:
    if isinstance(value, str):
        longest = (field.max_length if field else None) or MAX_UNDECLARED_TEXT
        if len(value) > longest:
            refused[path] = f"Use at most {longest} characters (this has {len(value)})."
    elif isinstance(value, Mapping):
        declared = dict(field.properties) if field else {}
        for key, item in value.items():
            _walk(
                item,
                declared.get(str(key)),
                f"{path}.{key}" if path else str(key),
                refused,
            )
    elif isinstance(value, list):
        most = field.max_items if field else None
        if most is not None and len(value) > most:
            refused[path] = f"List at most {most} (this has {len(value)})."
            return
        for i, item in enumerate(value):
            _walk(item, field.items if field else None, f"{path}.{i}", refused)


def within_limits(
    document: Mapping[str, Any], previous: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """``document`` with each field over its limit put back as ``previous`` had it.

    Returns the document to save and the refused fields' messages: what was typed
    within the limits is kept, and nothing saved before is lost.
    """
    refused = over_limits(document)
    if not refused:
        return dict(document), {}
    if "document" in refused:
        return dict(previous), refused
    kept = _copy(document)
    earlier = over_limits(previous)
    for path in refused:
        _put(kept, path, None if path in earlier else _get(previous, path))
    return kept, refused


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _get(value: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _put(document: Any, path: str, value: Any) -> None:
    """Set (or, for None, clear) the value at a dotted path."""
    *parents, last = path.split(".")
    node = _get(document, ".".join(parents)) if parents else document
    if isinstance(node, dict):
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = "" if value is None else value

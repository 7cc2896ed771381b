"""The rule catalogue: coding, order and payer rules, each with its id and source.

A rule is a pure function of the order (the sections of a prescription that could be
read) and a context (the code set and the payer profiles). It answers findings: a
severity (an error blocks issuing; a warning is shown and may be accepted; info), the
field it concerns, a message that says what to do, and the rule's source. ``check``
runs every rule whose sections are there; adding a rule touches this module only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Protocol

from rxassist import regions
from rxassist.coverage import HEALTH_PLANS, RELATED_TO_PAYER
from rxassist.icd import IcdCode
from rxassist.modalities import BODY_AREAS, PRECAUTION_KINDS
from rxassist.payers import PayerProfiles, Terms


class Severity(StrEnum):
    """How much a finding weighs."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: a document, its section, and an address if public."""

    document: str
    section: str = ""
    url: str = ""
    judgement: bool = False

    def __str__(self) -> str:
        text = ", ".join(part for part in (self.document, self.section) if part)
        if self.judgement:
            text += " (a judgement call)"
        return f"{text} <{self.url}>" if self.url else text

    @classmethod
    def parse(cls, text: str) -> Source:
        """A profile's "document, section | address" as a Source."""
        words, _, url = text.partition(" | ")
        return cls(words.strip(), url=url.strip(), judgement="judgement" in words)


@dataclass(frozen=True)
class Fix:
    """A one-click correction: replace a diagnosis code by another."""

    replace: str
    by: str


@dataclass(frozen=True)
class Finding:
    """One thing a rule found in an order."""

    rule: str
    severity: Severity
    field: str
    message: str
    source: Source
    fix: Fix | None = None

    def to_json(self) -> dict[str, Any]:
        """The finding as the API and ``rx check --json`` give it."""
        body: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message,
            "source": str(self.source),
        }
        if self.fix is not None:
            body["fix"] = {"replace": self.fix.replace, "by": self.fix.by}
        return body

    def line(self) -> str:
        """``SEVERITY RULE-ID FIELD: message``, as ``rx check`` prints it."""
        return f"{self.severity.value.upper()} {self.rule} {self.field}: {self.message}"


class Codes(Protocol):
    """What the rules need of a code set."""

    def get(self, code: str) -> IcdCode | None:
        """The entry of a code, or None."""

    def covers(self, day: date) -> bool:
        """True when ``day`` falls in the code set's effective dates."""

    @property
    def label(self) -> str:
        """The code set's name."""


@dataclass(frozen=True)
class Order:
    """The sections of a prescription that could be read; None for the others."""

    written_on: date | None = None
    prescriber: Any = None
    patient: Any = None
    coverage: Any = None
    modality: Any = None
    body_areas: tuple[Any, ...] | None = None
    diagnoses: tuple[Any, ...] | None = None
    session: Any = None
    plan: Any = None
    precautions: tuple[Any, ...] | None = None
    goals: tuple[Any, ...] | None = None

    @classmethod
    def of(cls, source: Any) -> Order:
        """The order of a prescription, or of a mapping of section values."""
        get = source.get if isinstance(source, Mapping) else source.__dict__.get
        return cls(**{f.name: get(f.name) for f in fields(cls)})


@dataclass(frozen=True)
class Context:
    """What the rules read besides the order."""

    codes: Codes
    payers: PayerProfiles

    def terms(self, order: Order) -> Terms:
        """The payer profiles that apply to the order's coverage."""
        return self.payers.for_coverage(order.coverage)


@dataclass(frozen=True)
class Hit:
    """A rule's raw finding, before the catalogue adds its id and source."""

    field: str
    message: str
    severity: Severity | None = None
    source: Source | None = None
    fix: Fix | None = None


Check = Callable[[Order, Context], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A catalogued rule: its id, severity, the sections it reads and its source."""

    id: str
    severity: Severity
    needs: tuple[str, ...]
    source: Source
    check: Check = field(repr=False)

    def run(self, order: Order, context: Context) -> Iterator[Finding]:
        """The rule's findings, or none when a section it reads is missing."""
        if any(getattr(order, name) is None for name in self.needs):
            return
        for hit in self.check(order, context):
            yield Finding(
                self.id,
                hit.severity or self.severity,
                hit.field,
                hit.message,
                hit.source or self.source,
                hit.fix,
            )


CATALOGUE: dict[str, Rule] = {}

GUIDELINES = "ICD-10-CM Official Guidelines for Coding and Reporting FY2026"
GUIDELINES_URL = "https://www.cms.gov/medicare/coding-billing/icd-10-codes"
MBPM_15 = "Medicare Benefit Policy Manual (Pub. 100-02), chapter 15"
MBPM_URL = "https://www.cms.gov/Regulations-and-Guidance/Guidance/Manuals/Downloads/bp102c15.pdf"


def rule(
    rule_id: str, severity: Severity, needs: tuple[str, ...], source: Source
) -> Callable[[Check], Check]:
    """Add the decorated check to the catalogue under ``rule_id``."""

    def add(check: Check) -> Check:
        if rule_id in CATALOGUE:
            raise ValueError(f"rule {rule_id} is defined twice")
        CATALOGUE[rule_id] = Rule(rule_id, severity, needs, source, check)
        return check

    return add


def check(order: Order, context: Context) -> list[Finding]:
    """Every finding of every rule, errors first, in catalogue order."""
    return by_severity(f for r in CATALOGUE.values() for f in r.run(order, context))


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; each in the order found."""
    order = list(Severity)
    return sorted(findings, key=lambda f: order.index(f.severity))


GROUPS = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}


def split(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings by severity: {"errors": [...], "warnings": [...], "info": [...]}."""
    out: dict[str, list[Finding]] = {group: [] for group in GROUPS.values()}
    for finding in findings:
        out[GROUPS[finding.severity]].append(finding)
    return out


# -- ICD-10-CM coding ----------------------------------------------------------------
_CODE_TOKEN = re.compile(r"\b([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?:\.?-)?")
_RANGE = re.compile(r"\b([A-Z][0-9][0-9A-Z])-([A-Z][0-9][0-9A-Z])\b")
_SYMPTOM_TITLE = re.compile(
    r"^(pain in|low back pain|.*algia\b|lumbago|stiffness of|muscle spasm|"
    r"other muscle spasm|headache|cramp and spasm)",
    re.IGNORECASE,
)
SYMPTOM_CHAPTER = "18"  # Symptoms, signs and abnormal clinical and laboratory findings
INJURY_CHAPTER = "19"  # Injury, poisoning and certain other consequences
EXTERNAL_CAUSE_CHAPTER = "20"


def _flat(code: str) -> str:
    return code.replace(".", "").upper()


def note_refers_to(note: str, code: str) -> bool:
    """True when an Excludes note's codes ("(M50.-)", "(S39.012)") include ``code``."""
    flat = _flat(code)
    inside = " ".join(re.findall(r"\(([^)]*)\)", note))
    for low, high in _RANGE.findall(inside):
        if low <= flat[:3] <= high:
            return True
    inside = _RANGE.sub(" ", inside)
    return any(flat.startswith(_flat(token)) for token in _CODE_TOKEN.findall(inside))


def is_symptom(entry: IcdCode) -> bool:
    """A sign or symptom code: chapter 18, or a pain or spasm title of chapter 13.

    A judgement call: chapter 13 has symptom codes (M54.2 Cervicalgia, M25.5- Pain in
    joint) that the tabular list does not mark; their titles say what they are.
    """
    return entry.chapter == SYMPTOM_CHAPTER or bool(_SYMPTOM_TITLE.match(entry.title))


def subsequent_encounter(entry: IcdCode, codes: Codes) -> str | None:
    """The subsequent-encounter (D) code of an injury's initial-encounter (A) code.

    ICD-10-CM Official Guidelines I.C.19.a: 7th character A is for active treatment,
    D for encounters after it, while the injury heals (therapy is one). None when
    ``entry`` is no such code, or when its D code is missing or not billable.
    """
    flat = _flat(entry.code)
    if entry.chapter != INJURY_CHAPTER or len(flat) != 7 or flat[-1] != "A":
        return None
    subsequent = codes.get(entry.code[:-1] + "D")
    return subsequent.code if subsequent is not None and subsequent.billable else None


def _entries(order: Order, context: Context) -> list[tuple[int, IcdCode]]:
    out = []
    for i, diagnosis in enumerate(order.diagnoses or ()):
        entry = context.codes.get(diagnosis.code)
        if entry is not None:
            out.append((i, entry))
    return out


@rule(
    "icd.external-cause-first",
    Severity.ERROR,
    ("diagnoses",),
    Source(GUIDELINES, "Section I.C.20 (External causes of morbidity)", GUIDELINES_URL),
)
def _external_cause_first(order: Order, context: Context) -> Iterator[Hit]:
    entries = _entries(order, context)
    first = entries[0] if entries else None
    if first and first[0] == 0 and first[1].chapter == EXTERNAL_CAUSE_CHAPTER:
        code = first[1].code
        yield Hit(
            "diagnoses.0",
            f"{code} is an external-cause code: it may never be listed first. "
            "List the injury or condition first and keep "
            f"{code} after it.",
        )


@rule(
    "icd.excludes1",
    Severity.ERROR,
    ("diagnoses",),
    Source(GUIDELINES, "Section I.A.12.a (Excludes1 notes)", GUIDELINES_URL),
)
def _excludes1(order: Order, context: Context) -> Iterator[Hit]:
    entries = _entries(order, context)
    for a, (_, first) in enumerate(entries):
        for j, second in entries[a + 1 :]:
            note = next(
                (n for n in first.excludes1 if note_refers_to(n, second.code)), None
            )
            owner, other = first, second
            if note is None:
                note = next(
                    (n for n in second.excludes1 if note_refers_to(n, first.code)),
                    None,
                )
                owner, other = second, first
            if note is not None:
                yield Hit(
                    f"diagnoses.{j}",
                    f"{owner.code} and {other.code} cannot be coded together: "
                    f'{owner.code} has the Excludes1 note "{note}". '
                    "Keep the one that describes the condition.",
                )


@rule(
    "icd.symptom-with-definitive",
    Severity.WARNING,
    ("diagnoses",),
    Source(
        GUIDELINES,
        "Section I.B.5 (Signs and symptoms integral to a definitive diagnosis)",
        GUIDELINES_URL,
    ),
)
def _symptom_with_definitive(order: Order, context: Context) -> Iterator[Hit]:
    entries = _entries(order, context)
    for i, symptom in entries:
        if not is_symptom(symptom):
            continue
        site = regions.site_of(symptom.code, context.codes)
        for _, other in entries:
            if other.code == symptom.code or is_symptom(other):
                continue
            if other.chapter == EXTERNAL_CAUSE_CHAPTER:
                continue
            if site.areas & regions.site_of(other.code, context.codes).areas:
                yield Hit(
                    f"diagnoses.{i}",
                    f"{symptom.code} ({symptom.title}) is a symptom that "
                    f"{other.code} ({other.title}) already explains: remove it "
                    "unless it is not routinely part of that diagnosis.",
                )
                break


@rule(
    "icd.injury-initial-encounter",
    Severity.WARNING,
    ("diagnoses",),
    Source(
        GUIDELINES,
        "Section I.C.19.a (Application of 7th characters in Chapter 19)",
        GUIDELINES_URL,
    ),
)
def _initial_encounter(order: Order, context: Context) -> Iterator[Hit]:
    for i, entry in _entries(order, context):
        subsequent = subsequent_encounter(entry, context.codes)
        if subsequent is None:
            continue
        yield Hit(
            f"diagnoses.{i}",
            f"{entry.code} is for the initial encounter (A: active treatment of the "
            "injury). Therapy during healing and recovery is a subsequent encounter: "
            f"use {subsequent}.",
            fix=Fix(entry.code, subsequent),
        )


@rule(
    "icd.laterality-mismatch",
    Severity.WARNING,
    ("diagnoses", "body_areas"),
    Source(GUIDELINES, "Section I.B.13 (Laterality)", GUIDELINES_URL),
)
def _laterality(order: Order, context: Context) -> Iterator[Hit]:
    areas = [(a.area, a.side) for a in order.body_areas or ()]
    for i, entry in _entries(order, context):
        site = regions.site_of(entry.code, context.codes)
        if site.side not in ("left", "right"):
            continue
        ordered = [(a, s) for a, s in areas if a in site.areas]
        if ordered and not regions.covers(ordered, site):
            sides = " and ".join(sorted({str(s) for _, s in ordered}))
            yield Hit(
                f"diagnoses.{i}",
                f"{entry.code} ({entry.title}) is on the {site.side} side, but the "
                f"order treats only the {sides} side there: correct the code or the "
                "side.",
            )


@rule(
    "icd.region-without-area",
    Severity.WARNING,
    ("diagnoses", "body_areas"),
    Source(
        "Rx Assist order review",
        "every diagnosis with a body region has an ordered area there",
        judgement=True,
    ),
)
def _region_without_area(order: Order, context: Context) -> Iterator[Hit]:
    areas = [(a.area, a.side) for a in order.body_areas or ()]
    for i, entry in _entries(order, context):
        site = regions.site_of(entry.code, context.codes)
        if site.known and not any(a in site.areas for a, _ in areas):
            yield Hit(
                f"diagnoses.{i}",
                f"{entry.code} ({entry.title}) names a region the order does not "
                "treat: add that area, or remove the code if it is not a reason for "
                "this therapy.",
            )


@rule(
    "area.without-diagnosis",
    Severity.WARNING,
    ("diagnoses", "body_areas"),
    Source(
        "Rx Assist order review",
        "every treated area is supported by a diagnosis (medical necessity)",
        judgement=True,
    ),
)
def _area_without_diagnosis(order: Order, context: Context) -> Iterator[Hit]:
    sites = [
        regions.site_of(e.code, context.codes) for _, e in _entries(order, context)
    ]
    for i, area in enumerate(order.body_areas or ()):
        if not any(area.area in site.areas for site in sites):
            yield Hit(
                f"body_areas.{i}",
                f"No diagnosis supports treating {area.label}: add a diagnosis of "
                "that region or remove the area.",
            )


@rule(
    "codeset.outside-window",
    Severity.WARNING,
    ("written_on", "diagnoses"),
    Source(
        "HIPAA code sets, 45 CFR 162.1002",
        "the ICD-10-CM release in effect on the date of service",
        "https://www.ecfr.gov/current/title-45/section-162.1002",
    ),
)
def _outside_window(order: Order, context: Context) -> Iterator[Hit]:
    written = order.written_on
    if written is not None and not context.codes.covers(written):
        yield Hit(
            "diagnoses",
            f"The codes are checked against {context.codes.label}, which is not in "
            f"effect on {written:%m/%d/%Y}; a newer release may have changed them.",
        )


# -- Orders that contradict themselves -----------------------------------------------
PRECAUTIONS_SOURCE = Source(
    "Rx Assist precautions", "what each precaution allows", judgement=True
)
# Vigorous strokes a limb at risk of lymphedema must not get (a judgement call).
LYMPHEDEMA_FORBIDDEN = ("petrissage", "tapotement", "trigger point therapy")
MLD = "manual lymphatic drainage"


def _kinds(order: Order) -> set[str]:
    """The precaution kinds ordered; a legacy printed sentence counts as its kind."""
    kinds = set()
    for item in order.precautions or ():
        kind = item.kind
        if kind == "other":
            text = item.text.strip().lower()
            kind = next(
                (k for k, prefix in _PRINTED.items() if text.startswith(prefix)),
                kind,
            )
        kinds.add(kind)
    return kinds


# What each kind's printed sentence begins with (older records kept only the text).
_PRINTED = {
    kind: sentence.split("{")[0].strip().lower()
    for kind, sentence in PRECAUTION_KINDS.items()
    if not sentence.startswith("{")
}


@rule(
    "plan.anticoagulant-pressure",
    Severity.ERROR,
    ("precautions", "modality"),
    PRECAUTIONS_SOURCE,
)
def _anticoagulant(order: Order, context: Context) -> Iterator[Hit]:
    if "anticoagulant" in _kinds(order) and order.modality.pressure != "light":
        yield Hit(
            "modality.pressure",
            "The patient is on anticoagulants: order light pressure only "
            f"(this order says {order.modality.pressure}).",
        )


@rule(
    "plan.lymphedema-technique",
    Severity.WARNING,
    ("precautions", "modality"),
    PRECAUTIONS_SOURCE,
)
def _lymphedema(order: Order, context: Context) -> Iterator[Hit]:
    if "lymphedema" not in _kinds(order):
        return
    techniques = set(order.modality.techniques)
    if MLD not in techniques:
        yield Hit(
            "modality.techniques",
            "With a lymphedema risk, order manual lymphatic drainage (CPT 97140).",
        )
    forbidden = [t for t in LYMPHEDEMA_FORBIDDEN if t in techniques]
    if forbidden:
        yield Hit(
            "modality.techniques",
            f"With a lymphedema risk, avoid {', '.join(forbidden)}: remove "
            f"{'it' if len(forbidden) == 1 else 'them'}.",
        )


@rule(
    "plan.postop-clearance",
    Severity.ERROR,
    ("precautions", "plan"),
    Source("Rx Assist order rule", "therapy starts on or after surgical clearance"),
)
def _postop(order: Order, context: Context) -> Iterator[Hit]:
    for i, item in enumerate(order.precautions or ()):
        cleared = item.cleared_on
        if item.kind == "postop" and cleared is not None and cleared > order.plan.start:
            yield Hit(
                f"precautions.{i}.cleared_on",
                postop_message(cleared, order.plan.start),
            )


def postop_message(cleared: date, start: date) -> str:
    """The one message for a plan that starts before the surgeon's clearance."""
    return (
        f"The surgeon's clearance ({cleared:%m/%d/%Y}) is after the plan starts "
        f"({start:%m/%d/%Y}): start the plan on or after the clearance date."
    )


@rule(
    "area.side-conflict",
    Severity.ERROR,
    ("body_areas",),
    Source("Rx Assist order rule", "each area is ordered once, with one side"),
)
def _side_conflict(order: Order, context: Context) -> Iterator[Hit]:
    seen: dict[str, list[str | None]] = {}
    for i, area in enumerate(order.body_areas or ()):
        sides = seen.setdefault(area.area, [])
        if area.side is not None and not BODY_AREAS[area.area].sided:
            yield Hit(f"body_areas.{i}", f"{area.label} has no side: remove the side.")
        elif area.side in sides:
            yield Hit(f"body_areas.{i}", f"{area.label} is listed twice.")
        elif "bilateral" in sides or (area.side == "bilateral" and sides):
            yield Hit(
                f"body_areas.{i}",
                f"{area.label}: the area is ordered both bilateral and on one side; "
                "keep one.",
            )
        sides.append(area.side)


# -- Payers and jurisdictions --------------------------------------------------------
def _performer(order: Order) -> str:
    return str(getattr(order.modality, "performer", "") or "")


@rule(
    "payer.fl-pip-massage",
    Severity.ERROR,
    ("coverage", "modality"),
    Source(
        "Fla. Stat. 627.736(1)(a)5",
        url="http://www.leg.state.fl.us/statutes/index.cfm?App_mode=Display_Statute"
        "&URL=0600-0699/0627/Sections/0627.736.html",
    ),
)
def _fl_pip(order: Order, context: Context) -> Iterator[Hit]:
    terms = context.terms(order)
    if not terms.has("fl-pip"):
        return
    for code, source in terms.listed("excluded_cpt"):
        if code in order.modality.cpt:
            yield Hit(
                "modality.cpt",
                f"Florida PIP excludes massage (CPT {code}) whoever performs it: "
                "remove it.",
                source=Source.parse(source),
            )
    performer = _performer(order)
    excluded = {p for p, _ in terms.listed("excluded_performers")}
    # A performer PIP pays needs no word; an unknown one (an older record) a warning.
    if "97140" in order.modality.cpt and (performer in excluded or not performer):
        yield Hit(
            "modality.performer" if performer else "modality.cpt",
            "Florida PIP pays manual therapy (CPT 97140) only from a provider it "
            "reimburses (a physical therapist, chiropractor or physician), never "
            "from a licensed massage therapist.",
            severity=Severity.ERROR if performer in excluded else Severity.WARNING,
        )


FL_PIP_FULL_BENEFIT = 10_000  # dollars, with an emergency medical condition
FL_PIP_LIMITED_BENEFIT = 2_500  # dollars, without one


@rule(
    "payer.fl-pip-emc",
    Severity.WARNING,
    ("coverage",),
    Source(
        "Fla. Stat. 627.736(1)(a)4",
        "medical benefits without an emergency medical condition",
        "http://www.leg.state.fl.us/statutes/index.cfm?App_mode=Display_Statute"
        "&URL=0600-0699/0627/Sections/0627.736.html",
    ),
)
def _fl_pip_emc(order: Order, context: Context) -> Iterator[Hit]:
    answer = order.coverage.emergency_medical_condition
    if context.terms(order).has("fl-pip") and answer in ("no", "not_determined"):
        yield Hit(
            "coverage.emergency_medical_condition",
            "Without an emergency medical condition determined, Florida PIP limits "
            f"medical benefits to ${FL_PIP_LIMITED_BENEFIT:,} (instead of "
            f"${FL_PIP_FULL_BENEFIT:,}): tell the patient, or record the "
            "determination if a physician has made one.",
        )


@rule(
    "payer.initial-care",
    Severity.WARNING,
    ("coverage", "written_on"),
    Source("Payer profile", "initial care after the injury"),
)
def _initial_care(order: Order, context: Context) -> Iterator[Hit]:
    terms = context.terms(order)
    days = terms.get("initial_care_days")
    injury = order.coverage.date_of_injury
    if days and injury and order.written_on - injury > timedelta(days=days):
        yield Hit(
            "coverage.date_of_injury",
            f"This payer pays only when care began within {days} days of the "
            f"injury ({injury:%m/%d/%Y}): attach the record of the first visit "
            "within that time.",
            source=Source.parse(terms.source("initial_care_days")),
        )


@rule(
    "payer.required-field",
    Severity.ERROR,
    ("coverage",),
    Source("Payer profile", "fields the payer needs"),
)
def _required(order: Order, context: Context) -> Iterator[Hit]:
    for path, source in context.terms(order).listed("required"):
        section, _, name = path.partition(".")
        value = getattr(getattr(order, section, None), name, None)
        if value in (None, ""):
            yield Hit(
                path,
                f"This payer needs {name.replace('_', ' ')}: fill it in.",
                source=Source.parse(source),
            )


@rule(
    "coverage.related-to-injury-payer",
    Severity.WARNING,
    ("coverage",),
    Source(
        "CMS-1500 instructions, item 10 (Is patient's condition related to)",
        "NUCC 1500 Health Insurance Claim Form Reference Instruction Manual",
        "https://www.nucc.org/index.php/1500-claim-form-mainmenu-35/"
        "1500-instructions-mainmenu-42",
    ),
)
def _related_to_injury_payer(order: Order, context: Context) -> Iterator[Hit]:
    c = order.coverage
    if c.payer_type in HEALTH_PLANS and c.related_to in RELATED_TO_PAYER:
        yield Hit(
            "coverage.related_to",
            f"The condition is related to {RELATED_TO_PAYER[c.related_to]} usually "
            "pays first — check the payer before billing the health plan.",
        )


@rule(
    "payer.medicare-massage",
    Severity.WARNING,
    ("coverage", "modality"),
    Source(MBPM_15, "230.1-230.2 (qualified therapists)", MBPM_URL),
)
def _medicare_massage(order: Order, context: Context) -> Iterator[Hit]:
    terms = context.terms(order)
    if not terms.has("medicare"):
        return
    excluded = {p for p, _ in terms.listed("excluded_performers")}
    if _performer(order) in excluded or not _performer(order):
        yield Hit(
            "modality.performer" if _performer(order) else "modality.cpt",
            "Medicare does not recognise massage therapists as therapy providers: "
            "order the therapy from a physical or occupational therapist.",
        )


@rule(
    "payer.medicare-referrer",
    Severity.ERROR,
    ("coverage", "prescriber"),
    Source(MBPM_15, "220 (definitions: chiropractors)", MBPM_URL),
)
def _medicare_referrer(order: Order, context: Context) -> Iterator[Hit]:
    terms = context.terms(order)
    credentials = order.prescriber.credentials.upper().replace(".", "")
    for item, source in terms.listed("excluded_referrers"):
        if credentials == item.upper():
            yield Hit(
                "prescriber.credentials",
                f"{'Medicare' if terms.has('medicare') else 'This payer'} does not "
                f"accept therapy ordered by a {item} (chiropractor): a physician or "
                "nurse practitioner must order it.",
                source=Source.parse(source),
            )


@rule(
    "payer.certification-period",
    Severity.WARNING,
    ("coverage", "plan"),
    Source(MBPM_15, "220.1.3 (certification interval)", MBPM_URL),
)
def _certification(order: Order, context: Context) -> Iterator[Hit]:
    terms = context.terms(order)
    days = terms.get("certification_days")
    length = (order.plan.end - order.plan.start).days + 1
    if days and length > days:
        yield Hit(
            "plan.phases",
            f"This payer certifies a plan for at most {days} days; this one runs "
            f"{length}. Shorten it, or plan a recertification by "
            f"{order.plan.start + timedelta(days=days - 1):%m/%d/%Y}.",
            source=Source.parse(terms.source("certification_days")),
        )


@rule(
    "payer.minutes-cap",
    Severity.WARNING,
    ("coverage", "session"),
    Source("Payer profile", "minutes per visit"),
)
def _minutes_cap(order: Order, context: Context) -> Iterator[Hit]:
    terms = context.terms(order)
    cap = terms.get("minutes_cap")
    if cap and order.session.minutes > cap:
        yield Hit(
            "session.minutes",
            f"This payer pays at most {cap} minutes a visit: the order asks for "
            f"{order.session.minutes}.",
            source=Source.parse(terms.source("minutes_cap")),
        )


@rule(
    "payer.wa-li-progress",
    Severity.INFO,
    ("coverage",),
    Source(
        "WAC 296-23-250",
        "massage therapy under Washington L&I",
        "https://app.leg.wa.gov/WAC/default.aspx?cite=296-23-250",
    ),
)
def _wa_li(order: Order, context: Context) -> Iterator[Hit]:
    terms = context.terms(order)
    if terms.has("wa-li"):
        yield Hit(
            "goals",
            "Washington L&I wants written orders, restoration goals and a progress "
            f"report after {terms.get('progress_visits')} visits or 1 month: the "
            "re-evaluation dates follow that.",
        )

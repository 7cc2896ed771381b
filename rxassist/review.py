"""The one place an order is checked: the validator's field errors, then the rules.

``review`` answers every finding about a document in one shape, whether the document
is whole (issuing, the API, ``rx check``) or a draft half-way through the wizard: a
rule runs as soon as the sections it reads can be read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from rxassist import rules
from rxassist.payers import PayerProfiles
from rxassist.prescription import (
    SECTIONS,
    CodeSet,
    Prescription,
    parse_sections,
    validate,
)
from rxassist.rules import Finding, Order, Severity, Source


class Codes(rules.Codes, CodeSet, Protocol):
    """What a review needs of a code set: the validator's checks and the rules'."""


DOCUMENT_SOURCE = Source(
    "Rx Assist prescription document", "the Document schema (/api/v1/openapi.json)"
)
DOCUMENT_RULE = "document.field"


@dataclass(frozen=True)
class Review:
    """A document's prescription (when it is valid) and every finding about it."""

    rx: Prescription | None
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """True when the prescription may be issued: valid, and no rule's error."""
        return self.rx is not None and not self.errors

    @property
    def errors(self) -> dict[str, str]:
        """The first error of each field, as the forms and the API show them."""
        out: dict[str, str] = {}
        for finding in self.findings:
            if finding.severity is Severity.ERROR:
                out.setdefault(finding.field, finding.message)
        return out

    def of(self, severity: Severity) -> list[Finding]:
        """The findings of one severity."""
        return [f for f in self.findings if f.severity is severity]

    @property
    def warnings(self) -> list[Finding]:
        """The warnings the physician sees and may accept."""
        return self.of(Severity.WARNING)

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        """``{"errors": [...], "warnings": [...], "info": [...]}``."""
        return {
            group: [f.to_json() for f in found]
            for group, found in rules.split(self.findings).items()
        }

    def lines(self) -> list[str]:
        """One ``SEVERITY RULE-ID FIELD: message`` line per finding."""
        return [f.line() for f in self.findings]


def field_findings(errors: Mapping[str, str]) -> list[Finding]:
    """The validator's field errors as findings."""
    return [
        Finding(DOCUMENT_RULE, Severity.ERROR, path, message, DOCUMENT_SOURCE)
        for path, message in errors.items()
    ]


def review(document: Any, *, codes: Codes, payers: PayerProfiles) -> Review:
    """Validate a whole document and run every rule on it."""
    rx, errors = validate(document, icd=codes)
    order = Order.of(rx) if rx is not None else _read(document, codes)[0]
    found = field_findings(errors) + rules.check(order, rules.Context(codes, payers))
    return Review(rx, tuple(rules.by_severity(found)))


def review_sections(
    document: Any,
    sections: Iterable[str],
    *,
    codes: Codes,
    payers: PayerProfiles,
) -> list[Finding]:
    """The findings that concern some sections of a draft (one wizard step)."""
    names = tuple(sections)
    order, errors = _read(document, codes)
    found = field_findings(errors) + rules.check(order, rules.Context(codes, payers))
    return [f for f in rules.by_severity(found) if _section(f.field) in names]


def _read(document: Any, codes: Codes) -> tuple[Order, dict[str, str]]:
    """Every section read once: those without an error, and every field's error."""
    if not isinstance(document, Mapping):
        return Order(), {}
    values, errors = parse_sections(document, SECTIONS, icd=codes)
    bad = {_section(path) for path in errors}
    if document.get("written_on") is None:
        bad.add("written_on")
    return Order.of({k: v for k, v in values.items() if k not in bad}), errors


def _section(path: str) -> str:
    return path.split(".", 1)[0]

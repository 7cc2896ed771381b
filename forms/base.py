"""The base of every wizard step form: load from, dump to and validate a draft."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from rxassist.coverage import US_STATES
from rxassist.icd import IcdIndex
from rxassist.prescription import validate_sections
from rxassist.rules import Finding, Severity


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Options of a select, radio or checkbox list from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def pick(values: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Options of a select that starts with "Choose…" (left out)."""
    return choices([("", "Choose…"), *values])


STATE_CHOICES = pick((key, f"{key} — {name}") for key, name in US_STATES.items())


class StepForm(FlaskForm):
    """A wizard step: its fields map to sections of the prescription document.

    The rules live in ``rxassist.prescription``; a step form only moves values between
    the page and the draft document and shows the domain's messages beside its fields.
    """

    sections: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form_warnings: list[Finding] = []
        self.anchors = dict(self.ANCHORS)

    # Dotted document paths (or their prefixes) to the field that shows their errors.
    error_fields: ClassVar[dict[str, str]] = {}
    # Field name to the id of the input its error summary link lands on, where the
    # field's own id is not drawn (forms.errors.error_links).
    ANCHORS: ClassVar[dict[str, str]] = {}

    def load(self, document: Mapping[str, Any]) -> None:
        """Fill the fields from the draft document (GET)."""
        raise NotImplementedError

    def dump(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """Return the document updated with what the user typed."""
        raise NotImplementedError

    def check(self, document: Mapping[str, Any], icd: IcdIndex) -> bool:
        """Run the domain rules of this step's sections; attach errors to fields."""
        errors = validate_sections(document, self.sections, icd=icd)
        for path, message in errors.items():
            self.attach_error(path, message)
        return not errors

    def show(self, findings: Iterable[Finding], *, errors: bool = True) -> bool:
        """Show findings beside their fields; True when none of them is an error.

        Warnings and notes never block the step; errors are shown when asked.
        """
        ok = True
        for finding in findings:
            if finding.severity is Severity.ERROR:
                ok = False
                if errors:
                    self.attach_error(finding.field, finding.message)
            else:
                self.attach_warning(finding)
        return ok

    def attach_warning(self, finding: Finding) -> None:
        """Show a warning or note beside its field, or above the form."""
        name = self.field_for(finding.field)
        field = self._fields.get(name) if name else None
        if field is None:
            self.form_warnings.append(finding)
            return
        shown = list(getattr(field, "warnings", []))
        if finding not in shown:
            shown.append(finding)
        field.warnings = shown

    def field_for(self, path: str) -> str | None:
        """The field name that shows errors for a dotted path."""
        best = None
        for prefix, name in self.error_fields.items():
            if (path == prefix or path.startswith(prefix + ".")) and (
                best is None or len(prefix) > len(best[0])
            ):
                best = (prefix, name)
        return best[1] if best else None

    def attach_error(self, path: str, message: str) -> None:
        """Show a domain message beside its field, or above the form."""
        name = self.field_for(path)
        field = self._fields.get(name) if name else None
        if field is None:
            self.form_errors.append(message)
            return
        errors = list(field.errors) if isinstance(field.errors, list | tuple) else []
        if message not in errors:
            errors.append(message)
        field.errors = errors

"""The error summary's links: each message with the id of the input it lands on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from wtforms import Field, FieldList, FormField, RadioField

# Fields drawn as a group of inputs whose ids are "<field id>-<n>".
GROUPS = (RadioField,)


class ErrorLink(NamedTuple):
    """One line of the error summary: where its link goes and what it says."""

    anchor: str
    text: str


def error_links(form: Any) -> list[ErrorLink]:
    """Every field message of ``form`` in page order, each with its input's id.

    A form may name the input a field's messages land on in ``anchors`` (a checkbox
    group drawn by hand, an error shown for a whole list); a radio group lands on its
    first radio; a row of a list of forms on its own input.
    """
    anchors: dict[str, str] = getattr(form, "anchors", {}) or {}
    return [link for field in form for link in _links(field, anchors)]


def _links(field: Field, anchors: dict[str, str]) -> Iterator[ErrorLink]:
    own = [e for e in _errors(field) if isinstance(e, str)]
    if isinstance(field, FieldList):
        # The list's own messages land on its first input; the rows' on theirs.
        first = _first_input(field)
        for error in own:
            yield ErrorLink(anchors.get(field.name, first), error)
        for entry in field.entries:
            for sub in _leaves(entry):
                for error in _errors(sub):
                    if isinstance(error, str):
                        yield ErrorLink(sub.id, error)
        return
    anchor = anchors.get(field.name) or (
        f"{field.id}-0" if isinstance(field, GROUPS) else field.id
    )
    for error in own:
        yield ErrorLink(anchor, f"{field.label.text}: {error}")


def _errors(field: Field) -> list[Any]:
    errors = field.errors
    return list(errors) if isinstance(errors, list | tuple) else []


def _leaves(field: Field) -> Iterator[Field]:
    if isinstance(field, FormField):
        for sub in field:
            yield from _leaves(sub)
    else:
        yield field


def _first_input(field: FieldList) -> str:
    for entry in field.entries:
        for sub in _leaves(entry):
            return str(sub.id)
    return str(field.id)

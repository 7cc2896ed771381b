"""Forms for prescriptions on record: search, void, patient links, patient check."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import DateInput

from forms.base import choices
from rxassist.lifecycle import Status
from rxassist.schema import MAX_LENGTH, MAX_LINK_DAYS, RECORD_LIMITS
from rxassist.short_code import MAX_TYPED


class SearchForm(FlaskForm):
    """Filters of the prescription list (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(
        "Patient name", validators=[Optional(), Length(max=MAX_LENGTH["name"])]
    )
    dob = StringField("Date of birth", widget=DateInput(), validators=[Optional()])
    status = SelectField(
        "Status",
        choices=choices([("", "Any"), *((s.value, s.label) for s in Status)]),
        validate_choice=False,
    )
    written_from = StringField("Written from", widget=DateInput())
    written_to = StringField("Written to", widget=DateInput())


class VoidForm(FlaskForm):
    """Why a prescription is voided."""

    reason = TextAreaField(
        "Reason for voiding",
        validators=[
            DataRequired("Say why this prescription is void."),
            Length(
                max=RECORD_LIMITS["void_reason"],
                message=f"Use at most {RECORD_LIMITS['void_reason']} characters.",
            ),
        ],
        render_kw={"rows": 3, "maxlength": RECORD_LIMITS["void_reason"]},
    )


class PatientLinkForm(FlaskForm):
    """How long a new patient link stays valid."""

    days = IntegerField(
        "Valid for (days)",
        validators=[
            DataRequired("Enter how many days the link stays valid."),
            NumberRange(1, MAX_LINK_DAYS, f"Choose from 1 to {MAX_LINK_DAYS} days."),
        ],
    )


class PatientCheckForm(FlaskForm):
    """The patient proves who they are with their date of birth."""

    dob = StringField(
        "Your date of birth",
        widget=DateInput(),
        validators=[DataRequired("Enter your date of birth.")],
    )


class PatientCodeForm(FlaskForm):
    """The short code from the handout; the date of birth is asked next."""

    code = StringField(
        "Your code",
        validators=[DataRequired("Enter the code printed on your handout.")],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "maxlength": MAX_TYPED,
        },
    )

"""Practice forms: the first-run setup, invitations and accepting one."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from forms.base import STATE_CHOICES, choices
from rxassist.accounts import (
    IDENTITY_FIELDS,
    MAX_EMAIL,
    MAX_PASSWORD,
    password_problem,
)
from rxassist.coverage import CREDENTIALS
from rxassist.prescription import LIMITS
from rxassist.schema import RECORD_LIMITS
from services.members import identity_problems

IDENTITY_REQUIRED = {
    "name": "Enter your full name.",
    "credentials": "Choose your credentials.",
    "npi": "Enter your NPI.",
    "license": "Enter your state license number.",
    "license_state": "Choose the state that issued the license.",
}


class IdentityForm(FlaskForm):
    """A prescriber's name, credentials, NPI and license, and a new password."""

    name = StringField("Full name", render_kw={"maxlength": LIMITS["name"]})
    credentials = SelectField(
        "Credentials",
        choices=choices([("", "Choose…"), *((c, c) for c in CREDENTIALS)]),
        validate_choice=False,
    )
    npi = StringField(
        "NPI",
        render_kw={"maxlength": LIMITS["npi"], "inputmode": "numeric"},
    )
    license = StringField(
        "State license number", render_kw={"maxlength": LIMITS["license"]}
    )
    license_state = SelectField(
        "License state", choices=STATE_CHOICES, validate_choice=False
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Choose a password."), Length(max=MAX_PASSWORD)],
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[EqualTo("password", message="The passwords do not match.")],
    )
    # The email the password must not contain (the invitation's or the typed one).
    account_email = ""

    def validate_password(self, field: PasswordField) -> None:
        """The accounts' one password rule."""
        if problem := password_problem(field.data or "", self._email()):
            raise ValidationError(problem)

    def _email(self) -> str:
        return self.account_email

    def needs_identity(self) -> bool:
        """Whether the prescriber fields must be filled in."""
        return True

    def validate(self, extra_validators: Any = None) -> bool:
        """The form's validators, then the prescriber fields when they are needed."""
        ok = bool(super().validate(extra_validators))
        if not self.needs_identity():
            return ok
        for name, message in IDENTITY_REQUIRED.items():
            if not (self[name].data or "").strip():
                self[name].errors.append(message)
                ok = False
        # The profile's own checks (lengths, characters, NPI, vocabularies).
        for name, message in identity_problems(self.identity()).items():
            if not self[name].errors:
                self[name].errors.append(message)
                ok = False
        return ok

    def identity(self) -> dict[str, str]:
        """The prescriber fields as typed, trimmed."""
        return {name: (self[name].data or "").strip() for name in IDENTITY_FIELDS}


class AcceptInvitationForm(IdentityForm):
    """An invited physician's account: name, password, NPI, credentials, license."""


class SetupForm(IdentityForm):
    """The practice and its administrator, who may also be a prescribing physician."""

    practice_name = StringField(
        "Practice name",
        validators=[
            DataRequired("Enter the practice's name."),
            Length(max=RECORD_LIMITS["practice_name"]),
        ],
    )
    email = EmailField(
        "Your email",
        validators=[DataRequired("Enter your email."), Email(), Length(max=MAX_EMAIL)],
    )
    physician = BooleanField("I am also a prescribing physician")

    def _email(self) -> str:
        return self.email.data or ""

    def needs_identity(self) -> bool:
        return bool(self.physician.data)


class InviteForm(FlaskForm):
    """The email of a physician to invite."""

    email = EmailField(
        "Physician's email",
        validators=[
            DataRequired("Enter the physician's email."),
            Email("Enter an email address."),
            Length(max=MAX_EMAIL),
        ],
    )

"""Account forms: register, log in, the prescriber profile and personal API tokens."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from forms.base import STATE_CHOICES, StepForm, choices
from rxassist.accounts import MAX_EMAIL, MAX_PASSWORD, password_problem
from rxassist.coverage import CREDENTIALS
from rxassist.prescription import LIMITS, PRESCRIBER_FIELDS
from rxassist.schema import RECORD_LIMITS


class RegisterForm(FlaskForm):
    """A new physician account."""

    email = EmailField(
        "Email",
        validators=[DataRequired("Enter your email."), Email(), Length(max=MAX_EMAIL)],
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Choose a password."), Length(max=MAX_PASSWORD)],
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[EqualTo("password", message="The passwords do not match.")],
    )

    def validate_password(self, field: PasswordField) -> None:
        """The accounts' one password rule (length, common, guessable)."""
        _strong(field, self.email.data or "")


def _strong(field: PasswordField, email: str) -> None:
    if problem := password_problem(field.data or "", email):
        raise ValidationError(problem)


class PasswordChangeForm(FlaskForm):
    """The signed-in physician's new password, confirmed by the current one."""

    current = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
    )
    password = PasswordField(
        "New password",
        validators=[DataRequired("Choose a new password."), Length(max=MAX_PASSWORD)],
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[EqualTo("password", message="The passwords do not match.")],
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def validate_password(self, field: PasswordField) -> None:
        """The accounts' one password rule, for this physician's email."""
        _strong(field, self.email)


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired("Enter your email.")])
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password.")]
    )


class ProfileForm(StepForm):
    """The prescriber profile printed on every prescription."""

    sections = ("prescriber",)
    error_fields = {f"prescriber.{key}": key for key in PRESCRIBER_FIELDS}

    name = StringField("Full name", render_kw={"maxlength": LIMITS["name"]})
    credentials = SelectField(
        "Credentials",
        choices=choices([("", "Choose…"), *((c, c) for c in CREDENTIALS)]),
        validate_choice=False,
    )
    specialty = StringField("Specialty", render_kw={"maxlength": LIMITS["specialty"]})
    npi = StringField(
        "NPI",
        render_kw={
            "maxlength": LIMITS["npi"],
            "inputmode": "numeric",
            "autocomplete": "off",
        },
    )
    license = StringField(
        "State license number", render_kw={"maxlength": LIMITS["license"]}
    )
    license_state = SelectField(
        "License state", choices=STATE_CHOICES, validate_choice=False
    )
    practice = StringField("Practice name", render_kw={"maxlength": LIMITS["practice"]})
    address = StringField(
        "Practice address", render_kw={"maxlength": LIMITS["address"]}
    )
    phone = StringField(
        "Phone", render_kw={"maxlength": LIMITS["phone"], "type": "tel"}
    )
    fax = StringField("Fax", render_kw={"maxlength": LIMITS["fax"], "type": "tel"})

    def load(self, document: Mapping[str, Any]) -> None:
        for key in self.error_fields.values():
            self[key].data = document.get("prescriber", {}).get(key, "")

    def dump(self, document: Mapping[str, Any]) -> dict[str, Any]:
        return dict(
            document,
            prescriber={
                k: (self[k].data or "").strip() for k in self.error_fields.values()
            },
        )


class PersonalTokenForm(FlaskForm):
    """A new personal API token: what it is for."""

    name = StringField(
        "Token name",
        validators=[
            DataRequired("Say what will use the token, e.g. 'My EHR'."),
            Length(max=RECORD_LIMITS["api_key_name"]),
        ],
        id="token_name",  # the profile form on the same page has its own "name"
    )


class SignatureImageForm(FlaskForm):
    """The signature image: a picture file, or a drawing sent as a PNG data address.

    rxassist.signature_image decides what is acceptable; the view reports its
    reasons beside the field that sent the picture.
    """

    image = FileField(
        "Picture of your signature",
        render_kw={"accept": "image/png,image/jpeg,image/gif,image/webp"},
    )
    drawing = HiddenField()

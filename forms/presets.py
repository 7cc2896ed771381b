"""Forms for order presets: save one (name, shared) and rename one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField

from rxassist.presets import MAX_NAME


class PresetForm(FlaskForm):
    """Save the order as a preset; rxassist.presets checks the name and the order."""

    preset_name = StringField(
        "Preset name",
        render_kw={"maxlength": MAX_NAME, "placeholder": "Whiplash, WC"},
    )
    shared = BooleanField("Share with my practice")


class RenameForm(FlaskForm):
    """A preset's new name."""

    preset_name = StringField("New name", render_kw={"maxlength": MAX_NAME})

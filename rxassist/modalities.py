"""What can be ordered: CPT codes, techniques, performers, pressure, areas, cautions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Cpt:
    """A timed CPT code a massage therapist bills, with the techniques it covers."""

    code: str
    name: str
    techniques: tuple[str, ...]
    therapy: str  # what is ordered, in the physician's words
    warning: str | None = None


CPT_CODES: dict[str, Cpt] = {
    "97140": Cpt(
        "97140",
        "Manual therapy techniques",
        (
            "myofascial release",
            "neuromuscular therapy",
            "manual lymphatic drainage",
            "trigger point therapy",
            "soft-tissue mobilization",
        ),
        therapy="manual therapy",
    ),
    "97124": Cpt(
        "97124",
        "Massage therapy",
        ("effleurage", "petrissage", "tapotement"),
        therapy="massage therapy",
        warning=(
            "Many carriers do not cover CPT 97124 (massage). CPT 97140 (manual "
            "therapy) is reimbursed more widely; check the patient's plan."
        ),
    ),
}

TECHNIQUE_CPT: dict[str, str] = {
    technique: cpt.code for cpt in CPT_CODES.values() for technique in cpt.techniques
}

# Common spellings physicians type, folded onto the canonical technique names.
TECHNIQUE_ALIASES: dict[str, str] = {
    "trigger point": "trigger point therapy",
    "soft tissue mobilization": "soft-tissue mobilization",
    "mld": "manual lymphatic drainage",
    "nmt": "neuromuscular therapy",
    "mfr": "myofascial release",
}

# Who performs the therapy; payer profiles name these keys (excluded_performers).
PERFORMERS: dict[str, str] = {
    "lmt": "Licensed massage therapist (LMT)",
    "pt": "Physical therapist (PT)",
    "ot": "Occupational therapist (OT)",
    "dc": "Chiropractor (DC)",
    "physician": "Physician",
}
DEFAULT_PERFORMER = "lmt"

PRESSURES: dict[str, str] = {
    "light": "Light",
    "moderate": "Moderate",
    "deep": "Deep",
}


@dataclass(frozen=True)
class BodyArea:
    """A body area that can be ordered, and whether it takes a side."""

    key: str
    label: str
    sided: bool


BODY_AREAS: dict[str, BodyArea] = {
    area.key: area
    for area in (
        BodyArea("head_face", "Head/face and TMJ", True),
        BodyArea("cervical", "Cervical spine (neck)", False),
        BodyArea("thoracic", "Thoracic spine (upper/mid back)", False),
        BodyArea("lumbar", "Lumbar spine (low back)", False),
        BodyArea("sacral_pelvis", "Sacral/pelvis", False),
        BodyArea("shoulder", "Shoulder", True),
        BodyArea("upper_arm", "Upper arm", True),
        BodyArea("elbow_forearm", "Elbow/forearm", True),
        BodyArea("wrist_hand", "Wrist/hand", True),
        BodyArea("hip_gluteal", "Hip/gluteal", True),
        BodyArea("thigh", "Thigh", True),
        BodyArea("knee", "Knee", True),
        BodyArea("leg_calf", "Leg/calf", True),
        BodyArea("ankle_foot", "Ankle/foot", True),
        BodyArea("chest", "Chest", False),
        BodyArea("abdomen", "Abdomen", False),
    )
}

SIDES: dict[str, str] = {"left": "left", "right": "right", "bilateral": "bilateral"}

# Head/face may be ordered without a side (the whole face); limbs always need one.
SIDE_OPTIONAL = frozenset({"head_face"})

# Precaution kinds and the sentence each prints; postop and other take details.
PRECAUTION_KINDS: dict[str, str] = {
    "anticoagulant": "Anticoagulant therapy: light pressure only",
    "lymphedema": (
        "Lymphedema risk: manual lymphatic drainage by a certified therapist only"
    ),
    "postop": "Post-operative: cleared for massage from {cleared_on}",
    "other": "{text}",
}


@dataclass(frozen=True)
class Precaution:
    """A precaution: its kind and details (the clearance date, or the text)."""

    kind: str
    cleared_on: date | None = None
    text: str = ""

    @property
    def label(self) -> str:
        """The sentence printed on the prescription."""
        cleared = f"{self.cleared_on:%m/%d/%Y}" if self.cleared_on else ""
        return PRECAUTION_KINDS[self.kind].format(cleared_on=cleared, text=self.text)

    def to_document(self) -> dict[str, str]:
        """The precaution as it appears in a prescription document."""
        doc = {"kind": self.kind}
        if self.cleared_on is not None:
            doc["cleared_on"] = self.cleared_on.isoformat()
        if self.text:
            doc["text"] = self.text
        return doc


def body_area_label(key: str, side: str | None) -> str:
    """Return "Shoulder, left" for an area and its side."""
    label = BODY_AREAS[key].label
    return f"{label}, {side}" if side else label

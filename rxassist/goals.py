"""Measurable goals to start from, by body area: a click instead of a sentence typed.

Payers ask for functional goals that are measurable, with a baseline and a target
(CMS Medicare Benefit Policy Manual, Pub. 100-02, ch. 15, section 220.1.2: "measurable
goals"). Which measures suit which area is a clinical judgement call: these are common
ones (range of motion in degrees, the 0-10 numeric pain rating scale, tolerances in
minutes, the Neck Disability Index, Oswestry and QuickDASH scores), offered, never
imposed; the physician types any other.
"""

from __future__ import annotations

from collections.abc import Iterable

# By rxassist.modalities BODY_AREAS key. Each idea is the goal's "function" text.
GOAL_IDEAS: dict[str, tuple[str, ...]] = {
    "head_face": ("Mouth opening (mm)", "Jaw pain (0-10)", "Headache days a month"),
    "cervical": (
        "Cervical rotation (degrees)",
        "Neck pain (0-10)",
        "Neck Disability Index (%)",
        "Computer work tolerance (minutes)",
    ),
    "thoracic": ("Thoracic rotation (degrees)", "Upper back pain (0-10)"),
    "lumbar": (
        "Low back pain (0-10)",
        "Sitting tolerance (minutes)",
        "Oswestry Disability Index (%)",
        "Walking tolerance (minutes)",
    ),
    "sacral_pelvis": ("Pelvic pain (0-10)", "Sitting tolerance (minutes)"),
    "shoulder": (
        "Shoulder flexion (degrees)",
        "Shoulder abduction (degrees)",
        "Shoulder pain reaching overhead (0-10)",
        "QuickDASH score",
    ),
    "upper_arm": ("Arm pain lifting (0-10)", "QuickDASH score"),
    "elbow_forearm": ("Grip strength (kg)", "Elbow pain lifting (0-10)"),
    "wrist_hand": (
        "Grip strength (kg)",
        "Typing tolerance (minutes)",
        "Hand pain (0-10)",
    ),
    "hip_gluteal": ("Hip flexion (degrees)", "Walking tolerance (minutes)"),
    "thigh": ("Straight-leg raise (degrees)", "Thigh pain (0-10)"),
    "knee": ("Knee flexion (degrees)", "Knee pain on stairs (0-10)"),
    "leg_calf": ("Calf pain (0-10)", "Walking tolerance (minutes)"),
    "ankle_foot": (
        "Ankle dorsiflexion (degrees)",
        "Standing tolerance (minutes)",
        "Foot pain on first steps (0-10)",
    ),
    "chest": ("Chest wall pain (0-10)", "Pain on a deep breath (0-10)"),
    "abdomen": ("Abdominal pain (0-10)", "Scar mobility (restricted/free)"),
}
# Whatever the areas: sleep and daily activity matter to every plan.
GENERAL_IDEAS: tuple[str, ...] = ("Sleep without waking from pain (hours)",)
MAX_IDEAS = 8


def goal_ideas(areas: Iterable[str]) -> list[str]:
    """Goal ideas for the chosen areas, in the order chosen, then the general ones."""
    ideas: list[str] = []
    for area in areas:
        ideas += [idea for idea in GOAL_IDEAS.get(area, ()) if idea not in ideas]
    ideas += [idea for idea in GENERAL_IDEAS if idea not in ideas]
    return ideas[:MAX_IDEAS]

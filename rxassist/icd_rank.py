"""How the ICD-10-CM search weighs a match: every weight named, in one place.

A text (title, inclusion term, synonym, Includes note) scores by the query words it
has (rare words weigh more), how little else it says, the side it names and a small
prior for the codes massage-therapy prescriptions name most.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rxassist.icd_query import BILATERAL

TITLE, INCLUSION, SYNONYM, INCLUDES = range(4)
KIND_NAMES = ("title", "inclusion", "synonym", "includes")


@dataclass(frozen=True, slots=True)
class Weights:
    """The search's weights; ``WEIGHTS`` is the one instance the search uses."""

    # A curated synonym is written to name its code, so it weighs as much as a title.
    kind: tuple[float, ...] = (1.0, 0.95, 1.0, 0.75)
    exact: float = 1.0
    prefix: float = 0.85
    fuzzy: float = 0.65
    missed_word: float = -0.5  # a query word the text lacks
    # A word's weight: floor + span * (its rarity, 0 for every text to 1 for one).
    rarity_floor: float = 0.6
    rarity_span: float = 0.8
    # A word of a cause or time beside a condition ("after CPR", "from kneeling"):
    # times its weight, so the condition's words decide the rank.
    context_word: float = 0.6
    negated_said: float = 0.3  # "without aura" typed, "without aura" titled
    negated_unsaid: float = -0.6  # "aura" typed, "without aura" titled
    negated_asserted: float = -0.6  # "without aura" typed, "with aura" titled
    soft_word: float = 0.2  # a 7th-character or filler word the text has
    # A site no title names with the condition ("pinky pain"): a text naming the
    # part it is nearest to (the finger) before its limb (the arm, M79.60-).
    nearest_part: float = 0.3
    tightness: float = 0.8  # times the share of the text the query covers
    whole_text: float = 0.15  # the text is all the user typed, nothing more
    side_stated: float = 0.3
    side_split: float = -0.1  # "bilateral" asked, no bilateral code: right and left
    side_unspecified: float = -0.3  # a side asked, the code names none
    side_unasked: float = -0.06  # no side asked: the unspecified-side code first
    # A side typed puts a code of that side first (a safety rule), so a code of the
    # side that matches the query much less than the best code of no side is left
    # out: under this share of that code's score ("ttp R trap spasm": no hemifacial
    # spasm of the right before the trapezius's spasm M62.838).
    side_loose: float = 0.6
    # A paired site in the plural ("flat feet", "sore knees"): a bilateral code,
    # then right and left, before the unspecified one; a code of no side is left
    # as it is ("numb feet": R20.0).
    plural_bilateral: float = 0.2
    plural_one_side: float = 0.15
    code_fragment: float = 0.5  # the query names the start of this code ("m54 ...")
    # An injury word typed ("fracture"): the injury (chapter 19) before a disease
    # that shares the word (a stress or pathological fracture).
    injury_asked: float = 0.15
    # A pregnancy named ("pregnant", "3rd tri", "30 weeks"): chapter 15 first, as the
    # Alphabetical Index sends conditions "in pregnancy" there.
    pregnancy_asked: float = 0.3
    pregnancy_unasked: float = -0.2  # "swollen knee": no gestational edema
    # and more when its text says "in pregnancy" ("upper back and neck pain")
    pregnancy_said_unasked: float = -0.3
    # A status, history or aftercare Z code (Z4-, Z8-, Z9-) when the query names no
    # status word ("left shoulder"): the site's condition codes first.
    status_unasked: float = -0.5
    # A matched category offers its billable codes below the codes that matched
    # themselves, the general one first.
    leaf_below_category: float = 0.08
    leaf_step: float = 0.02
    leaves_offered: int = 8
    # Priors by code.
    massage: float = 0.15
    common: float = 0.1
    unspecified: float = 0.12
    residual: float = -0.03  # "other ...": after the named codes beside it
    external_cause: float = -0.3
    # A title of an age group ("Unspecified juvenile rheumatoid arthritis"): after
    # the adult's codes; a query naming the age matches its word and outweighs this.
    age_group: float = -0.2
    obstetric_perinatal: float = -0.1


WEIGHTS = Weights()

# Codes a massage-therapy prescription names most; a small nudge in ranking.
MASSAGE_PREFIXES = tuple(
    (
        "M54 M53 M50 M51 M47 M48.0 M62.4 M62.8 M79.1 M79.6 M79.7 M25.5 M25.6 M75 M76 "
        "M77 M70.6 M70.7 M65.3 M65.4 M72.2 M26.6 M43.6 M41 M99 M35.3 M94.0 "
        "S13 S16 S23 S29.0 S33 S39.0 S43 S46 S53 S56 S63 S66 S73 S76 S83 S86 S93 S96 "
        "G44 G43 R51 G89 G56.0 G57.0 G54.0 G90.5 G24.3 I89.0 I97.2 "
        "R52 R25.2 R26 R29.3 R60 Z47.1 Z96.6 L90.5"
    ).split()
)
# Within those, the codes massage prescriptions name most often.
COMMON_PREFIXES = tuple(
    (
        "M54.2 M54.5 M54.6 M54.9 M54.1 M54.3 M62.83 M79.1 M79.7 M25.51 M25.55 M25.56 "
        "M75.0 M77.1 S13.4 S16.1 S39.012 S33.5 G44.2 M26.60 I89.0 I97.2"
    ).split()
)


# Words of a title that name an age group.
AGE_WORDS = frozenset("juvenile infantile newborn neonatal childhood child".split())


def prior(code: str, title_words: set[str], w: Weights = WEIGHTS) -> float:
    """A code's standing before any query: common codes up, residual ones down."""
    value = 0.0
    if code.startswith(MASSAGE_PREFIXES):
        value += w.massage
    if code.startswith(COMMON_PREFIXES):
        value += w.common
    if "unspecified" in title_words:
        value += w.unspecified
    elif "other" in title_words:
        value += w.residual
    if not AGE_WORDS.isdisjoint(title_words):
        value += w.age_group
    if code[0] in "VWXY":
        value += w.external_cause
    elif code[0] in "OP":
        value += w.obstetric_perinatal
    return value


# Z codes of a status, history or aftercare encounter (Z40-Z49, Z80-Z99).
STATUS_PREFIXES = ("Z4", "Z8", "Z9")


def side_score(asked: int, named: int, w: Weights = WEIGHTS) -> float | None:
    """What a code's side adds for the side asked; None: the opposite side, leave it."""
    if not asked:
        return w.side_unasked if named else 0.0
    if named & asked:
        return w.side_stated
    if asked == BILATERAL and named:
        return w.side_split
    if named:
        return None
    return w.side_unspecified


def plural_side_score(named: int, w: Weights = WEIGHTS) -> float:
    """What a code's side adds for a paired site typed in the plural, no side."""
    if named & BILATERAL:
        return w.plural_bilateral
    return w.plural_one_side if named else 0.0


def rarity(found: int, units: int, w: Weights = WEIGHTS) -> float:
    """A word's weight from how many of the ``units`` texts have it."""
    return w.rarity_floor + w.rarity_span * math.log(units / (found + 1)) / math.log(
        units
    )


def static_rank(kind: int, size: int, code_prior: float, w: Weights = WEIGHTS) -> float:
    """A text's rank before any query: short titles of common codes first."""
    return w.kind[kind] + w.tightness / size + code_prior

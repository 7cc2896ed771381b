"""What a typed ICD-10-CM search says: its words, side, encounter and code fragments.

``words`` folds any text (titles and queries alike) into searchable words; ``parse``
reads a query the way physicians type one ("knee pain L", "neck sprain f/u",
"herniated disc L4-L5") into a ``Query`` the search pipeline follows.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from rxassist.icd_synonyms import ABBREVIATIONS, EQUIVALENTS, SITES, TRUNK_PLACES

RIGHT, LEFT, BILATERAL = 1, 2, 4
INITIAL, SUBSEQUENT, SEQUELA = "initial", "subsequent", "sequela"
ENCOUNTERS = (INITIAL, SUBSEQUENT, SEQUELA)

STOP = frozenset(
    "a an and as at by due for from in into is nos not of off on or the to with "
    "without encounter elsewhere classified pt patient affecting since my "
    "something after following during while when complains complaining "
    # chart words around a condition ("sx of TOS", "dx CTS"), times of day ("in AM")
    "symptom symptoms diagnosis diagnosed am pm "
    # where on a part ("a knot under my shoulder blade"), never "underweight"
    "under underneath beneath around near "
    "me it its this that very really so "  # "my neck is killing me"
    "goes go going gets getting feel feels up "  # "arm goes numb"
    # how it came on or how long ("woke up with my hand numb", "toes went numb",
    # "still puffy"): when, not what
    "went woke wake waking still".split()
)
# Words that make a title longer without naming anything the user typed.
# "big toe": the titles say "great toe" or just "toe".
# "keeps" as in "knee keeps giving way": how often, not what.
FILLER = frozenset(
    "unspecified other site side sided part parts region big keep".split()
)
SIDE_WORDS = {
    "right": RIGHT,
    "rt": RIGHT,
    "left": LEFT,
    "lt": LEFT,
    "rite": RIGHT,  # spelled as it sounds
    "bilateral": BILATERAL,
    "bilat": BILATERAL,
    "both": BILATERAL,
}
# The side a title names: its "both" is "both X and Y" ("both hemorrhage and
# perforation"), never a side; titles say "bilateral".
TITLE_SIDES = {word: side for word, side in SIDE_WORDS.items() if word != "both"}
# A paired site typed in the plural with no side is likely both ("flat feet"): a
# hint for the ranking, not a side stated.
_PAIRED_PLURALS = frozenset(
    "feet knees hips hands shoulders ankles wrists elbows toes "
    "shins calves thighs heels forearms".split()  # "shins hurt when I run"
)
# Read from the query only: in a title a lone "r" or "l" is never a side.
_ONE_LETTER_SIDES = {"r": RIGHT, "l": LEFT}
# Words typed with two letters swapped ("rigth", "lfet"): never another word.
# "pain" too: its swap "pian" is the Index's word for yaws (A66), an exact word that
# the fuzzy matching would never correct.
_SWAPPABLE = ("right", "left", "pain")
ENCOUNTER_WORDS = {
    "initial": INITIAL,
    "init": INITIAL,
    "subsequent": SUBSEQUENT,
    "subseq": SUBSEQUENT,
    "sub": SUBSEQUENT,
    "subs": SUBSEQUENT,
    "fu": SUBSEQUENT,
    "healing": SUBSEQUENT,  # "routine healing": a subsequent encounter for fracture
    "sequela": SEQUELA,
    "seq": SEQUELA,
}


def _age(match: re.Match[str]) -> str:
    """An age as the titles' age group: infantile, juvenile or adolescent."""
    age = int(match.group(1) or match.group(2))
    return " infantile " if age < 4 else " juvenile " if age < 10 else " adolescent "


_SHORTHAND_GAP = re.compile(r"[-/\s]")
_EXPANSIONS = {_SHORTHAND_GAP.sub("", short): long for short, long in ABBREVIATIONS}


def _expand(match: re.Match[str]) -> str:
    """The words a shorthand of ``ABBREVIATIONS`` stands for."""
    return f" {_EXPANSIONS[_SHORTHAND_GAP.sub('', match.group())]} "


# Query shorthand rewritten before the words are read; "follow" alone is half of
# "follow up", never the "following" of a title.
_Replacement = str | Callable[[re.Match[str]], str]
_REWRITES: tuple[tuple[re.Pattern[str], _Replacement], ...] = (
    (re.compile(r"\bf\s*/\s*u\b|\bfollow(?:[\s-]*ups?)?\b"), " subsequent "),
    (re.compile(r"\blate\s+effects?\b|\bsequelae\b"), " sequela "),
    (re.compile(r"\bsubsequent\s+visits?\b"), " subsequent "),
    (re.compile(r"\bw\s*/\s*o\b"), " without "),
    # "cracked a rib": broken; "neck cracks" is a joint's clicking
    (re.compile(r"\bcracked\s+(?:an?\s+|my\s+|the\s+)?"), " fractured "),
    # "feet burn at night": a burning feeling, not a burn (T25)
    (
        re.compile(
            r"\b(feet|foot|hands?|legs?|toes|fingers|arms?|skin|thighs?|calf|calves|"
            r"shins?|knees?|shoulders?|back|neck|face)\s+burns?\b"
        ),
        r" \1 burning ",
    ),
    # "swollen like a golf ball", "a knot like a marble": a lump, not a golfer's
    (
        re.compile(
            r"\b(?:like|size\s+of)\s+(?:an?\s+)?(?:golf\s*ball|ping\s*pong\s*ball|"
            r"tennis\s*ball|ball|egg|balloon|grape|marble|pea|walnut)s?\b"
        ),
        " lump ",
    ),
    # Hurt lifting or carrying something: a strain ("hurt back lifting boxes",
    # "tweaked my shoulder moving furniture"); "back hurts" stays a pain.
    (
        re.compile(
            r"\b(?:hurt|injured|tweaked)(?=(?:\s+\w+){1,3}?\s+(?:lifting|carrying|"
            r"moving|pushing|pulling|shovel(?:l)?ing|bending|picking|twisting|"
            r"reaching)\b)"
        ),
        " strained ",
    ),
    # "worn out hip joint", "worn-out knee", "arthritic hands": the joint's
    # osteoarthritis (the phrase "worn out joint" of ``EQUIVALENTS``, the joint
    # named inside it)
    (
        re.compile(
            r"\b(?:worn(?:[\s-]+out)?|arthritic)\s+(hips?|knees?|shoulders?|ankles?|"
            r"wrists?|elbows?|hands?|"
            r"thumbs?|fingers?|toes?)(?:\s+joints?)?\b"
        ),
        r" \1 worn out joint ",
    ),
    # Every day, or never going away: chronic ("headache every day", "pain that
    # never goes away" G89.29), as months or years of it are
    (
        re.compile(
            r"\b(?:every\s*day|(?:never|won'?t|doesn'?t|does\s+not|will\s+not)"
            r"\s+go(?:es)?\s+away)\b"
        ),
        " chronic ",
    ),
    # A pain from a cancer is the cancer's pain (Index: Pain, due to malignancy
    # G89.3), never a neoplasm of the place typed ("back pain from cancer")
    (
        re.compile(
            r"\b((?:pain|aches?|aching|hurts?|hurting|sore)\b[^,;]*?)\s+"
            r"(?:from|due\s+to|because\s+of|with)\s+(?:the\s+|my\s+)?"
            r"(?:cancer|tumou?rs?|malignancy|mets|metastas[ie]s)\b"
        ),
        r" \1 cancer related ",
    ),
    # Numb, tingling or burning from chemotherapy or diabetes: its neuropathy
    # (Index: Polyneuropathy, drug-induced G62.0; Diabetes, with neuropathy E11.40),
    # the feeling's words read as it
    (
        re.compile(
            r"\b(?:numb\w*|tingl\w*|burning|pins\s+and\s+needles)\b([^,;]*?)\s+"
            r"(?:from|after|due\s+to|since|with)\s+(?:the\s+|my\s+)?chemo\w*"
        ),
        r" \1 chemo neuropathy ",
    ),
    (
        re.compile(
            r"\b(?:numb\w*|tingl\w*|burning|pins\s+and\s+needles)\b([^,;]*?)\s+"
            r"(?:from|due\s+to|with)\s+(?:the\s+|my\s+)?(?:sugar\s+)?diabet\w*"
        ),
        r" \1 diabetic neuropathy ",
    ),
    (
        re.compile(r"\bdiabet\w*\s+(?:numb\w*|tingl\w*|burning|pins\s+and\s+needles)"),
        " diabetic neuropathy ",
    ),
    # "base of my neck": the neck's (never the base of the femur's neck, S72.04-)
    (
        re.compile(
            r"\bbase\s+of\s+(?:the\s+|my\s+)?neck\b"
            r"(?!\s+(?:of\s+)?(?:the\s+)?(?:femur|femoral|fx|fracture))"
        ),
        " neck ",
    ),
    # "bumped my knee": a bruise (an injury), while "a bump" is a lump
    (re.compile(r"\bbump(?:ed|ing)\b"), " bruised "),
    (re.compile(r"\br\s*/\s*o\b"), " "),  # "r/o": rule out
    # "can't", "won't": one word, as the data writes it ("cant turn head"), never a
    # "can" that a prefix would take to cannabis
    (re.compile(r"\b(can|won|don|doesn|didn|isn|couldn)\s*['\u2019]\s*t\b"), r"\1t"),
    # Lying on a part hurts ("can't lie on my left hip", "hurts to sleep on my
    # right shoulder"): its pain. Looking over a shoulder moves the neck ("neck
    # hurts looking over L shoulder"): neither the shoulder nor its side is meant.
    (
        re.compile(
            r"\b(?:can\s*'?\s*t|cannot|unable\s+to|hurts?\s+to|painful\s+to)\s+"
            r"(?:lie|lay|sleep|lying|laying|sleeping)\s+on\b"
        ),
        " pain ",
    ),
    (
        re.compile(
            r"\b(?:look(?:ing|s)?|turn(?:ing|s)?|glanc(?:ing|es?))\s+over\s+"
            r"(?:my\s+|the\s+|his\s+|her\s+)?(?:(?:right|left|rt|lt|r|l)\s+)?"
            r"shoulders?\b"
        ),
        " turning ",
    ),
    # A joint's or limb's bone is the part ("hip bone pain", "wrist bone sore"; the
    # shin, heel and thigh bones are the tibia, calcaneus and femur): never the
    # pubic bone's pain (R10.2) that "bone" and "pain" alone would reach. The back
    # of a part is that part ("back of hand pain", "back of neck", "back of the
    # knee"), never the back (M54.9), and never a text naming a back and a neck.
    # The backbone is the spine.
    (
        re.compile(
            r"\b(hips?|wrists?|ankles?|elbows?|knees?|shoulders?|arms?|legs?|foot|"
            r"feet|hands?|fingers?|toes?|thumbs?)\s+bones?\b"
        ),
        r" \1 ",
    ),
    (
        re.compile(
            r"\bback\s+of\s+(?:my\s+|the\s+|his\s+|her\s+)?(?=(?:(?:right|left|rt|"
            r"lt|r|l)\s+)?(?:hands?|arms?|upper\s+arms?|forearms?|legs?|calf|calves|"
            r"heels?|shoulders?|elbows?|wrists?|ankles?|foot|feet|fingers?|thumbs?|"
            r"neck|head|knees?|thighs?)\b)"
        ),
        " ",
    ),
    (re.compile(r"\bback\s*bone\b"), " spine "),
    # Where a headache is felt ("headache behind my right eye"): the head's, never
    # the eye's or, by "behind", the kneecap's
    (
        re.compile(
            r"\b(headaches?|migraines?|head\s+pain)\s+(?:behind|in|around|over)\s+"
            r"(?:my\s+|the\s+|both\s+)?(?:(?:right|left|rt|lt|r|l)\s+)?eyes?\b"
        ),
        r" \1 ",
    ),
    # How far a joint moves ("won't straighten all the way"): the site decides
    (re.compile(r"\ball\s+the\s+way\b|\bfully\b|\bcompletely\b"), " "),
    # "R>L", "L>R", "R=L": both sides, the worse named first.
    (re.compile(r"\b(?:rt?|lt?)\s*[<>=]\s*(?:rt?|lt?)\b"), " bilateral "),
    (re.compile(r"\bpost[\s-]*op(?:erative)?\b|\bpostop\b"), " post op "),
    # After an operation, or a status after one ("s/p lumbar fusion", "history of
    # lumbar fusion": Index: Status, arthrodesis Z98.1, never the spine's acquired
    # fusion M43.2-): the Z codes of a status or aftercare, the postprocedural codes.
    (
        re.compile(
            r"\b(?:s\s*/\s*p|status\s+post|(?:after|following|from|h\s*/\s*o|"
            r"(?:hx|(?:personal\s+)?history)(?:\s+of)?)\s+"
            r"(?:an?\s+|my\s+|the\s+|her\s+|his\s+)?(?=(?:[\w-]+\s+){0,2}"
            r"(?:procedure|surgery|operation|fusion|arthrodesis|replacement|"
            r"arthroplasty|repair|reconstruction|recon|release|arthroscopy|orif|"
            r"fixation)\b))"
        ),
        " post op ",
    ),
    # Aftercare of a repair or fusion is its post-op care (Z47.89, Z98.1); of a
    # replacement it keeps its own code (Z47.1).
    (
        re.compile(
            r"\baftercare\s+(?:of\s+|for\s+|following\s+)?(?=(?:\w+\s+){0,2}"
            r"(?:repair|reconstruction|recon|release|arthroscopy|orif|fixation|fusion)\b)"
        ),
        " post op ",
    ),
    (
        re.compile(r"\bpost op\s+(\w+\s+)?(?:procedure|surgery|operation)\b"),
        r" post op \1",
    ),
    # Pain that travels from the buttock, hip or back to the leg is sciatica
    # ("shooting pain from buttock to calf"), its start kept as a place.
    (
        re.compile(
            r"\bfrom\s+(?:my\s+|the\s+)?(buttocks?|butt|glutes?|hips?|"
            r"(?:low(?:er)?\s+)?back)\s+(?:(?:down|to|into)\s+)+(?:my\s+|the\s+)?"
            r"((?:right|left|rt|lt|r|l)\s+)?"
            r"(?:legs?|calf|calves|foot|feet|knees?|thighs?|toes?|ankles?)\b"
        ),
        r" \1 radiating down \2 leg ",
    ),
    # "rad to L leg": radiating; "w/ rad" alone is a radiculopathy (the data).
    (re.compile(r"\brad\s+(?=(?:to|down|into)\b)"), " radiating "),
    # "C5-6", "L4-5": both levels, as the titles name them ("C5-C6 level").
    (re.compile(r"\b([ctl])(\d{1,2})\s*-\s*(\d{1,2})\b"), r" \1\2 \1\3 "),
    # "CRPS type 2": the titles say "complex regional pain syndrome II".
    (re.compile(r"\b(crps|rsd)\s*(?:type\s*)?(?:2|ii)\b"), r" \1 ii "),
    # "age 14", "14 yo": the age group the titles name (idiopathic scoliosis).
    (re.compile(r"\bage\s*(\d{1,2})\b|\b(\d{1,2})\s*(?:yo|y/o|years?\s+old)\b"), _age),
    # The shorthand of ``ABBREVIATIONS``, all in one pattern ("b/l", "c-spine").
    (
        re.compile(
            "|".join(
                r"(?<![a-z0-9])"
                + r"\s*[-/ ]\s*".join(map(re.escape, re.split(r"[-/ ]", short)))
                + (r"(?![a-z0-9])" if short[-1].isalnum() else "")
                for short, _ in sorted(ABBREVIATIONS, key=lambda a: -len(a[0]))
            )
        ),
        _expand,
    ),
)
# Words that qualify a condition without naming it: the first to go when the
# titles have no room for every word typed.
QUALIFIERS = frozenset(
    "post op acute chronic mild moderate severe recurrent persistent intermittent "
    "visit ongoing night nocturnal poor incision incisional infantile juvenile "
    "adolescent shooting sharp dull throbbing stabbing rest morning evening "
    # a flare of a condition named ("fibro flare"); a finger by name picks the leaf
    "flare flareup exacerbation ring index middle all over bad "
    # how much of a part, how recent ("whole left arm aches", "bruised ribs, new")
    "whole entire new "
    # which face of a part ("front chest wall sore", "front of my knee"): where,
    # as the titles say it only of an injury ("front wall of thorax")
    "front top "
    # where a feeling goes ("tingling down my right arm"): never Down syndrome
    "down".split()
)
# Words of a pregnancy; "weeks" typed with them gives the trimester.
PREGNANCY_WORDS = frozenset(
    "pregnancy pregnant trimester gestation gestational postpartum puerperium "
    "childbirth prenatal antenatal postnatal delivery".split()
)
# Words of a status or history: without one, a site and side ("left shoulder") is
# a condition's, not "Presence of left artificial shoulder joint" (Z96.612).
STATUS_WORDS = frozenset(
    "post status presence present history personal family replacement replaced "
    "artificial prosthesis prosthetic aftercare surgery surgical operation "
    "arthroplasty implant implanted fusion arthrodesis absence acquired amputation "
    "amputee transplant transplanted device screening encounter removal fitting "
    "vaccination counseling".split()
)
_TRIMESTER_WORDS = frozenset("trimester first second third".split())
_WEEKS = re.compile(r"\b(\d{1,2})\s*(?:weeks?|wks?)\b")
# Words that say the query is about an injury (ICD-10-CM chapter 19).
INJURY_WORDS = frozenset(
    "sprain strain fracture fx injury injur contusion bruise tear torn rupture "
    "whiplash trauma traumatic accident mva mvc fall fell dislocation dislocat "
    "subluxation laceration wound concussion burn bite crush abrasion avulsion "
    "amputation puncture broken broke pulled rolled twisted jammed separated "
    "stubbed splint threw tweaked tweak cracked hyperextension poisoning "
    "overdose toxic adverse complication "
    "foreign frostbite hypothermia cut gash".split()
)
# Words that name an external cause (a fall, a vehicle, a place, an activity).
EXTERNAL_WORDS = frozenset(
    "fall fell falling slip slipped trip tripped ladder stair step vehicle motor "
    "car auto automobile truck bus motorcycle bicycle bike pedestrian accident mva "
    "mvc collision crash struck hit assault sport playing running lifting work "
    "workplace home street road highway school gym ice snow horse dog".split()
)
# A condition a symptom is due to ("hip pain due to osteoarthritis", "numb feet
# from diabetes"): no cause beside the symptom but the point of the query, so the
# pain beside it may go last (``_pain_beside_a_condition``), as when typed first.
CONDITION_CAUSES = frozenset(
    "osteoarthritis arthritis rheumatoid diabetes diabetic osteoporosis gout "
    "fibromyalgia scoliosis stenosis spondylosis parkinsons parkinson neuropathy "
    "tendinitis tendonitis bursitis lupus sciatica radiculopathy carpal "
    "tunnel plantar fasciitis epicondylitis".split()
    + ["disc displacement", "disc degeneration"]
)
_PLACE = "\0"
# Words that name a place of the body, or another symptom, not a condition: a pain
# typed with them is the point ("thoracic spinal pain", "hurts all over, tired").
_ANATOMY = frozenset(
    {*SITES, *TRUNK_PLACES, "upper arm", "lower leg"}
    | set("spine spinal muscle joint bone tendon ligament nerve".split())
    | set("tired fatigue fatigued exhausted".split())
)
_LEVEL = re.compile(r"([ctls])([0-9]{1,2})")
_LEVEL_REGIONS = {"c": "cervical", "t": "thoracic", "l": "lumbar", "s": "sacral"}
_ORDINALS = (
    "",
    *"first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
    "twelfth".split(),
)
_REGION_PAIRS = (
    (frozenset({"lumbar", "sacral"}), "lumbosacral"),
    (frozenset({"thoracic", "lumbar"}), "thoracolumbar"),
    (frozenset({"cervical", "thoracic"}), "cervicothoracic"),
)
_REGION_WORDS = frozenset(
    {*_LEVEL_REGIONS.values(), *(joined for _, joined in _REGION_PAIRS)}
)
_CODE_FRAGMENT = re.compile(r"[a-z][0-9][0-9a-z](?:\.?[0-9a-z]{1,4})?")
_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"'s\b")
# What a symptom came from, or when: a cause, activity, place or time beside the
# condition ("neck pain after car accident", "knee swelling from kneeling"). Its
# words weigh less than the condition's ("jaw pain from clenching": jaw pain).
_CONTEXT = re.compile(
    r"\b(?:from|after|following|due\s+to|because\s+of|since|while|when|during|at)\b"
    r"(?:(?!\b(?:with|and)\b)[^,;])*"  # to a comma, "with" or "and"
)
# How long it has lasted ("for 3 months", "x2 weeks"): names no code, unless the
# weeks are a pregnancy's.
# Months or years of it: chronic ("pain for years": G89.29 beside the site's code)
_LONG = re.compile(
    r"\b(?:for\s+|x\s*)?(?:\d+|a\s+few|few|several|many)?\s*(?:mos?|months?|yrs?|years?)\b"
)
_DURATION = re.compile(
    r"\b(?:for\s+|x\s*)?(?:\d+|a\s+few|few|several|many)\s*"
    r"(?:days?|wks?|weeks?|mos?|months?|yrs?|years?)\b"
)
# An injury word said of no injury: a stress or pathological fracture (M84.3-,
# M84.4-), a degenerative tear.
_NON_TRAUMATIC = re.compile(
    r"\b(?:stress|fatigue|insufficiency|pathologic(?:al)?|osteoporotic|degenerative|"
    r"nontraumatic|atraumatic)\s+(?:\w+\s+)?(fx|fractures?|tears?|ruptures?)\b"
)
_SAYS_WITHOUT = re.compile(r"\bwithout\b|\bw/o\b|\bno\b|\bnot\b")
# A negation runs to the next comma, "with" or "and": "without aura, intractable".
_NEGATED = re.compile(r"\b(?:without|no|not)\b([^,;]*)")
_NEGATION_END = re.compile(r"\b(?:with|and)\b")
MAX_TERMS = 8
MAX_QUERY = 200


def stem(word: str) -> str:
    """A light plural folding shared by titles and queries ("spasms" -> "spasm")."""
    if len(word) > 3 and not word[0].isdigit():
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        if word.endswith("ae") and len(word) > 5:
            return word[:-1]
        if word.endswith(("xes", "sses", "shes")) or (
            word.endswith("ches") and not word.endswith("aches")
        ):
            return word[:-2]  # "boxes" -> "box", "arches" -> "arch", never "arche"
        if word.endswith("s") and not word.endswith(("ss", "us", "is", "ys")):
            return word[:-1]
        if len(word) > 5 and word.endswith("ed") and not word.endswith(("eed", "ied")):
            return word[:-2]  # "sprained" -> "sprain"
    return word


def fold(text: str) -> str:
    """Lower case, plain ASCII, without possessives."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _POSSESSIVE.sub("", text.lower())


@functools.lru_cache(maxsize=1 << 16)
def _term(raw: str) -> str:
    if raw in STOP or (len(raw) == 1 and not raw.isdigit()):
        return ""
    return stem(raw)


def words(text: str) -> list[str]:
    """The searchable words of a text: folded, stemmed, without stop words."""
    return [t for t in map(_term, _WORD.findall(fold(text))) if t]


@dataclass(frozen=True, slots=True)
class Term:
    """A word to find, or a phrase with equivalents ("tmj" = "temporomandibular joint").

    ``phrases`` holds each equivalent as its words; a text matches the term when it
    has every word of one of them. ``droppable`` terms go first when no text has
    every term (qualifiers, spine levels, external causes beside a condition).
    """

    word: str
    phrases: tuple[tuple[str, ...], ...] = ()
    droppable: bool = False
    region: bool = False  # a region read from a spine level ("L4" -> lumbar)
    site: bool = False  # a body site beside a condition: dropped after qualifiers
    context: bool = False  # a cause or time beside a condition: weighs less
    symptom: bool = False  # pain beside a condition named: may go last


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search query."""

    text: str
    terms: tuple[Term, ...]
    soft: tuple[str, ...]  # words that help a text rank but are not required
    side: int = 0
    encounter: str | None = None
    fragments: tuple[str, ...] = ()  # code-like words ("m54"), flat and upper case
    says_without: bool = False
    negated: frozenset[str] = frozenset()  # the words after "without", "not", "no"
    injury: bool = False
    external_only: bool = False
    pregnancy: bool = False  # the query names a pregnancy: chapter 15 first
    status: bool = False  # a status or history named: its Z codes compete
    plural: bool = False  # a paired site in the plural, no side: both likely
    last_typed: bool = True  # the last word may still be half typed

    @property
    def required(self) -> list[str]:
        """The words of the terms, in order."""
        return [t.word for t in self.terms]


def _sides_and_encounter(raw: list[str]) -> tuple[int, str | None]:
    side = 0
    encounter = None
    for token in raw:
        side |= SIDE_WORDS.get(token, 0) | _ONE_LETTER_SIDES.get(token, 0)
        encounter = encounter or ENCOUNTER_WORDS.get(token)
    return side, encounter


def _names_injury(raw: list[str], tokens: list[str], terms: list[Term]) -> bool:
    """An injury word typed, stemmed or not, or an equivalent of one ("bruised")."""
    # A cause beside a condition does not count: "neck pain after car accident"
    # names no injury, "CRPS after wrist fracture" is no fracture.
    if any(t.context for t in terms):
        said = _WORD.findall(" ".join(_CONTEXT.findall(" ".join(raw))))
        raw = [w for w in raw if w not in said]
        tokens = [t for t in tokens if t not in {_term(w) for w in said}]
        terms = [t for t in terms if not t.context]
    # "stress fx", "degenerative labral tear": the words of an injury, no injury
    benign = {m.group(1) for m in _NON_TRAUMATIC.finditer(" ".join(raw))}
    benign |= {_term(w) for w in benign}
    typed = {
        *raw,
        *tokens,
        *(w for t in terms for p in t.phrases for w in p if t.word not in benign),
    }
    return not INJURY_WORDS.isdisjoint(typed - benign)


def site_contains(site: str, other: str) -> bool:
    """Whether a text naming ``other`` may be about ``site`` ("shin": a lower leg)."""
    limb = SITES[site]
    return (
        other == site
        or other in limb.split()  # "shin": "lower leg"
        or (site in ("leg", "arm") and SITES.get(other) == limb)  # a whole limb
    )


@functools.cache
def site_chain(site: str) -> tuple[str, ...]:
    """The parts a site belongs to, nearest first, as words ("finger": "hand",
    "upper limb")."""
    found: list[str] = []
    while (site := SITES.get(site, "")) and len(found) < len(SITES):
        found.append(" ".join(words(site)))
    return tuple(found)


def _limb_beside_its_part(terms: list[Term]) -> list[Term]:
    """A limb typed with a part of it ("pulled hamstring left leg", "pinky finger"):
    the part says more, so the limb goes first, with the qualifiers."""
    sites = [t for t in terms if t.site]
    return [
        Term(t.word, t.phrases, True)
        if t.site
        and any(
            {t.word, *map(" ".join, t.phrases)}.intersection(site_chain(part.word))
            for part in sites
            if part is not t
        )
        else t
        for t in terms
    ]


def _pain_beside_a_condition(terms: list[Term]) -> list[Term]:
    """ "Runner's knee pain", "big toe stiff and sore": the condition named says more
    than the pain, which may go last, when nothing else found a text."""
    if not any(
        not t.droppable
        and not t.context
        and ("pain",) not in t.phrases
        and t.word not in _ANATOMY
        for t in terms
    ):  # "neck and shoulder pain", "thoracic spinal pain": the pain is the point
        return terms
    return [
        Term(t.word, t.phrases, t.droppable, t.region, t.site, t.context, True)
        if ("pain",) in t.phrases
        else t
        for t in terms
    ]


def _negated(folded: str) -> frozenset[str]:
    """The words a query says are absent."""
    # A place typed after it is where, not what is absent ("without radiculopathy
    # lumbar region").
    return frozenset(
        word
        for clause in _NEGATED.findall(folded)
        for word in words(_NEGATION_END.split(clause, maxsplit=1)[0])
        if word not in _REGION_WORDS and word not in SITES and word not in FILLER
    )


def _unswapped(token: str) -> str:
    """A side or "pain" typed with two neighbouring letters swapped ("rigth", "pian"),
    spelled right."""
    # "bilaterl", "bilatreal", "bilaterally": no other word is that near
    # ("unilateral" starts otherwise).
    if token.startswith("bil") and len(token) >= 7:
        return "bilateral" if OSA.distance(token, "bilateral") <= 2 else token
    for word in _SWAPPABLE:
        if len(token) == len(word) and token != word and sorted(token) == sorted(word):
            swaps = [n for n in range(len(word)) if token[n] != word[n]]
            if len(swaps) == 2 and swaps[1] == swaps[0] + 1:
                return word
    return token


def _trimester(match: re.Match[str]) -> str:
    """Weeks of gestation as the trimester the titles name (28+ weeks: third)."""
    weeks = int(match.group(1))
    return (
        " first trimester "
        if weeks < 14
        else (" second trimester " if weeks < 28 else " third trimester ")
    )


def _equivalent_terms(tokens: list[str]) -> list[Term]:
    """Replace the phrases of ``EQUIVALENTS`` found in ``tokens`` by one term each."""
    rest = list(tokens)
    typed = set(tokens)
    found: list[Term] = []
    for group, longest_first in _EQUIVALENT_GROUPS:
        for phrase in longest_first:
            if phrase[0] not in typed:
                continue
            at = _find(rest, phrase)
            if at >= 0:
                del rest[at : at + len(phrase)]
                # keeps the term's place in the query, whichever group came first
                rest.insert(at, f"{_PLACE}{len(found)}")
                found.append(Term(_site_of(group) or " ".join(phrase), tuple(group)))
                for other in longest_first:  # "hurts ... achy": one term, not two
                    while (again := _find(rest, other)) >= 0:
                        del rest[again : again + len(other)]
                break
    return [
        found[int(word[1:])] if word.startswith(_PLACE) else Term(word) for word in rest
    ]


def _site_of(group: tuple[tuple[str, ...], ...]) -> str | None:
    """The body site a group of phrases names ("upper extremity": the arm)."""
    return next((" ".join(p) for p in group if " ".join(p) in SITES), None)


def _find(tokens: list[str], phrase: tuple[str, ...]) -> int:
    size = len(phrase)
    for at in range(len(tokens) - size + 1):
        if tuple(tokens[at : at + size]) == phrase:
            return at
    return -1


def _level_terms(terms: list[Term]) -> list[Term]:
    """Spine levels ("L4", "C5") may go; the region they name stays a while longer."""
    out: list[Term] = []
    regions: list[Term] = []
    levels: list[int] = []
    for term in terms:
        level = _LEVEL.fullmatch(term.word)
        if level and not term.phrases:
            out.append(Term(term.word, droppable=True))
            levels.append(int(level.group(2)))
            region = _LEVEL_REGIONS[level.group(1)]
            if all(r.word != region for r in regions):
                # "T7": a title naming "T7-T8" and no region is in it too.
                named = ((region,), (term.word,))
                regions.append(Term(region, named, droppable=True, region=True))
        else:
            out.append(term)
    for pair, joined in _REGION_PAIRS:
        if pair <= {r.word for r in regions}:  # "L5-S1": the lumbosacral region
            regions = [r for r in regions if r.word not in pair]
            regions.append(Term(joined, droppable=True, region=True))
    out += [r for r in regions if all(t.word != r.word for t in out)]
    if len(levels) == 1 and 0 < levels[0] < len(_ORDINALS):
        out.append(Term(_ORDINALS[levels[0]], droppable=True))  # "T4": "fourth"
    return out


def _split_soft(
    tokens: list[str], soft_words: AbstractSet[str], context: AbstractSet[str]
) -> tuple[list[str], list[str]]:
    """(words a text must have, words that only help it rank)."""
    trimester = "trimester" in tokens
    soft = [
        t
        for t in tokens
        if t in ENCOUNTER_WORDS
        or t in FILLER
        or (t in soft_words and t not in SIDE_WORDS)
        or (trimester and t in _TRIMESTER_WORDS)  # picks the leaf, names nothing
    ]
    if trimester and "pregnancy" not in tokens:  # "3rd trimester back pain"
        soft.append("pregnancy")
    kept = [t for t in tokens if t not in SIDE_WORDS and t not in soft]
    if all(t in QUALIFIERS for t in kept):  # "post op scar": the scar is the point
        kept += [t for t in soft if t in soft_words and t not in ENCOUNTER_WORDS]
        soft = [t for t in soft if t not in kept]
    # "headache after whiplash": a cause that is an injury, a post-traumatic code
    return kept, soft + ["traumatic"] * (not INJURY_WORDS.isdisjoint(context))


def _terms(
    kept: list[str], external: AbstractSet[str], context: AbstractSet[str]
) -> tuple[list[Term], bool]:
    """The terms to find, and whether the query names an external cause only."""
    terms = _level_terms(_equivalent_terms(kept))
    names_condition = any(t.word not in external for t in terms)
    said_external = any(t.word in external for t in terms)
    beside = any(t.word not in external and t.word not in context for t in terms)
    terms = [
        Term(t.word, t.phrases, True, t.region)
        if QUALIFIERS.issuperset(t.phrases[0] if t.phrases else t.word.split())
        or (names_condition and t.word in external)
        or (names_condition and t.word in PREGNANCY_WORDS)
        else Term(t.word, t.phrases, context=True)
        if beside
        and t.word in context
        and not t.droppable
        and t.word not in CONDITION_CAUSES
        else t
        for t in terms
    ]
    if any(
        not t.droppable and t.word not in SITES and t.word not in _REGION_WORDS
        for t in terms
    ):
        # A site or spine region typed beside a condition: the condition first.
        terms = [
            Term(t.word, t.phrases, True, site=True)
            if t.word in SITES and not t.droppable
            else Term(t.word, t.phrases, True, region=True)
            if t.word in _REGION_WORDS and not t.droppable
            else t
            for t in terms
        ]
        terms = _limb_beside_its_part(terms)
    terms = _pain_beside_a_condition(terms)
    return terms[:MAX_TERMS], said_external and not names_condition


def parse(
    text: str,
    soft_words: AbstractSet[str] = frozenset(),
    external_words: AbstractSet[str] = EXTERNAL_WORDS,
    correct: Callable[[str], str] = str,
) -> Query:
    """Read a query: ``soft_words`` help but are not required (7th-character words).

    ``correct`` spells a word right before the phrases are read ("herniaton").
    """
    text = text[:MAX_QUERY]
    folded = fold(text)
    for pattern, replacement in _REWRITES:
        folded = pattern.sub(replacement, folded)
    raw = [correct(_unswapped(t)) for t in _WORD.findall(folded)]
    pregnancy = not PREGNANCY_WORDS.isdisjoint(raw) or any(
        20 <= int(weeks) <= 42 for weeks in _WEEKS.findall(folded)
    )
    if pregnancy:  # "30 weeks": the third trimester
        raw = _WORD.findall(_WEEKS.sub(_trimester, " ".join(raw)))
    else:
        raw = _WORD.findall(_DURATION.sub(" ", _LONG.sub(" chronic ", " ".join(raw))))
    context = frozenset(words(" ".join(_CONTEXT.findall(" ".join(raw)))))
    side, encounter = _sides_and_encounter(raw)
    tokens = list(dict.fromkeys(t for t in map(_term, raw) if t))
    kept, soft = _split_soft(tokens, soft_words, context)
    if not kept:  # "left", "initial": the words are all there is to find
        kept, soft = soft + [t for t in tokens if t in SIDE_WORDS], []
        side, encounter = 0, None
    terms, external_only = _terms(kept, external_words, context)
    return Query(
        text=text,
        terms=tuple(terms),
        soft=tuple(soft),
        side=side,
        encounter=encounter,
        fragments=tuple(
            t.upper()
            for t in raw
            if _CODE_FRAGMENT.fullmatch(t) and not _LEVEL.fullmatch(t)
        ),
        says_without=_SAYS_WITHOUT.search(folded) is not None,
        negated=_negated(folded),
        injury=_names_injury(raw, tokens, terms),
        external_only=external_only,
        pregnancy=pregnancy,
        status=not STATUS_WORDS.isdisjoint(raw),
        plural=not side and not _PAIRED_PLURALS.isdisjoint(raw),
        last_typed=text.rstrip()[-1:].isalnum(),
    )


_Group = tuple[tuple[str, ...], ...]
# Each group of ``EQUIVALENTS`` as words, and its phrases longest first.
_EQUIVALENT_GROUPS: tuple[tuple[_Group, _Group], ...] = tuple(
    (group, tuple(sorted(group, key=len, reverse=True)))
    for group in (tuple(tuple(words(p)) for p in g) for g in EQUIVALENTS)
)
# The words the query rules read as phrases or a pregnancy: a misspelling of one is
# spelled right first, or the phrase would go unread ("disc herniaton", "pregnent").
RULE_WORDS = frozenset(
    {w for groups in _EQUIVALENT_GROUPS for phrase in groups[0] for w in phrase}
    | PREGNANCY_WORDS
    | INJURY_WORDS
)

"""What a typed ICD-10-CM search says: its words, side, encounter and code fragments.

``words`` folds any text (titles and queries alike) into searchable words; ``parse``
reads a query the way physicians type one ("knee pain L", "neck sprain f/u",
"herniated disc L4-L5") into a ``Query`` the search pipeline follows.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from rxassist.icd_synonyms import EQUIVALENTS

RIGHT, LEFT, BILATERAL = 1, 2, 4
INITIAL, SUBSEQUENT, SEQUELA = "initial", "subsequent", "sequela"
ENCOUNTERS = (INITIAL, SUBSEQUENT, SEQUELA)

STOP = frozenset(
    "a an and as at by due for from in into is nos not of off on or the to with "
    "without encounter elsewhere classified pt patient".split()
)
# Words that make a title longer without naming anything the user typed.
FILLER = frozenset("unspecified other site side part parts region".split())
SIDE_WORDS = {
    "right": RIGHT,
    "rt": RIGHT,
    "left": LEFT,
    "lt": LEFT,
    "bilateral": BILATERAL,
    "bilat": BILATERAL,
    "both": BILATERAL,
}
# Read from the query only: in a title a lone "r" or "l" is never a side.
_ONE_LETTER_SIDES = {"r": RIGHT, "l": LEFT}
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
}
# Query shorthand rewritten before the words are read; "follow" alone is half of
# "follow up", never the "following" of a title.
_REWRITES = (
    (re.compile(r"\bf\s*/\s*u\b|\bfollow(?:[\s-]*ups?)?\b"), " subsequent "),
    (re.compile(r"\blate\s+effects?\b|\bsequelae\b"), " sequela "),
    (re.compile(r"\bsubsequent\s+visits?\b"), " subsequent "),
    (re.compile(r"\bw\s*/\s*o\b"), " without "),
    (re.compile(r"\b[rs]\s*/\s*[op]\b"), " "),  # "r/o" rule out, "s/p" status post
    (re.compile(r"\bpost[\s-]*op(?:erative)?\b|\bpostop\b"), " post op "),
)
# Words that qualify a condition without naming it: the first to go when the
# titles have no room for every word typed.
QUALIFIERS = frozenset(
    "post op acute chronic mild moderate severe recurrent persistent intermittent "
    "visit ongoing".split()
)
# Words that say the query is about an injury (ICD-10-CM chapter 19).
INJURY_WORDS = frozenset(
    "sprain strain fracture fx injury injur contusion bruise tear torn rupture "
    "whiplash trauma traumatic accident mva mvc fall fell dislocation dislocat "
    "subluxation laceration wound concussion burn bite crush abrasion avulsion "
    "amputation puncture broken broke pulled rolled twisted jammed separated "
    "stubbed hyperextension poisoning overdose toxic adverse complication "
    "foreign frostbite hypothermia".split()
)
# Words that name an external cause (a fall, a vehicle, a place, an activity).
EXTERNAL_WORDS = frozenset(
    "fall fell falling slip slipped trip tripped ladder stair step vehicle motor "
    "car auto automobile truck bus motorcycle bicycle bike pedestrian accident mva "
    "mvc collision crash struck hit assault sport playing running lifting work "
    "workplace home street road highway school gym ice snow horse dog".split()
)
_PLACE = "\0"
_LEVEL = re.compile(r"([ctls])([0-9]{1,2})")
_LEVEL_REGIONS = {"c": "cervical", "t": "thoracic", "l": "lumbar", "s": "sacral"}
_CODE_FRAGMENT = re.compile(r"[a-z][0-9][0-9a-z](?:\.?[0-9a-z]{1,4})?")
_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"'s\b")
_SAYS_WITHOUT = re.compile(r"\bwithout\b|\bw/o\b|\bno\b")
MAX_TERMS = 8
MAX_QUERY = 200


def stem(word: str) -> str:
    """A light plural folding shared by titles and queries ("spasms" -> "spasm")."""
    if len(word) > 3 and not word[0].isdigit():
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        if word.endswith("ae") and len(word) > 5:
            return word[:-1]
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
    injury: bool = False
    external_only: bool = False
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


def _equivalent_terms(tokens: list[str]) -> list[Term]:
    """Replace the phrases of ``EQUIVALENTS`` found in ``tokens`` by one term each."""
    rest = list(tokens)
    found: list[Term] = []
    for group in _EQUIVALENT_GROUPS:
        for phrase in sorted(group, key=len, reverse=True):
            at = _find(rest, phrase)
            if at >= 0:
                del rest[at : at + len(phrase)]
                rest.insert(at, _PLACE)  # keeps the term's place in the query
                found.append(Term(" ".join(phrase), tuple(group)))
                break
    pending = iter(found)
    return [next(pending) if word == _PLACE else Term(word) for word in rest]


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
    for term in terms:
        level = _LEVEL.fullmatch(term.word)
        if level and not term.phrases:
            out.append(Term(term.word, droppable=True))
            region = _LEVEL_REGIONS[level.group(1)]
            if all(r.word != region for r in regions):
                regions.append(Term(region, droppable=True, region=True))
        else:
            out.append(term)
    return out + [r for r in regions if all(t.word != r.word for t in out)]


def _split_soft(
    tokens: list[str], soft_words: AbstractSet[str]
) -> tuple[list[str], list[str]]:
    """(words a text must have, words that only help it rank)."""
    soft = [
        t
        for t in tokens
        if t in ENCOUNTER_WORDS
        or t in FILLER
        or (t in soft_words and t not in SIDE_WORDS)
    ]
    kept = [t for t in tokens if t not in SIDE_WORDS and t not in soft]
    if all(t in QUALIFIERS for t in kept):  # "post op scar": the scar is the point
        kept += [t for t in soft if t in soft_words and t not in ENCOUNTER_WORDS]
        soft = [t for t in soft if t not in kept]
    return kept, soft


def _terms(kept: list[str], external: AbstractSet[str]) -> tuple[list[Term], bool]:
    """The terms to find, and whether the query names an external cause only."""
    terms = _level_terms(_equivalent_terms(kept))
    names_condition = any(t.word not in external for t in terms)
    said_external = any(t.word in external for t in terms)
    terms = [
        Term(t.word, t.phrases, True, t.region)
        if t.word in QUALIFIERS or (names_condition and t.word in external)
        else t
        for t in terms
    ]
    return terms[:MAX_TERMS], said_external and not names_condition


def parse(
    text: str,
    soft_words: AbstractSet[str] = frozenset(),
    external_words: AbstractSet[str] = EXTERNAL_WORDS,
) -> Query:
    """Read a query: ``soft_words`` help but are not required (7th-character words)."""
    text = text[:MAX_QUERY]
    folded = fold(text)
    for pattern, replacement in _REWRITES:
        folded = pattern.sub(replacement, folded)
    raw = _WORD.findall(folded)
    side, encounter = _sides_and_encounter(raw)
    tokens = list(dict.fromkeys(t for t in map(_term, raw) if t))
    kept, soft = _split_soft(tokens, soft_words)
    if not kept:  # "left", "initial": the words are all there is to find
        kept, soft = soft + [t for t in tokens if t in SIDE_WORDS], []
        side, encounter = 0, None
    terms, external_only = _terms(kept, external_words)
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
        injury=any(t in INJURY_WORDS for t in tokens),
        external_only=external_only,
        last_typed=text.rstrip()[-1:].isalnum(),
    )


_EQUIVALENT_GROUPS: tuple[tuple[tuple[str, ...], ...], ...] = tuple(
    tuple(tuple(words(phrase)) for phrase in group) for group in EQUIVALENTS
)

"""The one ICD-10-CM index: code lookup, billable checks and search.

The index is built from the CMS tabular XML by ``rxassist.icd_build`` and loaded here
once per process (``default_index()``). Codes are always shown dotted ("S13.4XXA").
"""

from __future__ import annotations

import bisect
import functools
import gc
import gzip
import json
import math
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from rxassist.icd_synonyms import SYNONYMS

DEFAULT_PATH = (
    Path(__file__).resolve().parent.parent
    / "icd10_data"
    / "build"
    / "icd10cm-index.json.gz"
)
FORMAT = "rxassist-icd10cm-index/1"

_CODE = re.compile(r"[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}")


def normalize_code(text: str) -> str:
    """A code in its dotted form ("m542" -> "M54.2"), or "" if it cannot be a code."""
    if not isinstance(text, str) or len(text) > 40:
        return ""
    flat = "".join(text.split()).upper()
    if flat.endswith("-"):  # "M54.-", the tabular's "and its subcodes"
        flat = flat[:-1]
    flat = flat.rstrip(".")
    if "." in flat:
        if flat.count(".") > 1 or flat.index(".") != 3:
            return ""
        flat = flat.replace(".", "")
    if not _CODE.fullmatch(flat):
        return ""
    return _dotted(flat)


def _dotted(flat: str) -> str:
    return flat if len(flat) <= 3 else f"{flat[:3]}.{flat[3:]}"


@dataclass(frozen=True, slots=True)
class IcdCode:
    """One code of the tabular list, or a 7th-character expansion of one.

    ``chapter`` is the chapter number as the tabular list prints it ("1" to "22");
    ``chapter_title`` its title. ``excludes1``/``excludes2`` hold the notes that apply
    to the code: its own and its ancestors', nearest first.
    """

    code: str
    title: str
    billable: bool
    category: str
    chapter: str
    chapter_title: str = ""
    parent: str | None = None
    needs_seventh: bool = False
    inclusion_terms: tuple[str, ...] = ()
    excludes1: tuple[str, ...] = ()
    excludes2: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """Whether a typed code is a billable ICD-10-CM code, and what to use if not."""

    code: str
    ok: bool
    message: str | None
    suggestions: tuple[IcdCode, ...] = ()
    entry: IcdCode | None = None


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One search hit; ``matched`` is the title, term or synonym that matched.

    ``kind`` says how it matched: "code", "title", "inclusion" (an inclusion term of
    the tabular list), "synonym" (a curated clinical synonym), "includes" (an
    Includes note) or "fuzzy" (a misspelling was corrected).
    """

    code: str
    description: str
    billable: bool
    matched: str | None = None
    excludes: tuple[str, ...] = ()
    kind: str = "title"


class IndexNotBuiltError(FileNotFoundError):
    """The built index file is missing."""


# --- text processing ------------------------------------------------------------

_STOP = frozenset(
    "a an and as at by due for from in into is nos not of on or the to with without "
    "encounter elsewhere classified pt patient".split()
)
# Words that make a title longer without naming anything the user typed.
_FILLER = frozenset("unspecified other site side part parts region".split())
_SIDES = {
    "right": 1,
    "rt": 1,
    "left": 2,
    "lt": 2,
    "bilateral": 4,
    "bilat": 4,
    "both": 4,
}
_BILATERAL = 4
_ENCOUNTERS = {
    "initial": "initial",
    "init": "initial",
    "subsequent": "subsequent",
    "subseq": "subsequent",
    "sequela": "sequela",
}
_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"'s\b")
_NEGATION = re.compile(r"\b(?:without|not)\b", re.IGNORECASE)
_SAYS_WITHOUT = re.compile(r"\bwithout\b|\bw/o\b|\bno\b", re.IGNORECASE)
_WITHOUT = re.compile(r"\bwithout\b(?:(?!\b(?:of|with)\b)[^,])*", re.IGNORECASE)


def _stem(word: str) -> str:
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


def _fold(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _POSSESSIVE.sub("", text.lower())


@functools.lru_cache(maxsize=1 << 16)
def _term(raw: str) -> str:
    if raw in _STOP or (len(raw) == 1 and not raw.isdigit()):
        return ""
    return _stem(raw)


def words(text: str) -> list[str]:
    """The searchable words of a text: folded, stemmed, without stop words."""
    return [t for t in map(_term, _WORD.findall(_fold(text))) if t]


# --- the index ------------------------------------------------------------------

_TITLE, _INCLUSION, _SYNONYM, _INCLUDES = range(4)
_KIND_NAMES = ("title", "inclusion", "synonym", "includes")
# A curated synonym is written to name its code, so it weighs as much as a title.
_KIND_WEIGHT = (1.0, 0.95, 1.0, 0.75)
_EXACT, _PREFIX, _FUZZY = 1.0, 0.85, 0.65
# Codes a massage-therapy prescription names most; a small nudge in ranking.
_MASSAGE_PREFIXES = tuple(
    (
        "M54 M53 M50 M51 M47 M48.0 M62.4 M62.8 M79.1 M79.6 M79.7 M25.5 M25.6 M75 M76 "
        "M77 M70.6 M70.7 M65.3 M65.4 M72.2 M26.6 M43.6 M41 M99 M35.3 M94.0 "
        "S13 S16 S23 S29.0 S33 S39.0 S43 S46 S53 S56 S63 S66 S73 S76 S83 S86 S93 S96 "
        "G44 G43 R51 G89 G56.0 G57.0 G54.0 G90.5 G24.3 I89.0 I97.2 "
        "R52 R25.2 R26 R29.3 R60 Z47.1 Z96.6 L90.5"
    ).split()
)
# Within those, the codes massage prescriptions name most often.
_COMMON_PREFIXES = tuple(
    (
        "M54.2 M54.5 M54.6 M54.9 M54.1 M54.3 M62.83 M79.1 M79.7 M25.51 M25.55 M25.56 "
        "M75.0 M77.1 S13.4 S16.1 S39.012 S33.5 G44.2 M26.60 I89.0 I97.2"
    ).split()
)
_MAX_TOKENS = 8
_MAX_QUERY = 200
_PRUNE = 256  # candidates scored in full; unit ids are in static-rank order
_CACHE_SIZE = 2048
_CACHE_WEIGHT = 300_000  # unit ids held in cached unions (about 10 MB)
_SHORT_WEIGHT = 600_000
_FUZZY_PREFIX_MIN, _FUZZY_PREFIX_MAX = 5, 10


@dataclass(slots=True)
class _Match:
    """Unit ids whose text has a query word exactly, by prefix, or fuzzily."""

    exact: AbstractSet[int]
    prefix: AbstractSet[int]
    fuzzy: AbstractSet[int]
    every: AbstractSet[int]
    top: list[int] | None = None  # the best-ranked ids of ``every``, once needed


class IcdIndex:
    """An ICD-10-CM release: every code, its notes, and a search over them."""

    version: str
    label: str
    release: str
    effective_from: date
    effective_to: date

    def __init__(self, data: dict[str, Any]) -> None:
        """Index the columnar data ``icd_build`` wrote (see ``load``)."""
        if data.get("format") != FORMAT:
            raise ValueError(f"Unknown ICD-10-CM index format {data.get('format')!r}.")
        self.version = data["version"]
        self.label = data["label"]
        self.release = data["release"]
        self.effective_from = date.fromisoformat(data["effective_from"])
        self.effective_to = date.fromisoformat(data["effective_to"])
        self.source_sha256: str = data["source_sha256"]
        self._codes: list[str] = data["code"]
        self._titles: list[str] = data["title"]
        self._parents: list[int] = data["parent"]
        self._chapter_of: list[int] = data["chapter"]
        self._seventh_of: list[int] = data["seventh"]
        self._chapters: list[tuple[str, str]] = [tuple(c) for c in data["chapters"]]
        self._sevenths: list[tuple[tuple[str, str], ...]] = [
            tuple((char, text) for char, text in chars) for chars in data["sevenths"]
        ]
        self._notes: dict[str, dict[int, tuple[str, ...]]] = {
            key: {i: tuple(notes) for i, notes in data[key]}
            for key in ("inclusion", "includes", "excludes1", "excludes2")
        }
        count = len(self._codes)
        self._flat = [code.replace(".", "") for code in self._codes]
        self._by_flat = {flat: i for i, flat in enumerate(self._flat)}
        self._sorted_flat = sorted(zip(self._flat, range(count), strict=True))
        self._sorted_keys = [flat for flat, _ in self._sorted_flat]
        self._children: list[list[int]] = [[] for _ in range(count)]
        self._depth = [0] * count
        for i, parent in enumerate(self._parents):
            if parent >= 0:
                self._children[parent].append(i)
                self._depth[i] = self._depth[parent] + 1
        self._billable_count = sum(
            len(self._sevenths[s]) if s >= 0 else 1
            for i, s in enumerate(self._seventh_of)
            if not self._children[i]
        )
        if self._billable_count != data["billable"]:
            raise ValueError("The ICD-10-CM index is inconsistent; rebuild it.")
        self._leaves_cache: dict[int, tuple[int, ...]] = {}
        self._match_cache: dict[tuple[str, bool, bool], _Match] = {}
        self._short_cache: dict[tuple[str, bool, bool], _Match] = {}
        self._truncated: dict[int, dict[str, list[str]]] = {}
        self._cache_weight = 0
        self._short_weight = 0
        self._build_search()

    @classmethod
    def load(cls, path: Path | str | None = None) -> IcdIndex:
        """Load a built index (default: icd10_data/build/, which ``make`` builds)."""
        path = Path(path) if path else DEFAULT_PATH
        try:
            with gzip.open(path, "rb") as fh:
                data = json.loads(fh.read())
        except FileNotFoundError:
            raise IndexNotBuiltError(
                f"ICD-10-CM index not found at {path}; run `make` "
                "(or `python -m rxassist.icd_build`) to build it."
            ) from None
        index = cls(data)
        # The index is about a million long-lived objects; keep the cyclic garbage
        # collector from rescanning them (full collections otherwise take ~50 ms).
        gc.freeze()
        return index

    # --- codes ------------------------------------------------------------------

    def clear_cache(self) -> None:
        """Forget cached word matches (for benchmarks; results do not change)."""
        self._match_cache.clear()
        self._short_cache.clear()
        self._cache_weight = 0
        self._short_weight = 0

    def billable_count(self) -> int:
        """How many billable codes this release has."""
        return self._billable_count

    def covers(self, day: date) -> bool:
        """Whether this release is the one in effect on ``day``."""
        return self.effective_from <= day <= self.effective_to

    def get(self, code: str) -> IcdCode | None:
        """The code however it is typed ("m542", "S13.4XXA"), or None."""
        found = self._resolve(normalize_code(code).replace(".", ""))
        return self._entry(*found) if found else None

    def billable_titles(self) -> Iterator[tuple[str, str]]:
        """Every billable (code, title), in tabular order."""
        for i, title in enumerate(self._titles):
            if self._children[i]:
                continue
            options = self._expansions(i)
            if not options:
                yield self._codes[i], title
            for char, text in options:
                yield self._expanded_code(i, char), f"{title}, {text}"

    def chapter_title(self, chapter: str) -> str:
        """The title of a chapter by its number ("19")."""
        return next((t for n, t in self._chapters if n == chapter), "")

    def _resolve(self, flat: str) -> tuple[int, str | None] | None:
        """(node, 7th character or None) for a flat code, if it exists."""
        if not flat:
            return None
        i = self._by_flat.get(flat)
        if i is not None:
            return i, None
        if len(flat) != 7:
            return None
        for cut in range(6, 2, -1):
            base = self._by_flat.get(flat[:cut])
            if base is not None and flat[cut:6] == "X" * (6 - cut):
                seventh = self._seventh_of[base]
                if (
                    seventh >= 0
                    and not self._children[base]
                    and flat[6] in dict(self._sevenths[seventh])
                ):
                    return base, flat[6]
        return None

    def _needs_seventh(self, i: int) -> bool:
        return self._seventh_of[i] >= 0 and not self._children[i]

    def _is_billable(self, i: int) -> bool:
        return not self._children[i] and self._seventh_of[i] < 0

    def _expansions(self, i: int) -> tuple[tuple[str, str], ...]:
        return self._sevenths[self._seventh_of[i]] if self._needs_seventh(i) else ()

    def _expanded_code(self, i: int, char: str) -> str:
        return _dotted(self._flat[i].ljust(6, "X") + char)

    def _inherited(self, i: int, key: str) -> tuple[str, ...]:
        notes = self._notes[key]
        out: list[str] = []
        while i >= 0:
            out.extend(notes.get(i, ()))
            i = self._parents[i]
        return tuple(out)

    def _entry(self, i: int, char: str | None = None) -> IcdCode:
        chapter_no, chapter_title = self._chapters[self._chapter_of[i]]
        parent = self._parents[i]
        code, title = self._codes[i], self._titles[i]
        parent_code: str | None
        if char is not None:
            text = dict(self._expansions(i))[char]
            code, title, parent_code = (
                self._expanded_code(i, char),
                f"{title}, {text}",
                code,
            )
        else:
            parent_code = self._codes[parent] if parent >= 0 else None
        return IcdCode(
            code=code,
            title=title,
            billable=char is not None or self._is_billable(i),
            category=self._flat[i][:3],
            chapter=chapter_no,
            chapter_title=chapter_title,
            parent=parent_code,
            needs_seventh=char is None and self._needs_seventh(i),
            inclusion_terms=self._notes["inclusion"].get(i, ()),
            excludes1=self._inherited(i, "excludes1"),
            excludes2=self._inherited(i, "excludes2"),
        )

    def _billable_under(self, i: int) -> list[tuple[int, str | None]]:
        """Every billable code at or below node ``i``, in code order."""
        out: list[tuple[int, str | None]] = []
        stack = [i]
        while stack:
            node = stack.pop()
            kids = self._children[node]
            if kids:
                stack.extend(reversed(kids))
            elif self._needs_seventh(node):
                out.extend((node, char) for char, _ in self._expansions(node))
            else:
                out.append((node, None))
        return out

    def check(self, code: str) -> CodeCheck:
        """Whether ``code`` is billable; if not, why and what to choose instead."""
        norm = normalize_code(code)
        shown = " ".join(str(code).split())[:20]
        if not norm:
            if not shown:
                return CodeCheck("", False, "Enter an ICD-10-CM code.")
            return CodeCheck("", False, f"“{shown}” is not an ICD-10-CM code.")
        flat = norm.replace(".", "")
        found = self._resolve(flat)
        if found is None:
            return self._check_missing(norm, flat)
        i, char = found
        entry = self._entry(i, char)
        if entry.billable:
            return CodeCheck(norm, True, None, (), entry)
        if self._needs_seventh(i):
            return self._check_seventh(norm, i, entry)
        under = self._billable_under(i)
        suggestions = tuple(self._entry(n, c) for n, c in under[:50])
        listed = ", ".join(s.code for s in suggestions[:8])
        if len(under) <= 8:
            choose = f"choose one of {listed}."
        else:
            choose = (
                f"choose one of its {len(under):,} billable codes, such as {listed}."
            )
        return CodeCheck(
            norm,
            False,
            f"{norm} is a category, not a billable code; {choose}",
            suggestions,
            entry,
        )

    def _check_seventh(self, norm: str, i: int, entry: IcdCode) -> CodeCheck:
        options = self._expansions(i)
        suggestions = tuple(self._entry(i, char) for char, _ in options)
        listed = ", ".join(
            f"{self._expanded_code(i, char)} ({_short_encounter(text)})"
            for char, text in options
        )
        return CodeCheck(
            norm,
            False,
            f"{norm} needs a 7th character for the encounter: {listed}.",
            suggestions,
            entry,
        )

    def _check_missing(self, norm: str, flat: str) -> CodeCheck:
        base = flat.rstrip("X")
        i = self._by_flat.get(base) if base != flat else None
        if i is not None and self._needs_seventh(i):
            return self._check_seventh(norm, i, self._entry(i))
        guess = (
            self._resolve(flat[:-1].ljust(6, "X") + flat[-1]) if len(flat) < 7 else None
        )
        if guess is not None:
            entry = self._entry(*guess)
            return CodeCheck(
                norm,
                False,
                f"{norm} is not an ICD-10-CM code; did you mean {entry.code}?",
                (entry,),
                None,
            )
        suggestions: tuple[IcdCode, ...] = ()
        for cut in range(len(flat) - 1, 2, -1):
            near = self._by_flat.get(flat[:cut])
            if near is not None:
                under = self._billable_under(near)
                suggestions = tuple(self._entry(n, c) for n, c in under[:10])
                break
        return CodeCheck(norm, False, f"{norm} is not an ICD-10-CM code.", suggestions)

    # --- search -----------------------------------------------------------------

    def _build_search(self) -> None:
        count = len(self._codes)
        units: list[tuple[int, int, str]] = []
        for i, title in enumerate(self._titles):
            units.append((i, _TITLE, title))
        for i, terms in self._notes["inclusion"].items():
            units.extend((i, _INCLUSION, term) for term in terms)
        for i, notes in self._notes["includes"].items():
            units.extend((i, _INCLUDES, note) for note in notes)
        for codes, phrases in SYNONYMS:
            for code in codes:
                found = self._resolve(normalize_code(code).replace(".", ""))
                if found is not None:
                    units.extend((found[0], _SYNONYM, phrase) for phrase in phrases)

        tokenized = [words(text) for _, _, text in units]
        self._side = [0] * count
        self._prior = [0.0] * count
        for i in range(count):
            tokens = set(tokenized[i])  # units start with the titles, in node order
            for word in tokens:
                self._side[i] |= _SIDES.get(word, 0)
            prior = 0.0
            if self._codes[i].startswith(_MASSAGE_PREFIXES):
                prior += 0.15
            if self._codes[i].startswith(_COMMON_PREFIXES):
                prior += 0.1
            if "unspecified" in tokens:
                prior += 0.12
            elif "other" in tokens:
                prior -= 0.03  # a residual code, after the named ones it sits beside
            first = self._flat[i][0]
            if first in "VWXY":
                prior -= 0.3
            elif first in "OP":
                prior -= 0.1
            self._prior[i] = prior

        sizes = [max(1, sum(t not in _FILLER for t in toks)) for toks in tokenized]
        # "without ..." names what is absent; a query need not mention it.
        negated = [
            frozenset(
                word
                for clause in _WITHOUT.findall(text)
                for word in words(clause)
                if word not in _FILLER
            )
            if "without" in text.lower()
            else frozenset()
            for _, _, text in units
        ]

        def static(u: int) -> float:
            node, kind, _ = units[u]
            size = max(1, sizes[u] - len(negated[u]))
            return _KIND_WEIGHT[kind] + 0.8 / size + self._prior[node]

        order = sorted(range(len(units)), key=lambda u: (-static(u), u))
        self._unit_node = [units[u][0] for u in order]
        self._unit_kind = [units[u][1] for u in order]
        self._unit_text = [units[u][2] for u in order]
        self._unit_size = [sizes[u] for u in order]
        self._unit_exact = [len(tokenized[u]) for u in order]
        # Words a text negates ("Migraine without aura"): a query naming them
        # without saying "without" means the opposite.
        self._unit_negated = {
            uid: negated[u] for uid, u in enumerate(order) if negated[u]
        }
        postings: dict[str, set[int]] = {}
        for uid, u in enumerate(order):
            for token in tokenized[u]:
                postings.setdefault(token, set()).add(uid)
        self._postings: dict[str, AbstractSet[int]] = dict(postings)
        self._vocab = sorted(self._postings)
        self._by_length: dict[int, list[str]] = {}
        for word in self._vocab:
            self._by_length.setdefault(len(word), []).append(word)
        self._ext_words = frozenset(
            word
            for chars in self._sevenths
            for _, text in chars
            for word in words(text)
        ) - {"fracture", "initial", "subsequent", "sequela", "unspecified", "type"}
        self._seventh_words = [
            [frozenset(words(text)) for _, text in chars] for chars in self._sevenths
        ]

    def _word_match(self, token: str, prefix: bool, fuzzy: bool) -> _Match:
        key = (token, prefix, fuzzy)
        cached = self._short_cache.get(key) or self._match_cache.get(key)
        if cached is not None:
            return cached
        empty: frozenset[int] = frozenset()
        exact = self._postings.get(token, empty)
        fresh: list[AbstractSet[int]] = []  # sets made here, not postings
        prefixed: AbstractSet[int] = exact  # every word with this prefix, itself too
        if prefix:
            lo = bisect.bisect_left(self._vocab, token)
            hi = bisect.bisect_left(self._vocab, token + "{", lo)
            # Completing "ot" to "other" finds a fifth of the tabular list and
            # names nothing: filler words complete only themselves.
            found = [w for w in self._vocab[lo:hi] if w == token or w not in _FILLER]
            if len(found) == 1:
                prefixed = self._postings[found[0]]
            elif found:
                prefixed = set().union(*(self._postings[w] for w in found))
                fresh.append(prefixed)
        fuzzed: AbstractSet[int] = empty
        if fuzzy and len(token) >= 4 and not token.isdigit():
            nearest = self._fuzzy_words(token)
            if prefix and not nearest:
                nearest = self._fuzzy_prefix_words(token)
            if nearest:
                fuzzed = set().union(*(self._postings[w] for w in nearest))
                fresh.append(fuzzed)
        every = prefixed
        if fuzzed:
            every = prefixed | fuzzed
            fresh.append(every)
        match = _Match(exact, prefixed, fuzzed, every)
        weight = sum(len(made) for made in fresh)
        if len(token) <= 3 and prefix and not fuzzy:
            # Short prefixes are few and the costliest to unite: keep them longer.
            if self._short_weight > _SHORT_WEIGHT:
                self._short_cache.clear()
                self._short_weight = 0
            self._short_cache[key] = match
            self._short_weight += weight
            return match
        # Bound the memory the united sets hold, not only their number.
        if len(self._match_cache) >= _CACHE_SIZE or self._cache_weight > _CACHE_WEIGHT:
            self._match_cache.clear()
            self._cache_weight = 0
        self._match_cache[key] = match
        self._cache_weight += weight
        return match

    def _fuzzy_prefix_words(self, token: str) -> list[str]:
        """Words starting with a near miss of ``token`` ("epicondi": epicondyl...)."""
        token = token[:_FUZZY_PREFIX_MAX]
        size = len(token)
        if size < _FUZZY_PREFIX_MIN:
            return []
        table = self._truncated.get(size)
        if table is None:
            table = {}
            for word in self._vocab:
                if len(word) > size:
                    table.setdefault(word[:size], []).append(word)
            self._truncated[size] = table
        limit = 1 if size < 8 else 2
        hits = process.extract(
            token, list(table), scorer=OSA.distance, score_cutoff=limit, limit=10
        )
        nearest = min((int(d) for _, d, _ in hits), default=0)
        return [word for key, d, _ in hits if d == nearest for word in table[key]]

    def _fuzzy_words(self, token: str) -> list[str]:
        """Vocabulary words within a small edit distance of ``token``."""
        limit = 1 if len(token) < 7 else 2
        found: list[tuple[int, str]] = []
        for length in range(len(token) - limit, len(token) + limit + 1):
            bucket = self._by_length.get(length)
            if not bucket:
                continue
            for word, distance, _ in process.extract(
                token, bucket, scorer=OSA.distance, score_cutoff=limit, limit=20
            ):
                if word != token:
                    found.append((int(distance), word))
        # The nearest words only: one typo explains more than two.
        nearest = min((d for d, _ in found), default=0)
        return [word for d, word in found if d == nearest]

    def search(
        self, query: str, limit: int = 20, billable_only: bool = True
    ) -> list[SearchResult]:
        """Codes for a typed code or words, best first (billable only by default)."""
        if not isinstance(query, str) or limit <= 0:
            return []
        query = query[:_MAX_QUERY]
        limit = min(limit, 200)
        code = normalize_code(query)
        if code:
            hits = self._code_search(code, limit, billable_only)
            if hits:
                return hits
        first = query.split(maxsplit=1)[0] if query.strip() else ""
        code = normalize_code(first.rstrip(":,;-"))
        if code and self._resolve(code.replace(".", "")):
            # "M54.2 Cervicalgia", pasted from another system: the code decides.
            return self._code_search(code, limit, billable_only)
        return self._word_search(query, limit, billable_only)

    def _result(
        self, i: int, char: str | None, matched: str | None, kind: str
    ) -> SearchResult:
        if char is None:
            code, title = self._codes[i], self._titles[i]
        else:
            text = dict(self._expansions(i))[char]
            code, title = self._expanded_code(i, char), f"{self._titles[i]}, {text}"
        return SearchResult(
            code=code,
            description=title,
            billable=char is not None or self._is_billable(i),
            matched=matched,
            excludes=self._inherited(i, "excludes1")[:6],
            kind=kind,
        )

    def _code_search(
        self, code: str, limit: int, billable_only: bool
    ) -> list[SearchResult]:
        flat = code.replace(".", "")
        hits: list[tuple[int, str | None]] = []
        found = self._resolve(flat)
        if found is not None and found[1] is not None:
            hits.append(found)
        lo = bisect.bisect_left(self._sorted_keys, flat)
        hi = bisect.bisect_left(self._sorted_keys, flat + "{", lo)
        if lo == hi and found is None:
            base = self._by_flat.get(flat.rstrip("X"))
            if base is not None and self._needs_seventh(base):
                lo = bisect.bisect_left(self._sorted_keys, self._flat[base])
                hi = lo + 1
        for _, i in self._sorted_flat[lo:hi]:
            if len(hits) >= limit:
                break
            if not billable_only or self._is_billable(i):
                hits.append((i, None))
            for char, _ in self._expansions(i):
                expanded = self._expanded_code(i, char).replace(".", "")
                if expanded.startswith(flat) or lo + 1 == hi:
                    hits.append((i, char))
        return [self._result(i, c, None, "code") for i, c in hits[:limit]]

    def _word_search(
        self, query: str, limit: int, billable_only: bool
    ) -> list[SearchResult]:
        tokens = list(dict.fromkeys(words(query)))
        side = 0
        encounter = None
        soft: list[str] = []
        normal: list[str] = []
        for token in tokens:
            if token in _SIDES:
                side |= _SIDES[token]
            elif token in _ENCOUNTERS:
                encounter = encounter or _ENCOUNTERS[token]
                soft.append(token)
            elif token in _FILLER or token in self._ext_words:
                soft.append(token)
            else:
                normal.append(token)
        if not normal:
            normal, soft = soft + [t for t in tokens if t in _SIDES], []
            side = 0 if not soft else side
            encounter = None
        if not normal:
            return []
        normal = normal[:_MAX_TOKENS]
        last = tokens[-1]
        typed_last = query.rstrip()[-1:].isalnum()
        prefix = [len(t) >= 3 or (t == last and typed_last) for t in normal]
        matches = [
            self._word_match(t, p, False) for t, p in zip(normal, prefix, strict=True)
        ]
        if any(not m.every for m in matches):
            matches = [
                m if m.every else self._word_match(t, p, True)
                for t, p, m in zip(normal, prefix, matches, strict=True)
            ]
        candidates: AbstractSet[int] = _intersect(m.every for m in matches)
        if not candidates:
            matches = [
                self._word_match(t, p, True)
                for t, p in zip(normal, prefix, strict=True)
            ]
            candidates = _intersect(m.every for m in matches)
        drop = 1
        while not candidates and drop < len(matches):
            keep = len(matches) - drop
            candidates = set().union(
                *(
                    _intersect(m.every for m in chosen)
                    for chosen in combinations(matches, keep)
                )
            )
            drop += 1
        if not candidates:
            return []
        if len(candidates) > _PRUNE:
            # Unit ids follow a static rank, so the smallest ids are the likeliest.
            if len(matches) == 1 and candidates is matches[0].every:
                if matches[0].top is None:
                    matches[0].top = sorted(candidates)[:_PRUNE]
                candidates = set(matches[0].top)
            else:
                candidates = set(sorted(candidates)[:_PRUNE])
        soft_sets = [self._postings.get(t, frozenset()) for t in soft]
        # Rare words weigh more, so a partial match keeps "lymphedema" over "lower".
        units = len(self._unit_node) + 1
        weights = [
            0.6 + 0.8 * math.log(units / (len(m.every) + 1)) / math.log(units)
            for m in matches
        ]
        says_without = _SAYS_WITHOUT.search(query) is not None
        pick = self._seventh_picker(encounter, soft)
        scored: dict[tuple[int, str | None], tuple[float, int, str, str]] = {}
        for u in candidates:
            node = self._unit_node[u]
            kind = self._unit_kind[u]
            base = 0.0
            hit = 0
            fuzzy = False
            for m, weight in zip(matches, weights, strict=True):
                if u in m.exact:
                    base += _EXACT * weight
                    hit += 1
                elif u in m.prefix:
                    base += _PREFIX * weight
                    hit += 1
                elif u in m.fuzzy:
                    base += _FUZZY * weight
                    hit += 1
                    fuzzy = True
                else:
                    base -= 0.5 * weight
            size = self._unit_size[u]
            negated = self._unit_negated.get(u)
            if negated:
                for token in normal:
                    if token in negated:
                        base += 0.3 if says_without else -0.6
                size = max(1, size - len(negated.difference(normal)))
            for s in soft_sets:
                if u in s:
                    base += 0.2
            node_side = self._side[node]
            side_score = 0.0
            if self._children[node]:
                pass  # a category: its codes are narrowed by side when emitted
            elif side:
                if node_side & side:
                    side_score = 0.3
                    hit += 1
                elif side == _BILATERAL and node_side:
                    side_score = -0.1  # no bilateral code: right and left both apply
                elif node_side:
                    continue
                else:
                    side_score = -0.3
            elif node_side:
                side_score = -0.06  # no side named: the unspecified-side code first
            tight = min(hit, size) / size
            if hit + len(soft_sets) >= self._unit_exact[u]:
                tight += 0.15  # the text is all the user typed, nothing more
            score = (
                base * _KIND_WEIGHT[kind] + 0.8 * tight + self._prior[node] + side_score
            )
            label = "fuzzy" if fuzzy else _KIND_NAMES[kind]
            hit_text = self._unit_text[u]
            if self._children[node]:
                if not billable_only:
                    self._put(scored, node, None, score, hit_text, label)
                self._emit_leaves(scored, node, score, hit_text, label, side, pick)
            else:
                if not billable_only and self._needs_seventh(node):
                    self._put(scored, node, None, score, hit_text, label)
                self._put(scored, node, pick(node), score, hit_text, label)
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[1][1]))[:limit]
        results = [
            self._result(found, char, matched, how)
            for (found, char), (_, _, matched, how) in ranked
        ]
        # Room left: offer the other 7th characters of the codes found.
        for (found, char), (_, _, matched, how) in ranked:
            if len(results) >= limit:
                break
            if char is None:
                continue
            for other, text in self._expansions(found):
                if other != char and (not encounter or text.startswith(encounter)):
                    results.append(self._result(found, other, matched, how))
        return results[:limit]

    @staticmethod
    def _put(
        scored: dict[tuple[int, str | None], tuple[float, int, str, str]],
        node: int,
        char: str | None,
        value: float,
        matched: str,
        kind: str,
    ) -> None:
        key = (node, char)
        old = scored.get(key)
        if old is None or value > old[0]:
            scored[key] = (value, node, matched, kind)

    def _emit_leaves(
        self,
        scored: dict[tuple[int, str | None], tuple[float, int, str, str]],
        node: int,
        score: float,
        matched: str,
        kind: str,
        side: int,
        pick: Callable[[int], str | None],
    ) -> None:
        """Offer a matched category's billable codes, the general one first."""
        rank = 0
        for leaf in self._preferred_leaves(node):
            leaf_side = self._side[leaf]
            adjust = 0.0
            if side:
                if leaf_side & side:
                    adjust = 0.3
                elif side == _BILATERAL and leaf_side:
                    adjust = -0.1
                elif leaf_side:
                    continue
                else:
                    adjust = -0.3
            rank += 1
            # Below the codes that matched themselves, the general one first.
            value = score - 0.08 - 0.02 * rank + adjust
            self._put(scored, leaf, pick(leaf), value, matched, kind)
            if rank >= 8:
                break

    def _seventh_picker(
        self, encounter: str | None, soft: Sequence[str]
    ) -> Callable[[int], str | None]:
        """For a leaf, the 7th character the query asks for (else the first)."""
        wanted = set(soft)
        chosen: dict[int, str | None] = {}

        def pick(leaf: int) -> str | None:
            seventh = self._seventh_of[leaf]
            if seventh < 0 or self._children[leaf]:
                return None
            if seventh not in chosen:
                options = self._sevenths[seventh]
                option_words = self._seventh_words[seventh]
                best = max(
                    range(len(options)),
                    key=lambda k: (
                        not encounter or options[k][1].startswith(encounter),
                        len(wanted & option_words[k]),
                        -k,
                    ),
                )
                chosen[seventh] = options[best][0]
            return chosen[seventh]

        return pick

    def _preferred_leaves(self, node: int) -> tuple[int, ...]:
        """The leaves under ``node``, the general (unspecified) ones first."""
        cached = self._leaves_cache.get(node)
        if cached is not None:
            return cached
        leaves = []
        stack = [node]
        while stack:
            n = stack.pop()
            if self._children[n]:
                stack.extend(self._children[n])
            else:
                leaves.append(n)
        leaves.sort(
            key=lambda n: (
                self._side[n] != 0,
                "unspecified" not in self._titles[n].lower(),
                # "not intractable, without status migrainosus": the default case.
                -len(_NEGATION.findall(self._titles[n])),
                self._depth[n],
                n,
            )
        )
        result = tuple(leaves[:40])
        self._leaves_cache[node] = result
        return result


def _intersect(sets: Iterable[AbstractSet[int]]) -> AbstractSet[int]:
    ordered = sorted(sets, key=len)
    if not ordered or not ordered[0]:
        return frozenset()
    if len(ordered) == 1:
        return ordered[0]  # shared, never changed in place
    return set(ordered[0]).intersection(*ordered[1:])


def _short_encounter(text: str) -> str:
    """ "initial encounter for closed fracture" -> "initial, closed fracture"."""
    return text.replace(" encounter for ", ", ").replace(" encounter", "")


_default_lock = threading.Lock()


@functools.cache
def _load_default() -> IcdIndex:
    return IcdIndex.load()


def default_index() -> IcdIndex:
    """The default index, loaded once per process (thread-safe)."""
    with _default_lock:
        return _load_default()

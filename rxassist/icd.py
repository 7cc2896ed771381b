"""The one ICD-10-CM index: code lookup, billable checks and search.

The index is built from the CMS tabular XML by ``rxassist.icd_build`` and loaded here
once per process (``default_index()``). Codes are always shown dotted ("S13.4XXA").
A typed code is looked up here; words go through the search pipeline: ``icd_query``
(parse), ``icd_search`` (retrieve, score, emit), ``icd_rank`` (the weights) and
``icd_safety`` (the safety rules, applied last).
"""

from __future__ import annotations

import bisect
import functools
import gc
import gzip
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rxassist.icd_query import MAX_QUERY, Query
from rxassist.icd_search import WordSearch

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


# --- the index ------------------------------------------------------------------


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
        self._words = WordSearch(self)

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
        self._words.clear_cache()

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

    def search(
        self, query: str, limit: int = 20, billable_only: bool = True
    ) -> list[SearchResult]:
        """Codes for a typed code or words, best first (billable only by default)."""
        if not isinstance(query, str) or limit <= 0:
            return []
        query = query[:MAX_QUERY]
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
        return self._words.search(query, limit, billable_only)

    def parse(self, query: str) -> Query:
        """The query as the search reads it (side, encounter, words to find)."""
        return self._words.parse(query)

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

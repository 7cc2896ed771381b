"""The ICD-10-CM word search, as a pipeline: parse, retrieve, score, rerank, emit.

``WordSearch`` indexes every text that names a code (titles, inclusion terms,
Includes notes and curated synonyms) as a "unit"; unit ids follow a static rank, so
the smallest ids are the likeliest. A search parses the query (``icd_query``), finds
the units that have its words (exactly, by prefix, or a misspelling of them), scores
them (``icd_rank``), turns them into billable codes with the side and encounter asked
for, applies the safety rules (``icd_safety``) and returns the best.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import combinations
from os.path import commonprefix
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import OSA

from rxassist import icd_safety
from rxassist.icd_query import (
    BILATERAL,
    FILLER,
    PREGNANCY_WORDS,
    RULE_WORDS,
    TITLE_SIDES,
    Query,
    Term,
    parse,
    site_chain,
    site_contains,
    stem,
    words,
)
from rxassist.icd_rank import (
    INCLUDES,
    INCLUSION,
    KIND_NAMES,
    STATUS_PREFIXES,
    SYNONYM,
    TITLE,
    WEIGHTS,
    plural_side_score,
    prior,
    rarity,
    side_score,
    static_rank,
)
from rxassist.icd_synonyms import SITES, SYNONYMS, TRUNK_PLACES

if TYPE_CHECKING:
    from rxassist.icd import IcdIndex, SearchResult

_PRUNE = 256  # candidates scored in full
_DROP_ENOUGH = 24  # units worth ranking once some query words are dropped
_LEAVES_KEPT = 40  # of a category's leaves, the preferred ones kept
_CACHE_SIZE = 2048
_CACHE_WEIGHT = 300_000  # unit ids held in cached unions (about 10 MB)
_SHORT_WEIGHT = 600_000
_FUZZY_PREFIX_MIN, _FUZZY_PREFIX_MAX = 5, 10


# Each body site's limb as phrases of searchable words ("finger": "hand", "upper
# limb": a finger's swelling is the upper limb's, R22.3-, when no title names it).
_LIMBS = {site: site_chain(site) for site in SITES}
_NEGATION = re.compile(r"\b(?:without|not)\b", re.IGNORECASE)
# "Lumbago with sciatica, right side": a text naming a combination.
_WITH = re.compile(r"\bwith\b", re.IGNORECASE)
# "without aura", "not intractable": what a title says is absent.
_WITHOUT = re.compile(r"\b(?:without|not)\b(?:(?!\b(?:of|with)\b)[^,])*", re.IGNORECASE)
# 7th-character words that still name the condition, not the encounter.
_SEVENTH_NAMES = frozenset(
    {"fracture", "initial", "subsequent", "sequela", "type", "unspecified", "ii", "iii"}
    | {"scar", "edema"}  # "post op scar", "edema legs": the condition typed
    # "eye pain", "sore left eye": the part typed (the macula's 7th characters say
    # which eye), never a word that only helps
    | {"eye", "dry"}  # "dry eye": H04.12-, never pruned among the eyes
)

# Words of a "with" clause that name no condition ("with right side").
# "Sciatica with low back pain" with "back" typed: "low" names no other condition.
_NO_CONDITION = frozenset(
    {*FILLER, *TITLE_SIDES, "unilateral", "bilateral", "low", "lower"}
)

Key = tuple[int, str | None]  # (node, 7th character or None)


@dataclass(slots=True)
class _Match:
    """Unit ids whose text has a query term exactly, by prefix, or fuzzily."""

    exact: AbstractSet[int]
    prefix: AbstractSet[int]
    fuzzy: AbstractSet[int]
    every: AbstractSet[int]
    top: list[int] | None = None  # the best-ranked ids of ``every``, once needed
    # For a phrase term: each equivalent's units and how many words it has.
    phrases: tuple[tuple[AbstractSet[int], int], ...] = ()

    def width(self, unit: int) -> int:
        """How many query words the term counts for in ``unit``."""
        return max((n for units, n in self.phrases if unit in units), default=1)


@dataclass(slots=True)
class _Hit:
    """A code offered for the query: its score and what matched."""

    score: float
    node: int
    matched: str
    kind: str


@dataclass(slots=True)
class _Retrieved:
    """The terms that decided the candidates, their matches, and the candidates."""

    terms: list[Term]
    matches: list[_Match]
    candidates: AbstractSet[int]
    dropped: list[str] = field(default_factory=list)
    nearest: list[str] = field(default_factory=list)  # a dropped site's nearest part


@dataclass(slots=True)
class _Pass:
    """One search's state while it scores: the query, what matched, what is offered."""

    query: Query
    found: _Retrieved
    billable_only: bool
    weights: list[float] = field(default_factory=list)
    soft_sets: list[AbstractSet[int]] = field(default_factory=list)
    near_sets: list[AbstractSet[int]] = field(default_factory=list)
    scored: dict[Key, _Hit] = field(default_factory=dict)
    sevenths: dict[int, str] = field(default_factory=dict)  # 7th character chosen
    typed: frozenset[str] = frozenset()  # every word the query typed or implies

    @property
    def required(self) -> list[str]:
        """The words of the terms the candidates were found by."""
        return [t.word for t in self.found.terms]


class WordSearch:
    """Search an ``IcdIndex`` by words."""

    def __init__(self, index: IcdIndex) -> None:
        """Index every text naming a code of ``index``."""
        self._ix = index
        units = self._units()
        tokenized = [words(text) for _, _, text in units]
        count = len(index._codes)
        self._side = [0] * count
        self._prior = [0.0] * count
        for i in range(count):  # units start with the titles, in node order
            tokens = set(tokenized[i])
            for word in tokens:
                self._side[i] |= TITLE_SIDES.get(word, 0)
            self._prior[i] = prior(index._codes[i], tokens)
        self._rank_units(units, tokenized)
        self._index_words(tokenized)
        self._leaves_cache: dict[tuple[int, int], tuple[int, ...]] = {}
        self._match_cache: dict[tuple[str, bool, bool], _Match] = {}
        self._short_cache: dict[tuple[str, bool, bool], _Match] = {}
        self._truncated: dict[int, dict[str, list[str]]] = {}
        self._cache_weight = 0
        self._short_weight = 0

    # --- building ---------------------------------------------------------------

    def _units(self) -> list[tuple[int, int, str]]:
        ix = self._ix
        units = [(i, TITLE, title) for i, title in enumerate(ix._titles)]
        for i, terms in ix._notes["inclusion"].items():
            units.extend((i, INCLUSION, term) for term in terms)
        for i, notes in ix._notes["includes"].items():
            units.extend((i, INCLUDES, note) for note in notes)
        for codes, phrases in SYNONYMS:
            for code in codes:
                found = ix._resolve(code.replace(".", "").upper())
                if found is not None:
                    units.extend((found[0], SYNONYM, phrase) for phrase in phrases)
        return units

    def _rank_units(
        self, units: list[tuple[int, int, str]], tokenized: list[list[str]]
    ) -> None:
        sizes = [max(1, sum(t not in FILLER for t in toks)) for toks in tokenized]
        # "without ..." names what is absent; a query need not mention it.
        negated = [
            frozenset(
                word
                for clause in _WITHOUT.findall(text)
                for word in words(clause)
                if word not in FILLER
            )
            if _NEGATION.search(text)
            else frozenset()
            for _, _, text in units
        ]
        order = sorted(
            range(len(units)),
            key=lambda u: (
                -static_rank(
                    units[u][1],
                    max(1, sizes[u] - len(negated[u])),
                    self._prior[units[u][0]],
                ),
                u,
            ),
        )
        self._order = order
        self._unit_node = [units[u][0] for u in order]
        # Units start with the titles, in node order: each node's title unit id.
        self._title_uid = [0] * len(self._ix._codes)
        for uid, u in enumerate(order):
            if u < len(self._title_uid):
                self._title_uid[u] = uid
        self._unit_kind = [units[u][1] for u in order]
        self._unit_text = [units[u][2] for u in order]
        self._obstetric = self._obstetric_units(order, tokenized)
        self._unit_size = [sizes[u] for u in order]
        self._unit_exact = [len(tokenized[u]) for u in order]
        # Words a text negates ("Migraine without aura"): a query naming them
        # without saying "without" means the opposite.
        self._unit_negated = {
            uid: negated[u] for uid, u in enumerate(order) if negated[u]
        }

    def _obstetric_units(
        self, order: list[int], tokenized: list[list[str]]
    ) -> frozenset[int]:
        """The units of chapter 15 whose text names a pregnancy."""
        # Never all a query finds unless it names one: "swollen hands" is no
        # gestational edema, while "round ligament pain" still is a pregnancy's.
        return frozenset(
            uid
            for uid, node in enumerate(self._unit_node)
            if self._ix._flat[node].startswith("O")
            and not PREGNANCY_WORDS.isdisjoint(tokenized[order[uid]])
        )

    def _index_words(self, tokenized: list[list[str]]) -> None:
        ix = self._ix
        postings: dict[str, set[int]] = {}
        for uid, u in enumerate(self._order):
            for token in tokenized[u]:
                postings.setdefault(token, set()).add(uid)
        del self._order
        self._postings: dict[str, AbstractSet[int]] = dict(postings)
        self._vocab = sorted(self._postings)
        self._by_length: dict[int, list[str]] = {}
        for word in self._vocab:
            self._by_length.setdefault(len(word), []).append(word)
        self._seventh_words = [
            [frozenset(words(text)) for _, text in chars] for chars in ix._sevenths
        ]
        # Words of the 7th characters ("routine healing", "moderate stage"): they
        # choose the 7th character and are not required of a text.
        self._soft_words = frozenset(
            word for options in self._seventh_words for ws in options for word in ws
        ).difference(_SEVENTH_NAMES)

    # --- the pipeline -----------------------------------------------------------

    def parse(self, text: str) -> Query:
        """The query as this index reads it."""
        return parse(text, self._soft_words, correct=self._corrected)

    def _corrected(self, word: str) -> str:
        """A misspelt word of a rule's phrase, spelled right; any other word as is."""
        if len(word) < 5 or not word.isalpha() or stem(word) in self._postings:
            return word
        at = bisect.bisect_left(self._vocab, word)
        if at < len(self._vocab) and self._vocab[at].startswith(word):
            return word  # a word half typed ("adhes"), not misspelt
        found = self._fuzzy_words(stem(word))
        # Of words as near, the one that keeps most of the start typed: "cervicle"
        # is cervical (a region, read as typed), never the clavicle.
        kept = max((len(commonprefix((w, word))) for w in found), default=0)
        near = [w for w in found if len(commonprefix((w, word))) == kept]
        near = [w for w in near if w in RULE_WORDS]
        return near[0] if len(near) == 1 else word

    def search(self, text: str, limit: int, billable_only: bool) -> list[SearchResult]:
        """Codes for the words of ``text``, best first."""
        query = self.parse(text)
        if not query.terms:
            return []
        found = self._retrieve(query)
        if not found.candidates:
            return []
        scored = self._score(_Pass(query, found, billable_only))
        if not scored and not found.dropped:
            # Every text with all the words named a combination not typed (a side
            # typed, "sciatica with low back pain"): the words that matter most.
            found = self._without_qualifiers(found.terms, found.matches, self._usable)
            found.candidates = self._prune(found)
            scored = self._score(_Pass(query, found, billable_only))
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1].score, kv[1].node))
        ranked = self._without_loose_sides(query, ranked)
        ranked = icd_safety.rerank(query, ranked, self._facts, limit)
        return self._emit(query, ranked[:limit], limit)

    def _without_loose_sides(
        self, query: Query, ranked: list[tuple[Key, _Hit]]
    ) -> list[tuple[Key, _Hit]]:
        """``ranked`` less the codes of the side typed that match the query far less
        than the best code, one of no side: the side rule would put them first."""
        side = query.side
        if not side or side == BILATERAL or not ranked or self._side[ranked[0][0][0]]:
            return ranked
        best = ranked[0][1].score
        if best <= 0:
            return ranked
        floor = best * WEIGHTS.side_loose
        return [
            (key, hit)
            for key, hit in ranked
            if hit.score >= floor or not self._side[key[0]] & side
        ]

    def _retrieve(self, query: Query) -> _Retrieved:
        """The units with every term; failing that, with the terms that matter most."""
        terms = list(query.terms)
        prefix = [
            len(t.word) >= 3 or (n == len(terms) - 1 and query.last_typed)
            for n, t in enumerate(terms)
        ]
        matches = [
            self._term_match(t, p, not m.every)
            for t, p, m in zip(
                terms, prefix, self._term_matches(terms, prefix, False), strict=True
            )
        ]
        first = _intersect(m.every for m in matches)
        if query.negated:  # "HNP w/o radiculopathy": texts that never name it too
            first = first | _unnamed(matches, terms, query.negated)
        usable = self._usable if not query.pregnancy else _as_is
        found = _Retrieved(terms, matches, usable(first))
        if not found.candidates:
            found = self._without_qualifiers(terms, matches, usable)
        if not found.candidates:
            found.candidates = usable(_drop_words(matches))
        if not found.candidates:
            fuzzy = self._term_matches(terms, prefix, True)
            candidates = _intersect(m.every for m in fuzzy) or _drop_words(fuzzy)
            found = _Retrieved(terms, fuzzy, usable(candidates))
        if not found.candidates:  # only pregnancy codes have the words typed
            found = _Retrieved(terms, matches, first)
        found.candidates = self._prune(found)
        return found

    def _usable(self, candidates: AbstractSet[int]) -> AbstractSet[int]:
        """The candidates, unless they are all pregnancy codes (none named)."""
        if all(u in self._obstetric for u in candidates):
            return frozenset()
        return candidates

    def _same_site(
        self, candidates: AbstractSet[int], dropped: list[str]
    ) -> AbstractSet[int]:
        """The best candidates that name no other body site: "total knee", no hip."""
        if len(candidates) > _PRUNE:
            candidates = set(sorted(candidates)[:_PRUNE])
        others = [
            self._postings[site]
            for site in (*SITES, *TRUNK_PLACES)
            if site in self._postings
            and not any(site_contains(d, site) for d in dropped)
            # the titles' "ankle and foot" is a toe's or a heel's too (M10.07-)
            and not (site == "ankle" and any(map(_of_the_foot, dropped)))
        ]
        return {u for u in candidates if not any(u in p for p in others)}

    def _term_matches(
        self, terms: Sequence[Term], prefix: Sequence[bool], fuzzy: bool
    ) -> list[_Match]:
        return [
            self._term_match(t, p, fuzzy) for t, p in zip(terms, prefix, strict=True)
        ]

    def _without_qualifiers(
        self,
        terms: list[Term],
        matches: list[_Match],
        usable: Callable[[AbstractSet[int]], AbstractSet[int]],
    ) -> _Retrieved:
        """Drop qualifiers, levels, stray external causes, sites, regions, causes,
        then a pain beside a condition named."""
        for stage in range(6):
            kept = [n for n, t in enumerate(terms) if _kept_at(stage, t)]
            if not kept or len(kept) == len(terms):
                continue
            candidates = usable(_intersect(matches[n].every for n in kept))
            sites = [t.word for n, t in enumerate(terms) if n not in kept and t.site]
            if candidates and sites:
                candidates = self._same_site(candidates, sites)
            if candidates:
                dropped = [
                    word
                    for n, t in enumerate(terms)
                    if n not in kept
                    # a site's limb as one phrase: "lower limb", never "limb"; a
                    # phrase term as its first phrase ("hurts": "pain")
                    for word in (
                        (t.word, *_LIMBS[t.word])
                        if t.site
                        else (" ".join(t.phrases[0]) if t.phrases else t.word,)
                    )
                ]
                return _Retrieved(
                    [terms[n] for n in kept],
                    [matches[n] for n in kept],
                    candidates,
                    dropped,
                    # a part nearer than the limb: "pinky": finger, not "hip"
                    [_LIMBS[site][0] for site in sites if len(_LIMBS[site]) > 1],
                )
        return _Retrieved(terms, matches, frozenset())

    def _prune(self, found: _Retrieved) -> AbstractSet[int]:
        candidates = found.candidates
        if len(candidates) <= _PRUNE:
            return candidates
        only = found.matches[0]
        if len(found.matches) == 1 and candidates is only.every:
            if only.top is None:
                only.top = sorted(candidates)[:_PRUNE]
            return set(only.top)
        return set(sorted(candidates)[:_PRUNE])

    def _score(self, run: _Pass) -> dict[Key, _Hit]:
        """Score every candidate unit and offer its billable codes."""
        units = len(self._unit_node) + 1
        run.weights = [
            rarity(len(m.every), units) * (WEIGHTS.context_word if t.context else 1.0)
            for m, t in zip(run.found.matches, run.found.terms, strict=True)
        ]
        run.soft_sets = [
            _intersect(self._postings.get(w, frozenset()) for w in t.split())
            for t in (*run.query.soft, *run.found.dropped)
            for _ in t.split()  # a limb's phrase weighs as its words
        ]
        run.near_sets = [
            _intersect(self._postings.get(w, frozenset()) for w in part.split())
            for part in run.found.nearest
        ]
        for u in run.found.candidates:
            score = self._unit_score(run, u)
            if score is not None:
                self._offer(run, u, *score)
        return run.scored

    def _negation(self, run: _Pass, u: int) -> tuple[float, int]:
        """What "without" adds to unit ``u``'s score, and its size without it."""
        w, query = WEIGHTS, run.query
        negated = self._unit_negated.get(u, frozenset())
        if not negated and not query.negated:  # most texts, most queries: no "without"
            return 0.0, self._unit_size[u]
        score = 0.0
        for m, t, weight in zip(
            run.found.matches, run.found.terms, run.weights, strict=True
        ):
            if t.word not in query.negated or t.word in negated:
                continue
            if u in m.every:  # "w/o aura" typed, "with aura" titled: ruled out
                score += w.negated_asserted - w.exact * weight
            else:  # a text need not name what is absent
                score -= w.missed_word * weight
        size = self._unit_size[u]
        if negated:
            score += sum(
                w.negated_said if word in query.negated else w.negated_unsaid
                for word in run.required
                if word in negated
            )
            size = max(1, size - len(negated.difference(run.required)))
        return score, size

    def _unit_score(self, run: _Pass, u: int) -> tuple[float, str] | None:
        """A unit's score and how it matched; None when it names the opposite side."""
        w, query = WEIGHTS, run.query
        node = self._unit_node[u]
        base, hit, fuzzy = _word_score(u, run.found.matches, run.weights)
        negation, size = self._negation(run, u)
        base += negation
        side = 0.0
        # a code of a side (or a category of them) the side rule would put first
        sided = self._side[node] or self._ix._children[node]
        if query.side and sided and self._unasked_combination(run, u):
            return None
        if not self._ix._children[node]:  # a category is narrowed when emitted
            adjust = _side_adjust(query, self._side[node])
            if adjust is None:
                return None
            side = adjust
            # "b/l" typed, "right hand" titled: the side word is the one asked;
            # "bunions", "right foot" titled: the plural asked for a side.
            hit += (query.side != 0 and adjust in (w.side_stated, w.side_split)) or (
                query.plural and self._side[node] != 0
            )
        soft = sum(u in s for s in run.soft_sets)
        # Soft words typed ("after", "type II") cover the text as much as the rest.
        tight = min(hit + soft, size) / size
        if hit + len(run.soft_sets) >= self._unit_exact[u]:
            tight += w.whole_text
        score = (
            base * w.kind[self._unit_kind[u]]
            + w.soft_word * soft
            + w.nearest_part * sum(u in s for s in run.near_sets)
            + w.tightness * tight
            + self._prior[node]
            + side
        )
        score += self._chapter_adjust(query, self._ix._flat[node], u)
        return score, "fuzzy" if fuzzy else KIND_NAMES[self._unit_kind[u]]

    def _unasked_combination(self, run: _Pass, u: int) -> bool:
        """Whether unit ``u`` names a combination the query does not ("with
        sciatica"): with a side typed, the side's code would come first ("low back
        pain R" is M54.50, never "Lumbago with sciatica, right side")."""
        text = self._unit_text[u]
        if _WITH.search(text) is None:
            return False
        if not run.typed:
            query = run.query
            run.typed = frozenset(
                {w for t in query.terms for p in t.phrases for w in p}
                | set(words(query.text))  # beyond the terms kept, too
                | set(query.soft)
            )
        return any(w not in _NO_CONDITION and w not in run.typed for w in words(text))

    def _chapter_adjust(self, query: Query, flat: str, u: int) -> float:
        """What the query's facts (a code typed, an injury, a pregnancy, a status)
        add to a code of the chapter or block that they concern."""
        w = WEIGHTS
        score = 0.0
        if query.fragments and flat.startswith(query.fragments):
            score += w.code_fragment
        if query.injury and flat[0] in "ST":
            score += w.injury_asked
        if flat[0] == "O":
            score += w.pregnancy_asked if query.pregnancy else w.pregnancy_unasked
            if not query.pregnancy and u in self._obstetric:
                score += w.pregnancy_said_unasked
        if not query.status and flat.startswith(STATUS_PREFIXES):
            score += w.status_unasked
        return score

    def _offer(self, run: _Pass, u: int, score: float, label: str) -> None:
        """Offer the unit's code, or a category's billable codes, at ``score``."""
        ix = self._ix
        node = self._unit_node[u]
        text = self._unit_text[u]
        if not run.billable_only and (ix._children[node] or ix._needs_seventh(node)):
            _put(run.scored, (node, None), _Hit(score, node, text, label))
        if not ix._children[node]:
            hit = _Hit(score, node, text, label)
            _put(run.scored, (node, self._seventh(run, node)), hit)
            return
        # A category: its billable codes of the side asked, the general one first.
        query = run.query
        offered = 0
        side = BILATERAL if query.plural else query.side
        for leaf in self._preferred_leaves(node, side):
            adjust = _side_adjust(query, self._side[leaf]) if side else 0.0
            if adjust is None:
                continue
            offered += 1
            value = (
                score
                - WEIGHTS.leaf_below_category
                - WEIGHTS.leaf_step * offered
                + adjust
            )
            if run.soft_sets:  # its own title's words typed ("C5-C6", "third")
                title = self._title_uid[leaf]
                value += WEIGHTS.soft_word * sum(title in s for s in run.soft_sets)
            hit = _Hit(value, leaf, text, label)
            _put(run.scored, (leaf, self._seventh(run, leaf)), hit)
            if offered >= WEIGHTS.leaves_offered:
                break

    def _seventh(self, run: _Pass, leaf: int) -> str | None:
        """For a leaf, the 7th character the query asks for (else the first)."""
        ix = self._ix
        seventh = ix._seventh_of[leaf]
        if seventh < 0 or ix._children[leaf]:
            return None
        chosen = run.sevenths.get(seventh)
        if chosen is None:
            options = ix._sevenths[seventh]
            option_words = self._seventh_words[seventh]
            encounter = run.query.encounter
            wanted = set(run.query.soft)
            best = max(
                range(len(options)),
                key=lambda k: (
                    not encounter or options[k][1].startswith(encounter),
                    len(wanted & option_words[k]),
                    -k,
                ),
            )
            chosen = run.sevenths[seventh] = options[best][0]
        return chosen

    def _facts(self, entry: tuple[Key, _Hit]) -> icd_safety.Facts:
        node, char = entry[0]
        text = dict(self._ix._expansions(node)).get(char) if char else None
        return icd_safety.code_facts(self._ix._flat[node], self._side[node], text)

    def _emit(
        self, query: Query, ranked: list[tuple[Key, _Hit]], limit: int
    ) -> list[SearchResult]:
        """The results; room left offers the other 7th characters of the codes found."""
        ix = self._ix
        results = [ix._result(n, c, hit.matched, hit.kind) for (n, c), hit in ranked]
        for (node, char), hit in ranked:
            if len(results) >= limit:
                break
            if char is None:
                continue
            for other, text in ix._expansions(node):
                if other != char and (
                    not query.encounter or text.startswith(query.encounter)
                ):
                    results.append(ix._result(node, other, hit.matched, hit.kind))
        return results[:limit]

    def _preferred_leaves(self, node: int, side: int) -> tuple[int, ...]:
        """The leaves under ``node``: the side asked, then the general ones first."""
        cached = self._leaves_cache.get((node, side))
        if cached is not None:
            return cached
        ix = self._ix
        leaves = []
        stack = [node]
        while stack:
            n = stack.pop()
            if ix._children[n]:
                stack.extend(ix._children[n])
            else:
                leaves.append(n)
        leaves.sort(
            key=lambda n: (
                not self._side[n] & side,
                self._side[n] != 0,
                -ix._titles[n].lower().count("unspecified"),  # the most general
                # "not intractable, without status migrainosus": the default case.
                -len(_NEGATION.findall(ix._titles[n])),
                ix._depth[n],
                n,
            )
        )
        result = tuple(leaves[:_LEAVES_KEPT])
        self._leaves_cache[node, side] = result
        return result

    # --- word matching ----------------------------------------------------------

    def clear_cache(self) -> None:
        """Forget cached word matches (results do not change)."""
        self._match_cache.clear()
        self._short_cache.clear()
        self._cache_weight = 0
        self._short_weight = 0

    def _term_match(self, term: Term, prefix: bool, fuzzy: bool) -> _Match:
        if not term.phrases:
            return self._word_match(term.word, prefix, fuzzy)
        # Apart from the single words; by the phrases, since one word ("thoracic")
        # may stand for other phrases in another query ("thoracic" or "t7").
        key = ("=" + "|".join(map(" ".join, term.phrases)), False, False)
        cached = self._match_cache.get(key)
        if cached is not None:
            return cached
        phrases = tuple(
            (
                _intersect(self._postings.get(w, frozenset()) for w in phrase),
                len(phrase),
            )
            for phrase in term.phrases
        )
        every: AbstractSet[int] = set().union(*(units for units, _ in phrases))
        match = _Match(every, every, frozenset(), every, phrases=phrases)
        self._remember(key, match, len(every), short=False)
        return match

    def _word_match(self, token: str, prefix: bool, fuzzy: bool) -> _Match:
        key = (token, prefix, fuzzy)
        cached = self._short_cache.get(key) or self._match_cache.get(key)
        if cached is not None:
            return cached
        empty: frozenset[int] = frozenset()
        exact = self._postings.get(token, empty)
        prefixed = self._prefixed(token) if prefix else exact
        fuzzed: AbstractSet[int] = empty
        if fuzzy and len(token) >= 4 and not token.isdigit():
            nearest = self._fuzzy_words(token)
            if prefix and not nearest:
                nearest = self._fuzzy_prefix_words(token)
            if nearest:
                fuzzed = set().union(*(self._postings[w] for w in nearest))
        every = prefixed | fuzzed if fuzzed else prefixed
        match = _Match(exact, prefixed, fuzzed, every)
        made = (len(prefixed) if prefixed is not exact else 0) + len(fuzzed)
        made += len(every) if fuzzed else 0
        # Short prefixes are few and the costliest to unite: keep them longer.
        short = len(token) <= 3 and prefix and not fuzzy
        self._remember(key, match, made, short)
        return match

    def _prefixed(self, token: str) -> AbstractSet[int]:
        """Units with a word starting with ``token``."""
        lo = bisect.bisect_left(self._vocab, token)
        hi = bisect.bisect_left(self._vocab, token + "{", lo)
        # Completing "ot" to "other" finds a fifth of the tabular list and names
        # nothing: filler words complete only themselves.
        found = [w for w in self._vocab[lo:hi] if w == token or w not in FILLER]
        if not found:
            return self._postings.get(token, frozenset())
        if len(found) == 1:
            return self._postings[found[0]]
        return set().union(*(self._postings[w] for w in found))

    def _remember(
        self, key: tuple[str, bool, bool], match: _Match, weight: int, short: bool
    ) -> None:
        """Cache a match, bounding the memory the united sets hold."""
        if short:
            if self._short_weight > _SHORT_WEIGHT:
                self._short_cache.clear()
                self._short_weight = 0
            self._short_cache[key] = match
            self._short_weight += weight
            return
        if len(self._match_cache) >= _CACHE_SIZE or self._cache_weight > _CACHE_WEIGHT:
            self._match_cache.clear()
            self._cache_weight = 0
        self._match_cache[key] = match
        self._cache_weight += weight

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
            for word, distance, _ in process.extract(
                token,
                self._by_length.get(length, []),
                scorer=OSA.distance,
                score_cutoff=limit,
                limit=20,
            ):
                # a typo keeps the first letter or drops or adds one there
                # ("ciatic"): "dancer" is never "cancer"
                first = token[0] in (word[0], word[1:2]) or word[0] == token[1:2]
                if word != token and first:
                    found.append((int(distance), word))
        # The nearest words only: one typo explains more than two.
        nearest = min((d for d, _ in found), default=0)
        return [word for d, word in found if d == nearest]


def _word_score(
    u: int, matches: list[_Match], weights: list[float]
) -> tuple[float, int, bool]:
    """What the query's terms add for unit ``u``: score, words hit, any misspelt."""
    w = WEIGHTS
    base = 0.0
    hit = 0
    fuzzy = False
    for m, weight in zip(matches, weights, strict=True):
        if u in m.exact:
            base += w.exact * weight
            hit += m.width(u) if m.phrases else 1
        elif u in m.prefix:
            base += w.prefix * weight
            hit += 1
        elif u in m.fuzzy:
            base += w.fuzzy * weight
            hit += 1
            fuzzy = True
        else:
            base += w.missed_word * weight
    return base, hit, fuzzy


def _kept_at(stage: int, term: Term) -> bool:
    """Whether ``term`` is kept at a ``stage`` of dropping words (0 drops least)."""
    if stage < 3:  # keep sites and regions, then regions, then neither
        return (
            not term.droppable
            or (stage < 2 and term.region)
            or (stage < 1 and term.site)
        )
    if stage < 5:  # "crps after wrist fracture": the cause goes, then the sites
        return not term.context and (
            not term.droppable or (stage < 4 and (term.region or term.site))
        )
    # "runner's knee pain": the pain beside a condition, keeping sites and causes
    return not term.symptom and (not term.droppable or term.region or term.site)


def _of_the_foot(site: str) -> bool:
    """Whether ``site`` is the foot or a part of it (the heel, a toe)."""
    return "foot" in (site, *_LIMBS.get(site, ()))


def _as_is(candidates: AbstractSet[int]) -> AbstractSet[int]:
    return candidates


def _side_adjust(query: Query, named: int) -> float | None:
    """What a code's side adds for the query; None: the opposite side, leave it."""
    if query.plural:
        return plural_side_score(named)
    return side_score(query.side, named)


def _put(scored: dict[Key, _Hit], key: Key, hit: _Hit) -> None:
    old = scored.get(key)
    if old is None or hit.score > old.score:
        scored[key] = hit


def _drop_words(matches: list[_Match]) -> AbstractSet[int]:
    """Units with all terms but one, then but two...: until there are a few to rank."""
    found: set[int] = set()
    for keep in range(len(matches) - 1, 0, -1):
        for chosen in combinations(matches, keep):
            found.update(_intersect(m.every for m in chosen))
        if len(found) >= _DROP_ENOUGH:
            break
    return found


def _unnamed(
    matches: list[_Match], terms: list[Term], negated: AbstractSet[str]
) -> AbstractSet[int]:
    """The units with every term but those ruled out ("without ..."), if any."""
    kept = [m for m, t in zip(matches, terms, strict=True) if t.word not in negated]
    return _intersect(m.every for m in kept) if kept else frozenset()


def _intersect(sets: Iterable[AbstractSet[int]]) -> AbstractSet[int]:
    ordered = sorted(sets, key=len)
    if not ordered or not ordered[0]:
        return frozenset()
    if len(ordered) == 1:
        return ordered[0]  # shared, never changed in place
    return set(ordered[0]).intersection(*ordered[1:])

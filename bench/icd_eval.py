"""Search relevance: recall@1, recall@10 and MRR per kind, and safety-rule violations.

Run ``python bench/icd_eval.py [--failures] [--baseline] [--only-tuned]``. It scores
the tuned set (``icd_queries.json``), every development set found as ``icd_dev_*.json``
(written blind, then tuned on), and every sealed held-out set found as
``icd_heldout_*.json`` (same shape: {"about", "sealed": true, "queries": [{"kind",
"query", "codes"}]}), and counts the safety rules (``rxassist.icd_safety``) broken in
every set's top 10. A sealed set is never tuned on: its first run is the figure to
quote. ``--only-tuned`` leaves the sealed sets closed (for tuning work: their misses
must stay unseen). ``--baseline`` adds a
plain prefix autocomplete (every query word a prefix of a title word, shorter titles
first) over the same billable codes, as the free NLM Clinical Tables service offers.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rxassist.icd import IcdIndex, default_index  # noqa: E402
from rxassist.icd_safety import violations  # noqa: E402

QUERIES = Path(__file__).with_name("icd_queries.json")
SEALED = "icd_heldout_*.json"
DEV = "icd_dev_*.json"
Search = Callable[[str], Sequence[str]]


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    """The evaluation queries: kind, query, acceptable codes, set (dev or unseen)."""
    queries: list[dict[str, Any]] = json.loads(path.read_text())["queries"]
    return queries


class PrefixBaseline:
    """Every query word must be a prefix of some word of the billable code's title."""

    def __init__(self, index: IcdIndex) -> None:
        """Collect every billable code and its title's words."""
        self.rows: list[tuple[str, str, tuple[str, ...]]] = []
        for code, title in index.billable_titles():
            self.rows.append(
                (code, title, tuple(re.findall(r"[a-z0-9]+", title.lower())))
            )
        self.rows.sort(key=lambda row: (len(row[1]), row[0]))

    def search(self, query: str, limit: int = 10) -> list[str]:
        """Codes whose title words start with every query word, shortest title first."""
        wanted = re.findall(r"[a-z0-9]+", query.lower())
        if not wanted:
            return []
        found = []
        for code, _, title_words in self.rows:
            if all(any(w.startswith(q) for w in title_words) for q in wanted):
                found.append(code)
                if len(found) == limit:
                    break
        return found


def evaluate(
    search: Search, queries: list[dict[str, Any]]
) -> tuple[dict[str, dict[str, float]], list[tuple[dict[str, Any], list[str]]]]:
    """Figures per kind (and "all") and the queries whose code is not ranked first."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    misses = []
    for q in queries:
        got = list(search(str(q["query"])))[:10]
        wanted = set(q["codes"])
        rank = next((i for i, code in enumerate(got, 1) if code in wanted), None)
        keys = [str(q["kind"]), "all"] + ([f"set={q['set']}"] if "set" in q else [])
        for key in keys:
            row = sums[key]
            row[0] += 1
            row[1] += rank == 1
            row[2] += rank is not None
            row[3] += 1 / rank if rank else 0.0
        if rank != 1:
            misses.append((q, got))
    figures = {
        kind: {"n": n, "r@1": r1 / n, "r@10": r10 / n, "mrr": mrr / n}
        for kind, (n, r1, r10, mrr) in sums.items()
    }
    return figures, misses


def table(name: str, figures: dict[str, dict[str, float]]) -> str:
    """Figures as a fixed-width table."""
    kinds = sorted(k for k in figures if k != "all" and "=" not in k)
    kinds += sorted(k for k in figures if "=" in k) + ["all"]
    lines = [f"{name:<14}{'n':>5}{'R@1':>8}{'R@10':>8}{'MRR':>8}"]
    for kind in kinds:
        f = figures[kind]
        figures_text = "".join(f"{f[key]:>8.3f}" for key in ("r@1", "r@10", "mrr"))
        lines.append(f"  {kind:<12}{f['n']:>5.0f}{figures_text}")
    return "\n".join(lines)


def sealed_sets(folder: Path = QUERIES.parent, pattern: str = SEALED) -> list[Path]:
    """Every sealed held-out set (or, with ``pattern=DEV``, dev set) in ``folder``."""
    return sorted(folder.glob(pattern))


def count_violations(
    index: IcdIndex, queries: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """(query, rule broken) for every safety-rule violation in the top 10."""
    return [
        (str(q["query"]), broken)
        for q in queries
        for broken in violations(
            index.parse(str(q["query"])), index.search(str(q["query"]), limit=10)
        )
    ]


def sealed_targets(figures: dict[str, dict[str, float]], broken: int) -> bool:
    """The issue's targets for a fresh set: R@10 >= .97, MRR >= .92, kinds >= .93."""
    kinds = [f for k, f in figures.items() if k != "all" and "=" not in k]
    return (
        figures["all"]["r@10"] >= 0.97
        and figures["all"]["mrr"] >= 0.92
        and all(f["r@10"] >= 0.93 for f in kinds)
        and broken == 0
    )


def report(
    index: IcdIndex, name: str, queries: list[dict[str, Any]], failures: bool
) -> tuple[dict[str, dict[str, float]], int]:
    """Print one set's figures, violations and (if asked) misses."""
    ours, misses = evaluate(
        lambda q: [r.code for r in index.search(q, limit=10)], queries
    )
    broken = count_violations(index, queries)
    print(f"{name}: {len(queries)} queries")
    print(table("Rx Assist", ours))
    print(f"safety-rule violations in the top 10: {len(broken)}")
    for query, rule in broken:
        print(f"  {query!r}: {rule}")
    if failures:
        for q, got in misses:
            print(f"  [{q['kind']}] {q['query']!r}: want {q['codes']}, got {got[:5]}")
    return ours, len(broken)


def tuned_targets(figures: dict[str, dict[str, float]], broken: int) -> bool:
    """Tuned-set targets: R@10 >= .95, MRR >= .85, synonyms/misspellings >= .90."""
    return (
        figures["all"]["r@10"] >= 0.95
        and figures["all"]["mrr"] >= 0.85
        and figures["synonym"]["r@10"] >= 0.90
        and figures["misspelling"]["r@10"] >= 0.90
        and broken == 0
    )


FRESH_TARGETS = "(R@10 >= .97, MRR >= .92, every kind R@10 >= .93, no violation):"


def judge_fresh(
    index: IcdIndex,
    name: str,
    queries: list[dict[str, Any]],
    failures: bool,
    verdict: str = "targets",
) -> bool:
    """Report one fresh set (or a pool of them) and whether it met the targets."""
    figures, broken = report(index, name, queries, failures)
    ok = sealed_targets(figures, broken)
    print(f"{verdict} {FRESH_TARGETS}", "met" if ok else "NOT met")
    return ok


def report_sets(index: IcdIndex, label: str, paths: list[Path], failures: bool) -> bool:
    """Report each set of ``paths`` against the fresh-set targets; True if all met."""
    met = True
    for path in paths:
        queries = load_queries(path)
        met = judge_fresh(index, f"{label} ({path.name})", queries, failures) and met
    return met


def pooled(index: IcdIndex, paths: list[Path]) -> bool:
    """Report the sets of ``paths`` as one against the fresh-set targets."""
    queries = [q for path in paths for q in load_queries(path)]
    names = " + ".join(path.name for path in paths)
    return judge_fresh(
        index, f"pooled ({names})", queries, False, verdict="targets, pooled"
    )


def main() -> int:
    """Print the figures for the tuned set, the dev sets and every sealed set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list the misses")
    parser.add_argument("--baseline", action="store_true", help="add the baseline")
    parser.add_argument(
        "--only-tuned",
        action="store_true",
        help="the tuned and dev sets only: leave the sealed sets unopened",
    )
    parser.add_argument(
        "--sealed",
        action="append",
        metavar="FILE",
        help="open only this sealed set (its file name; repeatable): the others, "
        "kept for a later round, stay unopened",
    )
    parser.add_argument(
        "--pool",
        action="store_true",
        help="also judge the chosen sealed sets as one (a round judged on two "
        "fresh sets together)",
    )
    args = parser.parse_args()
    index = default_index()
    print(f"{index.label} ({index.release})")
    queries = load_queries()
    ours, broken = report(index, "tuned set (icd_queries.json)", queries, args.failures)
    if args.baseline:
        theirs, _ = evaluate(PrefixBaseline(index).search, queries)
        print(table("prefix baseline", theirs))
    met = tuned_targets(ours, broken)
    print(
        "targets (R@10 >= .95, MRR >= .85, synonyms/misspellings R@10 >= .90, "
        "no violation):",
        "met" if met else "NOT met",
    )
    met = report_sets(index, "dev set", sealed_sets(pattern=DEV), args.failures) and met
    if not args.only_tuned:
        chosen = [
            path
            for path in sealed_sets()
            if not args.sealed or path.name in args.sealed
        ]
        if args.sealed and len(chosen) != len(set(args.sealed)):
            parser.error(f"no such sealed set among {SEALED}: {args.sealed}")
        sealed = report_sets(index, "sealed set", chosen, args.failures)
        if args.pool and len(chosen) > 1:
            sealed = pooled(index, chosen)
        met = sealed and met
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())

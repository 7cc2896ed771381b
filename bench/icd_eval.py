"""Search relevance: recall@1, recall@10 and MRR per kind, beside a prefix baseline.

Run ``python bench/icd_eval.py [--failures]``. The baseline is a plain prefix
autocomplete (every query word a prefix of a title word, shorter titles first) over the
same billable codes, as the free NLM Clinical Tables service offers.
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

QUERIES = Path(__file__).with_name("icd_queries.json")
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
        for key in (str(q["kind"]), f"set={q.get('set', 'dev')}", "all"):
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


def main() -> int:
    """Print the figures for Rx Assist's search and the prefix baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list the misses")
    args = parser.parse_args()
    index = default_index()
    queries = load_queries()
    ours, misses = evaluate(
        lambda q: [r.code for r in index.search(q, limit=10)], queries
    )
    baseline = PrefixBaseline(index)
    theirs, _ = evaluate(baseline.search, queries)
    print(f"{index.label} ({index.release}), {len(queries)} queries")
    print(table("Rx Assist", ours))
    print(table("prefix baseline", theirs))
    targets = (
        ours["all"]["r@10"] >= 0.95
        and ours["all"]["mrr"] >= 0.85
        and ours["synonym"]["r@10"] >= 0.90
        and ours["misspelling"]["r@10"] >= 0.90
    )
    print(
        "targets (R@10 >= .95, MRR >= .85, synonyms/misspellings R@10 >= .90):",
        "met" if targets else "NOT met",
    )
    if args.failures:
        for q, got in misses:
            print(f"  [{q['kind']}] {q['query']!r}: want {q['codes']}, got {got[:5]}")
    return 0 if targets else 1


if __name__ == "__main__":
    raise SystemExit(main())

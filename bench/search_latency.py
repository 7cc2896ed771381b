"""Search latency, index load time and memory: ``python bench/search_latency.py``.

Queries: every evaluation query, each also as typed keystroke by keystroke (what a
typeahead sends), plus broad one-word queries; then hostile input (what the property
tests send: huge, odd and random text) to the search and to its API. "cold" clears the
index's per-word cache before every query; "warm" is a second pass, as a long-running
server sees. Wall-clock figures include time other processes take the core; CPU time
does not.
Pin it to one core: ``taskset -c 0 python bench/search_latency.py``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BROAD = [
    "pain",
    "fracture",
    "left",
    "injury",
    "unspecified",
    "s",
    "m5",
    "a b c d e f g h",
    "x" * 200,
    "ab" * 100,
    "right left bilateral initial subsequent sequela",
]


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of values, by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def hostile_queries(count: int = 300) -> list[str]:
    """What the property tests send: odd, huge and random text (seeded, repeatable)."""
    fixed = [
        "", " ", "\x00\x01\x1b[31m\u202e", ".*+?[](){}|^$\\", "' OR 1=1; --", "%_%",
        "🤕💆‍♀️ neck 🔥", "a b c d e f g h i j k l m n o p", "ab" * 20, "m" * 7, "M54.-",
        "(a+)+$", "x" * 10_000, "pain " * 2_000,
    ]  # fmt: skip
    rng = random.Random(0)
    alphabet = string.printable + "éüßǅ🦴💆\u202e"
    randoms = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 300)))
        for _ in range(count)
    ]
    return fixed + randoms


def hostile_figures(index: Any) -> None:
    """Latency of the search and of its API on hostile input: figures, no target."""
    from app import create_app
    from extensions import codeset

    queries = hostile_queries()
    wall = []
    for query in queries:
        index.clear_cache()
        t = time.perf_counter()
        index.search(query)
        wall.append((time.perf_counter() - t) * 1000)
    with tempfile.TemporaryDirectory(prefix="rx-bench-") as folder:
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "RX_INSTANCE_PATH": folder,
                "RATELIMIT_ENABLED": False,
            }
        )
        codeset.pin(app, index)
        client = app.test_client()
        api = []
        for query in queries:
            index.clear_cache()
            t = time.perf_counter()
            client.get("/api/v1/icd10/search", query_string={"q": query, "limit": 10})
            api.append((time.perf_counter() - t) * 1000)
    for label, values in (("search", wall), ("search API", api)):
        print(
            f"hostile input, {label} (cold): {len(values)} queries: "
            f"p50 {percentile(values, 50):.2f} ms, "
            f"p95 {percentile(values, 95):.2f} ms, max {max(values):.1f} ms"
        )


def main() -> int:
    """Load the index, time the queries, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    import rapidfuzz.distance.OSA  # noqa: F401 - count the library apart from the index
    import rapidfuzz.process  # noqa: F401

    from rxassist.icd import IcdIndex

    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    index = IcdIndex.load()
    load_s = time.perf_counter() - started
    gc.collect()
    added = rss_mb() - before

    evaluation = json.loads(Path(__file__).with_name("icd_queries.json").read_text())
    full = [q["query"] for q in evaluation["queries"]] + BROAD
    typed = [q[:n] for q in full if len(q) < 100 for n in range(1, len(q) + 1)]
    queries = full + typed
    for label, clear in (("cold", True), ("warm", False)):
        wall, cpu = [], []
        for query in queries:
            if clear:
                index.clear_cache()
            t, c = time.perf_counter(), time.thread_time()
            index.search(query, limit=args.limit)
            cpu.append((time.thread_time() - c) * 1000)
            wall.append((time.perf_counter() - t) * 1000)
        print(
            f"search {label}: {len(wall):,} queries over "
            f"{index.billable_count():,} billable codes: "
            f"p50 {percentile(wall, 50):.2f} ms, "
            f"p95 {percentile(wall, 95):.2f} ms, "
            f"p99 {percentile(wall, 99):.2f} ms, max {max(wall):.1f} ms, "
            f"mean {statistics.fmean(wall):.2f} ms "
            f"(CPU time p95 {percentile(cpu, 95):.2f} ms)"
        )
    hostile_figures(index)
    gc.collect()
    print(
        f"index load: {load_s:.2f} s, memory added: {added:.0f} MB (RSS), "
        f"{rss_mb() - before:.0f} MB after all queries (caches full)"
    )
    ok = percentile(wall, 95) <= 5 and load_s <= 1.5 and added <= 150
    print(
        "targets (p95 <= 5 ms, load <= 1.5 s, <= 150 MB):", "met" if ok else "NOT met"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

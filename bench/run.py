"""``make bench``: relevance, search latency, PDF timing and API throughput, in turn."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = (
    (
        "ICD-10-CM search relevance on the tuned, dev and sealed sets, "
        "safety-rule violations (vs. a prefix-autocomplete baseline)",
        ["icd_eval.py", "--baseline"],
    ),
    ("ICD-10-CM search latency, index load time and memory", ["search_latency.py"]),
    ("Prescription PDF", ["pdf_timing.py"]),
    ("Finalize", ["finalize_timing.py"]),
    ("Search API under load", ["api_load.py"]),
    (
        "The standard order in Chromium: interactions, page loads, KLM estimate",
        ["order_speed.py"],
    ),
)


def main() -> int:
    """Run every benchmark; exit non-zero if one fails."""
    failed = []
    for title, command in STEPS:
        print(f"\n== {title} ==", flush=True)
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / command[0]), *command[1:]], cwd=ROOT
        )
        if done.returncode != 0:
            failed.append(title)
    if failed:
        print("\nFailed: " + "; ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

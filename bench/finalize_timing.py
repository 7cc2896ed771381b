"""Time Finalize end to end: check, render, sign and store one prescription.

Runs against this checkout; pointed at an older checkout (run the file from there)
it times that version's Finalize the same way, so the two can be compared.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))

import models  # noqa: E402
from app import create_app  # noqa: E402
from extensions import db  # noqa: E402


def _draft_document() -> dict[str, object]:
    document = json.loads((ROOT / "tests" / "data" / "example.json").read_text())
    for key in ("written_on", "prescriber", "number"):
        document.pop(key, None)
    document["plan"] = dict(document["plan"], start=date.today().isoformat())
    return document


def _physician() -> models.User:
    profile = json.loads((ROOT / "tests" / "data" / "example.json").read_text())
    user = models.User(email="bench@example.org", **profile["prescriber"])
    user.set_password("a long bench password")
    if hasattr(models, "Practice"):
        practice = models.Practice(name=profile["prescriber"]["practice"])
        db.session.add(practice)
        db.session.flush()
        user.practice_id = practice.id
    db.session.add(user)
    db.session.commit()
    return user


def _finalize(draft: models.Draft, user: models.User) -> None:
    try:
        from services import issuing
    except ImportError:  # the single services.py of earlier versions
        import services

        record, errors = services.finalize(draft, user)
        assert record is not None, errors
        return
    from services.audit import Actor

    issued = issuing.finalize(draft, user, Actor(user=user, ip="127.0.0.1"))
    assert issued.record is not None, issued.errors


def main() -> int:
    """Print the median and p95 of Finalize over some runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rx-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'f.sqlite3'}",
            "RX_INSTANCE_PATH": str(folder / "instance"),
            "SECRET_KEY": "bench",
        }
    )
    samples = []
    with app.test_request_context():
        db.create_all()
        user = _physician()
        for i in range(args.runs + 1):
            draft = models.Draft(user_id=user.id, document=_draft_document())
            db.session.add(draft)
            db.session.commit()
            start = time.perf_counter()
            _finalize(draft, user)
            if i:  # the first run makes the practice's certificate: not counted
                samples.append(time.perf_counter() - start)
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"Finalize (check, render, sign, store)  median "
        f"{statistics.median(ordered) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  "
        f"({len(samples)} runs)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

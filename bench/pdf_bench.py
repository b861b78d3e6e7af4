"""How long the PDF reader takes on a 60-page record-level listing (header on page 1 only).

Generates the listing with reportlab, then times, in the same run, a bare
pdfplumber `extract_text` of every page and the reader (`read`), and the
reader plus extraction. Prints the peak memory of the reader (tracemalloc).

    .venv/bin/python bench/pdf_bench.py [--pages 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from questions.schema import parse_schema  # noqa: E402
from responses_app.domain.extraction import extract  # noqa: E402
from responses_app.domain.readers import read  # noqa: E402
from tests.lookalikes import listing_pdf  # noqa: E402

SCHEMA = {
    "periods": ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"],
    "dimensions": [
        {"name": "total"},
        {"name": "crime_category", "kind": "list", "keywords": ["crime", "category"], "open": True},
        {"name": "hospital", "kind": "place", "keywords": ["hospital", "location", "site"]},
    ],
}


def bare_text(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.flush_cache()


def best(function, data: bytes, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = listing_pdf(args.pages)
    print(f"listing: {args.pages} pages, {len(data) / 1024:.0f} KB")
    text = best(bare_text, data, args.repeat)
    reader = best(lambda d: read(d, "listing.pdf"), data, args.repeat)
    both = best(
        lambda d: extract(read(d, "listing.pdf"), parse_schema(SCHEMA).spec()), data, args.repeat
    )
    tracemalloc.start()
    extraction = extract(read(data, "listing.pdf"), parse_schema(SCHEMA).spec())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    totals = {f.period: f.value for f in extraction.figures if f.dimension == "total"}
    print(f"pdfplumber extract_text, every page: {text:.2f} s")
    print(
        f"reader (read):                       {reader:.2f} s ({reader / text:.1f}x extract_text)"
    )
    print(f"reader + extraction:                 {both:.2f} s")
    print(f"peak memory of reader + extraction:  {peak / 2**20:.0f} MB")
    print(f"totals read: {totals} (sum {sum(v or 0 for v in totals.values())})")


if __name__ == "__main__":
    main()

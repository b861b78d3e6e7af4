"""Ingest benchmark: a record-level reply (one row per offence) read and extracted end to end.

    python bench/ingest_bench.py [--rows 250000] [--keep DIR]

Generates the reply as CSV and as XLSX in a temporary directory, then for
each file measures, each in a fresh subprocess so peaks do not mix:

- full: read(bytes, name) + extract(document, spec), the product's path;
- bare: the least a reader can do (csv module / python-calamine iterating rows).

It prints wall time and peak resident memory (VmHWM from /proc, reset after
the imports; ru_maxrss elsewhere), the peak above the resident size after
imports, and the full/bare ratios.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Spellings of methods as forces write them: the built-in list's first spelling of each.
_LIST = json.loads((ROOT / "questions/data/vocabularies/platforms.json").read_text())
PLATFORMS = [(synonyms or [name])[0] for name, synonyms in _LIST["categories"].items()]
PLATFORMS += ["", "Unknown"]
HEADER = ["Crime Reference", "Date Recorded", "Method of Communication", "Victim Age"]


def _rows(count: int, seed: int = 7):
    rng = random.Random(seed)
    start = dt.date(2019, 1, 1)
    span = (dt.date(2021, 6, 30) - start).days
    for index in range(count):
        day = start + dt.timedelta(days=rng.randrange(span))
        age = rng.choice([*range(6, 16), None])
        yield [f"XX/{index:07d}/{day.year % 100:02d}", day, rng.choice(PLATFORMS), age]


def generate(directory: Path, count: int) -> tuple[Path, Path]:
    csv_path, xlsx_path = directory / "listing.csv", directory / "listing.xlsx"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for ref, day, platform, age in _rows(count):
            writer.writerow([ref, day.strftime("%d/%m/%Y"), platform, "" if age is None else age])
    import openpyxl  # the generator only; the product never writes workbooks

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append(HEADER)
    for ref, day, platform, age in _rows(count):
        sheet.append([ref, dt.datetime(day.year, day.month, day.day), platform, age])
    workbook.save(xlsx_path)
    return csv_path, xlsx_path


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc (VmRSS now, VmHWM peak), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Start the peak (VmHWM) afresh: ru_maxrss would carry the parent's peak across exec."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _measure(mode: str, path: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    if mode == "full":
        from questions.vocab import CampaignSpec
        from responses_app.domain.extraction import extract
        from responses_app.domain.readers import read

        spec = CampaignSpec.from_data(["2019-20", "2020-21"], ["total", "platform", "age"])
    else:
        import python_calamine  # noqa: F401 - imported before the baseline, like the full path
    _reset_peak()
    baseline = _status_mb("VmRSS")
    started = time.perf_counter()
    if mode == "full":
        extraction = extract(read(path.read_bytes(), path.name), spec)
        digest = sorted((f.period, f.dimension, f.category, f.value) for f in extraction.figures)
        result = {
            "figures": len(extraction.figures),
            "excluded": extraction.excluded_rows,
            "digest": hashlib.sha1(json.dumps(digest).encode()).hexdigest(),
        }
    elif path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            result = {"rows": sum(1 for _ in csv.reader(handle))}
    else:
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        result = {"rows": sum(1 for _ in sheet.iter_rows())}
    elapsed = time.perf_counter() - started
    peak = _status_mb("VmHWM")
    return {**result, "seconds": elapsed, "peak_mb": peak, "above_baseline_mb": peak - baseline}


def _run(mode: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--keep", type=Path, help="write the generated files here and keep them")
    parser.add_argument("--measure", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure(args.measure[0], Path(args.measure[1]))))
        return
    with tempfile.TemporaryDirectory() as scratch:
        directory = args.keep or Path(scratch)
        directory.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        files = generate(directory, args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f}s")
        digests = []
        for path in files:
            full, bare = _run("full", path), _run("bare", path)
            digests.append(full["digest"])
            size = path.stat().st_size / 2**20
            print(f"\n{path.suffix[1:].upper()} ({size:.1f} MB on disk)")
            _report(
                "full read+extract",
                full,
                f"figures={full['figures']} excluded={full['excluded']:,}",
            )
            _report("bare read", bare, f"rows={bare['rows']:,}")
            time_ratio = full["seconds"] / max(bare["seconds"], 1e-9)
            peak_ratio = full["peak_mb"] / max(bare["peak_mb"], 1e-9)
            above = (
                f"x{full['above_baseline_mb'] / bare['above_baseline_mb']:.1f}"
                if bare["above_baseline_mb"] >= 1
                else "n/a (the bare read holds nothing)"
            )
            print(
                f"  full/bare: time x{time_ratio:.1f}, peak RSS x{peak_ratio:.1f}, "
                f"above baseline {above}"
            )
        print(f"\nCSV and XLSX give the same figures: {'yes' if len(set(digests)) == 1 else 'NO'}")


def _report(label: str, result: dict, detail: str) -> None:
    print(
        f"  {label:<18} {result['seconds']:6.2f}s  peak RSS {result['peak_mb']:6.1f} MB "
        f"(+{result['above_baseline_mb']:.1f} MB over the process after imports)  {detail}"
    )


if __name__ == "__main__":
    main()

"""Read the real replies in ../shared/real-replies and compare them with what a person reads.

Prints, per file, the figures right of the figures read (and of the figures a
person reads), and whether the outcome is right. Skips with a message when
the folder is absent (it is not part of the repository: its licence is not
stated). Run with `make check-real` or
`python scripts/check_real.py [FOLDER]`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from questions.schema import parse_schema  # noqa: E402
from questions.vocab import TOTAL, CampaignSpec, normalise_label  # noqa: E402
from responses_app.domain.extraction import extract  # noqa: E402
from responses_app.domain.readers import ReadError, read  # noqa: E402

# ../shared beside the checkout (a worktree one level deeper looks one level further up).
CANDIDATES = [ROOT.parent / "shared" / "real-replies", ROOT.parents[1] / "shared" / "real-replies"]


def expected_figures(truth: dict, spec: CampaignSpec) -> dict[tuple[str, str, str], int]:
    """(period, dimension, category key) -> value, from a truth file's totals and breakdowns.

    Categories are compared by their matching key (case and spacing aside): an open
    list keeps `ARSON` as `Arson`.
    """
    out = {(period, TOTAL, "all"): value for period, value in truth.get("totals", {}).items()}
    sections = {"by_category": "crime_category", "by_hospital": "hospital"}
    for key, dimension in sections.items():
        if dimension not in spec.dimensions:
            continue
        for category, values in truth.get(key, {}).items():
            for period, value in values.items():
                out[(period, dimension, normalise_label(category))] = value
    return out


def check(folder: Path) -> int:
    schema_path = folder / "hospital-crime.schema.json"
    schema = parse_schema(json.loads(schema_path.read_text()))
    failures = 0
    for truth_path in sorted(folder.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        reply = folder / truth_path.name.replace(".truth.json", ".pdf")
        spec = schema.spec()  # fresh: an open list learns the categories it reads
        started = time.perf_counter()
        try:
            extraction = extract(read(reply.read_bytes(), reply.name), spec)
        except ReadError as error:
            print(f"{reply.name}: {error.message}")
            failures += 1
            continue
        seconds = time.perf_counter() - started
        want = expected_figures(truth, spec)
        got = {
            (f.period, f.dimension, normalise_label(f.category)): f.value
            for f in extraction.figures
        }
        right = sum(1 for key, value in got.items() if want.get(key) == value)
        missed = sorted(set(want) - set(got))
        outcome_right = extraction.outcome == truth["outcome"]
        sections = [e.split("(")[0] for e in extraction.exemptions]
        exemptions_right = sections == [e.split("(")[0] for e in truth.get("exemptions", [])]
        print(
            f"{reply.name}: figures right {right}/{len(got)} read "
            f"({len(want)} a person reads, {len(missed)} not read); "
            f"outcome {extraction.outcome} {extraction.exemptions} "
            f"{'right' if outcome_right and exemptions_right else 'WRONG'} "
            f"(expected {truth['outcome']} {truth.get('exemptions', [])}); {seconds:.2f} s"
        )
        for key in missed[:5]:
            print(f"  not read: {key} = {want[key]}")
        for key, value in sorted(got.items()):
            if key in want and want[key] != value:
                print(f"  wrong: {key} read {value}, a person reads {want[key]}")
        periods = [
            f.message
            for f in extraction.findings
            if f.code in ("calendar_year", "period_not_asked")
        ]
        for message in periods:
            print(f"  finding: {message}")
        if right != len(got) or not outcome_right or not exemptions_right:
            failures += 1
    return failures


def main() -> int:
    folders = [Path(sys.argv[1])] if len(sys.argv) > 1 else CANDIDATES
    found = [f for f in folders if (f / "hospital-crime.schema.json").exists()]
    if not found:
        print(f"check-real: skipped, no real replies at {folders[0]}")
        return 0
    folder = found[0]
    return 1 if check(folder) else 0


if __name__ == "__main__":
    sys.exit(main())

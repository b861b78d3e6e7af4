"""No campaign lives in the code: no platform, no seed age band, no offence outside data files.

What one campaign asks (its categories, bands, groups, limits, methodology) is data
the campaign owns (its schema); built-in lists are data files with their source
(``questions/data/vocabularies``). This scans the product's code and templates,
leaving out those data files, the demo data (``responses_app/data/demo``), the tests,
and migrations (a migration is a record of what the data was).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = (
    "questions",
    "requests_app",
    "responses_app",
    "foitracker",
    "templates",
    "static",
    "examples",
    "bench",
)
SUFFIXES = {".py", ".html", ".js", ".css", ".txt", ".md"}
LEFT_OUT = ("questions/data/", "responses_app/data/", "/migrations/", "static/vendor/")
VOCABULARIES = ROOT / "questions" / "data" / "vocabularies"
#: Platform-list entries that are ordinary words, not a platform's name.
ORDINARY = {"Text message", "Phone call", "Email", "Other", "Not recorded"}


def _terms() -> list[str]:
    platforms = json.loads((VOCABULARIES / "platforms.json").read_text())["categories"]
    terms = [name for name in platforms if name not in ORDINARY]
    terms += ["Meta-owned", "(Meta)", "0-11", "12-13", "14-15", "under 16", "under 12"]
    with (VOCABULARIES / "home_office_offences.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            for level in ("Class", "Sub class"):
                name = " ".join(row[level].split())
                if len(name) >= 6:
                    terms.append(name)
    return sorted(set(terms))


def _files() -> list[Path]:
    found = []
    for folder in SCANNED:
        for path in (ROOT / folder).rglob("*"):
            rel = path.relative_to(ROOT).as_posix()
            if path.suffix in SUFFIXES and not any(part in f"/{rel}" for part in LEFT_OUT):
                found.append(path)
    return found


def test_the_scan_finds_what_it_looks_for():
    terms = _terms()
    assert {"Instagram", "WhatsApp", "0-11", "under 16", "Possession of weapons"} <= set(terms)
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])" for t in terms), re.I)
    assert pattern.search('GROUPS = {"Meta-owned apps": ("Instagram", "WhatsApp")}')
    assert pattern.search("an age of 16 is impossible for a child under 16")
    assert not pattern.search("bands 0-10, 11-15, 16-17")


def test_no_platform_band_or_offence_is_named_in_the_code():
    terms = _terms()
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])" for t in terms), re.I)
    hits = []
    for path in _files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = pattern.search(line)
            if found:
                hits.append(f"{path.relative_to(ROOT)}:{number}: {found[0]!r}: {line.strip()}")
    assert hits == [], "\n".join(hits)

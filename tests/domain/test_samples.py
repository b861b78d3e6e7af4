"""Acceptance: every sample reply extracts exactly to its expected file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from questions.vocab import CampaignSpec
from responses_app.domain.extraction import extract, extraction_to_json
from responses_app.domain.readers import read

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
FIELDS = ("period", "dimension", "category", "value", "suppressed", "lower", "upper")
EXPECTED = sorted(SAMPLES.glob("*.expected.json"))


def campaign_spec() -> CampaignSpec:
    """The campaign of CAMPAIGN.md: two financial years; total, platform and age."""
    return CampaignSpec.from_data(["2019-20", "2020-21"], ["total", "platform", "age"])


def reply_for(expected: Path) -> Path:
    name = expected.name.removesuffix(".expected.json")
    (reply,) = [p for p in SAMPLES.glob(f"{name}.*") if not p.name.endswith(".json")]
    return reply


def figure_set(figures: list[dict]) -> set[tuple]:
    return {tuple(figure[field] for field in FIELDS) for figure in figures}


def test_every_sample_is_covered():
    assert len(EXPECTED) == 16


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_sample_extracts_exactly(expected_path: Path):
    expected = json.loads(expected_path.read_text())
    reply = reply_for(expected_path)

    document = read(reply.read_bytes(), reply.name)
    got = extraction_to_json(extract(document, campaign_spec()), expected["force"])

    assert got["force"] == expected["force"]
    assert got["outcome"] == expected["outcome"]
    assert got["exemptions"] == expected["exemptions"]
    assert got["excluded_rows"] == expected["excluded_rows"]
    got_figures = figure_set(got["figures"])
    want_figures = figure_set(expected["figures"])
    assert got_figures - want_figures == set(), "figures not in the expected file"
    assert want_figures - got_figures == set(), "expected figures not extracted"
    assert len(got["figures"]) == len(expected["figures"]), "duplicate figures"


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_sample_figures_name_their_source(expected_path: Path):
    reply = reply_for(expected_path)
    extraction = extract(read(reply.read_bytes(), reply.name), campaign_spec())
    for figure in extraction.figures:
        assert figure.source.startswith(f"{reply.name} ")
        assert len(figure.source) > len(reply.name) + 3


def test_json_shape_matches_expected_files_plus_sources_and_issues():
    reply = SAMPLES / "kent.csv"
    got = extraction_to_json(extract(read(reply.read_bytes(), reply.name), campaign_spec()), "kent")
    expected = json.loads((SAMPLES / "kent.expected.json").read_text())
    assert set(got) == set(expected) | {"issues"}
    assert set(got["figures"][0]) == set(FIELDS) | {"source"}
    json.dumps(got)  # serialisable as it stands


def test_record_level_sources_and_exclusions_are_reported():
    reply = SAMPLES / "cumbria.xlsx"
    extraction = extract(read(reply.read_bytes(), reply.name), campaign_spec())
    codes = {finding.code for finding in extraction.findings}
    assert "rows_outside_periods" in codes
    total = next(f for f in extraction.figures if f.key == ("2019-20", "total", "all"))
    assert "Export rows" in total.source


def test_the_extractor_knows_no_sample_by_name():
    """The layouts forces use, not these files: no file, force or sample names in the code."""
    code_root = Path(__file__).resolve().parents[2] / "responses_app" / "domain"
    names = {p.name.split(".")[0] for p in EXPECTED}
    mine = [*code_root.glob("readers/*.py"), *code_root.glob("extraction/*.py")]
    mine += [code_root / n for n in ("values.py", "findings.py")]
    mine += [code_root.parents[1] / "questions" / n for n in ("periods.py", "vocab.py")]
    for path in mine:
        text = path.read_text().lower()
        for name in names:
            assert name not in text, f"{name} appears in {path.name}"

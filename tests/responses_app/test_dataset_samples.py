"""The sample replies' expected figures, validated, approved and exported: sums add up.

The figures come from each ``*.expected.json`` through the factories (what a
perfect ingester would store), so this checks the validation, approval and
export steps on real-shaped data without depending on the ingester; one test
at the end runs the real ingester on one sample when it is there.
"""

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command

from requests_app.models import Force
from responses_app.exports.data import for_campaign
from responses_app.exports.formats import render
from responses_app.models import Figure, Finding
from responses_app.selectors.dataset import coverage_counts
from responses_app.services.validation import validate_reply
from tests.factories import CampaignFactory, CampaignRequestFactory, FigureFactory, ReplyFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
EXPECTED = sorted(SAMPLES.glob("*.expected.json"))
STATUS_OF = {"full": "responded", "partial": "partial", "refused": "refused"}


@pytest.fixture
def campaign():
    return CampaignFactory(slug="csc-samples", periods=["2019-20", "2020-21"])


def _load(campaign, path: Path):
    expected = json.loads(path.read_text())
    force = Force.objects.get(pk=expected["force"])
    request = CampaignRequestFactory(
        campaign=campaign,
        force=force,
        status=STATUS_OF[expected["outcome"]],
        outcome=expected["outcome"],
        exemptions=expected["exemptions"],
    )
    reply = ReplyFactory(request=request, outcome=expected["outcome"])
    for index, f in enumerate(expected["figures"]):
        FigureFactory(
            campaign=campaign, force=force, request=request, reply=reply,
            period=f["period"], dimension=f["dimension"], category=f["category"],
            value=f["value"], suppressed=f["suppressed"], lower=f["lower"], upper=f["upper"],
            source=f"{path.name.removesuffix('.expected.json')} row {index + 1}",
        )  # fmt: skip
    return expected, reply


def _expected_sums() -> dict:
    sums = defaultdict(lambda: [0, 0])
    for path in EXPECTED:
        for f in json.loads(path.read_text())["figures"]:
            cell = sums[(f["period"], f["dimension"], f["category"])]
            cell[0] += f["lower"]
            cell[1] += f["upper"]
    return {k: tuple(v) for k, v in sums.items()}


def _standard_band(category: str) -> str:
    """The national band of the samples' age categories (single ages up to 15, or a band)."""
    if category == "Not recorded" or "-" in category:
        return category
    age = int(category)
    return "0-11" if age <= 11 else "12-13" if age <= 13 else "14-15"


def _expected_national() -> dict:
    """The expected sums with the ages rolled up into the national bands (0-11, 12-13, 14-15)."""
    sums = defaultdict(lambda: [0, 0])
    for (period, dimension, category), (lower, upper) in _expected_sums().items():
        if dimension == "age":
            category = _standard_band(category)
        cell = sums[(period, dimension, category)]
        cell[0] += lower
        cell[1] += upper
    return {k: tuple(v) for k, v in sums.items()}


def test_samples_validate_without_errors_approve_and_export_to_their_sums(campaign, tmp_path):
    assert len(EXPECTED) >= 15
    for path in EXPECTED:
        _, reply = _load(campaign, path)
        validate_reply(reply)
    errors = list(Finding.objects.filter(severity="error").values_list("message", flat=True))
    assert errors == []  # correct replies raise no error, only warnings at most

    call_command("approve", "--campaign", "csc-samples", "--all-valid")
    assert not Figure.objects.exclude(status=Figure.Status.APPROVED).exists()

    out = tmp_path / "samples.csv"
    call_command("export", "--campaign", "csc-samples", "--format", "csv", "--out", str(out))
    sums = defaultdict(lambda: [0, 0])
    for row in csv.DictReader(out.open()):
        cell = sums[(row["period"], row["dimension"], row["category"])]
        cell[0] += int(row["lower"])
        cell[1] += int(row["upper"])
    assert {k: tuple(v) for k, v in sums.items()} == _expected_sums()

    # Nationally, the single ages some forces sent are rolled up into the standard bands.
    summary = for_campaign(campaign).summary
    national = {(c.period, c.dimension, c.category): (c.value.lower, c.value.upper)
                for c in summary.cells}  # fmt: skip
    assert national == _expected_national()
    assert any(c[1:] == ("age", "9") for c in _expected_sums())  # there were single ages
    assert summary.unplaced == []  # every sample's ages fit one band
    counts = coverage_counts(campaign)
    assert (counts["asked"], counts["refused"], counts["partial"]) == (len(EXPECTED), 1, 2)


def test_a_typo_in_one_sample_is_caught_before_it_moves_the_national_figure(campaign):
    _, reply = _load(campaign, SAMPLES / "kent.expected.json")
    figure = Figure.objects.filter(force_id="kent", dimension="platform", value__gt=0).first()
    Figure.objects.filter(pk=figure.pk).update(value=figure.value + 100, lower=figure.value + 100,
                                                upper=figure.value + 100)  # fmt: skip
    validate_reply(reply)
    [finding] = Finding.objects.filter(code="breakdown.sum")
    assert "the breakdown is 100 over" in finding.message
    call_command("approve", "--campaign", "csc-samples", "--all-valid")
    total = Figure.objects.get(force_id="kent", dimension="total", period=figure.period)
    assert total.status == Figure.Status.NEEDS_REVIEW


def test_ingesting_a_sample_then_approving_and_exporting_gives_its_expected_figures(campaign):
    from responses_app.services.ingest import ingest_file

    expected = json.loads((SAMPLES / "kent.expected.json").read_text())
    request = CampaignRequestFactory(campaign=campaign, force=Force.objects.get(pk="kent"))
    ingest_file(request=request, data=(SAMPLES / "kent.csv").read_bytes(), filename="kent.csv")
    call_command("approve", "--campaign", "csc-samples", "--all-valid")
    rows = list(csv.DictReader(io.StringIO(render("csv", for_campaign(campaign)).content.decode())))
    got = sorted(
        (r["period"], r["dimension"], r["category"], int(r["lower"]), int(r["upper"])) for r in rows
    )
    want = sorted(
        (f["period"], f["dimension"], f["category"], f["lower"], f["upper"])
        for f in expected["figures"]
    )
    assert got == want

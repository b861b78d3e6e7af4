"""Any question: a knife-crime campaign defined by its own schema file, end to end.

Two replies in two common shapes (a wide XLSX with a title row, an Unknown row, a
Total row and a footnote; a transposed CSV with `<5`), read, approved with
`approve --all-valid`, consolidated and exported, with nothing of the seed's
question (platforms, its age bands, its child-age rule) anywhere. And two campaigns
asking different questions side by side.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from requests_app.models import Campaign
from responses_app.exports.data import for_campaign
from responses_app.exports.formats import render
from responses_app.models import Figure, Finding
from responses_app.selectors.summary import campaign_summary

pytestmark = pytest.mark.django_db

KNIFE = {
    "periods": ["2022-23", "2023-24"],
    "dimensions": [
        {"name": "total"},
        {
            "name": "age",
            "kind": "age",
            "label": "Age of victim",
            "keywords": ["age"],
            "bands": ["0-10", "11-15", "16-17"],
            "min": 0,
            "max": 17,
        },
    ],
    "headlines": [{"dimension": "age", "at_most": 10}],
    "methodology": "Knife crime offences against victims under 18, by the victim's age.",
}
SEED_WORDS = (
    "platform",
    "instagram",
    "snapchat",
    "whatsapp",
    "facebook",
    "meta",
    "0-11",
    "12-13",
    "14-15",
    "under 16",
)
SCHEMAS = Path(__file__).resolve().parents[2] / "responses_app/data/demo/schemas"


def wide_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Knife crime"
    ws.append(["Knife crime offences by age of victim, Kent Police"])
    ws.append([])
    ws.append(["Age of victim", "2022/23", "2023/24"])
    ws.append(["0-10", 4, 6])
    ws.append(["11-15", 120, 131])
    ws.append(["16-17", 88, 95])
    ws.append(["Unknown", 10, 12])
    ws.append(["Total", 222, 244])
    ws.append([])
    ws.append(["Figures are provisional and taken from the crime recording system."])
    book.save(path)
    return path


def transposed_csv(path: Path) -> Path:
    rows = [
        ["Year", "Aged 0-10", "Aged 11-15", "Aged 16-17", "Age not known", "Total"],
        ["2022/23", "<5", "64", "40", "7", "113"],
        ["2023/24", "6", "70", "<5", "9", "87"],
    ]
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def campaign_from_schema(tmp_path, slug: str, schema: dict, forces: str) -> Campaign:
    path = tmp_path / f"{slug}.json"
    path.write_text(json.dumps(schema))
    call_command(
        "campaign", "create", "--slug", slug, "--title", slug.title(), "--schema", str(path),
        "--forces", forces, stdout=StringIO(),
    )  # fmt: skip
    campaign = Campaign.objects.get(slug=slug)
    campaign.requests.update(status="awaiting")
    return campaign


def ingest(path: Path, campaign: str, force: str) -> dict:
    out = StringIO()
    call_command(
        "ingest", str(path), "--campaign", campaign, "--force", force, "--json", stdout=out
    )
    return json.loads(out.getvalue())


@pytest.fixture
def knife(tmp_path):
    campaign = campaign_from_schema(tmp_path, "knife-crime", KNIFE, "kent,essex")
    ingest(wide_xlsx(tmp_path / "kent.xlsx"), "knife-crime", "kent")
    ingest(transposed_csv(tmp_path / "essex.csv"), "knife-crime", "essex")
    return campaign


def figures(campaign, force):
    return {
        (f.period, f.dimension, f.category): (f.lower, f.upper)
        for f in Figure.objects.filter(campaign=campaign, force_id=force)
    }


def test_both_replies_read_into_the_campaign_bands_with_no_error(knife):
    kent = figures(knife, "kent")
    assert kent[("2022-23", "age", "16-17")] == (88, 88)
    assert kent[("2023-24", "age", "Not recorded")] == (12, 12)
    assert kent[("2023-24", "total", "all")] == (244, 244)
    essex = figures(knife, "essex")
    assert essex[("2022-23", "age", "0-10")] == (0, 4)
    assert essex[("2023-24", "age", "16-17")] == (0, 4)
    assert essex[("2022-23", "total", "all")] == (113, 113)
    assert not Finding.objects.filter(
        figure__campaign=knife, severity=Finding.Severity.ERROR
    ).exists()


def test_approve_all_valid_approves_every_figure_and_totals_are_the_sums(knife):
    call_command("approve", "--campaign", "knife-crime", "--all-valid", stdout=StringIO())
    assert not Figure.objects.filter(campaign=knife).exclude(status="approved").exists()
    summary = campaign_summary(campaign=knife)
    totals = {t.period: (t.value.lower, t.value.upper) for t in summary.totals}
    assert totals == {"2022-23": (222 + 113, 222 + 113), "2023-24": (244 + 87, 244 + 87)}
    bands = {(c.period, c.category): c.value for c in summary.cells if c.dimension == "age"}
    assert (bands[("2022-23", "16-17")].lower, bands[("2022-23", "16-17")].upper) == (128, 128)
    assert (bands[("2022-23", "0-10")].lower, bands[("2022-23", "0-10")].upper) == (4, 8)
    assert "Other bands" not in {c for _, c in bands}
    assert summary.age_bands == ["0-10", "11-15", "16-17"]
    [young] = [g for g in summary.groups if g.period == "2023-24"]
    assert young.sentence.startswith("Aged 10 or under: 12 of")


def test_no_export_mentions_the_seed_question(knife):
    call_command("approve", "--campaign", "knife-crime", "--all-valid", stdout=StringIO())
    data = for_campaign(knife)
    texts = []
    for fmt in ("csv", "json"):
        texts.append(render(fmt, data).content.decode())
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", data).content))
    assert book.sheetnames == ["Summary", "By force", "Age", "Coverage", "Methodology"]
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            texts.append(" ".join(str(v) for v in row if v is not None))
    with zipfile.ZipFile(io.BytesIO(render("datapackage", data).content)) as package:
        for name in package.namelist():
            texts.append(package.read(name).decode())
    text = "\n".join(texts).lower()
    for word in SEED_WORDS:
        assert word not in text, word
    assert KNIFE["methodology"].lower() in text


def test_the_data_package_enums_come_from_the_schema(knife):
    call_command("approve", "--campaign", "knife-crime", "--all-valid", stdout=StringIO())
    with zipfile.ZipFile(io.BytesIO(render("datapackage", for_campaign(knife)).content)) as z:
        descriptor = json.loads(z.read("datapackage.json"))
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["dimension"]["constraints"]["enum"] == ["total", "age"]
    assert "enum" not in fields["category"].get("constraints", {})  # ages are open


def test_two_campaigns_with_different_questions_side_by_side(knife, tmp_path):
    seed = json.loads((SCHEMAS / "platform-and-age.json").read_text())
    other = campaign_from_schema(tmp_path, "platforms", seed, "kent")
    rows = [
        ["Method", "2019/20", "2020/21"],
        ["Instagram", 10, 12],
        ["Snapchat", 20, 22],
        ["Total", 30, 34],
    ]
    path = tmp_path / "kent-platforms.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    ingest(path, "platforms", "kent")
    call_command("approve", "--campaign", "platforms", "--all-valid", stdout=StringIO())
    call_command("approve", "--campaign", "knife-crime", "--all-valid", stdout=StringIO())
    theirs = campaign_summary(campaign=other)
    ours = campaign_summary(campaign=knife)
    assert {c.dimension for c in theirs.cells} == {"total", "platform"}
    assert [g.name for g in theirs.groups if g.period == "2019-20"] == ["Meta-owned apps"]
    assert {c.dimension for c in ours.cells} == {"total", "age"}
    assert ours.group_names == [] and theirs.group_names == ["Meta-owned apps"]

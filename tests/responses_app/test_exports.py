"""Exports: CSV columns, XLSX sheets and charts, JSON, a data package frictionless accepts."""

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from frictionless import validate

from responses_app.exports import COLUMNS, neutralise
from responses_app.exports.data import ExportNotFound, find, for_campaign
from responses_app.exports.formats import UnknownFormat, render, write
from responses_app.models import Figure
from responses_app.services.releases import create_release
from tests.factories import CampaignFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db
HEADER = (
    "campaign,force_id,force_name,ons_code,period,period_start,period_end,dimension,category,"
    "value,suppressed,lower,upper,status,source"
)


@pytest.fixture
def campaign():
    c = CampaignFactory(slug="csc-2021", title="Sexual communication with a child")
    answer(
        c, "kent", "2019-20", total=57,
        platform={"Instagram": 20, "Snapchat": 33, "Kik": (0, 4)},
        age={"0-11": 7, "12-13": 20, "14-15": 30},
    )  # fmt: skip
    answer(c, "kent", "2020-21", total=60, platform={"Instagram": 30, "Snapchat": 30})
    answer(c, "durham", "2019-20", total=12, platform={"Instagram": 12})
    answer(c, "essex", "2019-20", total=500, status=Figure.Status.NEEDS_REVIEW)
    return c


def _csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_the_csv_header_is_exactly_the_documented_one(campaign):
    content = render("csv", for_campaign(campaign)).content
    assert content.decode().splitlines()[0] == HEADER
    assert tuple(HEADER.split(",")) == COLUMNS


def test_the_csv_holds_approved_figures_one_per_row(campaign):
    rows = _csv_rows(render("csv", for_campaign(campaign)).content)
    approved = Figure.objects.filter(status=Figure.Status.APPROVED)
    assert len(rows) == approved.count()
    assert {r["force_id"] for r in rows} == {"kent", "durham"}
    kik = next(r for r in rows if r["category"] == "Kik")
    assert (kik["value"], kik["suppressed"], kik["lower"], kik["upper"]) == ("", "true", "0", "4")
    total = next(r for r in rows if r["force_id"] == "kent" and r["dimension"] == "total")
    assert (total["force_name"], total["period_start"], total["value"]) == (
        "Kent Police",
        "2019-04-01",
        "57",
    )
    assert int(total["value"]) == approved.get(force_id="kent", dimension="total",
                                               period="2019-20").value  # fmt: skip
    assert sum(int(r["value"]) for r in rows if r["dimension"] == "total") == 57 + 60 + 12


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd", "'+1+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("-5", "-5"),
        ("+3", "+3"),
        ("Instagram", "Instagram"),
        (-5, -5),
    ],
)
def test_formula_starts_are_neutralised_but_numbers_are_not(text, expected):
    assert neutralise(text) == expected


@pytest.fixture
def poisoned(campaign):
    figure = Figure.objects.get(force_id="durham", category="Instagram")
    Figure.objects.filter(pk=figure.pk).update(
        category='=HYPERLINK("http://evil","x")', source="=cmd|' /C calc'!A0"
    )
    return campaign


def test_formulas_are_neutralised_in_every_export(poisoned, tmp_path):
    data = for_campaign(poisoned)
    rows = _csv_rows(render("csv", data).content)
    bad = next(r for r in rows if r["force_id"] == "durham" and r["dimension"] == "platform")
    assert bad["category"].startswith("'=") and bad["source"].startswith("'=")

    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", data).content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert any(str(c.value).startswith("'=HYPERLINK") for c in cells)

    document = json.loads(render("json", data).content)
    [figure] = [f for f in document["figures"] if f["force_id"] == "durham" and
                f["dimension"] == "platform"]  # fmt: skip
    assert figure["category"].startswith("'=")

    folder = write("datapackage", data, tmp_path / "pkg")
    figures = (folder.parent / "data" / "figures.csv").read_text()
    assert "'=HYPERLINK" in figures and "\n=" not in figures and ",=" not in figures


def test_the_xlsx_has_the_six_sheets_and_native_charts(campaign):
    content = render("xlsx", for_campaign(campaign)).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Summary", "By force", "Platform", "Age", "Coverage", "Methodology"]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 4  # trend, platform, age, coverage
    summary = [c.value for row in book["Summary"].iter_rows() for c in row if c.value]
    assert "69 offences in 2019-20; 2 of 3 forces answered" in summary
    by_force = list(book["By force"].iter_rows(values_only=True))
    kent = next(r for r in by_force if r[0] == "Kent Police")
    assert kent[3] == 57  # 2019-20 total
    platform = list(book["Platform"].iter_rows(values_only=True))
    assert ("2019-20", "Instagram", 32, 32, 32) == platform[1][:5]
    kik = next(r for r in platform if r[1] == "Kik")
    assert kik[:5] == ("2019-20", "Kik", None, 0, 4)  # suppressed: a range, no single number


def test_the_json_export_has_the_summary_and_the_figures(campaign):
    document = json.loads(render("json", for_campaign(campaign)).content)
    assert document["scope"] == "csc-2021"
    assert len(document["figures"]) == Figure.objects.filter(status="approved").count()
    totals = {t["period"]: t["value"] for t in document["summary"]["totals"]}
    assert totals == {"2019-20": 69, "2020-21": 60}
    assert document["summary"]["coverage"]["asked"] == 3


def test_the_data_package_passes_frictionless_validate(campaign, tmp_path):
    descriptor = write("datapackage", for_campaign(campaign), tmp_path / "pkg")
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads(descriptor.read_text())
    assert [r["name"] for r in package["resources"]] == ["figures", "national", "coverage"]
    # And the command-line tool agrees.
    cli = Path(sys.executable).parent / "frictionless"
    out = subprocess.run(
        [str(cli), "validate", str(descriptor)], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_zipped_data_package_holds_the_same_files(campaign, tmp_path):
    path = write("datapackage", for_campaign(campaign), tmp_path / "out" / "csc.zip")
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == [
            "data/coverage.csv",
            "data/figures.csv",
            "data/national.csv",
            "datapackage.json",
        ]
        archive.extractall(tmp_path / "unzipped")
    assert validate(str(tmp_path / "unzipped" / "datapackage.json")).valid


def test_a_release_exports_what_it_froze(campaign, researcher):
    create_release(campaign=campaign, user=researcher)
    Figure.objects.filter(force_id="essex").update(status=Figure.Status.APPROVED)
    live = _csv_rows(render("csv", find(campaign="csc-2021")).content)
    frozen = render("csv", find(campaign="csc-2021", release=1))
    assert frozen.filename == "csc-2021-release-1.csv"
    assert len(live) == len(_csv_rows(frozen.content)) + 1


def test_unknown_scopes_and_formats_say_what_is_wrong(campaign):
    with pytest.raises(ExportNotFound, match="no campaign 'nope'"):
        find(campaign="nope")
    with pytest.raises(ExportNotFound, match="has no release 4"):
        find(campaign="csc-2021", release=4)
    with pytest.raises(UnknownFormat, match="choose one of csv, xlsx, json, datapackage"):
        render("pdf", for_campaign(campaign))


def test_the_data_package_neutralises_its_csvs_but_not_its_json_metadata(poisoned, tmp_path):
    poisoned.title = "-Online grooming: @ages 0-15"
    poisoned.save(update_fields=["title"])
    data = for_campaign(poisoned)
    folder = write("datapackage", data, tmp_path / "pkg")
    descriptor = json.loads(folder.read_text())
    assert data.title.startswith("-") and descriptor["title"] == data.title
    assert not [r for r in descriptor["resources"] if r.get("description", "").startswith("'")]
    figures = (folder.parent / "data" / "figures.csv").read_text()
    assert "'=HYPERLINK" in figures
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", data).content))
    assert book["Summary"]["A1"].value.startswith("'-")  # a spreadsheet reads this one

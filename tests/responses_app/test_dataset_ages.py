"""The national age table in harmonised bands: summary, page, exports, releases, campaigns.

Kent answers in the standard bands, Durham in single ages, Essex partly in a band that
crosses two standard bands (10-12): nationally the ages roll up into 0-11, 12-13 and 14-15,
Essex's 10-12 is "Other bands" and named, and each force's own categories stay visible.
"""

import csv
import io
import json
import re
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from frictionless import validate

from requests_app.services.campaigns import CampaignRejected, create_campaign
from responses_app.domain.ages import OTHER_BANDS
from responses_app.domain.consolidation import Range
from responses_app.exports.data import for_campaign, for_series
from responses_app.exports.formats import render, write
from responses_app.models import Figure
from responses_app.selectors.summary import campaign_summary, release_summary, series_summary
from responses_app.services.releases import create_release
from tests.factories import CampaignFactory
from tests.responses_app.builders import answer, force

pytestmark = pytest.mark.django_db
HARMONISED = ["0-11", "12-13", "14-15", OTHER_BANDS, "Not recorded"]


@pytest.fixture
def campaign():
    c = CampaignFactory(slug="csc-ages", title="Ages", series="csc-ages",
                        periods=["2018-19", "2019-20"])  # fmt: skip
    answer(c, "kent", "2019-20", total=100,
           platform={"Instagram": 30, "Snapchat": 40, "Not recorded": 30},
           age={"0-11": 10, "12-13": 30, "14-15": 20, "Not recorded": 40})  # fmt: skip
    answer(c, "durham", "2019-20", total=30,
           age={"9": 2, "10": 3, "11": (1, 4), "12": 6, "13": 7, "14": 8})  # fmt: skip
    answer(c, "essex", "2019-20", total=20, age={"10-12": 5, "13": 4, "14-15": 11})
    answer(c, "kent", "2018-19", total=80, age={"0-11": 8, "12-13": 20, "14-15": 20})
    # Never counted: a figure waiting for review.
    answer(c, "gwent", "2019-20", age={"9": 500}, status=Figure.Status.NEEDS_REVIEW)
    return c


def _approved(campaign, period, *categories):
    rows = Figure.objects.filter(campaign=campaign, period=period, dimension="age")
    rows = rows.filter(status=Figure.Status.APPROVED, category__in=categories)
    return Range(sum(f.lower for f in rows), sum(f.upper for f in rows))


def test_the_national_age_table_uses_the_harmonised_bands(campaign):
    summary = campaign_summary(campaign=campaign)
    cells = {c.category: c for c in summary.dimension("age", "2019-20")}
    assert [c.category for c in summary.dimension("age", "2019-20")] == HARMONISED
    assert cells["0-11"].value == _approved(campaign, "2019-20", "0-11", "9", "10", "11")
    assert cells["0-11"].value == Range(16, 19)  # Durham's 11 is suppressed (1 to 4)
    assert cells["12-13"].value == Range.exactly(30 + 6 + 7 + 4)
    assert cells["14-15"].value == Range.exactly(20 + 8 + 11)
    assert cells[OTHER_BANDS].value == Range.exactly(5)
    assert cells["Not recorded"].value == Range.exactly(40)
    # Forces counted once per band, however many categories they used in it.
    assert (cells["0-11"].forces, cells["12-13"].forces, cells[OTHER_BANDS].forces) == (2, 3, 1)
    assert cells["0-11"].suppressed == 1
    # The roll-up keeps every recorded figure: the bands and Other bands add up to them all.
    recorded = _approved(campaign, "2019-20", "0-11", "9", "10", "11", "12", "13", "14",
                         "10-12", "12-13", "14-15")  # fmt: skip
    placed = [cells[k].value for k in ("0-11", "12-13", "14-15", OTHER_BANDS)]
    assert Range(sum(v.lower for v in placed), sum(v.upper for v in placed)) == recorded
    # Shares over ages recorded only (Other bands included, Not recorded left out).
    assert cells["14-15"].share.low == pytest.approx(39 / (recorded.upper) * 100)
    assert cells["Not recorded"].share is None
    # No raw single age or crossing band is left in the national table.
    national = {c.category for c in summary.cells if c.dimension == "age"}
    assert national <= set(HARMONISED)
    assert cells["0-11"].change.phrase() == "up 100% to 138%"  # 16..19 on Kent's 8


def test_the_forces_that_could_not_be_placed_are_named(campaign):
    summary = campaign_summary(campaign=campaign)
    [other] = summary.unplaced
    assert (other.force, other.period, other.category, other.value) == (
        "Essex Police",
        "2019-20",
        "10-12",
        Range.exactly(5),
    )
    assert summary.age_bands == ["0-11", "12-13", "14-15"]
    assert "Essex Police, 2019-20: 10-12 (5)" in summary.age_note
    assert '"Other bands"' in summary.age_note


def test_the_age_headline_sits_next_to_the_meta_owned_apps_one(campaign):
    summary = campaign_summary(campaign=campaign)
    lines = summary.headlines
    meta = next(i for i, line in enumerate(lines) if line.startswith("Meta-owned apps:"))
    assert lines[meta + 1] == (
        "Aged 11 or under: 16 to 19 of 107 to 110 victims where age was recorded in 2019-20 "
        "(15% to 17%; 5 in other bands could not be placed)"
    )


def test_each_force_row_keeps_the_categories_it_reported(campaign):
    rows = {f.force_id: f for f in campaign_summary(campaign=campaign).forces}
    assert list(rows["durham"].ages["2019-20"]) == ["9", "10", "11", "12", "13", "14"]
    assert rows["durham"].ages["2019-20"]["11"] == Range(1, 4)
    assert rows["essex"].ages["2019-20"] == {
        "10-12": Range.exactly(5),
        "13": Range.exactly(4),
        "14-15": Range.exactly(11),
    }
    assert rows["kent"].ages["2018-19"]["0-11"] == Range.exactly(8)
    assert "2018-19" not in rows["durham"].ages
    assert rows["gwent"].ages == {}  # its figure is not approved


def test_ages_cost_no_query_of_their_own(campaign):
    def queries():
        with CaptureQueriesContext(connection) as done:
            campaign_summary(campaign=campaign).as_dict()
        return len(done)

    # Coverage rows, national totals, share bases, the per-force table (which carries each
    # force's age categories), and the series' earlier totals: nothing for the ages.
    before = queries()
    assert before == 5
    for force_id in ("surrey", "dorset", "norfolk"):
        answer(campaign, force_id, "2019-20", age={"8": 1, "12-14": 2, "15": 3, "Unknown": 4})
    assert queries() == before


def test_a_campaign_names_its_own_bands(campaign):
    campaign.vocabularies = {"age": {"kind": "age", "bands": ["0-13", "14-15"]}}
    campaign.save()
    summary = campaign_summary(campaign=campaign)
    cells = {c.category: c for c in summary.dimension("age", "2019-20")}
    assert list(cells) == ["0-13", "14-15", "Not recorded"]
    # Essex's 10-12 fits wholly in 0-13 now: Kent 40, Durham 19 to 22, Essex 9.
    assert cells["0-13"].value == Range(40 + 19 + 9, 40 + 22 + 9)
    assert summary.unplaced == []
    assert any(line.startswith("Aged 13 or under: 68 to 71 of ") for line in summary.headlines)


def test_creating_a_campaign_rejects_bands_it_cannot_use():
    def create(bands):
        return create_campaign(slug="c", title="T", periods=["2019"], forces=[force("kent")],
                               vocabularies={"age": {"kind": "age", "bands": bands}})  # fmt: skip

    with pytest.raises(CampaignRejected, match="0-12 and 12-15 overlap"):
        create(["0-12", "12-15"])
    with pytest.raises(CampaignRejected, match="'teens' is not an age band"):
        create(["0-11", "teens"])
    assert create(["0-12", "13-15"]).vocabularies["age"]["bands"] == ["0-12", "13-15"]


def test_releases_and_series_use_the_campaigns_bands(campaign, researcher):
    campaign.vocabularies = {"age": {"kind": "age", "bands": ["0-13", "14-15"]}}
    campaign.save()
    release = create_release(campaign=campaign, user=researcher)
    frozen = release_summary(release=release)
    own = ["0-13", "14-15", "Not recorded"]
    assert [c.category for c in frozen.dimension("age", "2019-20")] == own
    series = series_summary(series="csc-ages")
    assert series.age_bands == ["0-13", "14-15"]
    assert [c.category for c in series.dimension("age", "2019-20")] == own
    series_release = create_release(series="csc-ages", user=researcher)
    assert release_summary(release=series_release).age_bands == ["0-13", "14-15"]


# -- the page -------------------------------------------------------------------


@pytest.fixture
def page(client, researcher, campaign):
    client.force_login(researcher)
    return client.get(reverse("dataset-campaign", args=["csc-ages"])).content.decode()


def _charts(page):
    found = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def _section(page, start, end):
    return page[page.index(start) : page.index(end, page.index(start))]


def test_the_age_chart_draws_the_harmonised_bands(page):
    chart = _charts(page)["age"]
    assert [i["label"] for i in chart["items"]] == HARMONISED
    assert chart["items"][0] == {"label": "0-11", "low": 16, "high": 19}
    assert "Essex Police: 10-12 (5)" in chart["note"]
    # The table alternative lists the same rows.
    table = _section(page, 'id="chart-age"', "</figure>")
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">([^<]+)</td></tr>", table)
    assert rows == [("0-11", "16 to 19"), ("12-13", "47"), ("14-15", "39"),
                    ("Other bands", "5"), ("Not recorded", "40")]  # fmt: skip
    assert "Essex Police: 10-12 (5)" in table


def test_the_page_has_the_headline_the_note_and_each_forces_own_ages(page):
    assert "Aged 11 or under: 16 to 19 of 107 to 110 victims where age was recorded" in page
    national = _section(page, 'id="national-h"', "</section>")
    assert "Essex Police, 2019-20: 10-12 (5)" in national
    assert "<td>10-12</td>" not in national and "<td>9</td>" not in national
    forces = _section(page, 'id="force-ages-h"', "</section>")
    assert "9: 2; 10: 3; 11: 1 to 4; 12: 6; 13: 7; 14: 8" in forces
    assert "10-12: 5; 13: 4; 14-15: 11" in forces


# -- the exports ----------------------------------------------------------------


def test_the_json_export_has_the_harmonised_table_and_the_raw_figures(campaign):
    document = json.loads(render("json", for_campaign(campaign)).content)
    national = [n for n in document["summary"]["national"]
                if n["dimension"] == "age" and n["period"] == "2019-20"]  # fmt: skip
    assert [n["category"] for n in national] == HARMONISED
    assert document["summary"]["age_bands"]["other_bands"] == [
        {"period": "2019-20", "force_name": "Essex Police", "category": "10-12",
         "value": 5, "lower": 5, "upper": 5}
    ]  # fmt: skip
    durham = next(f for f in document["summary"]["forces"] if f["force_id"] == "durham")
    assert [a["category"] for a in durham["ages_reported"]["2019-20"]][:3] == ["9", "10", "11"]
    assert 'is counted as "Other bands"' in document["methodology"]  # the general rule
    assert "Essex Police, 2019-20: 10-12 (5)" in document["methodology"]
    # Every figure, as reported.
    raw = {f["category"] for f in document["figures"] if f["dimension"] == "age"}
    assert {"9", "10", "11", "10-12", "0-11"} <= raw


def test_the_csv_keeps_the_categories_as_reported(campaign):
    rows = list(csv.DictReader(io.StringIO(render("csv", for_campaign(campaign)).content.decode())))
    ages = {(r["force_id"], r["category"]) for r in rows if r["dimension"] == "age"}
    assert {("durham", "9"), ("essex", "10-12"), ("kent", "0-11")} <= ages
    assert not {c for _, c in ages} & {OTHER_BANDS}


def test_the_xlsx_age_sheet_is_harmonised_with_the_note_and_the_evidence(campaign):
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", for_campaign(campaign)).content))
    rows = list(book["Age"].iter_rows(values_only=True))
    latest = [r for r in rows if r[0] == "2019-20" and r[5] is not None and isinstance(r[5], int)]
    assert [r[1] for r in latest] == HARMONISED
    assert latest[0][:6] == ("2019-20", "0-11", None, 16, 19, 2)
    assert any(r[0] and "Essex Police, 2019-20: 10-12 (5)" in str(r[0]) for r in rows)
    evidence = rows[[r[0] for r in rows].index("Ages as each force reported them") + 2 :]
    evidence = [r[:6] for r in evidence]
    assert ("2019-20", "10-12", 5, 5, 5, "Essex Police") in evidence
    assert ("2019-20", "11", None, 1, 4, "Durham Constabulary") in evidence
    methodology = " ".join(str(r[0]) for r in book["Methodology"].iter_rows(values_only=True))
    assert "Other bands" in methodology and "Essex Police" in methodology


def test_the_data_package_has_the_harmonised_table_and_still_validates(campaign, tmp_path):
    descriptor = write("datapackage", for_campaign(campaign), tmp_path / "pkg")
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    national = list(csv.DictReader((tmp_path / "pkg" / "data" / "national.csv").open()))
    ages = [r["category"] for r in national if (r["dimension"], r["period"]) == ("age", "2019-20")]
    assert ages == HARMONISED
    figures = list(csv.DictReader((tmp_path / "pkg" / "data" / "figures.csv").open()))
    assert {"9", "10-12"} <= {r["category"] for r in figures if r["dimension"] == "age"}
    package = json.loads(descriptor.read_text())
    assert "Essex Police, 2019-20: 10-12 (5)" in package["description"]
    [resource] = [r for r in package["resources"] if r["name"] == "national"]
    assert "Other bands" in resource["description"]


def test_the_series_export_is_harmonised_too(campaign, researcher, tmp_path):
    create_release(campaign=campaign, user=researcher)
    content = render("datapackage", for_series("csc-ages")).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        national = archive.read("data/national.csv").decode()
    ages = [r["category"] for r in csv.DictReader(io.StringIO(national))
            if (r["dimension"], r["period"]) == ("age", "2019-20")]  # fmt: skip
    assert ages == HARMONISED

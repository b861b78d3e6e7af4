"""Figures for periods the campaign did not ask (calendar years when it asked financial
years) are shown apart: never summed into the asked periods' totals, listed on their own,
and named where the coverage is given."""

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from responses_app.exports.data import for_campaign
from responses_app.exports.formats import render
from responses_app.selectors.summary import campaign_summary
from tests.factories import CampaignFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db

NOTE = (
    "Figures for periods the campaign did not ask (2019, 2020) are listed apart and not "
    "counted in the totals"
)


@pytest.fixture
def mixed():
    c = CampaignFactory(slug="mixed-periods", periods=["2019-20", "2020-21"])
    answer(c, "kent", "2019-20", total=57, platform={"Instagram": 20})
    answer(c, "durham", "2019-20", total=12, platform={"Instagram": 4})
    answer(c, "durham", "2019", total=40, platform={"Instagram": 9})
    answer(c, "durham", "2020", total=45)
    return c


def test_periods_not_asked_are_not_in_the_totals_and_are_listed_apart(mixed):
    summary = campaign_summary(campaign=mixed)
    assert summary.periods == ["2019-20"]
    assert [(t.period, t.value.lower, t.forces) for t in summary.totals] == [("2019-20", 69, 2)]
    assert {c.period for c in summary.cells} == {"2019-20"}
    assert all(set(f.totals) <= {"2019-20"} for f in summary.forces)
    apart = {(c.period, c.dimension, c.category): c.value.lower for c in summary.other_periods}
    assert apart == {
        ("2019", "total", "all"): 40,
        ("2019", "platform", "Instagram"): 9,
        ("2020", "total", "all"): 45,
    }
    assert NOTE in summary.headlines
    data = summary.as_dict()
    assert data["other_periods"]["note"] == NOTE
    assert len(data["other_periods"]["figures"]) == 3
    assert {p["period"] for p in data["totals"]} == {"2019-20"}


def test_a_campaign_with_only_asked_periods_lists_nothing_apart():
    c = CampaignFactory(slug="asked-only", periods=["2019-20"])
    answer(c, "kent", "2019-20", total=57)
    summary = campaign_summary(campaign=c)
    assert summary.other_periods == [] and summary.other_periods_text == ""
    assert summary.as_dict()["other_periods"] == {"note": "", "figures": []}


def test_the_dataset_page_shows_periods_not_asked_in_their_own_table(client, researcher, mixed):
    client.force_login(researcher)
    page = client.get(reverse("dataset-campaign", args=[mixed.slug])).content.decode()
    assert 'id="other-periods-h"' in page and 'id="other-periods-note"' in page
    apart = page[page.index('id="other-periods-h"') :]
    assert "<td>2019</td>" in apart and "<td>2020</td>" in apart
    national = page[page.index('id="national-h"') : page.index('id="other-periods-h"')]
    assert "<td>2019</td>" not in national and "<td>2020</td>" not in national


def test_the_exports_keep_periods_not_asked_apart(mixed):
    data = for_campaign(mixed)
    document = json.loads(render("json", data).content)
    assert document["summary"]["other_periods"]["note"] == NOTE
    assert {t["period"] for t in document["summary"]["totals"]} == {"2019-20"}
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", data).content))
    summary = [c.value for row in book["Summary"].iter_rows() for c in row if c.value]
    assert NOTE in summary

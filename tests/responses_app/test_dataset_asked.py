"""How many forces were asked: the requests actually sent, never the forces that answered.

"N of M forces answered" takes M from the requests the scope sent (campaign,
release or series); with none sent, pages and exports say so.
"""

import io
import json

import openpyxl
import pytest
from django.urls import reverse
from frictionless import validate

from responses_app.domain.consolidation import NO_REQUESTS_SENT, Range, coverage_sentence, headline
from responses_app.exports.data import for_campaign, for_series
from responses_app.exports.formats import render, write
from responses_app.models import Release, ReleaseFigure
from responses_app.selectors.summary import campaign_summary, release_summary, series_summary
from responses_app.services.releases import create_release
from responses_app.views.charts import chart_data
from tests.factories import CampaignFactory, CampaignRequestFactory, ReplyFactory
from tests.responses_app.builders import answer, force

pytestmark = pytest.mark.django_db


# -- the sentences -----------------------------------------------------------


def test_a_headline_with_no_request_sent_says_so():
    text = headline(period="2019-20", value=Range.exactly(69), answered=2, asked=0)
    assert text == "69 offences in 2019-20; figures from 2 forces, no requests sent yet"


def test_a_headline_never_claims_more_forces_answered_than_were_asked():
    text = headline(period="2019-20", value=Range.exactly(69), answered=3, asked=2)
    assert text == "69 offences in 2019-20; figures from 3 forces, 2 asked"


def test_a_headline_without_a_recorded_number_asked_leaves_the_of_out():
    text = headline(period="2019-20", value=Range.exactly(69), answered=1, asked=None)
    assert text == "69 offences in 2019-20; 1 force answered"


def test_the_coverage_sentence_of_nothing_sent():
    assert coverage_sentence({"asked": 0, "contributed": 0}) == NO_REQUESTS_SENT


# -- a campaign that has sent nothing ----------------------------------------


@pytest.fixture
def unsent():
    """Approved figures typed in from replies to requests still marked draft."""
    c = CampaignFactory(slug="csc-unsent", title="Nothing sent", periods=["2019-20"])
    for force_id, total in (("kent", 57), ("durham", 12)):
        request = CampaignRequestFactory(
            campaign=c, force=force(force_id), status="draft", sent_on=None, responded_on=None
        )
        answer(c, force_id, "2019-20", total=total, reply=ReplyFactory(request=request))
    return c


def test_no_request_sent_is_not_n_of_n(unsent):
    summary = campaign_summary(campaign=unsent)
    assert summary.coverage["asked"] == 0
    assert summary.requests_sent is False
    assert summary.headlines == [
        "69 offences in 2019-20; figures from 2 forces, no requests sent yet",
        NO_REQUESTS_SENT,
    ]
    assert not any("of 2 forces" in line or "of 0" in line for line in summary.headlines)
    assert "coverage" not in chart_data(summary)


def test_the_page_says_no_requests_were_sent(client, researcher, unsent):
    client.force_login(researcher)
    page = client.get(reverse("dataset-campaign", args=[unsent.slug])).content.decode()
    assert "no requests sent yet" in page
    assert "No requests sent yet: no force has been asked" in page
    assert "2 of 2 forces answered" not in page and "of 0 forces" not in page


def test_a_campaign_with_nothing_at_all_says_no_requests_sent(client, researcher):
    empty = CampaignFactory(slug="csc-empty")
    assert campaign_summary(campaign=empty).headlines == [NO_REQUESTS_SENT]
    client.force_login(researcher)
    page = client.get(reverse("dataset-campaign", args=["csc-empty"])).content.decode()
    assert "No requests sent yet" in page


def test_the_exports_say_no_requests_were_sent(unsent, tmp_path):
    data = for_campaign(unsent)
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", data).content))
    summary = [c.value for row in book["Summary"].iter_rows() for c in row if c.value]
    assert "69 offences in 2019-20; figures from 2 forces, no requests sent yet" in summary
    coverage = [c.value for row in book["Coverage"].iter_rows() for c in row if c.value]
    assert coverage[0] == "No requests sent yet: no force has been asked."
    assert "Asked" not in coverage

    document = json.loads(render("json", data).content)
    assert document["summary"]["coverage"]["asked"] == 0
    assert NO_REQUESTS_SENT in document["summary"]["headlines"]

    descriptor = write("datapackage", data, tmp_path / "pkg")
    assert validate(str(descriptor)).valid
    package = json.loads(descriptor.read_text())
    [coverage_resource] = [r for r in package["resources"] if r["name"] == "coverage"]
    assert coverage_resource["description"] == NO_REQUESTS_SENT


def test_a_release_of_unsent_requests_says_so(unsent, researcher):
    release = create_release(campaign=unsent, user=researcher)
    summary = release_summary(release=release)
    assert summary.headlines[0].endswith("figures from 2 forces, no requests sent yet")


# -- sent requests: the number asked is the number sent ------------------------


def test_the_number_asked_is_the_requests_sent_not_the_forces_that_answered():
    c = CampaignFactory(slug="csc-sent", periods=["2019-20"])
    answer(c, "kent", "2019-20", total=57)
    CampaignRequestFactory(
        campaign=c, force=force("durham"), status="awaiting", outcome="", responded_on=None
    )
    CampaignRequestFactory(campaign=c, force=force("essex"), status="draft", outcome="")
    summary = campaign_summary(campaign=c)
    assert summary.totals[0].headline == "57 offences in 2019-20; 1 of 2 forces answered"
    assert summary.coverage_text == "1 of 2 forces contributed figures; 1 not yet due"


# -- a series ------------------------------------------------------------------


@pytest.fixture
def series(researcher):
    first = CampaignFactory(slug="csc-2019", series="csc", periods=["2018-19"])
    answer(first, "kent", "2018-19", total=4000)
    answer(first, "durham", "2018-19", total=373)
    CampaignRequestFactory(campaign=first, force=force("essex"), status="awaiting", outcome="")
    create_release(campaign=first, user=researcher)
    later = CampaignFactory(slug="csc-2025", series="csc", periods=["2024-25"])
    answer(later, "kent", "2024-25", total=5000)
    CampaignRequestFactory(campaign=later, force=force("surrey"), status="awaiting", outcome="")
    CampaignRequestFactory(campaign=later, force=force("dorset"), status="draft", outcome="")
    create_release(campaign=later, user=researcher)
    return "csc"


def test_a_series_counts_each_force_asked_once_across_its_campaigns(series):
    summary = series_summary(series=series)
    assert summary.asked == 4  # kent, durham, essex, surrey; dorset's is a draft
    totals = {t.period: t.headline for t in summary.totals}
    assert totals["2018-19"] == "4,373 offences in 2018-19; 2 of 4 forces answered"
    assert totals["2024-25"] == "5,000 offences in 2024-25; 1 of 4 forces answered"
    # Not a breakdown it does not have ("0 of 4 forces contributed figures").
    assert "4 forces asked" in summary.headlines
    assert not any("contributed" in line for line in summary.headlines)
    assert "coverage" not in chart_data(summary)
    coverage = [
        c.value
        for row in openpyxl.load_workbook(io.BytesIO(render("xlsx", for_series(series)).content))[
            "Coverage"
        ].iter_rows()
        for c in row
        if c.value is not None
    ]
    assert coverage[:2] == ["Forces asked", 4]


def test_a_series_with_no_request_sent_says_so():
    CampaignFactory(slug="csc-draft", series="drafts")
    CampaignRequestFactory(
        campaign=CampaignFactory(slug="csc-draft-2", series="drafts"),
        force=force("kent"),
        status="draft",
        outcome="",
    )
    summary = series_summary(series="drafts")
    assert summary.asked == 0
    assert summary.headlines == [NO_REQUESTS_SENT]


def test_a_series_release_records_how_many_forces_were_asked(series, researcher):
    release = create_release(series=series, user=researcher)
    assert release.coverage == {"counts": {"asked": 4}}
    summary = release_summary(release=release)
    assert summary.totals[0].headline == "4,373 offences in 2018-19; 2 of 4 forces answered"


def test_an_older_series_release_without_the_count_counts_the_series(series):
    kent_2019 = ReleaseFigure.objects.filter(force_id="kent", period="2018-19").first()
    legacy = Release.objects.create(campaign=None, series=series, number=9, coverage={})
    ReleaseFigure.objects.create(
        release=legacy,
        campaign=kent_2019.campaign,
        force=force("kent"),
        period="2018-19",
        period_start="2018-04-01",
        period_end="2019-03-31",
        dimension="total",
        category="all",
        value=4000,
        lower=4000,
        upper=4000,
        status="approved",
        source="kent.csv",
    )
    summary = release_summary(release=legacy)
    assert summary.totals[0].headline == "4,000 offences in 2018-19; 1 of 4 forces answered"

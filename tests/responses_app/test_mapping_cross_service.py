"""Cross-tables mapped by hand through the service: stored, saved for the force, reused."""

from __future__ import annotations

import io

import openpyxl
import pytest

from requests_app.models import FoiRequest, Force
from requests_app.selectors.questions import question_of
from requests_app.services.campaigns import create_campaign
from responses_app.domain.extraction.mapped import layout_fingerprint
from responses_app.domain.readers import read
from responses_app.models import Figure, Reply, SavedMapping
from responses_app.services import mapping as services
from responses_app.services.ingest import ingest_file
from tests.domain.test_real_layouts import HOSPITAL_CRIME_SCHEMA

pytestmark = pytest.mark.django_db

HEADER = ["Offence", "St Mary's", "Royal Infirmary", "Total"]
ROWS = [["Theft", 4, 6, 11], ["Criminal damage", 1, 2, 3], ["Arson", 0, 5, 5], ["Total", 5, 13, 19]]
#: No period anywhere, hospitals the reader cannot tell are hospitals: it reads nothing.
CSV = "".join(",".join(str(v) for v in row) + "\r\n" for row in [HEADER, *ROWS])
CROSS = {
    "table": 0,
    "period_axis": "columns",
    "header_rows": ["0"],
    "label_column": "0",
    "periods": {},
    "categories": {
        "1": "crime_category:Theft",
        "2": "crime_category:Criminal damage",
        "3": "crime_category:Arson",
        "4": "total:all",
    },
    "others": "auto",
    "table_period": "2022-23",
    "cross_categories": {
        "1": "hospital:St Mary's",
        "2": "hospital:Royal Infirmary",
        "3": "total:all",
    },
}
EXPECTED = {
    ("2022-23", "crime_category", "Theft"): 11,  # printed, though its cells add up to 10
    ("2022-23", "crime_category", "Criminal damage"): 3,
    ("2022-23", "crime_category", "Arson"): 5,
    ("2022-23", "hospital", "St Mary's"): 5,
    ("2022-23", "hospital", "Royal Infirmary"): 13,
    ("2022-23", "total", "all"): 19,
}


@pytest.fixture
def campaign():
    return create_campaign(
        slug="hospital-2024",
        title="Crimes on hospital grounds",
        periods=["2021-22", "2022-23"],
        schema=HOSPITAL_CRIME_SCHEMA,
        forces=Force.objects.filter(pk__in=["kent", "essex"]),
        series="hospital",
    )


@pytest.fixture
def kent(campaign) -> FoiRequest:
    return FoiRequest.objects.get(campaign=campaign, force_id="kent")


@pytest.fixture
def reply(kent) -> Reply:
    return ingest_file(request=kent, data=CSV.encode(), filename="kent.csv").reply


def stored(reply: Reply) -> dict:
    return {
        (f.period, f.dimension, f.category): f.value for f in Figure.objects.filter(reply=reply)
    }


def test_a_cross_mapping_stores_each_dimension_the_total_and_the_sum_checks(reply, researcher):
    assert stored(reply) == {}
    assert reply.findings.filter(code="table_not_read").exists()

    services.apply_mapping(reply=reply, mapping=CROSS, user=researcher)

    reply.refresh_from_db()
    assert stored(reply) == EXPECTED
    differs = reply.findings.get(code="row_sum_differs")
    assert differs.locator == "kent.csv row 2, col 4" and "'Theft' row adds up to 10" in (
        differs.message
    )
    assert reply.figures.get(category="St Mary's").source == "kent.csv row 5, col 2"
    assert reply.mapping["table_period"] == "2022-23"
    assert reply.mapping["cross_categories"]["1"] == {
        "dimension": "hospital",
        "category": "St Mary's",
    }
    assert reply.mapping["table_period_text"] == "kent.csv"  # a CSV is titled by its name


def test_a_cross_mapping_with_a_period_not_asked_is_refused_and_nothing_is_written(reply):
    with pytest.raises(services.MappingError) as error:
        services.apply_mapping(reply=reply, mapping={**CROSS, "table_period": "2019-20"})
    assert error.value.problems == [
        "the whole table is given the period 2019-20, which the campaign did not ask "
        "(it asks 2021-22, 2022-23)"
    ]
    assert stored(reply) == {} and reply.findings.filter(code="table_not_read").exists()


def test_a_saved_cross_mapping_reads_the_forces_next_reply_in_that_layout(kent, reply, campaign):
    services.apply_mapping(reply=reply, mapping=CROSS, save=True)
    saved = SavedMapping.objects.get()
    assert saved.mapping["table_period"] == "2022-23"

    resent = CSV.replace("Theft,4,6,11", "Theft,8,6,14").replace("Total,5,13,19", "Total,9,13,22")
    again = ingest_file(request=kent, data=resent.encode(), filename="kent-v2.csv").reply
    assert again.mapping["reused"] is True and again.mapping["saved_mapping"] == saved.pk
    got = stored(again)
    assert got[("2022-23", "crime_category", "Theft")] == 14
    assert got[("2022-23", "hospital", "St Mary's")] == 9
    assert got[("2022-23", "total", "all")] == 22
    assert not again.findings.filter(code="row_sum_differs").exists()  # 8 + 6 = 14

    essex = FoiRequest.objects.get(campaign=campaign, force_id="essex")
    other = ingest_file(request=essex, data=resent.encode(), filename="essex.csv").reply
    assert stored(other) == {} and other.mapping == {}  # Kent's layout is Kent's


def titled_workbook(year: str, theft: int = 4) -> bytes:
    """The same table with a title naming its year; the reader does not know its hospitals."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([f"Crimes recorded in {year}"])
    for row in [HEADER, [ROWS[0][0], theft, 6, theft + 6], *ROWS[1:3]]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_next_years_campaign_reads_the_saved_cross_table_a_year_on(campaign, kent):
    first = ingest_file(request=kent, data=titled_workbook("2022/23"), filename="kent.xlsx")
    assert first.reply.findings.filter(code="breakdown_not_kept").exists()
    mapping = {
        **CROSS,
        "header_rows": [1],
        "categories": {"2": "crime_category:Theft", "3": "crime_category:Criminal damage"},
    }
    services.apply_mapping(reply=first.reply, mapping=mapping, save=True, discard_reviewed=True)
    assert stored(first.reply)[("2022-23", "hospital", "St Mary's")] == 5

    following = create_campaign(
        slug="hospital-2025",
        title="Crimes on hospital grounds, again",
        periods=["2023-24"],
        schema=HOSPITAL_CRIME_SCHEMA,
        forces=Force.objects.filter(pk="kent"),
        series="hospital",
        previous=campaign,
    )
    request = FoiRequest.objects.get(campaign=following, force_id="kent")
    again = ingest_file(request=request, data=titled_workbook("2023/24", 7), filename="kent.xlsx")
    assert stored(again.reply) == {
        ("2023-24", "crime_category", "Theft"): 13,
        ("2023-24", "crime_category", "Criminal damage"): 3,
        ("2023-24", "hospital", "St Mary's"): 8,
        ("2023-24", "hospital", "Royal Infirmary"): 8,
        ("2023-24", "total", "all"): 16,
    }
    assert again.reply.mapping["reused"] is True
    assert again.reply.mapping["table_period"] == "2023-24"
    assert again.reply.findings.filter(code="period_moved").exists()


ODD = "Route,Yr 2019/20 (prov.),Yr 2020/21 (prov.)\r\nGram,12,<5\r\nSnap,3,*\r\nAll routes,15,7\r\n"
#: A saved mapping as the code before cross-tables stored it (its keys and shape exactly).
SAVED_BEFORE = {
    "table": 0,
    "period_axis": "columns",
    "header_rows": [0],
    "label_column": 0,
    "periods": {"1": "2019-20", "2": "2020-21"},
    "categories": {
        "1": {"dimension": "platform", "category": "Instagram"},
        "2": {"dimension": "platform", "category": "Snapchat"},
        "3": {"dimension": "total", "category": "all"},
    },
    "others": "auto",
    "period_texts": {"1": "Yr 2019/20 (prov.)", "2": "Yr 2020/21 (prov.)"},
    "layout": "53424ec969ec477db67f136fd430bfb70c3ec61d5d8ab42d9f32479615830ae3",
}


def test_a_layout_saved_before_cross_tables_is_reused_as_before():
    campaign = create_campaign(
        slug="csc-2021",
        title="Sexual communication with a child",
        periods=["2019-20", "2020-21"],
        dimensions=["total", "platform"],
        forces=Force.objects.filter(pk="kent"),
    )
    kent = FoiRequest.objects.get(campaign=campaign, force_id="kent")
    assert layout_fingerprint(read(ODD.encode(), "kent.csv").tables[0]) == SAVED_BEFORE["layout"]
    saved = SavedMapping.objects.create(
        force_id="kent", campaign=campaign, layout=SAVED_BEFORE["layout"], mapping=SAVED_BEFORE
    )
    reply = ingest_file(request=kent, data=ODD.encode(), filename="kent.csv").reply
    assert {k: (f.value, f.upper) for k, f in ((f.key, f) for f in _figures(reply))} == {
        ("2019-20", "platform", "Instagram"): (12, 12),
        ("2020-21", "platform", "Instagram"): (None, 4),
        ("2019-20", "platform", "Snapchat"): (3, 3),
        ("2020-21", "platform", "Snapchat"): (None, 4),
        ("2019-20", "total", "all"): (15, 15),
        ("2020-21", "total", "all"): (7, 7),
    }
    assert reply.mapping == {**SAVED_BEFORE, "saved_mapping": saved.pk, "reused": True}


def _figures(reply: Reply):
    for figure in Figure.objects.filter(reply=reply):
        figure.key = (figure.period, figure.dimension, figure.category)
        yield figure


def test_remembering_spellings_takes_the_cross_tables_column_headings(researcher):
    campaign = create_campaign(
        slug="csc-ages",
        title="By platform and age",
        periods=["2019-20", "2020-21"],
        dimensions=["total", "platform", "age"],
        forces=Force.objects.filter(pk="kent"),
    )
    kent = FoiRequest.objects.get(campaign=campaign, force_id="kent")
    data = "Age of victim,Gram,Snap,Total\r\nUnder 11,1,2,3\r\n11-15,4,5,9\r\n"
    reply = ingest_file(request=kent, data=data.encode(), filename="kent.csv").reply
    mapping = {
        "table": 0,
        "period_axis": "columns",
        "header_rows": [0],
        "label_column": 0,
        "categories": {"1": "age:0-10", "2": "age:11-15"},
        "table_period": "2020-21",
        "cross_categories": {"1": "platform:Instagram", "2": "platform:Snapchat", "3": "total:all"},
    }
    services.apply_mapping(reply=reply, mapping=mapping, user=researcher, remember=True)
    assert stored(reply)[("2020-21", "platform", "Instagram")] == 5
    assert stored(reply)[("2020-21", "age", "11-15")] == 9
    assert stored(reply)[("2020-21", "total", "all")] == 12
    campaign.refresh_from_db()
    platform = question_of(campaign).dimension("platform")
    assert dict(platform.categories) == {"Instagram": ("Gram",)}  # the column's heading

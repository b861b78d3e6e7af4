"""The mapping screen for cross-tables: one period for the whole table, categories across.

Driven through the plain HTML form, as the page works without JavaScript.
"""

from __future__ import annotations

import html
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from requests_app.models import FoiRequest, Force
from requests_app.services.campaigns import create_campaign
from responses_app.models import Figure, Reply, SavedMapping
from responses_app.services.ingest import ingest_file
from tests.domain.test_real_layouts import HOSPITAL_CRIME_SCHEMA
from tests.responses_app.test_mapping_cross_service import CSV
from tests.responses_app.test_mapping_pages import FORM, ODD
from tests.responses_app.test_mapping_pages import _selected as _selected_raw

pytestmark = pytest.mark.django_db

#: The form as a person fills it for kent.csv (test_mapping_cross_service's CSV).
CROSS_FORM = {
    "table": "0",
    "period_axis": "columns",
    "header_row": ["0"],
    "label_column": "0",
    "table_period": "2022-23",
    "col-1": "hospital:St Mary's",
    "col-2": "hospital:Royal Infirmary",
    "col-3": "total:all",
    "row-0": "skip",
    "row-1": "crime_category:Theft",
    "row-2": "crime_category:Criminal damage",
    "row-3": "skip",
    "row-3-other": "crime_category: Arson",
    "row-4": "total:all",
    "others": "auto",
}


@pytest.fixture
def campaign(db):
    return create_campaign(
        slug="hospital-2024",
        title="Crimes on hospital grounds",
        periods=["2021-22", "2022-23"],
        schema=HOSPITAL_CRIME_SCHEMA,
        forces=Force.objects.filter(pk="kent"),
    )


@pytest.fixture
def kent(campaign) -> FoiRequest:
    return FoiRequest.objects.get(campaign=campaign, force_id="kent")


@pytest.fixture
def reply(kent) -> Reply:
    return ingest_file(request=kent, data=CSV.encode(), filename="kent.csv").reply


@pytest.fixture
def client_in(client, researcher):
    client.force_login(researcher)
    return client


def url(reply: Reply) -> str:
    return reverse("reply-map", args=[reply.pk])


def table_period(page: str) -> str:
    select = re.search(r'<select name="table_period".*?</select>', page, re.S).group(0)
    chosen = re.search(r'<option value="([^"]*)" selected>', select)
    return chosen.group(1) if chosen else ""


def _selected(page: str) -> dict[str, str]:
    """Each line's control and the choice it starts on, as the browser posts it."""
    return {name: html.unescape(value) for name, value in _selected_raw(page).items()}


def stored(reply: Reply) -> dict:
    return {
        (f.period, f.dimension, f.category): f.value for f in Figure.objects.filter(reply=reply)
    }


def test_the_screen_offers_one_period_for_the_whole_table_and_categories_across(client_in, reply):
    page = client_in.get(url(reply)).content.decode()
    select = re.search(r'<select name="table_period".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "2021-22", "2022-23"]
    assert 'for="table-period"' in page and 'aria-describedby="table-period-help"' in page
    assert table_period(page) == ""  # nothing names the period: the person chooses it
    column = re.search(r'<select name="col-1".*?</select>', page, re.S).group(0)
    assert '<optgroup label="periods">' in column and '<option value="2022-23">' in column
    assert '<option value="hospital:St Mary&#x27;s">' in column  # its heading, as a hospital
    assert '<option value="total:all">' in column and '<option value="" selected>skip' in column
    assert 'id="col-1-other"' in page  # a category can be typed, as for the rows


def test_preview_shows_the_figures_of_the_cross_table_and_writes_nothing(client_in, reply):
    response = client_in.post(url(reply), {**CROSS_FORM, "action": "preview"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview: 6 figure(s)" in page
    preview = re.search(r'id="preview-figures".*?</table>', page, re.S).group(0)
    assert re.search(
        r"<td>hospital</td><td>St Mary&#x27;s</td>\s*<td class=\"num\">5</td>", preview
    )
    assert re.search(r"<td>crime_category</td><td>Theft</td>\s*<td class=\"num\">11</td>", preview)
    assert "the &#x27;Theft&#x27; row adds up to 10 for 2022-23" in page  # the sum check
    assert Figure.objects.count() == 0
    # the form keeps what was posted
    assert table_period(page) == "2022-23"
    assert _selected(page)["col-2"] == "hospital:Royal Infirmary"


def test_apply_stores_the_cross_tables_figures_and_reopens_with_its_mapping(client_in, reply):
    response = client_in.post(url(reply), {**CROSS_FORM, "action": "save"})
    assert response.status_code == 302
    assert stored(reply) == {
        ("2022-23", "crime_category", "Theft"): 11,
        ("2022-23", "crime_category", "Criminal damage"): 3,
        ("2022-23", "crime_category", "Arson"): 5,
        ("2022-23", "hospital", "St Mary's"): 5,
        ("2022-23", "hospital", "Royal Infirmary"): 13,
        ("2022-23", "total", "all"): 19,
    }
    assert SavedMapping.objects.get().mapping["table_period"] == "2022-23"
    page = client_in.get(response["Location"]).content.decode()
    assert "The mapping was applied: 6 figure(s) read." in page
    assert "mapped by hand as a cross-table of 2022-23" in page
    assert table_period(page) == "2022-23"
    chosen = _selected(page)
    assert (chosen["col-1"], chosen["col-3"]) == ("hospital:St Mary's", "total:all")
    assert chosen["row-3"] == "crime_category:Arson"


@pytest.mark.parametrize(
    "change, sentence",
    [
        (
            {"col-1": "2022-23"},
            "column 2 is given the period 2022-23, but the whole table is given 2022-23: give "
            "the column a category, the total, or skip it",
        ),
        (
            {"table_period": ""},
            "column 2 is given a category (St Mary&#x27;s, hospital) but the table has no "
            "period of its own: choose one period for the whole table, or give the column a "
            "period",
        ),
        (
            {"col-2": "crime_category:Theft"},
            "column 3: Theft is a crime_category category, as the rows are: the columns must "
            "break the figures down by another dimension",
        ),
        (
            {"table_period": "2020-21"},
            "the whole table is given the period 2020-21, which the campaign did not ask "
            "(it asks 2021-22, 2022-23)",
        ),
    ],
)
def test_a_cross_mapping_that_does_not_fit_is_explained_line_by_line(
    client_in, reply, change, sentence
):
    response = client_in.post(url(reply), {**CROSS_FORM, **change, "action": "apply"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="mapping-errors"' in page
    assert f"<li>{sentence}</li>" in page
    assert Figure.objects.count() == 0
    if change.get("table_period") == "2020-21":  # shown back, though not asked
        assert table_period(page) == "2020-21"


def test_a_titled_cross_table_the_reader_read_opens_as_one(client_in, kent):
    """Periods in no column, a year in the title, hospitals across: the screen starts on the
    table's period and the categories the reader chose for each row and column."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Crimes recorded at each hospital in 2022/23"])
    for row in [
        ["Crime category", "General Hospital", "Royal Infirmary", "Total"],
        ["Theft", 4, 6, 10],
        ["Arson", 0, 5, 5],
        ["Total", 4, 11, 15],
    ]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    read = ingest_file(request=kent, data=buffer.getvalue(), filename="kent.xlsx").reply
    assert read.figures.filter(dimension="hospital").count() == 2  # read automatically
    page = client_in.get(url(read)).content.decode()
    assert table_period(page) == "2022-23"
    assert 'id="table-period-titled">2022-23<' in page
    chosen = _selected(page)
    assert [chosen[f"col-{c}"] for c in (1, 2, 3)] == [
        "hospital:General Hospital",
        "hospital:Royal Infirmary",
        "total:all",
    ]
    assert [chosen[f"row-{r}"] for r in (2, 3, 4)] == [
        "crime_category:Theft",
        "crime_category:Arson",
        "total:all",
    ]
    # applied as it opens, it gives what the reader gave
    before = stored(read)
    form = {
        "table": "0",
        "period_axis": "columns",
        "header_row": ["1"],
        "label_column": "0",
        "table_period": "2022-23",
        **chosen,
        "others": "auto",
        "action": "apply",
    }
    assert client_in.post(url(read), form).status_code == 302
    assert stored(read) == before


def test_a_mapping_of_periods_is_posted_and_stored_as_before(client, researcher):
    campaign = create_campaign(
        slug="csc-2021",
        title="Sexual communication with a child",
        periods=["2019-20", "2020-21"],
        dimensions=["total", "platform", "age"],
        forces=Force.objects.filter(pk="kent"),
    )
    kent = FoiRequest.objects.get(campaign=campaign, force_id="kent")
    odd = ingest_file(request=kent, data=ODD.encode(), filename="kent.csv").reply
    client.force_login(researcher)
    assert client.post(url(odd), {**FORM, "action": "apply"}).status_code == 302
    odd.refresh_from_db()
    assert not {"table_period", "cross_categories", "table_period_text"} & set(odd.mapping)
    page = client.get(url(odd)).content.decode()
    assert table_period(page) == ""
    assert "This reply was mapped by hand." in page
    assert [_selected(page)[f"col-{c}"] for c in (1, 2)] == ["2019-20", "2020-21"]

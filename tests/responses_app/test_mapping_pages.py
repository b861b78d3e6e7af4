"""The mapping screen and the data-entry grid, driven through plain HTML forms."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from requests_app.models import FoiRequest, Force
from requests_app.services.campaigns import create_campaign
from responses_app.models import Figure, Reply, SavedMapping
from responses_app.services.ingest import ingest_file
from responses_app.services.storage import attach
from tests.factories import ReplyFactory
from tests.responses_app.test_any_question import KNIFE, campaign_from_schema, ingest, wide_xlsx

pytestmark = pytest.mark.django_db

ODD = "Route,Yr 2019/20 (prov.),Yr 2020/21 (prov.)\r\nGram,12,<5\r\nSnap,3,*\r\nAll routes,15,7\r\n"
FORM = {
    "table": "0",
    "period_axis": "columns",
    "header_row": ["0"],
    "label_column": "0",
    "col-1": "2019-20",
    "col-2": "2020-21",
    "row-0": "skip",
    "row-1": "platform:Instagram",
    "row-2": "skip",
    "row-2-other": "platform: Snap",
    "row-3": "total:all",
    "others": "auto",
}


@pytest.fixture
def kent(db) -> FoiRequest:
    campaign = create_campaign(
        slug="csc-2021",
        title="Sexual communication with a child",
        periods=["2019-20", "2020-21"],
        dimensions=["total", "platform", "age"],
        forces=Force.objects.filter(pk="kent"),
    )
    return FoiRequest.objects.get(campaign=campaign, force_id="kent")


@pytest.fixture
def reply(kent) -> Reply:
    return ingest_file(request=kent, data=ODD.encode(), filename="kent.csv").reply


@pytest.fixture
def client_in(client, researcher):
    client.force_login(researcher)
    return client


def url(reply: Reply) -> str:
    return reverse("reply-map", args=[reply.pk])


def test_the_screen_needs_login(client, reply):
    assert client.get(url(reply)).status_code == 302


def test_the_screen_shows_the_table_with_its_locators_and_controls(client_in, reply):
    page = client_in.get(url(reply)).content.decode()
    assert 'title="kent.csv' not in page  # locators are the table's own
    assert re.search(
        r'<td class="cell[^"]*" title="row 2, col 2" data-locator="row 2, col 2">12<', page
    )
    for control in ("table-0", "axis-columns", "axis-rows", "label-column-0", "header-row-0"):
        assert f'id="{control}"' in page
    assert 'id="col-1"' in page and 'id="row-1"' in page and 'id="row-1-other"' in page
    # the guess: the heading row ticked, Snap known to the vocabulary, Gram not
    assert re.search(r'id="header-row-0"[^>]*checked', page)
    row_2 = re.search(r'<select name="row-2".*?</select>', page, re.S).group(0)
    assert '<option value="platform:Snapchat" selected>' in row_2
    row_1 = re.search(r'<select name="row-1".*?</select>', page, re.S).group(0)
    assert '<option value="skip" selected>' in row_1
    assert "table_not_read" not in page and "map it by hand" in page  # the finding, in words
    assert 'id="map-preview"' in page and 'id="map-apply"' in page and 'id="map-save"' in page
    assert "js/mapping.js" in page and "<script>" not in page


def test_the_screen_costs_a_bounded_number_of_queries(
    client_in, reply, django_assert_max_num_queries
):
    client_in.post(url(reply), {**FORM, "action": "save"})  # figures, findings, a saved layout
    assert reply.figures.count() == 6
    # session, user, the reply with its request and document, figures, findings, saved layout,
    # and the user's role in the campaign's team
    with django_assert_max_num_queries(7):
        assert client_in.get(url(reply)).status_code == 200


def test_periods_down_the_rows_swap_the_controls(client_in, reply):
    page = client_in.get(url(reply), {"table": 0, "axis": "rows"}).content.decode()
    column = re.search(r'<select name="col-1".*?</select>', page, re.S).group(0)
    assert "platform:Instagram" in column  # columns now name categories
    row = re.search(r'<select name="row-1".*?</select>', page, re.S).group(0)
    assert '<option value="2019-20">' in row  # rows now name periods


def test_preview_shows_the_figures_and_writes_nothing(client_in, reply):
    response = client_in.post(url(reply), {**FORM, "action": "preview"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview: 6 figure(s)" in page
    assert 'id="preview-figures"' in page and "row 3, col 3" in page
    assert Figure.objects.count() == 0
    # the form keeps what was posted
    assert re.search(r'name="row-2-other"[^>]*value="platform: Snap"', page)


def test_apply_stores_the_figures_and_comes_back_to_the_screen(client_in, reply):
    response = client_in.post(url(reply), {**FORM, "action": "apply"})
    assert response.status_code == 302
    assert response["Location"] == f"{url(reply)}?table=0&axis=columns"
    assert reply.figures.count() == 6
    assert not SavedMapping.objects.exists()
    page = client_in.get(response["Location"]).content.decode()
    assert "The mapping was applied: 6 figure(s) read." in page
    assert "Stored now: 6 figure(s)" in page
    # the screen opens with the mapping that was applied
    row_1 = re.search(r'<select name="row-1".*?</select>', page, re.S).group(0)
    assert '<option value="platform:Instagram" selected>' in row_1


def test_save_keeps_the_mapping_for_the_force(client_in, reply):
    response = client_in.post(url(reply), {**FORM, "action": "save"})
    assert response.status_code == 302
    saved = SavedMapping.objects.get()
    assert saved.force_id == "kent" and saved.mapping["categories"]["2"]["category"] == "Snapchat"
    page = client_in.get(response["Location"]).content.decode()
    assert 'id="saved-layout"' in page


def test_a_mapping_that_does_not_fit_is_explained_and_nothing_is_written(client_in, reply):
    bad = {**FORM, "col-2": "2019-20", "row-3-other": "age: eleventy", "action": "apply"}
    response = client_in.post(url(reply), bad)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="mapping-errors"' in page
    assert "2019-20 is given to columns 2 and 3" in page
    assert "row 4: &#x27;eleventy&#x27; is not a age category" in page
    assert Figure.objects.count() == 0


def test_an_unreadable_file_offers_the_grid(client_in, kent):
    scan = attach(request=kent, data=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, name="scan.png")
    failed = ReplyFactory(request=kent, document=scan, status=Reply.Status.FAILED)
    page = client_in.get(url(failed)).content.decode()
    assert 'id="unreadable"' in page
    assert f"{reverse('enter-figures', args=[kent.pk])}?reply={failed.pk}" in page


def test_the_request_page_links_to_both(client_in, kent, reply):
    page = client_in.get(reverse("request-detail", args=[kent.pk])).content.decode()
    assert f'href="{url(reply)}"' in page and 'id="map-reply-' in page
    assert f'href="{reverse("enter-figures", args=[kent.pk])}"' in page


# -- the grid --------------------------------------------------------------------------


def grid_url(kent) -> str:
    return reverse("enter-figures", args=[kent.pk])


def test_the_grid_has_a_cell_per_period_and_category(client_in, kent):
    page = client_in.get(grid_url(kent)).content.decode()
    # total is dimension 0 (one row), platform 1, age 2; periods 0 and 1
    assert 'id="v-0-0-0"' in page and 'id="v-0-0-1"' in page
    assert 'aria-label="platform Instagram, 2019-20"' in page
    assert 'id="c-2-x0"' in page  # ages are typed
    assert 'id="id_source"' in page and 'id="id_document"' in page and 'id="grid-save"' in page


def test_the_grid_stores_typed_figures(client_in, kent):
    data = {"source": "letter page 2", "v-0-0-0": "57", "v-1-0-1": "<5", "c-2-x0": "Under 12"}
    data["v-2-x0-0"] = "4"
    response = client_in.post(grid_url(kent), data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "request-detail", args=[kent.pk]
    )
    reply = Reply.objects.get(request=kent)
    got = {(f.period, f.dimension, f.category, f.value, f.upper) for f in reply.figures.all()}
    assert got == {
        ("2019-20", "total", "all", 57, 57),
        ("2020-21", "platform", "Instagram", None, 4),
        ("2019-20", "age", "0-11", 4, 4),
    }
    assert {f.source for f in reply.figures.all()} == {"letter page 2"}


def test_bad_cells_are_marked_one_by_one_and_nothing_is_stored(client_in, kent):
    data = {"source": "", "v-0-0-0": "57", "v-1-0-0": "about 40", "v-1-1-0": "-2"}
    response = client_in.post(grid_url(kent), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="grid-errors"' in page
    assert re.search(r'id="v-1-0-0"[^>]*value="about 40"[^>]*aria-invalid="true"', page)
    assert 'id="v-1-0-0-error"' in page and "is not a number" in page
    assert 'id="v-1-1-0-error"' in page and "negative" in page
    assert 'id="id_source-error"' in page
    assert not Reply.objects.exists() and not Figure.objects.exists()


def test_an_empty_grid_is_refused(client_in, kent):
    response = client_in.post(grid_url(kent), {"source": "letter"})
    assert response.status_code == 400
    assert "no figures were typed" in response.content.decode()
    assert not Reply.objects.exists()


def test_a_long_table_is_cut_with_a_note(client_in, kent):
    rows = "".join(f"Item {n},{n}\r\n" for n in range(260))
    long = ingest_file(request=kent, data=f"Label,Count\r\n{rows}".encode(), filename="long.csv")
    page = client_in.get(url(long.reply)).content.decode()
    assert 'id="truncated-note"' in page and "Only the first 200 rows" in page
    assert 'id="row-199"' in page and 'id="row-200"' not in page


def test_many_tables_are_listed_a_page_at_a_time(client_in, kent):
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    for n in range(2, 13):
        book.create_sheet(f"Sheet{n}")
    for n, sheet in enumerate(book.worksheets, start=1):
        sheet.append(["Route", "Yr 2019/20"])
        sheet.append([f"Route {n}", n])
    buffer = io.BytesIO()
    book.save(buffer)
    many = ingest_file(request=kent, data=buffer.getvalue(), filename="many.xlsx").reply
    page = client_in.get(url(many)).content.decode()
    assert 'id="table-9"' in page and 'id="table-10"' not in page
    assert "Tables 1–10 of 12" in page and "Next tables" in page
    later = client_in.get(url(many), {"table": 11, "axis": "columns"}).content.decode()
    assert 'id="table-11"' in later and 'id="table-0"' not in later
    assert "Sheet12!B2" in later  # the chosen table's own locators


def test_a_reply_read_with_a_saved_mapping_says_so_and_opens_with_it(client_in, kent, reply):
    client_in.post(url(reply), {**FORM, "action": "save"})
    resent = ingest_file(request=kent, data=ODD.replace("12,<5", "9,8").encode(), filename="v2.csv")
    assert resent.reply.figures.get(period="2019-20", category="Instagram").value == 9
    page = client_in.get(url(resent.reply)).content.decode()
    assert 'id="mapping-reused"' in page
    row_3 = re.search(r'<select name="row-3".*?</select>', page, re.S).group(0)
    assert '<option value="total:all" selected>' in row_3


def _selected(html: str) -> dict[str, str]:
    """Each row's and column's control on the screen, and the choice it starts on."""
    out = {}
    for name, body in re.findall(
        r'<select name="((?:row|col)-\d+)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        out[name] = chosen.group(1) if chosen else ""
    return out


def test_a_freshly_read_reply_starts_from_what_the_reader_chose(client_in, tmp_path):
    """Open lists (hospitals, offences kept as printed) start on the reader's categories."""
    demo = Path(__file__).resolve().parents[2] / "responses_app/data/demo"
    schema = json.loads((demo / "schemas/hospital-crime.json").read_text())
    campaign = campaign_from_schema(tmp_path, "hospital", schema, "cleveland")
    ingest(demo / "hospital/cleveland.csv", "hospital", "cleveland")
    reply = Reply.objects.get(request__campaign=campaign)
    assert reply.figures.filter(dimension="hospital").exists()
    assert not reply.mapping  # read by the reader, never mapped by hand
    html = client_in.get(reverse("reply-map", args=[reply.pk])).content.decode()
    chosen = _selected(html)
    read = {f"hospital:{name}" for name in reply.figures.values_list("category", flat=True)}
    rows = {v for k, v in chosen.items() if k.startswith("row-")}
    assert read - {"hospital:all"} <= rows  # every hospital the reader found is chosen
    assert "total:all" in rows
    assert [chosen[f"col-{c}"] for c in range(1, 6)] == [
        "2019-20", "2020-21", "2021-22", "2022-23", "2023-24"
    ]  # fmt: skip


def test_the_drop_downs_offer_the_campaigns_age_bands(client_in, tmp_path):
    campaign_from_schema(tmp_path, "knife-crime", KNIFE, "kent")
    ingest(wide_xlsx(tmp_path / "kent.xlsx"), "knife-crime", "kent")
    reply = Reply.objects.get(request__campaign__slug="knife-crime")
    html = client_in.get(reverse("reply-map", args=[reply.pk])).content.decode()
    first_row = re.search(r'<select name="row-0".*?</select>', html, re.S).group(0)
    assert re.findall(r'value="age:([^"]+)"', first_row) == [
        "0-10", "11-15", "16-17", "Not recorded"
    ]  # fmt: skip
    chosen = _selected(html)
    assert [chosen[f"row-{r}"] for r in range(3, 8)] == [
        "age:0-10", "age:11-15", "age:16-17", "age:Not recorded", "total:all"
    ]  # fmt: skip

"""The mapping screen at 1280 px: the table scrolls in its own frame, its labels stay in view."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MONTHS = [f"{m} {y}" for y in (2022, 2023) for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")]  # fmt: skip


def _wide_reply():
    """A reply with 24 month columns and long labels: far wider than the page."""
    from requests_app.models import FoiRequest, Force, Team
    from requests_app.services.campaigns import create_campaign
    from responses_app.services.ingest import ingest_file

    campaign = create_campaign(
        slug="wide",
        title="Wide replies",
        periods=["2022", "2023"],
        schema={
            "periods": ["2022", "2023"],
            "dimensions": [
                {"name": "total"},
                {"name": "hospital", "kind": "place", "label": "Hospital", "open": True},
            ],
        },
        forces=Force.objects.filter(pk="kent"),
        team=Team.objects.get(slug="research"),
    )
    foi = FoiRequest.objects.get(campaign=campaign, force_id="kent")
    lines = [",".join(["Hospital", *MONTHS])]
    for name in ("Queen Elizabeth The Queen Mother Hospital, Margate", "Kent and Canterbury"):
        lines.append(",".join([f'"{name}"', *(str(n % 7) for n in range(24))]))
    lines.append(",".join(["Total", *(str(2 * (n % 7)) for n in range(24))]))
    data = ("\r\n".join(lines) + "\r\n").encode()
    return ingest_file(request=foi, data=data, filename="kent.csv").reply


def test_the_table_scrolls_in_its_frame_and_the_labels_stay_in_view(login):
    page = login("researcher")
    reply = _wide_reply()
    page.goto(reverse("reply-map", args=[reply.pk]))
    frame = page.locator(".mapping-main .table-scroll")
    sizes = frame.evaluate("f => [f.scrollWidth, f.clientWidth]")
    assert sizes[0] > sizes[1] + 200, sizes  # the table is wider than its frame
    page_sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page_sizes[0] <= page_sizes[1], page_sizes  # the page itself does not scroll sideways
    label = page.locator(".mapping-grid tbody tr:nth-child(2) td.is-label")
    assert "Queen Elizabeth" in label.inner_text()
    frame.evaluate("f => { f.scrollIntoView({block: 'start'}); f.scrollLeft = f.scrollWidth; }")
    page.wait_for_function(
        "() => document.querySelector('.mapping-main .table-scroll').scrollLeft > 200"
    )
    box, cell = frame.bounding_box(), label.bounding_box()
    assert box["x"] <= cell["x"] and cell["x"] + 40 <= box["x"] + box["width"], (box, cell)
    # the label is on top: the point at its middle is the label cell, not a number behind it
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('td')?.className",
        [cell["x"] + min(cell["width"], 80) / 2, cell["y"] + cell["height"] / 2],
    )
    assert "is-label" in on_top
    last = page.locator(".mapping-grid tbody tr:nth-child(2) td.cell").last
    assert last.bounding_box()["x"] < box["x"] + box["width"]  # the last month scrolled in


def _cross_reply():
    """A cross-table the reader cannot read: no period anywhere, hospitals it cannot tell
    are hospitals (crime types down, hospitals across, printed totals)."""
    from requests_app.models import FoiRequest, Force, Team
    from requests_app.services.campaigns import create_campaign
    from responses_app.services.ingest import ingest_file
    from tests.domain.test_real_layouts import HOSPITAL_CRIME_SCHEMA
    from tests.responses_app.test_mapping_cross_service import CSV

    campaign = create_campaign(
        slug="hospital-crime",
        title="Crimes on hospital grounds",
        periods=["2021-22", "2022-23"],
        schema=HOSPITAL_CRIME_SCHEMA,
        forces=Force.objects.filter(pk="kent"),
        team=Team.objects.get(slug="research"),
    )
    foi = FoiRequest.objects.get(campaign=campaign, force_id="kent")
    return ingest_file(request=foi, data=CSV.encode(), filename="kent.csv").reply


def test_mapping_a_cross_table_by_hand_stores_its_figures(login):
    from responses_app.models import Figure

    page = login("researcher")
    reply = _cross_reply()
    assert not reply.figures.exists()
    page.goto(reverse("reply-map", args=[reply.pk]))
    # the whole table's period, chosen with the keyboard: the select takes the focus visibly
    period = page.locator("#table-period")
    period.focus()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle !== 'none'")
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    assert period.input_value() == "2022-23"
    for line, choice in {
        "#col-1": "hospital:St Mary's",
        "#col-2": "hospital:Royal Infirmary",
        "#col-3": "total:all",
        "#row-1": "crime_category:Theft",
        "#row-2": "crime_category:Criminal damage",
        "#row-3": "crime_category:Arson",
        "#row-4": "total:all",
    }.items():
        page.select_option(line, choice)
    page.get_by_role("button", name="Preview the figures").click()
    preview = page.locator("#preview")
    assert "Preview: 6 figure(s)" in preview.locator("h2").inner_text()
    assert "row adds up to 10 for 2022-23" in preview.inner_text()  # the printed 11 is kept
    assert not Figure.objects.filter(reply=reply).exists()
    assert page.locator("#table-period").input_value() == "2022-23"  # kept across the preview
    page.get_by_role("button", name="Apply to this reply").click()
    page.wait_for_selector("text=The mapping was applied: 6 figure(s) read.")
    assert "Stored now: 6 figure(s)" in page.locator("#extracted-h").inner_text()
    stored = {
        (f.period, f.dimension, f.category): f.value for f in Figure.objects.filter(reply=reply)
    }
    assert stored == {
        ("2022-23", "crime_category", "Theft"): 11,
        ("2022-23", "crime_category", "Criminal damage"): 3,
        ("2022-23", "crime_category", "Arson"): 5,
        ("2022-23", "hospital", "St Mary's"): 5,
        ("2022-23", "hospital", "Royal Infirmary"): 13,
        ("2022-23", "total", "all"): 19,
    }

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

"""The whole journey in a real browser, as a coordinator lives it.

Log in, create a 43-force campaign, log it as sent two months ago, run the chase
sweep, upload Kent's reply, map its table by hand, approve the figures, publish a
release and download its XLSX.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from requests_app.models import Campaign, Force, OutboundMessage
from responses_app.models import Figure
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
KENT_CSV = Path(__file__).resolve().parents[1] / "fixtures" / "samples" / "kent.csv"
SLUG = "csc-journey"
ODD_TABLE = (
    "Route,Yr 2019/20 (prov.),Yr 2020/21 (prov.)\r\nGram,12,<5\r\nSnap,3,*\r\nAll routes,15,7\r\n"
)


@pytest.fixture
def forces_with_email(forces):
    """Every force has an FOI address to chase (some in the register have none yet)."""
    for force in Force.objects.filter(foi_email=""):
        force.foi_email = f"foi@{force.pk}.police.example"
        force.save(update_fields=["foi_email"])


def test_the_whole_journey(login, workday, eager, forces_with_email, mailoutbox, tmp_path):
    page = login("coordinator")

    # 1. Create a campaign for the 43 territorial forces through the form.
    page.get_by_role("link", name="Campaigns", exact=True).click()
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Title").fill("Sexual communication with a child (journey)")
    page.locator("#id_slug").fill(SLUG)
    page.get_by_label("Periods").fill("2019-20, 2020-21")
    ticked = page.locator(".force-choices input[type=checkbox]:checked")
    assert ticked.count() == 43
    page.get_by_role("button", name="Create campaign and draft requests").click()
    page.wait_for_url(re.compile(rf"/campaigns/{SLUG}/$"))
    campaign = Campaign.objects.get(slug=SLUG)
    assert campaign.requests.count() == 43
    screenshot(page, "journey-1-campaign-created")

    # 2. Log every request as sent through the portal, about two months back.
    sent_on = workday - timedelta(days=61)
    page.get_by_role("link", name=re.compile("Log as sent")).click()
    lines = [
        f"{r.force_id},{sent_on:%Y-%m-%d},FOI/{i:03d}"
        for i, r in enumerate(campaign.requests.order_by("force_id"), start=1)
    ]
    page.get_by_label("Paste CSV").fill("\n".join(lines))
    page.get_by_role("button", name="Record all as sent").click()
    page.wait_for_url(re.compile(rf"/campaigns/{SLUG}/$"))
    assert campaign.requests.filter(sent_on=sent_on).count() == 43

    # 3. The chase sweep for today: every request is long overdue, so each is chased.
    out = io.StringIO()
    call_command("chase", today=workday.isoformat(), stdout=out, stderr=io.StringIO())
    assert f"43 chasers sent on {workday}" in out.getvalue()
    chasers = OutboundMessage.objects.filter(
        kind=OutboundMessage.Kind.CHASER, request__campaign=campaign
    )
    assert chasers.count() == 43
    page.get_by_role("link", name="Overdue", exact=True).click()
    page.get_by_label("Campaign", exact=True).select_option(SLUG)
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("43 overdue requests")).to_be_visible()
    kent_row = page.locator("table.data tbody tr", has_text="Kent Police")
    kent_chaser = chasers.get(request__force_id="kent")
    assert f"Stage {kent_chaser.stage}" in kent_row.locator("td").nth(6).inner_text()
    screenshot(page, "journey-3-overdue-after-chase")
    kent_row.get_by_role("link", name=f"{SLUG}/kent", exact=True).click()
    timeline = page.locator("ol.timeline")
    expect(timeline.get_by_text(re.compile("chaser", re.I)).first).to_be_visible()

    # 4. Upload Kent's reply on its request page; it is read at once.
    page.locator("form[data-upload] input[type=file]").set_input_files(str(KENT_CSV))
    page.locator("form[data-upload]").get_by_role("button", name="Upload").click()
    page.wait_for_selector("article.reply.reply-extracted")
    kent = campaign.requests.get(force_id="kent")
    assert Figure.objects.filter(request=kent).count() > 0
    screenshot(page, "journey-4-reply-uploaded")

    # 5. A reply in a layout the reader does not know (Durham's), mapped by hand.
    odd = tmp_path / "durham-reply.csv"
    odd.write_text(ODD_TABLE)
    durham = campaign.requests.get(force_id="durham")
    page.goto(reverse("request-detail", args=[durham.pk]))
    page.locator("form[data-upload] input[type=file]").set_input_files(str(odd))
    page.locator("form[data-upload]").get_by_role("button", name="Upload").click()
    page.wait_for_selector("article.reply")
    page.get_by_role("link", name="Map by hand").click()
    form = page.locator("#mapping-form")
    form.locator("#col-1").select_option("2019-20")
    form.locator("#col-2").select_option("2020-21")
    form.locator("#row-1").select_option("platform:Instagram")
    form.locator("#row-2").select_option("skip")
    form.locator("#row-2-other").locator("xpath=..").locator("summary").click()
    form.locator("#row-2-other").fill("platform: Snap")
    form.locator("#row-3").select_option("total:all")
    screenshot(page, "journey-5-mapping")
    form.get_by_role("button", name="Apply and save for Durham Constabulary").click()
    applied = page.get_by_text(re.compile(r"The mapping was applied: 6 figure\(s\) read"))
    expect(applied).to_be_visible()
    mapped = {
        (f.period, f.dimension, f.category): f.value for f in Figure.objects.filter(request=durham)
    }
    assert mapped[("2019-20", "platform", "Instagram")] == 12
    assert mapped[("2019-20", "platform", "Snapchat")] == 3
    assert mapped[("2020-21", "total", "all")] == 7

    # 6. Approve the campaign's figures in the review queue.
    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_label("Campaign", exact=True).select_option(SLUG)
    page.get_by_role("button", name="Filter").click()
    screenshot(page, "journey-6-review")
    with page.expect_response(lambda r: r.url.endswith(reverse("review-bulk-approve"))):
        page.get_by_role("button", name="Approve all without errors").click()
    approved = Figure.objects.filter(campaign=campaign, status=Figure.Status.APPROVED)
    assert approved.filter(request=kent, period="2019-20", dimension="total").get().value == 146
    assert approved.filter(request=durham).count() == 6

    # 7. Publish a release from the dataset page.
    page.goto(reverse("dataset-campaign", args=[SLUG]))
    page.get_by_label("Methodology").fill("Figures as the forces gave them; see the notes.")
    assert "of 43 forces contributed figures" in page.locator("#release-coverage").inner_text()
    page.get_by_label("Publish although some forces have not contributed figures").check()
    page.get_by_role("button", name="Publish release").click()
    page.wait_for_url(re.compile(r"/releases/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text().strip() != ""
    screenshot(page, "journey-7-release")

    # 8. Download the release's XLSX and read a figure from it.
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX", exact=True).click()
    path = tmp_path / "release.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    cells = {
        tuple(row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        if any(isinstance(v, str) and "Kent" in v for v in row)
    }
    assert any(146 in row for row in cells), sorted(map(str, cells))[:10]

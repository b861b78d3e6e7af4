"""Each role's permissions, as a person meets them in the browser."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from requests_app.models import Campaign, OutboundMessage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo(demo_users, workday):
    from responses_app.services.demo import load_demo

    return load_demo()


def test_a_viewer_reads_the_board_but_cannot_change_anything(login, demo):
    page = login("viewer")
    page.goto(reverse("campaign-board", args=[demo.slug]))
    assert page.get_by_role("heading", level=1).inner_text() == demo.title
    assert page.get_by_role("link", name=re.compile("Send by email")).count() == 0
    assert page.get_by_role("link", name=re.compile("Log as sent")).count() == 0

    sent = demo.requests.filter(sent_on__isnull=False).order_by("pk").first()
    page.goto(reverse("request-detail", args=[sent.pk]))
    assert page.get_by_role("heading", name="Timeline").is_visible()
    assert page.get_by_role("heading", name="Record an event").count() == 0

    # Typing the addresses of the forms does not help.
    assert page.goto(reverse("campaign-mark-sent", args=[demo.slug])).status == 403
    assert page.goto(reverse("campaign-create")).status == 403
    page.goto(reverse("campaign-list"))
    assert page.get_by_role("link", name=re.compile("New campaign")).count() == 0


def test_a_researcher_creates_a_campaign_through_the_form(login, demo_users):
    page = login("researcher")
    page.goto(reverse("campaign-list"))
    page.get_by_role("link", name=re.compile("New campaign")).click()
    page.get_by_label("Title").fill("Knife crime in schools")
    page.get_by_label("Periods").fill("2022-23")
    page.get_by_role("checkbox", name="Kent Police").uncheck()
    page.get_by_role("button", name="Create campaign and draft requests").click()
    page.wait_for_url(re.compile(r"/campaigns/knife-crime-in-schools/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Knife crime in schools"
    campaign = Campaign.objects.get(slug="knife-crime-in-schools")
    assert campaign.requests.count() == 42
    assert not campaign.requests.filter(force_id="kent").exists()


def test_a_coordinator_chases_from_the_overdue_board(login, demo, eager, mailoutbox):
    page = login("coordinator")
    page.goto(reverse("overdue-board"))
    first = page.locator("table.data tbody tr").first
    reference = first.locator("td").nth(1).locator("a").inner_text()
    first.get_by_role("checkbox").check()
    before = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.CHASER).count()
    page.get_by_role("button", name="Chase now").click()
    expect(page.locator(".messages")).to_be_visible()
    assert page.locator(".message-success").count() >= 1, page.locator(".messages").inner_text()
    chasers = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.CHASER)
    assert chasers.count() == before + 1
    assert chasers.latest("pk").request.reference == reference

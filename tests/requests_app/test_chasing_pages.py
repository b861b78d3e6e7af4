"""Chasing people can follow: who sees the buttons, why a request is not chased, the preview."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from requests_app.models import FoiRequest, OutboundMessage
from tests.factories import CampaignFactory, ForceFactory

from .chasing_support import make_request

pytestmark = pytest.mark.django_db
NOW = date(2019, 5, 20)  # Monday; a request sent 15 March is due 15 April, 22 working days late


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("requests_app.views.overdue.today", lambda: NOW)
    monkeypatch.setattr("requests_app.views.requests.today", lambda: NOW)


def board(client, user) -> str:
    client.force_login(user)
    return unescape(client.get(reverse("overdue-board")).content.decode())


def test_only_coordinators_get_tick_boxes_and_buttons(client, researcher, coordinator):
    foi = make_request(campaign=CampaignFactory())
    html = board(client, researcher)
    assert foi.reference in html
    assert 'name="ids"' not in html and "Chase now</button>" not in html
    assert "A coordinator of a request's campaign can chase it now" in html
    html = board(client, coordinator)
    assert f'name="ids" value="{foi.pk}"' in html and "Chase now</button>" in html
    assert 'data-select-all="ids"' in html and "js/select_all.js" in html


def test_a_refusal_for_someone_else_s_request_says_who_may(client, researcher):
    foi = make_request(campaign=CampaignFactory())
    client.force_login(researcher)
    response = client.post(
        reverse("overdue-action"), {"action": "chase", "ids": [foi.pk]}, follow=True
    )
    assert "1 ticked request not acted on: only a coordinator of a request's campaign" in (
        unescape(response.content.decode())
    )
    assert not OutboundMessage.objects.exists()


def test_each_row_says_why_it_is_not_chased(client, researcher, coordinator):
    campaign = CampaignFactory()
    no_address = make_request(campaign=campaign, force=ForceFactory(foi_email=""))
    html = board(client, researcher)
    assert "Not chased: its force has no FOI email address (a coordinator can add it on the " in (
        html
    )
    html = board(client, coordinator)
    edit = reverse("force-edit", args=[no_address.force_id])
    assert f'(<a href="{edit}">add it on the Forces page</a>)' in html


def test_chase_now_gives_each_refusal_its_own_reason(client, coordinator, mailoutbox):
    campaign = CampaignFactory()
    held = make_request(campaign=campaign, events=[("held", date(2019, 4, 1), {})])
    fees = make_request(campaign=campaign)
    # Paused for a fee as of NOW (recorded events would be replayed as of the real today).
    FoiRequest.objects.filter(pk=fees.pk).update(status="fees", clock="paused")
    bounced = make_request(campaign=campaign, force=ForceFactory(foi_email_broken=True))
    client.force_login(coordinator)
    response = client.post(
        reverse("overdue-action"),
        {"action": "chase", "ids": [held.pk, fees.pk, bounced.pk]},
        follow=True,
    )
    html = unescape(response.content.decode())
    assert f"{held.reference}: not chased, it (or its campaign) is on hold" in html
    assert (
        f"{fees.reference}: not chased, the clock is paused: the force sent a fees notice" in html
    )
    assert f"{bounced.reference}: not chased, its force's FOI email address bounced" in html
    assert "not overdue, answered, paused" not in html and mailoutbox == []


def test_a_request_late_past_several_stages_gets_the_latest_once(
    client, coordinator, eager_celery, mailoutbox, django_capture_on_commit_callbacks
):
    foi = make_request(campaign=CampaignFactory())  # 22 working days late: stage 3 is due
    html = board(client, coordinator)
    assert "Stage 3: due now" in html and "Stage 1: due now" not in html
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("overdue-action"), {"action": "chase", "ids": [foi.pk]})
    assert list(foi.outbound.values_list("stage", flat=True)) == ["3"]
    assert len(mailoutbox) == 1


def test_the_preview_shows_each_chaser_s_text_and_sends_nothing(client, coordinator, mailoutbox):
    foi = make_request(campaign=CampaignFactory())
    answered = make_request(
        campaign=CampaignFactory(), events=[("response", date(2019, 4, 1), {"outcome": "full"})]
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("overdue-action"), {"action": "preview", "ids": [foi.pk, answered.pk]}
    )
    html = unescape(response.content.decode())
    assert "1 chaser would go today" in html
    assert f"{foi.reference}: stage 3" in html and foi.force.foi_email in html
    assert "is now 22 working days overdue" in html
    assert f'name="ids" value="{foi.pk}"' in html and "Send 1 chaser now" in html
    assert f"{answered.reference}: not chased, the force has answered it" in html
    assert not OutboundMessage.objects.exists() and mailoutbox == []


def test_the_request_page_says_why_it_is_not_chased(client, researcher):
    foi = make_request(campaign=CampaignFactory(), force=ForceFactory(foi_email=""))
    client.force_login(researcher)
    html = unescape(client.get(reverse("request-detail", args=[foi.pk])).content.decode())
    assert "Not chased: its force has no FOI email address" in html
    assert "admin" not in html.split("<main", 1)[1]

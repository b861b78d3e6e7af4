"""Chasing people can follow, in the browser: select all, the preview, buttons by role;
and the event form showing only the chosen kind's fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import csp_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo(demo_users, workday):
    from responses_app.services.demo import load_demo

    return load_demo()


def test_select_all_then_preview_then_send(login, demo, eager_celery, mailoutbox):
    from requests_app.models import OutboundMessage

    page = login("coordinator")
    page.goto(reverse("overdue-board"))
    boxes = page.locator('input[name="ids"]')
    count = boxes.count()
    assert count > 1
    page.get_by_label("Select all requests on this page").check()
    assert all(boxes.nth(i).is_checked() for i in range(count))
    boxes.first.uncheck()
    assert page.evaluate("() => document.getElementById('pick-all').indeterminate")
    page.get_by_label("Select all requests on this page").check()
    page.get_by_role("button", name="Preview chasers").click()
    page.wait_for_url("**/overdue/action/")
    heading = page.locator(".lede").inner_text()
    assert "would go today" in heading, heading
    previews = page.locator(".chaser-preview")
    assert (
        previews.count() >= 1
        and "Dear Freedom of Information Officer" in previews.first.inner_text()
    )
    assert not OutboundMessage.objects.exists()  # a preview sends nothing
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/overdue/**")
    sent = OutboundMessage.objects.filter(status="sent").count()
    assert sent >= 1 and page.locator(".messages").inner_text().count("chaser queued") == sent
    assert len(mailoutbox) == sent
    assert csp_violations(page) == []


def test_a_researcher_sees_the_board_without_buttons(login, demo):
    page = login("researcher")
    page.goto(reverse("overdue-board"))
    assert page.locator('input[name="ids"]').count() == 0
    assert page.get_by_role("button", name="Chase now").count() == 0


def test_the_event_form_shows_only_the_fields_of_the_chosen_kind(login, demo):
    request = demo.requests.filter(sent_on__isnull=False).first()
    page = login("researcher")
    page.goto(reverse("request-detail", args=[request.pk]))
    kind = page.get_by_label("What happened")
    kind.select_option("extension")
    assert page.get_by_label("Extended to").is_visible()
    assert not page.get_by_label("Channel (for sent)").is_visible()
    assert page.get_by_label("Note").is_visible()
    kind.select_option("sent")
    assert page.get_by_label("Channel (for sent)").is_visible()
    assert not page.get_by_label("Extended to").is_visible()
